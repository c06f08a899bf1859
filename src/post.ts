/**
 * The post step: load state, give the cache dirs back to the runner user,
 * remove the links and special files the build left in them, trim, save (per
 * the policy main decided), remove the patched copies, delete what main
 * created, finish the job summary. It warns, never fails.
 */
import type { SaveResult } from './adapters/cache.js'
import { ownTimeSoFar } from './adapters/waits.js'
import { realPostDeps, type PostDeps } from './deps/post.js'
import {
  decideDifferentialSave,
  describeThreshold,
  newEntries
} from './cache/differential.js'
import { decideCacheSaves, type SaveDecision } from './cache/policy.js'
import { updateStats } from './cache/stats.js'
import { cleanUp } from './phases/cleanup.js'
import { warn } from './phases/post-report.js'
import { NODE_PATHS, nodeCopies } from './cache/paths.js'
import type { CacheState, MainState, Phase } from './state.js'
import {
  formatBytes,
  renderPostSummary,
  type PostReport,
  type SaveRecord
} from './summary.js'

/** Runs the post step; never throws, never fails the job. */
export async function runPost(deps: PostDeps = realPostDeps): Promise<void> {
  const { group, appendSummary } = deps.actions
  const state = deps.actions.loadMainState()
  if (!state) {
    deps.actions.log.info('Nothing to do: the main step recorded no state.')
    return
  }
  const report: PostReport = { timings: {}, warnings: [] }
  const step = async (
    phase: Phase,
    what: string,
    fn: () => Promise<void>
  ): Promise<void> => {
    const started = Date.now()
    try {
      await group(what, fn)
    } catch (error) {
      warn(deps, report, `${what}: ${messageOf(error)}`)
    } finally {
      // Added up: the trim phase runs in two steps (links, then the trim).
      report.timings[phase] =
        (report.timings[phase] ?? 0) + (Date.now() - started) / 1000
    }
  }

  const cache = state.cache
  if (cache && state.build) {
    // Nothing is trimmed or saved unless the caches are back on the runner
    // and readable: a failed copy-out leaves only the backdated restore,
    // which a trim would empty and a save would publish as the newest cache.
    let saveable: string | undefined =
      'the caches could not be taken back from the node'
    await step('ownership', 'Take the caches back from the node', async () => {
      saveable = (await takeCachesBack(deps, state, cache, report))
        ? undefined
        : 'some cache files are not readable by the runner user'
    })
    if (saveable === undefined) {
      // Before anything walks, writes or archives the caches: the build had
      // them mounted read-write and may have planted links to follow.
      saveable = 'the caches could not be checked for links'
      await step('trim', 'Remove links from the caches', async () => {
        saveable = await removeLinks(deps, cache, report)
      })
    }
    const decisions = decideSaves(state, cache, saveable)
    // Before the trim, which would drop entries the build did not use.
    if (saveable === undefined) {
      await step('save', 'Compare the caches with what was restored', () =>
        skipUnchanged(deps, cache, decisions)
      )
    }
    let buildUnused = false
    if (saveable === undefined) {
      await step('trim', 'Trim the caches', async () => {
        buildUnused = await trim(deps, state, cache, report, {
          build: decisions.build.unchanged !== true,
          mod: decisions.mod.unchanged !== true
        })
      })
    }
    await step('save', 'Save the caches', () =>
      save(deps, cache, report, decisions, buildUnused)
    )
  }
  await step('cleanup', 'Clean up', () => cleanUp(deps, state, report))
  // Main stopped before building (a bad input or config): its error says it
  // all, and there is no cache to report on.
  if (!state.build && report.warnings.length === 0) return
  report.ownTime = ownTimeSoFar()
  await appendSummary(renderPostSummary(state, report)).catch(
    (error: unknown) =>
      deps.actions.log.warning(
        `could not write the job summary: ${messageOf(error)}`
      )
  )
}

/**
 * Reused clusters hold the caches in the node: copy them out. Files kaniko
 * wrote through a mount are root-owned on the runner: chown them in the node.
 */
