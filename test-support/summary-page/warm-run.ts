/**
 * A realistic warm run of the "api" service as main and post record it: the
 * module cache restored from its exact key, the build cache from a partial
 * key (one that holds `<` and `&`, to show the summary escapes keys), two
 * images, phase timings, the last cold build for the speed-up line, and a
 * warning. The docs screenshot and its test render this until the demo's
 * real summaries replace it.
 */
import type { PostReport } from '../../src/summary.js'
import type { MainState } from '../../src/state.js'

const PREFIX = 'skaffold-kaniko-cache'
const DEPS = '5f0c9a1e7b3d42c8'

/** The module cache key (restored exactly). */
export const WARM_MOD_KEY = `${PREFIX}-gomod-Linux-X64-${DEPS}`

/** The build cache key matched by prefix: holds characters HTML must escape. */
export const WARM_BUILD_MATCHED_KEY = `${PREFIX}-gobuild-Linux-X64-(api)-<pr&7>-12345678-1`

/** The warning main recorded (it names a file and a fix). */
export const WARM_WARNING =
  "services/api/Dockerfile line 12: RUN --mount=type=cache is ignored by kaniko; the action's GOMODCACHE/GOCACHE mounts and build args take its place"

/** Main's state at the end of a warm run. */
export function warmRunState(): MainState {
  return {
    version: 1,
    service: 'api',
    mainSucceeded: true,
    cleanup: true,
    cache: {
      paths: {
        mod: '/home/runner/work/_temp/skc/gomod/cache/download',
        build: '/home/runner/work/_temp/skc/gocache'
      },
      runnerDirs: {
        mod: '/home/runner/work/_temp/skc/gomod',
        build: '/home/runner/work/_temp/skc/gocache'
      },
      saveDirs: {
        mod: '/home/runner/work/_temp/skc/gomod/cache/download',
        build: '/home/runner/work/_temp/skc/gocache'
      },
      keys: {
        mod: {
          primary: WARM_MOD_KEY,
          restoreKeys: [`${PREFIX}-gomod-Linux-X64-`]
        },
        build: {
          primary: `${PREFIX}-gobuild-Linux-X64-(api)-${DEPS}-12345999-1`,
          restoreKeys: [
            `${PREFIX}-gobuild-Linux-X64-(api)-${DEPS}-`,
            `${PREFIX}-gobuild-Linux-X64-(api)-`,
            `${PREFIX}-gobuild-Linux-X64-`
          ]
        }
      },
      save: {
        enabled: true,
        reason: 'save-cache is auto and refs/heads/main is the default branch'
      },
      trim: true,
      restored: {
        mod: {
          result: 'exact',
          matchedKey: WARM_MOD_KEY,
          bytes: 187_695_104,
          seconds: 2.9
        },
        build: {
          result: 'partial',
          matchedKey: WARM_BUILD_MATCHED_KEY,
          bytes: 612_368_384,
          seconds: 7.4
        }
      }
    },
    cluster: {
      name: 'skaffold-kaniko-cache',
      context: 'kind-skaffold-kaniko-cache',
      created: true,
      copyCaches: false,
      nodes: ['skaffold-kaniko-cache-control-plane'],
      registry: { name: 'kind-registry', port: 5001, started: true }
    },
    patchedFiles: ['/home/runner/work/_temp/skc/skaffold.patched.yaml'],
    build: {
      succeeded: true,
      seconds: 24.6,
      startedAt: 1_764_374_400_000,
      images: [
        {
          imageName: 'localhost:5001/api',
          tag: 'localhost:5001/api:v1.4.2-7-g3c1d2e9@sha256:9b2f4c1d7e8a5b3c'
        },
        {
          imageName: 'localhost:5001/api-migrate',
          tag: 'localhost:5001/api-migrate:v1.4.2-7-g3c1d2e9@sha256:41aa07e2c9d3f6b8'
        }
      ]
    },
    timings: {
      tools: 3.2,
      restore: 10.6,
      cluster: 21.8,
      patch: 0.1,
      build: 24.6
    },
    tools: [
      {
        tool: 'kind',
        version: 'v0.27.0',
        fromCache: false,
        checksum: 'pinned'
      },
      {
        tool: 'skaffold',
        version: 'v2.16.1',
        fromCache: true,
        checksum: 'same-origin'
      }
    ],
    warnings: [WARM_WARNING],
    lastColdSeconds: 148.9
  }
}

/** What post adds after that warm run: build cache trimmed and saved. */
export function warmRunPostReport(): PostReport {
  return {
    trim: {
      build: {
        bytesBefore: 689_963_008,
        bytesAfter: 598_736_896,
        removed: 1_843
      }
    },
    save: {
      mod: {
        outcome: 'skipped',
        bytes: 0,
        seconds: 0,
        reason:
          'the module cache was restored from its exact key; nothing new to save'
      },
      build: { outcome: 'saved', bytes: 598_736_896, seconds: 9.8 }
    },
    timings: { ownership: 0.3, trim: 1.1, save: 9.8, cleanup: 4.2 },
    warnings: []
  }
}
