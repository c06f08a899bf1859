/**
 * Restore and save through the real @actions/cache client, as typed results.
 * Cache trouble never throws out of here and never fails the job: every
 * failure becomes a miss or an unsaved cache with one warning.
 *
 * The client reports failures only as log lines (it catches them and returns
 * undefined or -1), so every call runs under traceCall, which tells this
 * call's annotations and HTTP exchanges apart from other work's, and races
 * the call against its deadline.
 */
import * as core from './workflow-commands.js'
import { mkdir, readdir } from 'node:fs/promises'
import { explainFailedSave } from '../cache/save-outcome.js'
import { traceCall } from './call-trace.js'
import { emptyCacheDir, measureDir } from './cache-files.js'
import type { RestoreRecord } from '../state.js'
import type { SaveOutcome } from '../summary.js'

type CacheClient = typeof import('@actions/cache')
let client: Promise<CacheClient> | undefined

/**
 * The @actions/cache client, loaded on the first restore or save: it brings
 * the Azure storage and HTTP stacks (about half of a bundle), which a step
 * that restores or saves nothing (a bad input, `cache: false`, the post step
 * after a failed build) need not load.
 */
function cacheClient(): Promise<CacheClient> {
  client ??= import('@actions/cache')
  return client
}

/** How long one client call (a lookup, a download, a save) may take. */
export interface Deadline {
  seconds: number
  /** Appended to the expiry warning: how to allow more time. */
  hint: string
}

export const DEFAULT_DEADLINE: Deadline = { seconds: 300, hint: '' }

/** What to restore, and where. */
export interface RestoreRequest {
  /** Label for messages, e.g. "module cache". */
  label: string
  /** Literal paths as given to saveCache (the version hash depends on them). */
  paths: string[]
  /** The runner dir the paths live in; emptied first, and again on failure. */
  dir: string
  key: string
  restoreKeys: string[]
  /** Absent: DEFAULT_DEADLINE (benchmarks and tests). */
  deadline?: Deadline
}

/** What to save. */
export interface SaveRequest {
  label: string
  paths: string[]
  /** The dir the paths live in, measured for the summary. */
  dir: string
  key: string
  /** Absent: DEFAULT_DEADLINE (benchmarks and tests). */
  deadline?: Deadline
}

/** The outcome of one save. */
/** What saveCacheDir did; `warning` is logged already (a failed or skipped save). */
export interface SaveResult extends SaveOutcome {
  warning?: string
}

/**
 * Restores one cache into an empty dir. A failed download or extraction
 * leaves the dir empty, never a half tree.
 */
export async function restoreCacheDir(
  req: RestoreRequest
): Promise<RestoreRecord> {
  const started = Date.now()
  return settle(req, await lookUp(req), started)
}

/**
 * Restores both caches: the two lookups one after the other (milliseconds
 * each, and each failure is told apart from a miss), then the downloads and
 * extractions in parallel. When the service fails the
 * first lookup, the second is not tried: that would only repeat the client's
 * retries (about 30 s for a 5xx) for the same answer.
 */
export async function restoreBothCaches(
  mod: RestoreRequest,
  build: RestoreRequest
): Promise<{ mod: RestoreRecord; build: RestoreRecord }> {
  const started = Date.now()
  const modFound = await lookUp(mod)
  const serviceFailed =
    modFound.kind === 'done' && modFound.result.warning !== undefined
  // Restore means an empty dir to start from, looked up or not.
  if (serviceFailed) await emptyDir(build.dir).catch(() => undefined)
  const buildFound: Lookup = serviceFailed
    ? {
        kind: 'done',
        result: {
          result: 'miss',
          bytes: 0,
          warning: `${build.label}: not looked up, the cache service failed the ${mod.label} lookup; building cold`
        }
      }
    : await lookUp(build)
  const [modResult, buildResult] = await Promise.all([
    settle(mod, modFound, started),
    settle(build, buildFound, started)
  ])
  return { mod: modResult, build: buildResult }
}

async function settle(
  req: RestoreRequest,
  found: Lookup,
  started: number
): Promise<RestoreRecord> {
  return found.kind === 'done'
    ? finish(found.result, started)
    : download(req, found.matchedKey, started)
}