async function takeCachesBack(
  deps: PostDeps,
  state: MainState,
  cache: CacheState,
  report: PostReport
): Promise<boolean> {
  const node = state.cluster?.nodes[0]
  if (state.cluster?.copyCaches && node) {
    await deps.cluster.copyCachesFromNode(node, nodeCopies(cache.runnerDirs))
  }
  const runner = deps.actions.readRunnerEnv()
  const ownership = await deps.ownership.giveCacheDirsToRunner({
    node: state.cluster?.copyCaches ? undefined : node,
    nodePaths: [NODE_PATHS.mod, NODE_PATHS.build],
    runnerDirs: [cache.runnerDirs.mod, cache.runnerDirs.build],
    uid: runner.uid,
    gid: runner.gid
  })
  if (ownership.warning) warn(deps, report, ownership.warning)
  else if (ownership.method === 'docker-exec') {
    deps.actions.log.info(
      `cache dirs handed back to uid ${runner.uid} in node ${node}`
    )
  }
  return ownership.saveable
}

/**
 * Removes every symlink and special file from both caches (Go never makes
 * them there). Returns why the caches cannot be saved, or undefined.
 */
async function removeLinks(
  deps: PostDeps,
  cache: CacheState,
  report: PostReport
): Promise<string | undefined> {
  const failed: string[] = []
  for (const [label, dir] of [
    ['module cache', cache.runnerDirs.mod],
    ['build cache', cache.runnerDirs.build]
  ] as const) {
    const checked = await deps.cacheFiles.removeLinksAndSpecialFiles(dir)
    if (checked.removed.length > 0) {
      warn(
        deps,
        report,
        `${label}: the build left ${checked.removed.length} symlinks or special files in ${dir} (${checked.removed.slice(0, 5).join(', ')}${checked.removed.length > 5 ? ', …' : ''}); removed, not followed`
      )
    }
    failed.push(...checked.failed.map((path) => `${dir}/${path}`))
  }
  return failed.length === 0
    ? undefined
    : `symlinks or special files could not be removed from the caches (${failed.slice(0, 5).join(', ')})`
}

/**
 * Drops the GOCACHE entries this build did not use and the extracted module
 * trees, and records the build in the stats file. Returns true when the
 * build used no GOCACHE entry at all (Go did not run).
 */
async function trim(
  deps: PostDeps,
  state: MainState,
  cache: CacheState,
  report: PostReport,
  which: { build: boolean; mod: boolean }
): Promise<boolean> {
  const build = which.build ? state.build : undefined
  report.trim = {}
  let unused = false
  if (cache.trim && build) {
    const trimmed = await deps.cacheFiles.trimBuildCache(
      cache.runnerDirs.build,
      build.startedAt
    )
    unused = trimmed.unused
    report.trim.build = {
      bytesBefore: trimmed.bytesBefore,
      bytesAfter: trimmed.bytesAfter,
      removed: trimmed.removed
    }
    deps.actions.log.info(
      unused
        ? 'build cache: the build used no entry (Go did not run: skaffold or kaniko reused the image); nothing trimmed'
        : `build cache: ${trimmed.bytesBefore} -> ${trimmed.bytesAfter} bytes, ${trimmed.removed} unused entries dropped${trimmed.failed ? `, ${trimmed.failed} could not be deleted` : ''}`
    )
  }
  // A build that never ran Go says nothing about how fast Go builds are.
  if (build?.succeeded && !unused) {
    const stats = await deps.cacheFiles.readStatsFile(cache.runnerDirs.build)
    await deps.cacheFiles.writeStatsFile(
      cache.runnerDirs.build,
      updateStats(stats, {
        seconds: build.seconds,
        at: new Date().toISOString(),
        cold:
          cache.restored.build?.result !== 'exact' &&
          cache.restored.build?.result !== 'partial'
      })
    )
  }
  if (!which.mod) return unused
  const goSums: string[] = []
  for (const file of cache.goSumFiles ?? []) {
    const text = await deps.files.readTextIfExists(file)
    if (text !== undefined) goSums.push(text)
  }
  const pruned = await deps.cacheFiles.pruneModuleCache(
    cache.runnerDirs.mod,
    goSums
  )
  report.trim.mod = {
    bytesBefore: pruned.bytesBefore,
    bytesAfter: pruned.bytesAfter
  }
  deps.actions.log.info(
    pruned.droppedVersions === undefined
      ? 'module cache: no go.sum among the cache-dependency-path files: module versions kept as restored'
      : `module cache: ${pruned.bytesBefore} -> ${pruned.bytesAfter} bytes, ${pruned.droppedVersions.length} module versions no go.sum names and the build did not extract dropped`
  )
  return unused
}

