/**
 * The adapters the post step works through, as one object: the real ones by
 * default, fakes in tests.
 */
import * as actions from '../adapters/actions.js'
import * as cache from '../adapters/cache.js'
import * as cacheFiles from '../adapters/cache-files.js'
import * as cluster from '../adapters/cluster.js'
import * as files from '../adapters/files.js'
import * as ownership from '../adapters/ownership.js'
import * as patchedCopies from '../adapters/patched-copies.js'

/**
 * The adapters the post step works through: the real ones by default, fakes
 * in tests.
 */
export interface PostDeps {
  actions: Pick<
    typeof actions,
    'appendSummary' | 'group' | 'loadMainState' | 'log' | 'readRunnerEnv'
  >
  cache: Pick<typeof cache, 'saveCacheDir'>
  cacheFiles: Pick<
    typeof cacheFiles,
    | 'listFiles'
    | 'pruneModuleCache'
    | 'readRestoredEntries'
    | 'readStatsFile'
    | 'removeLinksAndSpecialFiles'
    | 'trimBuildCache'
    | 'writeStatsFile'
  >
  files: Pick<typeof files, 'readTextIfExists'>
  cluster: Pick<
    typeof cluster,
    'cleanupCluster' | 'copyCachesFromNode' | 'deleteSecret'
  >
  ownership: Pick<typeof ownership, 'giveCacheDirsToRunner'>
  patchedCopies: Pick<typeof patchedCopies, 'removePatchedCopies'>
}

export const realPostDeps: PostDeps = {
  actions,
  cache,
  cacheFiles,
  files,
  cluster,
  ownership,
  patchedCopies
}
