/**
 * The one value handed from the main step to the post step.
 *
 * `post-if: always()` runs the post step even when main failed early, and
 * post cannot read inputs reliably (docs/design.md#state-handed-from-main-to-post), so main records every
 * decision and every resource it created here, as soon as it has it. Pure.
 */
import type { SaveThreshold } from './cache/differential.js'
import type { OwnTimeAccount } from './own-time.js'

export type CacheHit = 'exact' | 'partial' | 'miss'

export type Phase =
  | 'tools'
  | 'restore'
  | 'cluster'
  | 'patch'
  | 'build'
  | 'ownership'
  | 'trim'
  | 'save'
  | 'cleanup'

/** The names a restore brought, kept in a file: a cache holds thousands. */
export interface RestoredEntries {
  files: number
  bytes: number
  /** One relative path a line, under RUNNER_TEMP. */
  listFile: string
}

export interface CacheKeyPair {
  primary: string
  restoreKeys: string[]
}

/** The outcome of one restore, as the cache adapter returns it and main records it. */
export interface RestoreRecord {
  result: CacheHit
  matchedKey?: string
  /** Bytes of the restored tree on disk (0 on a miss). */
  bytes: number
  seconds: number
  /** Why this is a miss or what went wrong; already logged once. */
  warning?: string
}

export interface CacheState {
  /** Literal paths passed to restoreCache/saveCache (their strings key the cache version). */
  paths: { mod: string; build: string }
  /** Absolute runner dirs. */
  runnerDirs: { mod: string; build: string }
  /** Absolute dirs that are archived: all of GOCACHE, GOMODCACHE/cache/download. */
  saveDirs: { mod: string; build: string }
  keys: { mod: CacheKeyPair; build: CacheKeyPair }
  /** Save decision taken in main (post cannot read inputs). */
  save: { enabled: boolean; reason: string }
  trim: boolean
  restored: { mod?: RestoreRecord; build?: RestoreRecord }
  /**
   * The go.sum files among the cache-dependency-path matches (absolute): the
   * module versions they name are the ones the saved module cache keeps.
   */
  goSumFiles?: string[]
  /** The save-threshold input: below it, a restored cache is not saved again. */
  saveThreshold?: SaveThreshold
  /** What each hit restored (relative to saveDirs), for the differential save. */
  restoredEntries?: { mod?: RestoredEntries; build?: RestoredEntries }
  /** How long one cache client call may take, and how to allow more. */
  deadline?: { seconds: number; hint: string }
}

export interface ClusterState {
  name: string
  context: string
  /** true when this job created it (and so may delete it). */
  created: boolean
  /** Reuse mode: caches travel with docker cp, the node has no mounts for them. */
  copyCaches: boolean
  nodes: string[]
  registry?: { name: string; port: number; started: boolean }
  athens?: { name: string; started: boolean }
}

/**
 * The secret skaffold creates from the runner's docker config for this
 * step's build; it deletes it only after a build where every artifact
 * built, so post deletes it after any other.
 */
export interface DockerConfigSecretState {
  name: string
  /** The kube context skaffold builds on ('' = kubectl's current one). */
  context: string
  /** Namespaces of the patched cluster blocks that got it ('' = the kube context's). */
  namespaces: string[]
}

/** What skaffold build did, for the post step and the summary. */
export interface BuildResult {
  succeeded: boolean
  seconds: number
  /** Epoch ms when skaffold build started: GOCACHE entries older than this were not used. */
  startedAt: number
  images: { imageName: string; tag: string }[]
}

export interface MainState {
  version: 1
  service: string
  mainSucceeded: boolean
  cleanup: boolean
  /** Absent when the Actions cache is not used (cache: false, or a PVC cache). */
  cache?: CacheState
  /** Existing-cluster mode with a ReadWriteMany claim. */
  pvcClaim?: string
  cluster?: ClusterState
  patchedFiles: string[]
  /** The runner's docker login secret, once the patch has set it in a cluster block. */
  dockerConfigSecret?: DockerConfigSecretState
  /** The Dockerfile copies the build used (paths relative to the workspace). */
  dockerfileCopies?: DockerfileCopyRecord[]
  build?: BuildResult
  /** Seconds per phase, as measured in main. */
  timings: Partial<Record<Phase, number>>
  /** Main's own time against its waits on tool processes, per phase. */
  ownTime?: OwnTimeAccount
  tools: {
    tool: string
    version: string
    fromCache: boolean
    checksum: string
  }[]
  /** Warnings already shown in main, repeated in the job summary. */
  warnings: string[]
  /**
   * Hints about kaniko's own cost (the build stage's base image, kaniko
   * flags), one `file:line: message` each, for the job summary. Hints only:
   * the action never changes a setting for them.
   */
  advice?: string[]
  /** Previous cold build, read from the restored stats file. */
  lastColdSeconds?: number
}

/** One Dockerfile copy, for the job summary. */
export interface DockerfileCopyRecord {
  original: string
  copy: string
  images: string[]
  /** e.g. `after line 4: ARG GOMODCACHE, ARG GOCACHE`. */
  added: string[]
}

/** The state name used with core.saveState / core.getState. */
export const STATE_NAME = 'skaffold-kaniko-cache'

/** A fresh state, written before the first fallible step. */
export function initialState(service: string, cleanup: boolean): MainState {
  return {
    version: 1,
    service,
    mainSucceeded: false,
    cleanup,
    patchedFiles: [],
    timings: {},
    tools: [],
    warnings: []
  }
}

/** Serializes the state for core.saveState. */
export function serializeState(state: MainState): string {
  return JSON.stringify(state)
}

/**
 * Parses what main saved. Returns undefined when there is nothing usable
 * (main never ran, or crashed before its first save), so post can do nothing.
 */
export function parseState(text: string): MainState | undefined {
  if (text.trim() === '') return undefined
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    return undefined
  }
  if (
    typeof value !== 'object' ||
    value === null ||
    (value as { version?: unknown }).version !== 1 ||
    !Array.isArray((value as { patchedFiles?: unknown }).patchedFiles)
  ) {
    return undefined
  }
  return value as MainState
}

/**
 * The state and the one way main changes it: every update is persisted at
 * once, so the post step sees whatever main got to, even after a cancel.
 */
export interface StateRecorder {
  /** The state recorded so far: read it here, change it through update. */
  readonly state: MainState
  /** Applies change to the state, persists the result (even when change throws), returns change's value. */
  update<T>(change: (state: MainState) => T): T
}

/** A recorder over state: persists it now, and again after every update. */
export function stateRecorder(
  state: MainState,
  persist: (state: MainState) => void
): StateRecorder {
  persist(state)
  return {
    state,
    update<T>(change: (state: MainState) => T): T {
      try {
        return change(state)
      } finally {
        // A change that threw halfway is still what the state now holds.
        persist(state)
      }
    }
  }
}