/** A save decision; `unchanged` when the differential rule skipped it. */
type CacheDecision = SaveDecision & { unchanged?: boolean }
type CacheDecisions = { mod: CacheDecision; build: CacheDecision }

/** The policy main decided, unless the build failed or the caches are unsafe. */
function decideSaves(
  state: MainState,
  cache: CacheState,
  notSaveable: string | undefined
): CacheDecisions {
  const policy = !state.build?.succeeded
    ? { save: false, reason: 'the build failed' }
    : notSaveable !== undefined
      ? { save: false, reason: notSaveable }
      : { save: cache.save.enabled, reason: cache.save.reason }
  return decideCacheSaves(policy, cache.restored.mod?.result ?? 'miss')
}

/**
 * After a hit, a cache whose new entries (names the restore did not hold)
 * fall below save-threshold is not saved again, nor trimmed.
 */
async function skipUnchanged(
  deps: PostDeps,
  cache: CacheState,
  decisions: CacheDecisions
): Promise<void> {
  const threshold = cache.saveThreshold ?? { kind: 'auto' }
  for (const which of ['mod', 'build'] as const) {
    const label = which === 'mod' ? 'module cache' : 'build cache'
    const restored = cache.restoredEntries?.[which]
    if (!decisions[which].save || !restored) continue
    const names = await deps.cacheFiles.readRestoredEntries(restored.listFile)
    if (!names) {
      deps.actions.log.info(
        `${label}: the list of restored entries is gone; saving as before`
      )
      continue
    }
    const found = newEntries(
      names,
      await deps.cacheFiles.listFiles(cache.saveDirs[which])
    )
    const decision = decideDifferentialSave(threshold, found)
    const counted = `${found.files} new files, ${formatBytes(found.bytes)} new of ${formatBytes(found.totalBytes)}`
    deps.actions.log.info(
      `${label}: ${counted}; save-threshold ${describeThreshold(threshold)} is ${formatBytes(decision.thresholdBytes)}: ${decision.save ? 'saving' : 'not saving'}`
    )
    if (!decision.save) {
      decisions[which] = {
        save: false,
        unchanged: true,
        reason: `${formatBytes(found.bytes)} new of ${formatBytes(found.totalBytes)}, below save-threshold ${formatBytes(decision.thresholdBytes)} (${describeThreshold(threshold)}); not trimmed either: the restored entry stays the newest`
      }
    }
  }
}

/** Saves per the decisions; a failure is a warning. */
async function save(
  deps: PostDeps,
  cache: CacheState,
  report: PostReport,
  decisions: CacheDecisions,
  buildUnused: boolean
): Promise<void> {
  const skip = (reason: string): SaveRecord => ({
    outcome: 'skipped',
    bytes: 0,
    seconds: 0,
    reason
  })
  if (buildUnused && decisions.build.save) {
    decisions.build = {
      save: false,
      reason:
        'the build used no build-cache entry (Go did not run); the restored cache stays the newest'
    }
  }
  const saveOne = async (which: 'mod' | 'build'): Promise<SaveRecord> => {
    if (!decisions[which].save) return skip(decisions[which].reason)
    const result = await deps.cache.saveCacheDir({
      label: which === 'mod' ? 'module cache' : 'build cache',
      paths: [cache.paths[which]],
      dir: cache.saveDirs[which],
      key: cache.keys[which].primary,
      deadline: cache.deadline
    })
    // The adapter has logged its warning already: only the summary gets it.
    if (result.warning) report.warnings.push(result.warning)
    return saveRecord(result)
  }
  // One after the other: the two archives would fight for the same cores.
  const mod = await saveOne('mod')
  const build = await saveOne('build')
  report.save = { mod, build }
}

/** The adapter's warning is the summary's reason. */
function saveRecord({ warning, ...outcome }: SaveResult): SaveRecord {
  return { ...outcome, reason: warning }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}