type Lookup =
  | { kind: 'done'; result: Omit<RestoreRecord, 'seconds'> }
  | { kind: 'found'; matchedKey: string }

/** Empties the dir and looks the keys up; a miss or a failure is final. */
async function lookUp(req: RestoreRequest): Promise<Lookup> {
  try {
    await emptyDir(req.dir)
    const cache = await cacheClient()
    if (!cache.isFeatureAvailable()) {
      const warning = warn(
        `${req.label}: the Actions cache service is not available (ACTIONS_RESULTS_URL / ACTIONS_CACHE_URL unset); building cold`
      )
      return { kind: 'done', result: { result: 'miss', bytes: 0, warning } }
    }
    // Look up first so a lookup failure, a miss and a broken download can be
    // told apart, and download exactly the entry that was found.
    const lookup = await traceCall(
      () =>
        cache.restoreCache(req.paths, req.key, req.restoreKeys, {
          lookupOnly: true
        }),
      deadlineOf(req).seconds * 1000
    )
    if (lookup.kind === 'expired') {
      const warning = warn(
        `${req.label}: the cache lookup got no answer within ${late(req)}; building cold${hintOf(req)}`
      )
      return { kind: 'done', result: { result: 'miss', bytes: 0, warning } }
    }
    if (lookup.value !== undefined) {
      return { kind: 'found', matchedKey: lookup.value }
    }
    const said = lookup.trace.annotations[0]
    return {
      kind: 'done',
      result:
        said === undefined
          ? { result: 'miss', bytes: 0 }
          : {
              result: 'miss',
              bytes: 0,
              warning: `${req.label}: lookup failed, building cold: ${said}`
            }
    }
  } catch (error) {
    return { kind: 'done', result: await failed(req, error) }
  }
}

/** Downloads and extracts the entry found; empties the dir on failure. */
async function download(
  req: RestoreRequest,
  matchedKey: string,
  started: number
): Promise<RestoreRecord> {
  try {
    const cache = await cacheClient()
    const restored = await traceCall(
      () => cache.restoreCache(req.paths, matchedKey, []),
      deadlineOf(req).seconds * 1000
    )
    if (restored.kind === 'expired') {
      // The download is cut and tar killed: nothing more lands in the dir.
      await emptyDir(req.dir)
      return finish(
        {
          result: 'miss',
          bytes: 0,
          warning: warn(
            `${req.label}: restoring ${matchedKey} took longer than ${late(req)} and was stopped; building cold with an empty cache dir${hintOf(req)}`
          )
        },
        started
      )
    }
    if (restored.value !== matchedKey) {
      await emptyDir(req.dir)
      const annotations = restored.trace.annotations
      const said = annotations[0] ?? 'the client returned no entry'
      const message = `${req.label}: restoring ${matchedKey} failed, building cold with an empty cache dir: ${said}`
      return finish(
        {
          result: 'miss',
          bytes: 0,
          warning: annotations.length > 0 ? message : warn(message)
        },
        started
      )
    }
    const size = await measureDir(req.dir)
    if (size.files === 0) {
      // The client extracts relative to GITHUB_WORKSPACE (tar -C, ../..
      // paths): an archive saved on a runner whose workspace sits elsewhere
      // relative to the cache dir lands in another directory, not this one.
      return finish(
        {
          result: 'miss',
          bytes: 0,
          warning: warn(
            `${req.label}: ${matchedKey} was restored but ${req.dir} is still empty: the archive was saved on a runner whose workspace sits at another place relative to the cache dir (@actions/cache stores paths relative to GITHUB_WORKSPACE); building cold`
          )
        },
        started
      )
    }
    return finish(
      {
        result: matchedKey === req.key ? 'exact' : 'partial',
        matchedKey,
        bytes: size.bytes
      },
      started
    )
  } catch (error) {
    return finish(await failed(req, error), started)
  }
}

/**
 * restoreCache throws only on validation errors (a key over 512 characters or
 * with a comma); anything else here is a file-system error.
 */
