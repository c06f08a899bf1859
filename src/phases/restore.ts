/**
 * The restore phase: both Go caches from the Actions cache into the runner
 * dirs, checked before any build sees them.
 */
import * as path from 'node:path'
import { type CacheState, type RestoreRecord } from '../state.js'
import { errorMessage } from '../errors.js'
import { warn, type Context } from './context.js'

export async function restore(ctx: Context): Promise<void> {
  const cache = ctx.state.cache
  const dirs = ctx.dirs
  if (!cache) {
    // cache: false builds with empty caches, not what a previous job on this
    // machine left in the runner dirs.
    for (const dir of [dirs.runnerDirs.mod, dirs.runnerDirs.build]) {
      try {
        await ctx.deps.cacheFiles.emptyCacheDir(dir)
      } catch (error) {
        // Files an earlier job left that this user cannot remove (root-owned
        // on a self-hosted runner): the build still runs, and says so.
        warn(
          ctx,
          `cache: false could not empty ${dir} (${errorMessage(error)}); the build may see what an earlier job left there`
        )
      }
    }
    return
  }
  const results = await ctx.deps.actions.group('Restore Go caches', () =>
    ctx.deps.cache.restoreBothCaches(
      {
        label: 'module cache',
        paths: [cache.paths.mod],
        dir: dirs.runnerDirs.mod,
        key: cache.keys.mod.primary,
        restoreKeys: cache.keys.mod.restoreKeys,
        deadline: cache.deadline
      },
      {
        label: 'build cache',
        paths: [cache.paths.build],
        dir: dirs.runnerDirs.build,
        key: cache.keys.build.primary,
        restoreKeys: cache.keys.build.restoreKeys,
        deadline: cache.deadline
      }
    )
  )
  // Content warnings are not service failures: they do not stop the save.
  const checks = [
    await checkRestored(ctx, results.mod, dirs.runnerDirs.mod, 'mod'),
    await checkRestored(ctx, results.build, dirs.runnerDirs.build, 'build')
  ]
  results.mod = checks[0].result
  results.build = checks[1].result
  const restoredEntries = await recordRestored(ctx, cache, results)
  const warnings = [results.mod.warning, results.build.warning].filter(
    (w): w is string => w !== undefined
  )
  ctx.record.update((state) => {
    for (const check of checks) {
      if (check.warning !== undefined) state.warnings.push(check.warning)
    }
    cache.restored = {
      mod: results.mod,
      build: results.build
    }
    cache.restoredEntries = restoredEntries
    state.warnings.push(...warnings)
    if (warnings.length > 0 && cache.save.enabled) {
      // The service failed us once; asking again in post would only add
      // another round of client retries and another warning.
      cache.save = {
        enabled: false,
        reason: 'not saving: the cache service failed during the restore'
      }
    }
  })
  // Backdate every entry so the post step can tell what this build used: Go
  // refreshes an entry's mtime on use at most once an hour
  // (cmd/go/internal/cache mtimeInterval).
  if (results.build.result !== 'miss') {
    await ctx.deps.cacheFiles.backdateBuildCache(dirs.runnerDirs.build)
    const stats = await ctx.deps.cacheFiles.readStatsFile(dirs.runnerDirs.build)
    ctx.record.update((state) => {
      state.lastColdSeconds = stats.lastCold?.seconds
    })
  }
  ctx.deps.actions.log.info(
    `module cache: ${describeRestore(results.mod)}; build cache: ${describeRestore(results.build)}`
  )
}

/**
 * Records the names each hit restored (after the check), so post can tell
 * what the build added: mtimes cannot, restored entries are backdated.
 */
async function recordRestored(
  ctx: Context,
  cache: CacheState,
  results: { mod: RestoreRecord; build: RestoreRecord }
): Promise<CacheState['restoredEntries']> {
  const recorded: CacheState['restoredEntries'] = {}
  for (const which of ['mod', 'build'] as const) {
    if (results[which].result === 'miss') continue
    const listFile = path.join(
      ctx.runner.runnerTemp,
      `skaffold-kaniko-cache-restored-${which}.txt`
    )
    const found = await ctx.deps.cacheFiles.recordRestoredEntries(
      cache.saveDirs[which],
      listFile
    )
    recorded[which] = { ...found, listFile }
  }
  return recorded
}

/**
 * The client extracts an archive whole (tar -P): before any build sees a
 * restored cache, everything in it that Go does not write there (other
 * names, links, special files) is dropped with one warning. A tree that
 * cannot be cleaned is emptied: the build goes on cold.
 */
async function checkRestored(
  ctx: Context,
  result: RestoreRecord,
  dir: string,
  which: 'mod' | 'build'
): Promise<{ result: RestoreRecord; warning?: string }> {
  if (result.result === 'miss') return { result }
  const label = which === 'mod' ? 'module cache' : 'build cache'
  const checked = await ctx.deps.cacheFiles.checkRestoredCache(dir, which)
  if (checked.failed.length > 0) {
    await ctx.deps.cacheFiles.emptyCacheDir(dir)
    const warning = `${label}: ${result.matchedKey ?? ''} holds ${checked.failed.length} entries Go never writes there that could not be removed (${sample(checked.failed)}); the cache dir was emptied, building cold`
    ctx.deps.actions.log.warning(warning)
    return {
      result: { result: 'miss', bytes: 0, seconds: result.seconds },
      warning
    }
  }
  if (checked.removed.length === 0) return { result }
  const warning = `${label}: ${result.matchedKey ?? ''} held ${checked.removed.length} entries Go never writes there (links, special files or foreign names: ${sample(checked.removed)}); they were removed before the build`
  ctx.deps.actions.log.warning(warning)
  return { result, warning }
}

function sample(paths: string[]): string {
  const shown = paths.slice(0, 5).join(', ')
  return paths.length > 5 ? `${shown}, …` : shown
}

function describeRestore(result: RestoreRecord): string {
  return result.result === 'miss'
    ? 'miss'
    : `${result.result} hit ${result.matchedKey ?? ''} (${result.bytes} bytes in ${result.seconds.toFixed(1)} s)`
}
