/**
 * File work on the cache dirs: backdating and trimming GOCACHE, pruning the
 * module cache to cache/download, measuring dirs, and the stats file. The
 * decisions are pure (src/cache/trim.ts, src/cache/stats.ts); this only walks,
 * stats, deletes and reads/writes.
 */
import { chmod, lstat, readFile, readdir, rm, utimes } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import {
  decideModuleTrim,
  goSumVersions,
  isBuildCacheDir,
  isBuildCacheFile,
  isModuleCacheDir,
  isModuleCacheFile
} from '../cache/layout.js'
import { decideTrim, parseActionEntry, type CacheFile } from '../cache/trim.js'
import {
  parseStats,
  serializeStats,
  STATS_FILE_NAME,
  type BuildStats
} from '../cache/stats.js'
import { readRegularText, replaceFile } from './files.js'

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
  /**
   * Module versions dropped from cache/download (`<path>@<version>`), or
   * undefined when the versions were not trimmed (no go.sum to go by).
   */
  droppedVersions?: string[]
}

/**
 * Keeps only cache/download of a GOMODCACHE (the zips, a GOPROXY layout; Go
 * re-extracts on use), and in it only the module versions this build can
 * use: those the go.sum texts name and those the build extracted
 * (`<module>@<version>` dirs beside cache/: cmd/go/internal/modfetch
 * fetch.go download). Without go.sum texts the versions are left as they
 * are: the go.mod-only versions a build reads leave no other trace. Go makes
 * the extracted trees read-only (0444 files, 0555 dirs), so they are made
 * writable first or rm fails with EACCES (buildkit-cache-dance #26).
 * Symlinks are removed, never followed.
 */
export async function pruneModuleCache(
  dir: string,
  goSums: string[] = []
): Promise<PruneReport> {
  const before = await measureDir(dir)
  const extracted = await listExtractedModules(dir)
  for (const name of await readdir(dir).catch(() => [] as string[])) {
    if (name === 'cache' && (await isRealDir(join(dir, name)))) continue
    await removeTree(join(dir, name))
  }
  const cache = join(dir, 'cache')
  for (const name of await readdir(cache).catch(() => [] as string[])) {
    if (name === 'download' && (await isRealDir(join(cache, name)))) continue
    await removeTree(join(cache, name))
  }
  let droppedVersions: string[] | undefined
  const used = goSumVersions(goSums)
  if (used.size > 0) {
    for (const version of extracted) used.add(version)
    const files = (await listFiles(dir)).map((f) => f.path)
    const decision = decideModuleTrim(files, used)
    for (const path of decision.remove) await removeTree(join(dir, path))
    await removeEmptyDirs(join(dir, 'cache/download'))
    droppedVersions = decision.droppedVersions
  }
  const after = await measureDir(dir)
  return {
    bytesBefore: before.bytes,
    bytesAfter: after.bytes,
    ...(droppedVersions === undefined ? {} : { droppedVersions })
  }
}

/**
 * The modules Go extracted into a GOMODCACHE, `<escaped path>@<escaped
 * version>`: the directories named `<module>@<version>` outside cache/
 * (cmd/go/internal/modfetch cache.go DownloadDir).
 */
export async function listExtractedModules(dir: string): Promise<string[]> {
  const found: string[] = []
  const walk = async (rel: string): Promise<void> => {
    const entries = await readdir(join(dir, rel), {
      withFileTypes: true
    }).catch(() => [])
    for (const entry of entries) {
      if (!entry.isDirectory()) continue
      const path = rel === '' ? entry.name : `${rel}/${entry.name}`
      if (path === 'cache') continue
      if (entry.name.includes('@')) found.push(path)
      else await walk(path)
    }
  }
  await walk('')
  return found.sort()
}

/** What a tree check removed. */
export interface TreeCheck {
  /** Paths removed (a dir once, with a trailing "/"), relative to the root. */
  removed: string[]
  /** Paths that could not be removed. */
  failed: string[]
}

/**
 * Removes every symlink and every file that is neither a regular file nor a
 * directory (FIFO, socket, device) from a cache tree, without following
 * links. Go writes only regular files and directories into its caches
 * (cmd/go/internal/cache and cmd/go/internal/modfetch create files with
 * os.OpenFile / os.WriteFile and dirs with os.MkdirAll, never a link), so
 * anything else was planted by the build.
 */
