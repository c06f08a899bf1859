/**
 * The images of the kaniko pod on the node's platform: skaffold's default
 * init image is amd64 only, so on an arm64 node the pod never starts; the
 * action's patched copy names a multi-platform init image and builds there.
 * The double refuses an image whose platforms it does not know.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { parseInputs } from '../../src/inputs.js'
import {
  DEFAULT_INIT_IMAGE,
  DEFAULT_KANIKO_IMAGE
} from '../../src/skaffold/images.js'
import { patchOptionsFromInputs } from '../../src/skaffold/options.js'
import { patchSkaffoldText } from '../../src/skaffold/patch.js'
import { CommandError } from '../../test-support/cluster-double/io.js'
import {
  checkGoBaseImage,
  checkPodImage,
  hostPlatform,
  knownGoBaseImage,
  knownImage,
  parseImageRef
} from '../../test-support/cluster-double/skaffold/images.js'
import {
  kindConfig,
  seedDockerfile,
  skaffoldConfig,
  startDoubleStack,
  writeHelloService,
  type DoubleStack
} from './stack.js'

const HELPER = 'gcr.io/k8s-skaffold/skaffold-helpers/busybox'

function refusal(run: () => void): CommandError {
  try {
    run()
  } catch (error) {
    if (error instanceof CommandError) return error
    throw error
  }
  throw new Error('expected a refusal')
}

describe('image references and platforms', () => {
  it.each([
    ['busybox', 'docker.io/library/busybox', 'latest'],
    ['busybox:1.36.1', 'docker.io/library/busybox', '1.36.1'],
    ['docker.io/busybox:1.36.1', 'docker.io/library/busybox', '1.36.1'],
    [
      'mirror.gcr.io/library/busybox:1.36.1',
      'docker.io/library/busybox',
      '1.36.1'
    ],
    ['gomods/athens:v0.18.0', 'docker.io/gomods/athens', 'v0.18.0'],
    ['localhost:5000/a/b', 'localhost:5000/a/b', 'latest']
  ])('normalises %s like docker', (ref, repository, tag) => {
    expect(parseImageRef(ref)).toEqual({ repository, tag, digest: undefined })
  })

  it('knows the pinned images and skaffold defaults, and no others', () => {
    expect(knownImage(DEFAULT_INIT_IMAGE)?.platforms).toContain('linux/arm64')
    expect(knownImage(DEFAULT_KANIKO_IMAGE)?.platforms).toContain('linux/arm64')
    expect(
      knownImage('gcr.io/kaniko-project/executor:latest')?.platforms
    ).toContain('linux/arm64')
    expect(knownImage(HELPER)?.platforms).toEqual(['linux/amd64'])
    expect(knownImage('busybox:1.37.0')).toBeUndefined()
    // A digest names content: the right repository with an unknown digest is unknown.
    expect(
      knownImage(`docker.io/library/busybox@sha256:${'0'.repeat(64)}`)
    ).toBeUndefined()
  })

  it("fails skaffold's default init image on an arm64 node as the pod does", () => {
    const error = refusal(() =>
      checkPodImage(
        'app',
        'kaniko-init-container',
        'kaniko.initImage',
        HELPER,
        'linux/arm64'
      )
    )
    expect(error.exitCode).toBe(1)
    expect(error.message).toMatch(/exec format error/)
    expect(error.message).toMatch(/set kaniko\.initImage/)
    expect(() =>
      checkPodImage(
        'app',
        'kaniko-init-container',
        'kaniko.initImage',
        HELPER,
        'linux/amd64'
      )
    ).not.toThrow()
  })

  it('fails the pull of an index with no manifest for the node', () => {
    const error = refusal(() =>
      checkPodImage(
        'app',
        'kaniko',
        'kaniko.image',
        DEFAULT_KANIKO_IMAGE,
        'linux/riscv64'
      )
    )
    expect(error.message).toMatch(
      /no match for platform in manifest: not found/
    )
  })

  it('refuses an image it does not know rather than guess', () => {
    const error = refusal(() =>
      checkPodImage(
        'app',
        'kaniko',
        'kaniko.image',
        'example.com/kaniko:1',
        'linux/amd64'
      )
    )
    expect(error.exitCode).toBe(2)
    expect(error.message).toMatch(/refuses images it does not know/)
  })
})

describe('Go stage base images', () => {
  it('knows the golang 1.19 images the examples build on, by tag only', () => {
    expect(knownGoBaseImage('golang:1.19-alpine')?.platforms).toContain(
      'linux/arm64'
    )
    expect(
      knownGoBaseImage('docker.io/library/golang:1.19.13-alpine3.18')?.platforms
    ).not.toContain('linux/arm/v5')
    expect(knownGoBaseImage('golang:1.19')?.platforms).toContain(
      'linux/mips64le'
    )
    expect(knownGoBaseImage('golang:1.22-alpine')).toBeUndefined()
    // No digest is catalogued: none could be cited from two sources.
    expect(knownGoBaseImage(`golang@sha256:${'0'.repeat(64)}`)).toBeUndefined()
  })

  it("fails as kaniko does when the base has no manifest for the node's platform", () => {
    expect(() =>
      checkGoBaseImage(
        'app',
        'Dockerfile:1',
        'golang:1.19-alpine',
        'linux/arm64'
      )
    ).not.toThrow()
    const error = refusal(() =>
      checkGoBaseImage(
        'app',
        'Dockerfile:1',
        'golang:1.19-alpine',
        'linux/mips64le'
      )
    )
    expect(error.exitCode).toBe(1)
    expect(error.message).toMatch(
      /Dockerfile:1: retrieving image "golang:1.19-alpine": no child with platform linux\/mips64le in index/
    )
  })

  it("runs an uncatalogued golang tag on the host's platform and refuses it elsewhere", () => {
    expect(() =>
      checkGoBaseImage('app', 'Dockerfile:1', 'golang:1.22', hostPlatform())
    ).not.toThrow()
    const other =
      hostPlatform() === 'linux/s390x' ? 'linux/ppc64le' : 'linux/s390x'
    const error = refusal(() =>
      checkGoBaseImage('app', 'Dockerfile:1', 'golang:1.22', other)
    )
    expect(error.exitCode).toBe(2)
    expect(error.message).toMatch(/refuses images it does not know/)
  })
})

describe('a kaniko build on an arm64 node', () => {
  let stack: DoubleStack
  let serial = 0

  beforeAll(async () => {
    stack = await startDoubleStack({ nodePlatform: 'linux/arm64' })
    const config = join(stack.root, 'kind.yaml')
    writeFileSync(config, kindConfig([]))
    const created = await stack.run('kind', [
      'create',
      'cluster',
      '--name',
      'arm',
      '--config',
      config,
      '--wait',
      '60s'
    ])
    if (created.code !== 0) throw new Error(created.stderr)
  }, 120_000)

  afterAll(async () => {
    await stack?.stop()
  })

  async function build(patch: boolean, base = 'golang:1.19') {
    const dir = join(stack.root, `svc-${++serial}`)
    mkdirSync(dir, { recursive: true })
    const links = {
      volumes: [],
      mounts: [],
      buildArgs: { GOPROXY: stack.proxy.url }
    }
    writeHelloService(
      dir,
      seedDockerfile(['GOPROXY']).replace('golang:1.19', base),
      skaffoldConfig('hello', links)
    )
    let file = 'skaffold.yaml'
    if (patch) {
      const path = join(dir, file)
      const patched = patchSkaffoldText(
        { path, text: readFileSync(path, 'utf8') },
        patchOptionsFromInputs(parseInputs(() => ''))
      )
      file = 'patched.yaml'
      writeFileSync(join(dir, file), patched.text)
    }
    const result = await stack.run(
      'skaffold',
      [
        'build',
        '-f',
        file,
        '--file-output',
        'out.json',
        '--kube-context',
        'kind-arm'
      ],
      { cwd: dir }
    )
    return { ...result, output: result.stdout + result.stderr }
  }

  it("cannot start the pod with skaffold's default init image", async () => {
    const result = await build(false)
    expect(result.code).toBe(1)
    expect(result.output).toMatch(
      /kaniko-init-container terminated with exit code 1: exec \/bin\/sh: exec format error/
    )
  }, 120_000)

  it('refuses a Go base image whose platforms it does not know', async () => {
    const result = await build(true, 'golang:1.22')
    expect(result.code).toBe(2)
    expect(result.output).toMatch(
      /cannot tell whether \S*Dockerfile:\d+ base image "golang:1.22" of hello has linux\/arm64/
    )
  }, 120_000)

  it("builds with the action's patched copy (multi-platform init image and executor)", async () => {
    const result = await build(true)
    expect(result.output).toMatch(/Target platforms: \[linux\/arm64\]/)
    expect(result.code).toBe(0)
    expect(result.output).toMatch(/Build \[hello\] succeeded/)
  }, 180_000)
})
