/**
 * Every input, driven with hostile strings (line breaks, control characters,
 * NUL, `{{`, flags, `../`, URL credentials, very long values): the parser
 * either refuses it with an InputError naming that input, or the value
 * reaches its destination unchanged and inert: one argument in skaffold's
 * argument array (never a flag the action owns), one YAML scalar that reads
 * back as the same string (nothing else in the document changes), a cache
 * key the cache service accepts, a kind config with the image as one value.
 */
import { describe, expect, it } from '@jest/globals'
import fc from 'fast-check'
import { parse } from 'yaml'
import { buildCommandArgs } from '../../src/build-command.js'
import { deriveServiceName, makeCacheKeys } from '../../src/cache/keys.js'
import {
  INPUT_DEFAULTS,
  INPUT_NAMES,
  InputError,
  parseInputs,
  type InputName,
  type Inputs
} from '../../src/inputs.js'
import { cacheMounts, renderKindConfig } from '../../src/kind/kind-config.js'
import { patchOptionsFromInputs } from '../../src/skaffold/options.js'
import { patchSkaffoldText } from '../../src/skaffold/patch.js'
import { configureProperties } from '../../test-support/property/index.js'

configureProperties()

const FRAGMENTS = [
  '\n',
  '\r\n',
  '\t',
  '\u0000',
  '\u001b[31m',
  '\u0085',
  '\u2028',
  '{{',
  '}}',
  '{{.GITHUB_TOKEN | b64enc}}',
  '--flag',
  '--kubeconfig=./evil',
  '-pprod',
  '-fother.yaml',
  '-qmfoo',
  '--',
  '../',
  '../../etc/passwd',
  '/',
  '@',
  ':',
  ',',
  '|',
  ' ',
  '"',
  "'",
  '\\',
  '$(id)',
  '`id`',
  '${HOME}',
  '#',
  '=',
  '&anchor',
  '*alias',
  '!!binary',
  '- item',
  'key: value',
  'GOCACHE=/x',
  'GOPROXY=direct',
  'A=1',
  'https://u:p@ss@host/',
  'https://bot:t%40k@goproxy.example/',
  'http://x@y',
  'direct',
  'pvc:',
  'v1.2.3',
  'true',
  'False',
  '::error::x',
  '%40',
  'é',
  '🙂'
]

/** A leading piece that gets past the simplest validators. */
const PREFIXES = [
  '',
  'a',
  'app',
  'https://proxy.example',
  'v1.2.3',
  'pvc:claim',
  'kindest/node:v1.36.1',
  'KEY='
]

const hostile = fc.oneof(
  {
    weight: 6,
    arbitrary: fc
      .tuple(
        fc.constantFrom(...PREFIXES),
        fc.array(
          fc.oneof(
            fc.constantFrom(...FRAGMENTS),
            fc.string({ maxLength: 8 }),
            fc.string({ unit: 'binary', maxLength: 4 })
          ),
          { maxLength: 6 }
        )
      )
      .map(([prefix, parts]) => prefix + parts.join(''))
  },
  {
    weight: 1,
    arbitrary: fc
      .tuple(
        fc.constantFrom(...PREFIXES),
        fc.integer({ min: 1_000, max: 100_000 }),
        fc.constantFrom('a', '-', '{', '\n', '/')
      )
      .map(([prefix, n, unit]) => prefix + unit.repeat(n))
  }
)

/** A config with one kaniko artifact on the cluster builder. */
const BASE = `apiVersion: skaffold/v4beta14
kind: Config
metadata:
  name: app
build:
  artifacts:
    - image: app
      kaniko: {}
  cluster: {}
`

/** skaffold build flags the action owns (never given by the user). */
const OWNED = ['-f', '--filename', '--file-output', '--kube-context']

/** Where each single-value string input lands in the parsed inputs. */
const SINGLE: Partial<Record<InputName, (i: Inputs) => string>> = {
  'skaffold-file': (i) => i.skaffoldFile,
  'working-directory': (i) => i.workingDirectory,
  'default-repo': (i) => i.defaultRepo,
  'go-proxy': (i) => i.goProxy,
  'go-private': (i) => i.goPrivate,
  'registry-mirror': (i) => i.registryMirror,
  'kaniko-image': (i) => i.kanikoImage,
  service: (i) => i.service,
  'node-image': (i) => i.nodeImage,
  'kind-config': (i) => i.kindConfig,
  namespace: (i) => i.namespace
}

/** The value, or the error, of parsing one input set to `value`. */
function parseOne(name: InputName, value: string): Inputs | InputError {
  try {
    return parseInputs((n) => (n === name ? value : ''))
  } catch (error) {
    if (error instanceof InputError) return error
    throw new Error(
      `${name}=${JSON.stringify(value.slice(0, 80))} threw ${String(error)}`,
      { cause: error }
    )
  }
}

