/**
 * The stats file that travels inside the build cache, so a warm run can say
 * "25 s, 6.0x faster than the last cold build (149 s)".
 * Pure: parse, update, serialise.
 */

/** File name at the GOCACHE root; Go ignores files it does not know there. */
export const STATS_FILE_NAME = 'skaffold-kaniko-cache-stats.json'

/** How many recent builds are kept. */
export const MAX_RECENT = 10

/** One build. */
export interface BuildRecord {
  /** Wall time in seconds. */
  seconds: number
  /** ISO time the build finished. */
  at: string
  /** True when the build cache was not restored (a cold build). */
  cold: boolean
}

/** The stats file's content. */
export interface BuildStats {
  version: 1
  lastCold?: BuildRecord
  /** Newest last, at most MAX_RECENT. */
  recent: BuildRecord[]
}

/** Stats with no history. */
export function emptyStats(): BuildStats {
  return { version: 1, recent: [] }
}

/**
 * Parses the stats file; anything unreadable (garbage, another version, bad
 * records) gives empty stats or drops the bad records, never throws.
 */
export function parseStats(text: string | undefined): BuildStats {
  if (text === undefined) return emptyStats()
  let data: unknown
  try {
    data = JSON.parse(text)
  } catch {
    return emptyStats()
  }
  if (!isObject(data) || data.version !== 1) return emptyStats()
  const recent = Array.isArray(data.recent)
    ? data.recent.filter(isRecord).slice(-MAX_RECENT)
    : []
  const stats: BuildStats = { version: 1, recent }
  if (isRecord(data.lastCold)) stats.lastCold = data.lastCold
  return stats
}

/** Adds a build: appended to recent (bounded) and, when cold, the last cold build. */
export function updateStats(stats: BuildStats, build: BuildRecord): BuildStats {
  const next: BuildStats = {
    version: 1,
    recent: [...stats.recent, build].slice(-MAX_RECENT)
  }
  const lastCold = build.cold ? build : stats.lastCold
  if (lastCold) next.lastCold = lastCold
  return next
}

/** The file's text. */
export function serializeStats(stats: BuildStats): string {
  return `${JSON.stringify(stats)}\n`
}

/**
 * How many times faster this build was than the last cold one, or undefined
 * when there is no cold build to compare with (or this build was cold).
 */
export function speedupOverCold(
  stats: BuildStats,
  seconds: number,
  cold: boolean
): number | undefined {
  if (cold || !stats.lastCold || seconds <= 0) return undefined
  return stats.lastCold.seconds / seconds
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function isRecord(value: unknown): value is BuildRecord {
  return (
    isObject(value) &&
    typeof value.seconds === 'number' &&
    Number.isFinite(value.seconds) &&
    value.seconds >= 0 &&
    typeof value.at === 'string' &&
    typeof value.cold === 'boolean'
  )
}
