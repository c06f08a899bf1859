/**
 * Where every piece of the data path lives (docs/design.md#the-data-path):
 *
 *   Actions cache -> runner dirs -> kind extraMounts -> node dirs
 *     -> cluster.volumes hostPath -> kaniko pod mounts <- GOMODCACHE/GOCACHE build args
 *
 * Every link must agree, so the names are decided here once. Pure.
 */

/** Paths inside the kaniko pod, under /var/run as in the hand-built recipe; kaniko keeps every mount out of the image wherever it is (docs/upstream-behaviour.md#mounts-are-never-snapshotted). */
export const POD_PATHS = {
  mod: '/var/run/gomodcache',
  build: '/var/run/gobuildcache'
} as const

/** Volume names in cluster.volumes and kaniko.volumeMounts. */
export const VOLUME_NAMES = {
  mod: 'gomodcache',
  build: 'gobuildcache'
} as const

/** Directories inside the kind node container (extraMounts containerPath = hostPath path). */
export const NODE_PATHS = {
  mod: '/var/lib/skaffold-kaniko-cache/gomodcache',
  build: '/var/lib/skaffold-kaniko-cache/gobuildcache'
} as const

/** Facts about the runner the plan depends on, passed in by the orchestrator. */
export interface RunnerFacts {
  /** Home directory, used to expand the literal "~" cache paths. */
  home: string
  /** RUNNER_TEMP */
  runnerTemp: string
  /** GITHUB_WORKSPACE */
  workspace: string
}

export interface CacheDirs {
  /**
   * Literal paths handed to restoreCache/saveCache. The cache "version" is a
   * hash of these strings, so they must be identical in main and post and
   * across runs and machines: hence "~", never an expanded home.
   * https://github.com/actions/toolkit/blob/main/packages/cache/README.md
   */
  cachePaths: { mod: string; build: string }
  /** The same directories, absolute, on this runner. */
  runnerDirs: { mod: string; build: string }
  /** What is saved of the module cache: cache/download only (zips, a GOPROXY layout). */
  modSavePath: string
  modSaveDir: string
}

/**
 * Runner directories for one cluster. The cluster name is part of the path so
 * two jobs on one self-hosted machine (each with its own cluster) never share
 * a directory; it is an input, so the literal path is stable across runs.
 */
export function cacheDirs(clusterName: string, facts: RunnerFacts): CacheDirs {
  const literalRoot = `~/.cache/skaffold-kaniko-cache/${clusterName}`
  const absoluteRoot = `${facts.home.replace(/\/+$/, '')}/.cache/skaffold-kaniko-cache/${clusterName}`
  return {
    cachePaths: {
      mod: `${literalRoot}/gomodcache`,
      build: `${literalRoot}/gobuildcache`
    },
    runnerDirs: {
      mod: `${absoluteRoot}/gomodcache`,
      build: `${absoluteRoot}/gobuildcache`
    },
    modSavePath: `${literalRoot}/gomodcache/${MOD_SAVE_SUBDIR}`,
    modSaveDir: `${absoluteRoot}/gomodcache/${MOD_SAVE_SUBDIR}`
  }
}

/** The part of the module cache that is saved: downloads, a GOPROXY layout. */
export const MOD_SAVE_SUBDIR = 'cache/download'

/**
 * Each cache's runner dir and the node dir the kaniko pod's hostPath names:
 * the pairs a reused cluster copies in and out, since its node has no mounts.
 * `savedSubdir` is the part copied back out: only what is saved, since Go
 * makes its extracted module trees read-only (dirs 0555), which the docker
 * CLI cannot extract as the runner user.
 */
export function nodeCopies(runnerDirs: {
  mod: string
  build: string
}): { runnerDir: string; nodePath: string; savedSubdir: string }[] {
  return [
    {
      runnerDir: runnerDirs.mod,
      nodePath: NODE_PATHS.mod,
      savedSubdir: MOD_SAVE_SUBDIR
    },
    { runnerDir: runnerDirs.build, nodePath: NODE_PATHS.build, savedSubdir: '' }
  ]
}
