/**
 * The main step fails fast: a mistake in the user's files or a machine
 * without Docker stops it before any tool is installed, any cache restored
 * or any cluster created. The orchestrator runs for real against a temporary
 * workspace; every adapter call with an effect is recorded instead.
 */
import {
  beforeAll,
  beforeEach,
  describe,
  expect,
  it,
  jest
} from '@jest/globals'
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { RunnerEnv } from '../../src/adapters/actions.js'
import type { MainState } from '../../src/state.js'
import { parseInputs, type InputName } from '../../src/inputs.js'

/** Names of the adapter functions with effects that main called, in order. */
const effects: string[] = []
const failures: string[] = []
const warnings: string[] = []
const masked: string[] = []
let saved: MainState | undefined
let values: Partial<Record<InputName, string>> = {}
let runner: RunnerEnv
let dockerAnswer: () => Promise<{ serverVersion: string }>

/**
 * The module with every function replaced by a recorder that stops the step
 * (classes and constants stay as they are), then `overrides`.
 */
function recorded(
  actual: Record<string, unknown>,
  overrides: Record<string, unknown> = {}
): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const [name, value] of Object.entries(actual)) {
    const isClass =
      typeof value === 'function' &&
      /^class\b/.test(Function.prototype.toString.call(value))
    out[name] =
      typeof value === 'function' && !isClass
        ? jest.fn(() => {
            effects.push(name)
            throw new Error(`stopped at ${name}`)
          })
        : value
  }
  return { ...out, ...overrides }
}

const actual = {
  tools: await import('../../src/adapters/tools.js'),
  cache: await import('../../src/adapters/cache.js'),
  cacheFiles: await import('../../src/adapters/cache-files.js'),
  cluster: await import('../../src/adapters/cluster.js'),
  build: await import('../../src/adapters/skaffold-build.js'),
  actions: await import('../../src/adapters/actions.js')
}

jest.unstable_mockModule('../../src/adapters/tools.js', () =>
  recorded(actual.tools)
)
jest.unstable_mockModule('../../src/adapters/cache.js', () =>
  recorded(actual.cache)
)
jest.unstable_mockModule('../../src/adapters/cache-files.js', () =>
  recorded(actual.cacheFiles)
)
jest.unstable_mockModule('../../src/adapters/skaffold-build.js', () =>
  recorded(actual.build)
)
jest.unstable_mockModule('../../src/adapters/cluster.js', () =>
  recorded(actual.cluster, { checkDocker: () => dockerAnswer() })
)
jest.unstable_mockModule('../../src/adapters/action-inputs.js', () => ({
  readInputs: () => parseInputs((name) => values[name] ?? '')
}))
jest.unstable_mockModule('../../src/adapters/actions.js', () => ({
  ...actual.actions,
  readRunnerEnv: () => runner,
  saveMainState: (state: MainState) => {
    saved = structuredClone(state)
  },
  appendSummary: () => Promise.resolve(),
  setOutputs: () => undefined,
  maskSecret: (secret: string) => masked.push(secret),
  group: (_name: string, fn: () => Promise<unknown>) => fn(),
  fail: (message: string) => failures.push(message),
  log: {
    info: () => {},
    debug: () => {},
    warning: (message: string) => warnings.push(message),
    error: () => {}
  }
}))

const { runMain } = await import('../../src/main.js')

const CONFIG = `apiVersion: skaffold/v4beta14
kind: Config
metadata:
  name: app
build:
  artifacts:
    - image: app
      kaniko: {}
  cluster: {}
`

beforeAll(async () => {
  const root = await mkdtemp(join(tmpdir(), 'main-plan-'))
  const workspace = join(root, 'workspace')
  await mkdir(workspace)
  await mkdir(join(root, 'temp'))
  await writeFile(join(workspace, 'skaffold.yaml'), CONFIG)
  await writeFile(join(workspace, 'go.sum'), '')
  await writeFile(
    join(root, 'event.json'),
    JSON.stringify({ repository: { default_branch: 'main' } })
  )
  runner = {
    home: join(root, 'home'),
    runnerTemp: join(root, 'temp'),
    workspace,
    os: 'Linux',
    arch: 'X64',
    runId: '1',
    runAttempt: '1',
    job: 'build',
    ref: 'refs/heads/main',
    eventName: 'push',
    eventPath: join(root, 'event.json'),
    uid: 1001,
    gid: 1001,
    githubToken: '',
    hostsFile: join(root, 'hosts')
  }
})

