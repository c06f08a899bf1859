/**
 * The differential save: after a restore hit, a cache is saved again only
 * when what the build added is worth a new entry. New means an entry name
 * the restore did not hold; mtimes cannot tell, since restored entries are
 * backdated and Go refreshes an entry's mtime when it reads it
 * (cmd/go/internal/cache cache.go used). Pure.
 */

/** The save-threshold input. */
export type SaveThreshold =
  | { kind: 'auto' }
  | { kind: 'always' }
  | { kind: 'bytes'; bytes: number }
  | { kind: 'percent'; percent: number }

/** auto: max(AUTO_MIN_BYTES, AUTO_PERCENT % of the cache). */
export const AUTO_MIN_BYTES = 1024 * 1024
export const AUTO_PERCENT = 1

const UNITS: Record<string, number> = {
  '': 1,
  b: 1,
  kb: 1000,
  mb: 1000 ** 2,
  gb: 1000 ** 3,
  kib: 1024,
  mib: 1024 ** 2,
  gib: 1024 ** 3
}

/**
 * Parses the input: `auto`, `0` or `always` (save on every hit), a size
 * (`5MiB`, `500kB`, `1048576`) or a percentage of the cache (`2%`).
 * Returns undefined for anything else.
 */
export function parseSaveThreshold(text: string): SaveThreshold | undefined {
  const value = text.trim().toLowerCase()
  if (value === 'auto') return { kind: 'auto' }
  if (value === 'always' || value === '0') return { kind: 'always' }
  const percent = /^(\d+(?:\.\d+)?)\s*%$/.exec(value)
  if (percent) {
    const n = Number(percent[1])
    if (n === 0) return { kind: 'always' }
    return n <= 100 ? { kind: 'percent', percent: n } : undefined
  }
  const size = /^(\d+(?:\.\d+)?)\s*([a-z]*)$/.exec(value)
  if (!size || !(size[2] in UNITS)) return undefined
  const bytes = Math.round(Number(size[1]) * UNITS[size[2]])
  return bytes === 0 ? { kind: 'always' } : { kind: 'bytes', bytes }
}

/** The threshold in bytes for a cache of `totalBytes`; 0 saves on any hit. */
export function thresholdBytes(
  threshold: SaveThreshold,
  totalBytes: number
): number {
  switch (threshold.kind) {
    case 'always':
      return 0
    case 'bytes':
      return threshold.bytes
    case 'percent':
      return Math.ceil((totalBytes * threshold.percent) / 100)
    case 'auto':
      return Math.max(
        AUTO_MIN_BYTES,
        Math.ceil((totalBytes * AUTO_PERCENT) / 100)
      )
  }
}

/** A file in a cache tree after the build, relative to the saved dir. */
export interface CacheEntry {
  path: string
  size: number
}

/** What the build added to a restored cache. */
export interface NewEntries {
  files: number
  bytes: number
  /** Every file in the tree now. */
  totalBytes: number
}

/** Counts the entries whose names the restore did not hold. */
export function newEntries(
  restored: ReadonlySet<string>,
  now: CacheEntry[]
): NewEntries {
  let files = 0
  let bytes = 0
  let totalBytes = 0
  for (const entry of now) {
    totalBytes += entry.size
    if (restored.has(entry.path)) continue
    files++
    bytes += entry.size
  }
  return { files, bytes, totalBytes }
}

/** Whether a restored cache is worth saving again. */
export interface DifferentialDecision {
  save: boolean
  /** The threshold applied, in bytes. */
  thresholdBytes: number
}

/**
 * Saves when the new bytes reach the threshold; `always` saves on every hit
 * (the behaviour before this rule). Otherwise a cache with nothing new is not
 * saved: the entry it came from holds it all.
 */
export function decideDifferentialSave(
  threshold: SaveThreshold,
  found: NewEntries
): DifferentialDecision {
  const limit = thresholdBytes(threshold, found.totalBytes)
  const save =
    threshold.kind === 'always' || (found.files > 0 && found.bytes >= limit)
  return { save, thresholdBytes: limit }
}

/** The input's value as written back in a message. */
export function describeThreshold(threshold: SaveThreshold): string {
  switch (threshold.kind) {
    case 'auto':
      return `auto: max(1 MiB, ${AUTO_PERCENT}% of the cache)`
    case 'always':
      return 'always'
    case 'bytes':
      return `${threshold.bytes} bytes`
    case 'percent':
      return `${threshold.percent}% of the cache`
  }
}
