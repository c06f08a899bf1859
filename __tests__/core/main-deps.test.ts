/**
 * The main step run with fake adapters: what it records for the post step
 * when a phase fails halfway. No file, process or cache service is touched.
 */
import { describe, expect, it } from '@jest/globals'
import { RUNNER as runner } from './helpers/runner-env.js'
import type { RestoreRecord } from '../../src/state.js'
import { ClusterCreateError } from '../../src/adapters/cluster.js'
import { parseInputs, type InputName } from '../../src/inputs.js'
import { runMain } from '../../src/main.js'
import type { MainDeps } from '../../src/deps/main.js'
import type { MainState } from '../../src/state.js'

const CONFIG = `apiVersion: skaffold/v4beta14
kind: Config
build:
  artifacts:
    - image: app
      kaniko: {}
  cluster: {}
`

interface Run {
  /** Every state main persisted, in order. */
  saved: MainState[]
  failures: string[]
}

const miss: RestoreRecord = { result: 'miss', bytes: 0, seconds: 0 }

/** Fake adapters; `overrides` replace whole adapter groups. */
function fake(
  values: Partial<Record<InputName, string>>,
  overrides: Partial<MainDeps> = {}
): { deps: MainDeps; run: Run } {
  const run: Run = { saved: [], failures: [] }
  const ok = (): Promise<void> => Promise.resolve()
  const tool = (name: string) =>
    Promise.resolve({
      tool: name,
      version: '1.0.0',
      path: `/tools/${name}`,
      fromCache: true,
      checksum: 'pinned',
      sha256: 'ab'
    })
  const deps = {
    actions: {
      appendSummary: ok,
      fail: (message: string) => {
        run.failures.push(message)
      },
      group: <T>(_name: string, fn: () => Promise<T>) => fn(),
      log: {
        info: () => undefined,
        debug: () => undefined,
        warning: () => undefined,
        error: () => undefined
      },
      maskSecret: () => undefined,
      readInputs: () =>
        parseInputs((name) => ({ registry: 'false', ...values })[name] ?? ''),
      readRunnerEnv: () => runner,
      saveMainState: (state: MainState) => {
        run.saved.push(structuredClone(state))
      },
      setOutputs: () => undefined
    },
    athens: {},
    cache: {
      restoreBothCaches: () => Promise.resolve({ mod: miss, build: miss })
    },
    cacheFiles: {
      backdateBuildCache: ok,
      checkRestoredCache: () => Promise.resolve({ removed: [], failed: [] }),
      emptyCacheDir: ok,
      readStatsFile: () => Promise.resolve({ version: 1, recent: [] }),
      recordRestoredEntries: () => Promise.resolve({ files: 1, bytes: 1 })
    },
    cluster: {
      checkDocker: () => Promise.resolve({ serverVersion: '29.0.0' }),
      clusterExists: () => Promise.resolve(false),
      createCluster: () => Promise.resolve({ seconds: 1 }),
      nodeNames: () => Promise.resolve(['skc-control-plane']),
      openCacheDirsToAllUsers: ok,
      applyObjects: () => Promise.resolve({ lines: [] }),
      waitForNodes: ok
    },
    exec: { passEnvironment: () => undefined },
    files: {
      ensureRealDir: ok,
      pathKind: (path: string) =>
        Promise.resolve(path === '/w' ? 'directory' : 'file'),
      readTextIfExists: (path: string) =>
        Promise.resolve(
          path === '/event.json'
            ? JSON.stringify({ repository: { default_branch: 'main' } })
            : undefined
        )
    },
    hash: {
      hashDependencyFiles: () => Promise.resolve('abc'),
      listDependencyFiles: () => Promise.resolve(['/w/go.sum'])
    },
    ownership: { openToAllUsers: () => Promise.resolve(true) },
    registry: {},
    skaffoldBuild: {},
    skaffoldFiles: {
      readSkaffoldConfigs: () =>
        Promise.resolve([{ path: '/w/skaffold.yaml', text: CONFIG }]),
      readArtifactDockerfiles: () => Promise.resolve([]),
      writePatchedCopies: () =>
        Promise.reject(new Error('stopped at writePatchedCopies'))
    },
    tools: {
      installTool: (request: { tool: string }) => tool(request.tool),
      ensureKubectl: () => tool('kubectl')
    },
    ...overrides
  } as unknown as MainDeps
  return { deps, run }
}

function last(run: Run): MainState {
  const state = run.saved.at(-1)
  if (!state) throw new Error('main persisted no state')
  return state
}

describe('main step with fake adapters', () => {
  it('records the cluster as its own before kind create fails, so post deletes it', async () => {
    const failure = { exitCode: 1, output: 'node failed', logsDir: '' }
    const { deps, run } = fake(
      { 'cluster-name': 'skc' },
      {
        cluster: {
          ...fake({}).deps.cluster,
          createCluster: () =>
            Promise.reject(new ClusterCreateError('skc', [failure, failure]))
        }
      }
    )
    await runMain(deps)
    expect(run.failures).toHaveLength(1)
    expect(run.failures[0]).toMatch(/^kind create cluster skc failed twice/)
    expect(last(run).cluster).toMatchObject({ name: 'skc', created: true })
  })

  it('records that the cache service failed during the restore, so post does not save', async () => {
    const failed: RestoreRecord = {
      ...miss,
      warning: 'module cache: the cache service answered 503'
    }
    const { deps, run } = fake(
      { 'cluster-name': 'skc' },
      {
        cache: {
          restoreBothCaches: () => Promise.resolve({ mod: failed, build: miss })
        }
      }
    )
    await runMain(deps)
    expect(run.failures[0]).toMatch(/stopped at writePatchedCopies/)
    const state = last(run)
    expect(state.cache?.save).toEqual({
      enabled: false,
      reason: 'not saving: the cache service failed during the restore'
    })
    expect(state.warnings).toContain(
      'module cache: the cache service answered 503'
    )
    expect(state.tools.map((t) => t.tool)).toEqual([
      'kind',
      'skaffold',
      'kubectl'
    ])
    expect(state.cluster?.nodes).toEqual(['skc-control-plane'])
    // Every phase that ran is timed, and the timing was persisted.
    expect(Object.keys(state.timings).sort()).toEqual([
      'cluster',
      'patch',
      'restore',
      'tools'
    ])
  })
})