export async function removeLinksAndSpecialFiles(
  dir: string
): Promise<TreeCheck> {
  return dropUnexpected(
    dir,
    () => true,
    () => true
  )
}

/**
 * Checks a restored cache before any build sees it: keeps only regular files
 * and directories laid out as Go lays out that cache (src/cache/layout.ts)
 * and removes anything else, links and special files included.
 */
export async function checkRestoredCache(
  dir: string,
  which: 'mod' | 'build'
): Promise<TreeCheck> {
  return which === 'mod'
    ? dropUnexpected(dir, isModuleCacheFile, isModuleCacheDir)
    : dropUnexpected(dir, isBuildCacheFile, isBuildCacheDir)
}

/** Empties a cache dir (read-only trees included) without following links. */
export async function emptyCacheDir(dir: string): Promise<void> {
  for (const name of await readdir(dir).catch(() => [] as string[])) {
    await removeTree(join(dir, name))
  }
}

async function dropUnexpected(
  dir: string,
  fileAllowed: (path: string) => boolean,
  dirAllowed: (path: string) => boolean
): Promise<TreeCheck> {
  const removed: string[] = []
  const failed: string[] = []
  const drop = async (path: string, shown: string): Promise<void> => {
    try {
      await removeTree(join(dir, path))
      removed.push(shown)
    } catch {
      failed.push(shown)
    }
  }
  const walk = async (rel: string): Promise<void> => {
    const entries = await readdir(join(dir, rel), {
      withFileTypes: true
    }).catch(() => [])
    for (const entry of entries) {
      const path = rel === '' ? entry.name : `${rel}/${entry.name}`
      if (entry.isDirectory()) {
        if (dirAllowed(path)) await walk(path)
        else await drop(path, `${path}/`)
      } else if (!entry.isFile() || !fileAllowed(path)) {
        await drop(path, path)
      }
    }
  }
  await walk('')
  return { removed: removed.sort(), failed: failed.sort() }
}

/**
 * Removes a file, link or tree; links are removed, never followed. Read-only
 * dirs (Go's extracted modules) are made writable first, the parent too.
 */
async function removeTree(path: string): Promise<void> {
  const info = await lstat(path).catch(() => undefined)
  if (!info) return
  if (info.isDirectory()) await makeWritable(path)
  try {
    await rm(path, { recursive: true, force: true })
  } catch {
    const parent = await lstat(dirname(path))
    await chmod(dirname(path), parent.mode | 0o200)
    await rm(path, { recursive: true, force: true })
  }
}

/** Removes the dirs under dir that hold no file (links are not followed). */
async function removeEmptyDirs(dir: string): Promise<boolean> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => [])
  let empty = true
  for (const entry of entries) {
    const path = join(dir, entry.name)
    if (entry.isDirectory() && (await removeEmptyDirs(path))) {
      await rm(path, { recursive: true, force: true })
    } else {
      empty = false
    }
  }
  return empty
}

async function isRealDir(path: string): Promise<boolean> {
  const info = await lstat(path).catch(() => undefined)
  return info?.isDirectory() === true
}

/**
 * Writes the relative path of every file under dir, one a line, to
 * listFile, for the differential save. Returns the count and total bytes.
 */
export async function recordRestoredEntries(
  dir: string,
  listFile: string
): Promise<{ files: number; bytes: number }> {
  const files = await listFiles(dir)
  await replaceFile(listFile, files.map((f) => `${f.path}\n`).join(''), 0o600)
  return {
    files: files.length,
    bytes: files.reduce((sum, f) => sum + f.size, 0)
  }
}

/** The names recordRestoredEntries wrote, or undefined when unreadable. */
export async function readRestoredEntries(
  listFile: string
): Promise<Set<string> | undefined> {
  const text = await readRegularText(listFile)
  if (text === undefined) return undefined
  return new Set(text.split('\n').filter((line) => line !== ''))
}

/** Reads the stats file from a GOCACHE dir; missing, a link or garbage gives empty stats. */
export async function readStatsFile(buildDir: string): Promise<BuildStats> {
  return parseStats(await readRegularText(join(buildDir, STATS_FILE_NAME)))
}

/**
 * Writes the stats file into a GOCACHE dir (before the save), replacing
 * whatever is at its path rather than writing through it.
 */
export async function writeStatsFile(
  buildDir: string,
  stats: BuildStats
): Promise<void> {
  await replaceFile(
    join(buildDir, STATS_FILE_NAME),
    serializeStats(stats),
    0o644
  )
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