/** Follows parsed inputs to argv, the patched YAML, the keys and kind's config. */
function checkDestinations(inputs: Inputs): void {
  // argv: the owned part intact, each user value one element after its flag.
  const argv = buildCommandArgs({
    patchedFile: '/w/.skaffold-kaniko-cache.skaffold.yaml',
    fileOutput: '/t/out.json',
    kubeContext: 'kind-x',
    defaultRepo: inputs.defaultRepo,
    insecureRegistries: [],
    profiles: inputs.profiles,
    modules: inputs.modules,
    extraArgs: inputs.skaffoldArgs
  })
  expect(argv.slice(0, 7)).toEqual([
    'build',
    '-f',
    '/w/.skaffold-kaniko-cache.skaffold.yaml',
    '--file-output',
    '/t/out.json',
    '--kube-context',
    'kind-x'
  ])
  const user = argv.slice(argv.length - inputs.skaffoldArgs.length)
  expect(user).toEqual(inputs.skaffoldArgs)
  const flagsEnd = user.includes('--') ? user.indexOf('--') : user.length
  for (const arg of user.slice(0, flagsEnd)) {
    expect(OWNED).not.toContain(arg.split('=')[0])
  }
  if (inputs.defaultRepo !== '') {
    expect(argv[argv.indexOf('--default-repo') + 1]).toBe(inputs.defaultRepo)
  }
  for (const profile of inputs.profiles) expect(argv).toContain(profile)
  for (const module of inputs.modules) expect(argv).toContain(module)
  for (const arg of argv) expect(arg).not.toContain('\u0000')

  // YAML: the values read back unchanged, nothing else appears.
  const { text } = patchSkaffoldText(
    { path: '/w/skaffold.yaml', text: BASE },
    { ...patchOptionsFromInputs(inputs), profiles: [] }
  )
  const doc = parse(text) as {
    build: {
      artifacts: { kaniko: Record<string, unknown> }[]
      cluster: Record<string, unknown>
    }
  }
  expect(Object.keys(doc)).toEqual(['apiVersion', 'kind', 'metadata', 'build'])
  expect(doc.build.artifacts).toHaveLength(1)
  const kaniko = doc.build.artifacts[0].kaniko
  const args = kaniko.buildArgs as Record<string, string>
  expect(args.GOMODCACHE).toBe('/var/run/gomodcache')
  expect(args.GOCACHE).toBe('/var/run/gobuildcache')
  if (inputs.goProxy !== '') expect(args.GOPROXY).toBe(inputs.goProxy)
  if (inputs.goPrivate !== '') expect(args.GOPRIVATE).toBe(inputs.goPrivate)
  for (const [key, value] of inputs.buildArgs) expect(args[key]).toBe(value)
  for (const value of Object.values(args)) expect(value).not.toContain('{{')
  if (inputs.registryMirror !== '') {
    expect(kaniko.registryMirror).toBe(inputs.registryMirror)
  }
  if (inputs.kanikoImage !== '') expect(kaniko.image).toBe(inputs.kanikoImage)
  if (inputs.namespace !== '') {
    expect(doc.build.cluster.namespace).toBe(inputs.namespace)
  }

  // Keys: what the cache service accepts (no comma, at most 512 characters).
  const service = deriveServiceName({
    service: inputs.service,
    modules: inputs.modules,
    skaffoldFile: inputs.skaffoldFile,
    workingDirectory: inputs.workingDirectory,
    profiles: inputs.profiles
  })
  const keys = makeCacheKeys({
    prefix: inputs.cacheKeyPrefix,
    os: 'Linux',
    arch: 'X64',
    service,
    depsHash: 'abc123',
    runId: '1',
    runAttempt: '1'
  })
  for (const key of [
    keys.mod.key,
    keys.build.key,
    ...keys.mod.restoreKeys,
    ...keys.build.restoreKeys
  ]) {
    expect(key).toMatch(/^[A-Za-z0-9._()/+-]{1,512}$/)
  }

  // kind: the node image is one value of --image; the config stays one cluster.
  if (inputs.createCluster && inputs.cacheVolume.kind === 'hostpath') {
    const kind = renderKindConfig({
      mounts: cacheMounts({ mod: '/r/mod', build: '/r/build' }),
      registry: inputs.registry,
      nodeImage: inputs.nodeImage || undefined,
      clusterName: inputs.clusterName
    })
    expect(kind.imageFlag).toBe(inputs.nodeImage || undefined)
    const cluster = parse(kind.text) as { kind: string; nodes: unknown[] }
    expect(cluster.kind).toBe('Cluster')
    expect(cluster.nodes).toHaveLength(1)
  }
}

/** The property for one input and one value. */
function checkOne(name: InputName, value: string): void {
  const result = parseOne(name, value)
  if (result instanceof InputError) {
    expect(result.input).toBe(name)
    expect(result.message).toMatch(new RegExp(`^Input '${name}' `))
    // The message echoes at most a short, redacted excerpt.
    expect(result.message.length).toBeLessThan(2_000)
    return
  }
  const field = SINGLE[name]
  const trimmed = value.trim()
  if (field && trimmed !== '') expect(field(result)).toBe(trimmed)
  if (trimmed === '') {
    expect(parseOne(name, INPUT_DEFAULTS[name])).toEqual(result)
  }
  checkDestinations(result)
}

describe('hostile input values', () => {
  it.each([...INPUT_NAMES])(
    '%s: refused naming the input, or unchanged and inert downstream',
    (name) => {
      expect.hasAssertions()
      fc.assert(
        fc.property(hostile, (value) => checkOne(name, value)),
        { numRuns: 150 }
      )
    },
    120_000
  )
})
