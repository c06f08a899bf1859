/**
 * Restore and save through the real @actions/cache client, as typed results.
 * Cache trouble never throws out of here and never fails the job (design
 * section 4): every failure becomes a miss or a failed save with one warning.
 *
 * The client reports failures only as log lines (it catches them and returns
 * undefined or -1: ../shared/notes/actions-cache-protocol.md section 7), so
 * this adapter listens to the annotations it writes while a call runs to
 * tell a miss from a failure and to quote the reason in the summary.
 */
import * as cache from '@actions/cache'
import * as core from '@actions/core'
import { mkdir, readdir, rm } from 'node:fs/promises'
import { measureDir } from './cache-files.js'

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
}

/** The outcome of one restore. */
export interface RestoreResult {
  result: 'exact' | 'partial' | 'miss'
  matchedKey?: string
  /** Bytes of the restored tree on disk (0 on a miss). */
  bytes: number
  seconds: number
  /** Why this is a miss or what went wrong; already logged once. */
  warning?: string
}

/** What to save. */
export interface SaveRequest {
  label: string
  paths: string[]
  /** The dir the paths live in, measured for the summary. */
  dir: string
  key: string
}

/** The outcome of one save. */
export interface SaveResult {
  /**
   * saved: uploaded; exists: the key was already there (found by the lookup,
   * or another job reserved it first: no upload); skipped: the service is not
   * available or the dir is empty; failed: a warning says why.
   */
  outcome: 'saved' | 'exists' | 'skipped' | 'failed'
  bytes: number
  seconds: number
  warning?: string
}

/**
 * Restores one cache into an empty dir. A failed download or extraction
 * leaves the dir empty, never a half tree.
 */
export async function restoreCacheDir(
  req: RestoreRequest
): Promise<RestoreResult> {
  const started = Date.now()
  return settle(req, await lookUp(req), started)
}

/**
 * Restores both caches (design section 2 step 4): the two lookups one after
 * the other (milliseconds each, and each failure is told apart from a miss),
 * then the downloads and extractions in parallel. When the service fails the
 * first lookup, the second is not tried: that would only repeat the client's
 * retries (about 30 s for a 5xx) for the same answer.
 */
export async function restoreBothCaches(
  mod: RestoreRequest,
  build: RestoreRequest
): Promise<{ mod: RestoreResult; build: RestoreResult }> {
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
): Promise<RestoreResult> {
  return found.kind === 'done'
    ? finish(found.result, started)
    : download(req, found.matchedKey, started)
}

type Lookup =
  | { kind: 'done'; result: Omit<RestoreResult, 'seconds'> }
  | { kind: 'found'; matchedKey: string }

