/**
 * The images every kaniko pod pulls: the executor and the init container are
 * pinned by digest unless the user pins their own, and Docker Hub base images
 * go through kaniko's registry mirror unless it is turned off.
 */
import { describe, expect, it } from '@jest/globals'
import { readFileSync } from 'node:fs'
import { parse } from 'yaml'
import { InputError, parseInputs, type InputName } from '../../src/inputs.js'
import {
  DEFAULT_INIT_IMAGE,
  DEFAULT_KANIKO_IMAGE
} from '../../src/skaffold/images.js'
import { patchOptionsFromInputs } from '../../src/skaffold/options.js'
import { patchSkaffoldText } from '../../src/skaffold/patch.js'

function inputs(values: Partial<Record<InputName, string>> = {}) {
  return parseInputs((name) => values[name] ?? '')
}

const EXAMPLE = new URL(
  '../../examples/feed-agg/skaffold.yaml',
  import.meta.url
).pathname

function patchExample(
  values: Partial<Record<InputName, string>>,
  text = readFileSync(EXAMPLE, 'utf8')
) {
  const result = patchSkaffoldText(
    { path: EXAMPLE, text },
    patchOptionsFromInputs(inputs(values))
  )
  const config = parse(result.text) as {
    build: { artifacts: { kaniko: Record<string, unknown> }[] }
  }
  return { kaniko: config.build.artifacts[0].kaniko, report: result.report }
}

describe('images the kaniko pod pulls', () => {
  it('pins the executor and a multi-arch init image by digest by default', () => {
    expect(DEFAULT_KANIKO_IMAGE).toMatch(
      /^gcr\.io\/kaniko-project\/executor:v1\.24\.0@sha256:[0-9a-f]{64}$/
    )
    expect(DEFAULT_INIT_IMAGE).toMatch(
      /^mirror\.gcr\.io\/library\/busybox:1\.36\.1@sha256:[0-9a-f]{64}$/
    )
    const parsed = inputs()
    expect(parsed.kanikoImage).toBe(DEFAULT_KANIKO_IMAGE)
    expect(parsed.initImage).toBe(DEFAULT_INIT_IMAGE)
    expect(parsed.registryMirror).toBe('mirror.gcr.io')
  })

  it('writes initImage, the pinned executor and the mirror into the patched copy', () => {
    const { kaniko } = patchExample({})
    expect(kaniko.initImage).toBe(DEFAULT_INIT_IMAGE)
    expect(kaniko.image).toBe(DEFAULT_KANIKO_IMAGE)
    expect(kaniko.registryMirror).toBe('mirror.gcr.io')
  })

  it('takes the init-image and kaniko-image inputs, and registry-mirror: none turns the mirror off', () => {
    const { kaniko } = patchExample({
      'init-image': 'mirror.gcr.io/library/busybox:1.36.1',
      'kaniko-image': 'gcr.io/kaniko-project/executor:v1.23.2',
      'registry-mirror': 'none'
    })
    expect(kaniko.initImage).toBe('mirror.gcr.io/library/busybox:1.36.1')
    expect(kaniko.image).toBe('gcr.io/kaniko-project/executor:v1.23.2')
    expect(kaniko.registryMirror).toBeUndefined()
  })

  it("keeps the artifact's own initImage and reports it", () => {
    const text = readFileSync(EXAMPLE, 'utf8').replace(
      'dockerfile: Dockerfile',
      'dockerfile: Dockerfile\n        initImage: my.registry/busybox:1'
    )
    const { kaniko, report } = patchExample({}, text)
    expect(kaniko.initImage).toBe('my.registry/busybox:1')
    expect(report.artifacts[0].kept).toContainEqual({
      key: 'initImage',
      userValue: 'my.registry/busybox:1',
      ourValue: DEFAULT_INIT_IMAGE
    })
  })

  it.each<[InputName, string, RegExp]>([
    ['registry-mirror', 'https://mirror.gcr.io', /registry host, not a URL/],
    ['registry-mirror', 'mirror gcr io', /registry host/],
    ['init-image', 'busybox@sha256:abc', /sha256:<64 lowercase hex/],
    ['kaniko-image', 'https://gcr.io/kaniko', /image reference/]
  ])('refuses %s %j naming the input', (name, value, message) => {
    expect(() => inputs({ [name]: value })).toThrow(InputError)
    expect(() => inputs({ [name]: value })).toThrow(new RegExp(`'${name}'`))
    expect(() => inputs({ [name]: value })).toThrow(message)
  })

  it.each([
    'busybox:1.36.1',
    'localhost:5000/tools/busybox:1',
    DEFAULT_INIT_IMAGE,
    DEFAULT_KANIKO_IMAGE
  ])('accepts the image input %s', (ref) => {
    expect(inputs({ 'init-image': ref }).initImage).toBe(ref)
  })
})
