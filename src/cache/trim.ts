/**
 * The GOCACHE trim decision. Go refreshes an entry's mtime
 * when it uses it, at most once an hour (cmd/go/internal/cache: mtimeInterval),
 * so once every restored entry is backdated by more than an hour, an entry
 * whose mtime is still older than the build's start was not used by it.
 * Pure: the adapter lists the files and deletes what this returns.
 */

/** One file in GOCACHE, relative to its root. */
export interface CacheFile {
  /** Relative path with "/" separators, e.g. "3f/3f12…-d". */
  path: string
  mtimeMs: number
  size: number
  /** For an action entry ("…-a"): the output ID it points to (parseActionEntry). */
  outputId?: string
}

/** What to delete and what stays. */
export interface TrimDecision {
  remove: string[]
  keep: string[]
  bytesBefore: number
  bytesAfter: number
  /**
   * No entry was touched since the build started: Go did not run (skaffold
   * found the image in its artifact cache, or kaniko reused the RUN layer).
   * Nothing is removed then: an mtime trim would empty the cache.
   */
  unused: boolean
}

/** Options of decideTrim. */
export interface TrimOptions {
  /** When the build started (epoch ms, same clock as the mtimes). */
  buildStartMs: number
  /**
   * Slack for coarse file-system timestamps; entries are backdated by hours,
   * so minutes of slack cannot keep an unused entry. Default 60 s.
   */
  slackMs?: number
  /** File names at the cache root that are never removed. */
  keepNames?: string[]
}

/**
 * Go's own files at the GOCACHE root: its README, trim.txt (the time of Go's
 * last own trim) and testexpire.txt (go clean -testcache).
 */
export const GO_OWN_FILES = ['README', 'trim.txt', 'testexpire.txt']

const ENTRY_PATH = /^[0-9a-f]{2}\/[^/]+$/

/**
 * Reads the output ID from an action entry ("<id>-a": "v1 <action id>
 * <output id> <size> <time>"), or undefined when the text is not one.
 */
export function parseActionEntry(text: string): string | undefined {
  const match = /^v1 [0-9a-f]{64} ([0-9a-f]{64}) /.exec(text)
  return match?.[1]
}

/**
 * Decides which GOCACHE files to delete: entries (files inside the 256 "xx/"
 * subdirectories) whose mtime is older than the build's start. Go's own files,
 * the caller's keepNames and anything not shaped like an entry are kept.
 *
 * An output ("<id>-d") that a kept action entry points to is kept whatever its
 * mtime: when a build produces an output that is already in the cache, Go
 * checks it and leaves it as it is without refreshing its mtime
 * (cmd/go/internal/cache copyFile), so its age says nothing about its use.
 */
export function decideTrim(
  files: CacheFile[],
  opts: TrimOptions
): TrimDecision {
  const threshold = opts.buildStartMs - (opts.slackMs ?? 60_000)
  const keepNames = new Set([...GO_OWN_FILES, ...(opts.keepNames ?? [])])
  const referenced = new Set<string>()
  for (const f of files) {
    if (f.mtimeMs >= threshold && f.outputId !== undefined) {
      referenced.add(`${f.outputId.slice(0, 2)}/${f.outputId}-d`)
    }
  }
  const remove: string[] = []
  const keep: string[] = []
  let bytesBefore = 0
  let bytesAfter = 0
  for (const file of files) {
    bytesBefore += file.size
    const isEntry =
      ENTRY_PATH.test(file.path) &&
      !keepNames.has(file.path) &&
      !referenced.has(file.path)
    if (isEntry && file.mtimeMs < threshold) {
      remove.push(file.path)
    } else {
      keep.push(file.path)
      bytesAfter += file.size
    }
  }
  const used = files.some(
    (f) => ENTRY_PATH.test(f.path) && f.mtimeMs >= threshold
  )
  if (!used && remove.length > 0) {
    return {
      remove: [],
      keep: files.map((f) => f.path),
      bytesBefore,
      bytesAfter: bytesBefore,
      unused: true
    }
  }
  return { remove, keep, bytesBefore, bytesAfter, unused: false }
}
