/**
 * The branches of the post step, run with fake adapters: no file, process
 * or cache service is touched. Each test gives post the state main left and
 * checks which adapters it called and what it reported.
 */
import { describe, expect, it } from '@jest/globals'
import type { SaveRequest, SaveResult } from '../../src/adapters/cache.js'
import type { PostDeps } from '../../src/deps/post.js'
import { runPost } from '../../src/post.js'
import type { MainState } from '../../src/state.js'
import { RUNNER } from './helpers/runner-env.js'

interface Run {
  deps: PostDeps
  /** Adapter calls with effects, in order. */
  calls: string[]
  warnings: string[]
  summaries: string[]
}

/** Fake adapters over a state; `overrides` replace single functions. */
function fake(
  state: MainState | undefined,
  overrides: {
    copyCachesFromNode?: () => Promise<void>
    saveCacheDir?: (req: SaveRequest) => Promise<SaveResult>
    trimUnused?: boolean
    deleteSecretError?: string
  } = {}
): Run {
  const run: Run = {
    calls: [],
    warnings: [],
    summaries: [],
    deps: undefined as unknown as PostDeps
  }
  const call = (name: string): void => {
    run.calls.push(name)
  }
  run.deps = {
    actions: {
      appendSummary: (html: string) => {
        run.summaries.push(html)
        return Promise.resolve()
      },
      group: <T>(_name: string, fn: () => Promise<T>) => fn(),
      loadMainState: () => state,
      log: {
        info: () => undefined,
        debug: () => undefined,
        warning: (message: string) => {
          run.warnings.push(message)
        },
        error: () => undefined
      },
      readRunnerEnv: () => RUNNER
    },
    cache: {
      saveCacheDir:
        overrides.saveCacheDir ??
        ((req) => {
          call(`save ${req.key}`)
          return Promise.resolve({ outcome: 'saved', bytes: 10, seconds: 1 })
        })
    },
    cacheFiles: {
      listFiles: () => Promise.resolve([]),
      pruneModuleCache: () => {
        call('prune')
        return Promise.resolve({ bytesBefore: 2, bytesAfter: 1 })
      },
      readRestoredEntries: () => Promise.resolve(undefined),
      readStatsFile: () => Promise.resolve({ version: 1, recent: [] }),
      removeLinksAndSpecialFiles: (dir: string) => {
        call(`remove links ${dir}`)
        return Promise.resolve({ removed: [], failed: [] })
      },
      trimBuildCache: () => {
        call('trim build')
        return Promise.resolve({
          unused: overrides.trimUnused ?? false,
          bytesBefore: 5,
          bytesAfter: 4,
          removed: 1,
          kept: 3,
          failed: 0
        })
      },
      writeStatsFile: () => {
        call('write stats')
        return Promise.resolve()
      }
    },
    files: { readTextIfExists: () => Promise.resolve(undefined) },
    cluster: {
      cleanupCluster: (request) => {
        call(`cleanup ${request.cluster ?? '-'}`)
        return Promise.resolve({
          clusterDeleted: request.cluster !== undefined,
          containersRemoved: [],
          warnings: [],
          seconds: 0
        })
      },
      deleteSecret: (request) => {
        call(
          `delete secret ${request.context} ${request.namespace}/${request.name}`
        )
        return Promise.resolve({
          command: `kubectl --context ${request.context} delete secret --namespace ${request.namespace} --ignore-not-found -- ${request.name}`,
          ...(overrides.deleteSecretError === undefined
            ? {}
            : { error: overrides.deleteSecretError })
        })
      },
      copyCachesFromNode:
        overrides.copyCachesFromNode ??
        (() => {
          call('copy out')
          return Promise.resolve()
        })
    },
    ownership: {
      giveCacheDirsToRunner: () => {
        call('ownership')
        return Promise.resolve({
          method: 'none',
          ok: true,
          notOwned: 0,
          unreadable: 0,
          saveable: true
        })
      }
    },
    patchedCopies: {
      removePatchedCopies: (paths: string[]) => {
        call(`remove copies ${paths.length}`)
        return Promise.resolve({ removed: paths, failed: [] })
      }
    }
  }
  return run
}

/** The state main leaves after a successful build on a cluster it created. */
function builtState(change: (state: MainState) => void = () => {}): MainState {
  const state: MainState = {
    version: 1,
    service: 'svc',
    mainSucceeded: true,
    cleanup: true,
    patchedFiles: ['/w/skaffold.patched.yaml'],
    timings: {},
    tools: [],
    warnings: [],
    build: { succeeded: true, seconds: 30, startedAt: 1000, images: [] },
    cluster: {
      name: 'skc',
      context: 'kind-skc',
      created: true,
      copyCaches: false,
      nodes: ['skc-control-plane']
    },
    cache: {
      paths: { mod: '~/m/cache/download', build: '~/b' },
      runnerDirs: { mod: '/h/m', build: '/h/b' },
      saveDirs: { mod: '/h/m/cache/download', build: '/h/b' },
      keys: {
        mod: { primary: 'mod-key', restoreKeys: [] },
        build: { primary: 'build-key', restoreKeys: [] }
      },
      save: { enabled: true, reason: 'push to the default branch' },
      trim: true,
      restored: {
        mod: { result: 'miss', bytes: 0, seconds: 0 },
        build: { result: 'miss', bytes: 0, seconds: 0 }
      }
    }
  }
  change(state)
  return state
}

