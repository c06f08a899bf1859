/**
 * File work on the cache dirs: backdating and trimming GOCACHE, pruning the
 * module cache to cache/download, measuring dirs, and the stats file. The
 * decisions are pure (src/cache/trim.ts, src/cache/stats.ts); this only walks,
 * stats, deletes and reads/writes.
 */
import {
  chmod,
  lstat,
  readFile,
  readdir,
  rm,
  utimes,
  writeFile
} from 'node:fs/promises'
import { join } from 'node:path'
import { decideTrim, parseActionEntry, type CacheFile } from '../cache/trim.js'
import {
  parseStats,
  serializeStats,
  STATS_FILE_NAME,
  type BuildStats
} from '../cache/stats.js'

/** Size of a tree: apparent bytes of regular files, and their count. */
export interface DirSize {
  bytes: number
  files: number
}

/** The outcome of a trim. */
export interface TrimReport {
  /** The build touched no entry (Go did not run): nothing was removed. */
  unused: boolean
  bytesBefore: number
  bytesAfter: number
  /** Entries deleted. */
  removed: number
  /** Entries kept (Go's own files and the stats file included). */
  kept: number
  /** Entries that should have gone but could not be deleted (e.g. root-owned). */
  failed: number
}

/**
 * Go refreshes an entry's mtime on use only when it is older than an hour
 * (cmd/go/internal/cache mtimeInterval); two hours back makes every use show.
 * Well short of Go's own 5-day trimLimit, so Go's trim does not fire on it.
 */
export const BACKDATE_MS = 2 * 60 * 60 * 1000

/** Measures a tree (symlinks are not followed; a missing dir is empty). */
export async function measureDir(dir: string): Promise<DirSize> {
  const files = await listFiles(dir)
  return {
    bytes: files.reduce((sum, f) => sum + f.size, 0),
    files: files.length
  }
}

/**
 * Sets the mtime (and atime) of every GOCACHE entry to `nowMs - ageMs`, right
 * after restore, so the trim after the build can see which entries the build
 * used. Returns how many entries were backdated.
 */
export async function backdateBuildCache(
  dir: string,
  nowMs = Date.now(),
  ageMs = BACKDATE_MS
): Promise<number> {
  const when = new Date(nowMs - ageMs)
  const files = (await listFiles(dir)).filter((f) => isEntry(f.path))
  await Promise.all(files.map((f) => utimes(join(dir, f.path), when, when)))
  return files.length
}

/**
 * Deletes the GOCACHE entries the build did not touch (mtime older than its
 * start). Files that cannot be deleted are counted, not thrown.
 */
export async function trimBuildCache(
  dir: string,
  buildStartMs: number
): Promise<TrimReport> {
  const files = await Promise.all(
    (await listFiles(dir)).map(async (f) => {
      if (!f.path.endsWith('-a') || f.size > 4096) return f
      const text = await readFile(join(dir, f.path), 'utf8').catch(() => '')
      const outputId = parseActionEntry(text)
      return outputId === undefined ? f : { ...f, outputId }
    })
  )
  const decision = decideTrim(files, {
    buildStartMs,
    keepNames: [STATS_FILE_NAME]
  })
  let failed = 0
  let failedBytes = 0
  const sizes = new Map(files.map((f) => [f.path, f.size]))
  for (const path of decision.remove) {
    try {
      await rm(join(dir, path))
    } catch {
      failed++
      failedBytes += sizes.get(path) ?? 0
    }
  }
  return {
    bytesBefore: decision.bytesBefore,
    bytesAfter: decision.bytesAfter + failedBytes,
    removed: decision.remove.length - failed,
    kept: decision.keep.length + failed,
    failed,
    unused: decision.unused
  }
}

/** The outcome of pruning the module cache. */
export interface PruneReport {
  bytesBefore: number
  bytesAfter: number
}

/**
 * Keeps only cache/download of a GOMODCACHE (the zips, a GOPROXY layout; Go
 * re-extracts on use). Go makes the extracted trees read-only (0444 files,
 * 0555 dirs), so they are made writable first or rm fails with EACCES
 * (buildkit-cache-dance #26).
 */
export async function pruneModuleCache(dir: string): Promise<PruneReport> {
  const before = await measureDir(dir)
  const names = await readdir(dir).catch(() => [] as string[])
  for (const name of names) {
    if (name === 'cache') continue
    await makeWritable(join(dir, name))
    await rm(join(dir, name), { recursive: true, force: true })
  }
  const cacheNames = await readdir(join(dir, 'cache')).catch(
    () => [] as string[]
  )
  for (const name of cacheNames) {
    if (name === 'download') continue
    await makeWritable(join(dir, 'cache', name))
    await rm(join(dir, 'cache', name), { recursive: true, force: true })
  }
  const after = await measureDir(dir)
  return { bytesBefore: before.bytes, bytesAfter: after.bytes }
}

/** Reads the stats file from a GOCACHE dir; missing or garbage gives empty stats. */
export async function readStatsFile(buildDir: string): Promise<BuildStats> {
  const text = await readFile(join(buildDir, STATS_FILE_NAME), 'utf8').catch(
    () => undefined
  )
  return parseStats(text)
}

/** Writes the stats file into a GOCACHE dir (before the save). */
export async function writeStatsFile(
  buildDir: string,
  stats: BuildStats
): Promise<void> {
  await writeFile(join(buildDir, STATS_FILE_NAME), serializeStats(stats))
}

/** Every regular file under dir, relative paths with "/" separators. */
export async function listFiles(dir: string): Promise<CacheFile[]> {
  const out: CacheFile[] = []
  const walk = async (rel: string): Promise<void> => {
    const entries = await readdir(join(dir, rel), {
      withFileTypes: true
    }).catch(() => [])
    for (const entry of entries) {
      const path = rel === '' ? entry.name : `${rel}/${entry.name}`
      if (entry.isDirectory()) {
        await walk(path)
      } else if (entry.isFile()) {
        const info = await lstat(join(dir, path))
        out.push({ path, mtimeMs: info.mtimeMs, size: info.size })
      }
    }
  }
  await walk('')
  return out
}

async function makeWritable(path: string): Promise<void> {
  const info = await lstat(path).catch(() => undefined)
  if (!info || info.isSymbolicLink()) return
  await chmod(path, info.mode | 0o200).catch(() => undefined)
  if (info.isDirectory()) {
    const names = await readdir(path).catch(() => [] as string[])
    for (const name of names) await makeWritable(join(path, name))
  }
}

function isEntry(path: string): boolean {
  return /^[0-9a-f]{2}\/[^/]+$/.test(path)
}