beforeEach(() => {
  effects.length = 0
  failures.length = 0
  warnings.length = 0
  masked.length = 0
  saved = undefined
  values = {}
  dockerAnswer = () => Promise.resolve({ serverVersion: '29.0.0' })
})

describe('the main step before any effect', () => {
  it('reaches the tool install when nothing is wrong (the recorder sees effects)', async () => {
    values = { module: 'app' }
    await runMain()
    expect(effects[0]).toBe('installTool')
  })

  it('refuses a module no config is named, before installing anything', async () => {
    values = { module: 'app,nope' }
    await runMain()
    expect(failures).toHaveLength(1)
    expect(failures[0]).toMatch(
      /^Input 'module' .*no skaffold config is named "nope" in .*skaffold\.yaml; the configs there are named "app"/
    )
    expect(effects).toEqual([])
  })

  it('refuses a kind config that cannot be read, before installing anything', async () => {
    values = { 'kind-config': 'missing/kind.yaml' }
    await runMain()
    expect(failures).toHaveLength(1)
    expect(failures[0]).toMatch(
      /^Input 'kind-config': .*missing\/kind\.yaml cannot be read/
    )
    expect(effects).toEqual([])
  })

  it('refuses an invalid kind config, before installing anything', async () => {
    await writeFile(join(runner.workspace, 'bad-kind.yaml'), 'kind: Pod\n')
    values = { 'kind-config': 'bad-kind.yaml' }
    await runMain()
    expect(failures).toHaveLength(1)
    expect(failures[0]).toMatch(/bad-kind\.yaml/)
    expect(effects).toEqual([])
  })

  it.each([
    ['a new cluster', {}],
    ['a reused kind cluster', { 'create-cluster': 'false' }]
  ])(
    'stops without Docker, before installing anything (%s)',
    async (_, given) => {
      values = given
      dockerAnswer = () =>
        Promise.reject(
          new actual.cluster.ClusterError('Docker is not reachable: no docker')
        )
      await runMain()
      expect(failures).toEqual(['Docker is not reachable: no docker'])
      expect(effects).toEqual([])
    }
  )

  it('does not ask for Docker with a claim on an existing cluster', async () => {
    values = { 'cache-volume': 'pvc:go-caches', 'create-cluster': 'false' }
    dockerAnswer = () => Promise.reject(new Error('docker was asked'))
    await runMain()
    expect(failures.join('\n')).not.toMatch(/docker was asked/)
    expect(effects[0]).toBe('installTool')
  })

  it.each([
    ['push', 'auto', true, false],
    ['pull_request_target', 'auto', false, false],
    ['pull_request_target', 'always', true, true]
  ])(
    'decides the save from the event: %s with save-cache %s saves: %s',
    async (eventName, policy, save, warned) => {
      runner = { ...runner, eventName }
      values = { 'save-cache': policy }
      await runMain()
      runner = { ...runner, eventName: 'push' }
      expect(saved?.cache?.save.enabled).toBe(save)
      expect(warnings.some((w) => w.includes(eventName))).toBe(warned)
      expect(saved?.warnings.some((w) => w.includes(eventName))).toBe(warned)
    }
  )

  it('masks every form of the credentials of go-proxy and the download URLs first', async () => {
    values = {
      'go-proxy': 'https://bot:p%40ss@goproxy.corp/,direct',
      'kind-download-url': 'https://ghp_tok3n@mirror.corp/kind'
    }
    await runMain()
    expect(masked).toEqual(
      expect.arrayContaining(['bot:p%40ss', 'p%40ss', 'p@ss', 'ghp_tok3n'])
    )
    expect(effects[0]).toBe('installTool')
  })
})