describe('post step branches (fake adapters)', () => {
  it('takes the caches back, trims and saves both, then cleans up', async () => {
    const run = fake(builtState())
    await runPost(run.deps)
    expect(run.calls).toEqual([
      'ownership',
      'remove links /h/m',
      'remove links /h/b',
      'trim build',
      'write stats',
      'prune',
      'save mod-key',
      'save build-key',
      'remove copies 1',
      'cleanup skc'
    ])
    expect(run.warnings).toEqual([])
    expect(run.summaries).toHaveLength(1)
  })

  it('neither trims nor saves when the copy out of a reused node failed', async () => {
    const run = fake(
      builtState((state) => {
        state.cluster = {
          ...state.cluster!,
          created: false,
          copyCaches: true
        }
      }),
      {
        copyCachesFromNode: () =>
          Promise.reject(new Error('docker cp: no space left on device'))
      }
    )
    await runPost(run.deps)
    expect(run.calls).toEqual(['remove copies 1', 'cleanup -'])
    expect(run.warnings).toEqual([
      'Take the caches back from the node: docker cp: no space left on device'
    ])
    expect(run.summaries[0]).toContain(
      'the caches could not be taken back from the node'
    )
  })

  it('keeps the restored build cache when Go did not run, and saves the module cache', async () => {
    const run = fake(builtState(), { trimUnused: true })
    await runPost(run.deps)
    expect(run.calls).toContain('save mod-key')
    expect(run.calls).not.toContain('save build-key')
    // A build that never ran Go says nothing about how fast Go builds are.
    expect(run.calls).not.toContain('write stats')
    expect(run.summaries[0]).toContain('the build used no build-cache entry')
  })

  it('does not save after the cache service failed during the restore', async () => {
    const run = fake(
      builtState((state) => {
        state.cache!.save = {
          enabled: false,
          reason: 'not saving: the cache service failed during the restore'
        }
      })
    )
    await runPost(run.deps)
    expect(run.calls.filter((c) => c.startsWith('save'))).toEqual([])
    expect(run.calls).toContain('cleanup skc')
    expect(run.summaries[0]).toContain(
      'not saving: the cache service failed during the restore'
    )
  })

  it('reports a save the cache service failed, saves the other cache and still cleans up', async () => {
    const run = fake(builtState(), {
      saveCacheDir: (req) =>
        Promise.resolve(
          req.key === 'mod-key'
            ? {
                outcome: 'failed',
                bytes: 0,
                seconds: 1,
                warning: 'module cache: the service answered 503'
              }
            : { outcome: 'saved', bytes: 10, seconds: 1 }
        )
    })
    await runPost(run.deps)
    expect(run.calls).toContain('cleanup skc')
    expect(run.summaries[0]).toContain('module cache: the service answered 503')
  })

  it('saves nothing and writes no summary when main built nothing', async () => {
    const run = fake(
      builtState((state) => {
        delete state.build
        state.mainSucceeded = false
      })
    )
    await runPost(run.deps)
    expect(run.calls).toEqual(['remove copies 1', 'cleanup skc'])
    expect(run.summaries).toEqual([])
  })

  it('does nothing when main recorded no state', async () => {
    const run = fake(undefined)
    await runPost(run.deps)
    expect(run.calls).toEqual([])
    expect(run.summaries).toEqual([])
  })

  describe("the runner's docker config secret", () => {
    const SECRET = 'skaffold-kaniko-cache-docker-config-0a1b2c3d'
    /** A build on a cluster that outlives the job, with the secret set in two namespaces. */
    const withSecret = (
      succeeded: boolean,
      change: (state: MainState) => void = () => {}
    ) =>
      builtState((state) => {
        state.build = { succeeded, seconds: 3, startedAt: 1000, images: [] }
        state.mainSucceeded = succeeded
        state.cluster = { ...state.cluster!, created: false, copyCaches: true }
        state.dockerConfigSecret = {
          name: SECRET,
          context: 'kind-skc',
          namespaces: ['team', 'other']
        }
        change(state)
      })

    it('is deleted in each namespace after a failed build, before the clean-up', async () => {
      const run = fake(withSecret(false))
      await runPost(run.deps)
      const deletes = run.calls.filter((c) => c.startsWith('delete secret'))
      expect(deletes).toEqual([
        `delete secret kind-skc team/${SECRET}`,
        `delete secret kind-skc other/${SECRET}`
      ])
      expect(run.calls.indexOf(deletes[1])).toBeLessThan(
        run.calls.indexOf('cleanup -')
      )
      expect(run.warnings).toEqual([])
    })

    it('is left to skaffold after a successful build', async () => {
      const run = fake(withSecret(true))
      await runPost(run.deps)
      expect(run.calls.filter((c) => c.startsWith('delete secret'))).toEqual([])
    })

    it('goes with the cluster this job created and deletes; stays deleted when the cluster is kept', async () => {
      const deleted = fake(
        withSecret(false, (state) => {
          state.cluster!.created = true
        })
      )
      await runPost(deleted.deps)
      expect(deleted.calls.some((c) => c.startsWith('delete secret'))).toBe(
        false
      )
      const kept = fake(
        withSecret(false, (state) => {
          state.cluster!.created = true
          state.cleanup = false
        })
      )
      await runPost(kept.deps)
      expect(kept.calls).toContain(`delete secret kind-skc team/${SECRET}`)
    })

    it('warns with the secret, the namespace and the command when the delete fails', async () => {
      const run = fake(withSecret(false), {
        deleteSecretError: 'exit 1: Unable to connect to the server'
      })
      await runPost(run.deps)
      expect(run.warnings).toHaveLength(2)
      expect(run.warnings[0]).toContain(SECRET)
      expect(run.warnings[0]).toContain('namespace team')
      expect(run.warnings[0]).toContain('Unable to connect to the server')
      expect(run.warnings[0]).toContain(
        `kubectl --context kind-skc delete secret --namespace team --ignore-not-found -- ${SECRET}`
      )
      expect(run.summaries.join('\n')).toContain(SECRET)
    })
  })
})