/** Empties the dir and looks the keys up; a miss or a failure is final. */
async function lookUp(req: RestoreRequest): Promise<Lookup> {
  try {
    await emptyDir(req.dir)
    if (!cache.isFeatureAvailable()) {
      const warning = warn(
        `${req.label}: the Actions cache service is not available (ACTIONS_RESULTS_URL / ACTIONS_CACHE_URL unset); building cold`
      )
      return { kind: 'done', result: { result: 'miss', bytes: 0, warning } }
    }
    // Look up first so a lookup failure, a miss and a broken download can be
    // told apart, and download exactly the entry that was found.
    const lookup = await listen(() =>
      cache.restoreCache(req.paths, req.key, req.restoreKeys, {
        lookupOnly: true
      })
    )
    if (lookup.value !== undefined) {
      return { kind: 'found', matchedKey: lookup.value }
    }
    const said = lookup.annotations[0]
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
): Promise<RestoreResult> {
  try {
    const restored = await listen(() =>
      cache.restoreCache(req.paths, matchedKey, [])
    )
    if (restored.value !== matchedKey) {
      await emptyDir(req.dir)
      const said = restored.annotations[0] ?? 'the client returned no entry'
      const message = `${req.label}: restoring ${matchedKey} failed, building cold with an empty cache dir: ${said}`
      return finish(
        {
          result: 'miss',
          bytes: 0,
          warning: restored.annotations.length > 0 ? message : warn(message)
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
): Promise<Omit<RestoreResult, 'seconds'>> {
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
  result: Omit<RestoreResult, 'seconds'>,
  started: number
): RestoreResult {
  return { ...result, seconds: (Date.now() - started) / 1000 }
}

/**
 * Saves one cache under its key. The key is looked up first (lookupOnly), so
 * a key that exists costs one lookup and no archive or upload; a key reserved
 * meanwhile by another job (409) is "exists" too. Never throws.
 */
export async function saveCacheDir(req: SaveRequest): Promise<SaveResult> {
  const started = Date.now()
  const done = (r: Omit<SaveResult, 'seconds'>): SaveResult => ({
    ...r,
    seconds: (Date.now() - started) / 1000
  })
  try {
    if (!cache.isFeatureAvailable()) {
      return done({
        outcome: 'skipped',
        bytes: 0,
        warning: warn(
          `${req.label}: not saved, the Actions cache service is not available`
        )
      })
    }
    // A cheap emptiness check: measuring the tree waits until it is saved.
    const names = await readdir(req.dir).catch(() => [] as string[])
    if (names.length === 0) {
      return done({
        outcome: 'skipped',
        bytes: 0,
        warning: `${req.label}: not saved, ${req.dir} is empty`
      })
    }
    const lookup = await listen(() =>
      cache.restoreCache(req.paths, req.key, [], { lookupOnly: true })
    )
    if (lookup.annotations.length > 0) {
      // The service is failing (rate limit, 5xx, denied): archiving now would
      // cost minutes for an upload that would fail the same way.
      return done({
        outcome: 'failed',
        bytes: 0,
        warning: `${req.label}: not saved, the cache lookup failed: ${lookup.annotations.join('; ')}`
      })
    }
    // The primary key is prefix-matched too: only an equal key means "exists".
    if (lookup.value === req.key) {
      return done({ outcome: 'exists', bytes: 0 })
    }
    const saved = await listen(() => cache.saveCache(req.paths, req.key))
    if (saved.value > 0) {
      const size = await measureDir(req.dir)
      return done({ outcome: 'saved', bytes: size.bytes })
    }
    if (saved.annotations.length === 0) {
      // -1 with no warning is the client's "another job may be creating this
      // cache" (HTTP 409, logged at info level): someone else saved it.
      return done({ outcome: 'exists', bytes: 0 })
    }
    return done({
      outcome: 'failed',
      bytes: 0,
      warning: `${req.label}: not saved: ${saved.annotations.join('; ')}`
    })
  } catch (error) {
    // saveCache rejects on a missing token, on paths that match nothing and on
    // validation errors (protocol note section 7).
    return done({
      outcome: 'failed',
      bytes: 0,
      warning: warn(`${req.label}: not saved: ${messageOf(error)}`)
    })
  }
}

/** Logs a warning the client did not log itself, and returns it for the summary. */
function warn(message: string): string {
  core.warning(message)
  return message
}

async function emptyDir(dir: string): Promise<void> {
  const names = await readdir(dir).catch(() => [] as string[])
  await Promise.all(
    names.map((name) => rm(`${dir}/${name}`, { recursive: true, force: true }))
  )
  await mkdir(dir, { recursive: true })
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}

type Listener = (annotation: string) => void
const listeners = new Set<Listener>()
let originalWrite: typeof process.stdout.write | undefined

/**
 * Runs fn and collects the ::warning:: and ::error:: lines written meanwhile
 * (the output still goes to stdout). Calls that overlap see each other's lines.
 */
async function listen<T>(
  fn: () => Promise<T>
): Promise<{ value: T; annotations: string[] }> {
  const annotations: string[] = []
  const listener: Listener = (line) => annotations.push(line)
  if (listeners.size === 0) {
    const write = process.stdout.write.bind(process.stdout)
    originalWrite = write
    process.stdout.write = (chunk: unknown, ...rest: unknown[]) => {
      if (typeof chunk === 'string') {
        for (const line of chunk.split('\n')) {
          const match = /^::(warning|error)[^:]*::(.*)$/.exec(line.trimEnd())
          if (match) listeners.forEach((l) => l(unescapeCommand(match[2])))
        }
      }
      return (write as (...args: unknown[]) => boolean)(chunk, ...rest)
    }
  }
  listeners.add(listener)
  try {
    return { value: await fn(), annotations }
  } finally {
    listeners.delete(listener)
    if (listeners.size === 0 && originalWrite) {
      process.stdout.write = originalWrite
      originalWrite = undefined
    }
  }
}

function unescapeCommand(text: string): string {
  return text.replace(/%0A/g, '\n').replace(/%0D/g, '\r').replace(/%25/g, '%')
}