async function failed(
  req: RestoreRequest,
  error: unknown
): Promise<Omit<RestoreRecord, 'seconds'>> {
  await emptyDir(req.dir).catch(() => undefined)
  return {
    result: 'miss',
    bytes: 0,
    warning: warn(
      `${req.label}: restore failed, building cold: ${messageOf(error)}`
    )
  }
}

function finish(
  result: Omit<RestoreRecord, 'seconds'>,
  started: number
): RestoreRecord {
  return { ...result, seconds: (Date.now() - started) / 1000 }
}

/**
 * Saves one cache under its key. The key is looked up first (lookupOnly), so
 * a key that exists costs one lookup and no archive or upload. Never throws.
 */
export async function saveCacheDir(req: SaveRequest): Promise<SaveResult> {
  const started = Date.now()
  const done = (r: Omit<SaveResult, 'seconds'>): SaveResult => ({
    ...r,
    seconds: (Date.now() - started) / 1000
  })
  const notSaved = (
    outcome: 'skipped' | 'failed',
    warning: string
  ): SaveResult => done({ outcome, bytes: 0, warning })
  try {
    const cache = await cacheClient()
    if (!cache.isFeatureAvailable()) {
      return notSaved(
        'skipped',
        warn(
          `${req.label}: not saved, the Actions cache service is not available`
        )
      )
    }
    // A cheap emptiness check: measuring the tree waits until it is saved.
    const names = await readdir(req.dir).catch(() => [] as string[])
    if (names.length === 0) {
      return notSaved('skipped', `${req.label}: not saved, ${req.dir} is empty`)
    }
    const ms = deadlineOf(req).seconds * 1000
    const lookup = await traceCall(
      () => cache.restoreCache(req.paths, req.key, [], { lookupOnly: true }),
      ms
    )
    if (lookup.kind === 'expired') {
      return notSaved(
        'skipped',
        warn(
          `${req.label}: not saved, the cache lookup got no answer within ${late(req)}${hintOf(req)}`
        )
      )
    }
    if (lookup.trace.annotations.length > 0) {
      // The service is failing (rate limit, 5xx, denied): archiving now would
      // cost minutes for an upload that would fail the same way.
      return notSaved(
        'failed',
        `${req.label}: not saved, the cache lookup failed: ${lookup.trace.annotations.join('; ')}`
      )
    }
    // The primary key is prefix-matched too: only an equal key means "exists".
    if (lookup.value === req.key) return done({ outcome: 'exists', bytes: 0 })
    const saved = await traceCall(() => cache.saveCache(req.paths, req.key), ms)
    if (saved.kind === 'expired') {
      return notSaved(
        'skipped',
        warn(
          `${req.label}: not saved, archiving and uploading took longer than ${late(req)} and was stopped${hintOf(req)}`
        )
      )
    }
    if (saved.value > 0) {
      const size = await measureDir(req.dir)
      return done({ outcome: 'saved', bytes: size.bytes })
    }
    const failure = explainFailedSave(saved.trace)
    if (failure.outcome === 'reserved') {
      return done({ outcome: 'reserved', bytes: 0 })
    }
    const message = `${req.label}: not saved: ${failure.reason}`
    return notSaved('failed', failure.clientWarned ? message : warn(message))
  } catch (error) {
    // saveCache rejects on a missing token, on paths that match nothing and on
    // validation errors (actions/toolkit packages/cache/src/cache.ts, saveCacheV2).
    return notSaved(
      'failed',
      warn(`${req.label}: not saved: ${messageOf(error)}`)
    )
  }
}

function deadlineOf(req: { deadline?: Deadline }): Deadline {
  return req.deadline ?? DEFAULT_DEADLINE
}

/** "300 s", for messages. */
function late(req: { deadline?: Deadline }): string {
  return `${deadlineOf(req).seconds} s`
}

function hintOf(req: { deadline?: Deadline }): string {
  const { hint } = deadlineOf(req)
  return hint ? ` (${hint})` : ''
}

/** Logs a warning the client did not log itself, and returns it for the summary. */
function warn(message: string): string {
  core.warning(message)
  return message
}

/** Empties a cache dir (read-only module trees included) and keeps it. */
async function emptyDir(dir: string): Promise<void> {
  await emptyCacheDir(dir)
  await mkdir(dir, { recursive: true })
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}
