/**
 * The client half of `docker cp <container>:<path> <dest>`: extracts the
 * daemon's tar archive as the docker CLI does, as the calling user.
 *
 * docker/cli (cli/command/container/cp.go, copyFromContainer) hands the
 * archive to moby/go-archive `CopyTo` (copy.go), which picks the directory to
 * extract into (`PrepareArchiveCopy`) and calls `Untar` with
 * `NoLchown: true, NoOverwriteDirNonDir: true`. `Unpack` (archive.go) then
 * creates each entry with its final mode at once: `createTarFile` makes a
 * directory with `Mkdir(dstPath, hdrInfo.Mode()&0o777)` and applies the exact
 * mode with `handleLChmod` (archive_unix.go) before the next entry; only the
 * directories' times wait for the end of the archive. So a directory of mode
 * 0555 in the archive (Go's extracted module trees) is read-only before its
 * files are written, and a user other than root gets EACCES. GNU tar, by
 * contrast, defers directory modes, which is why this is written out here.
 */
import {
  chmodSync,
  closeSync,
  existsSync,
  linkSync,
  lstatSync,
  lutimesSync,
  mkdirSync,
  openSync,
  rmSync,
  statSync,
  symlinkSync,
  utimesSync,
  writeSync,
  constants
} from 'node:fs'
import { dirname, join, posix } from 'node:path'

/** One tar entry, after PAX and GNU long-name records are applied. */
export interface TarEntry {
  name: string
  /** '0' file, '1' hard link, '2' symlink, '5' directory (others are refused). */
  type: string
  mode: number
  mtime: number
  linkname: string
  data: Buffer
}

function field(block: Buffer, offset: number, length: number): string {
  const raw = block.subarray(offset, offset + length)
  const end = raw.indexOf(0)
  return raw.subarray(0, end < 0 ? length : end).toString('utf8')
}

function octal(block: Buffer, offset: number, length: number): number {
  const text = field(block, offset, length).trim()
  return text === '' ? 0 : parseInt(text, 8)
}

/** PAX extended header records: `<len> <key>=<value>\n`. */
function paxRecords(data: Buffer): Record<string, string> {
  const records: Record<string, string> = {}
  let at = 0
  while (at < data.length) {
    const space = data.indexOf(0x20, at)
    if (space < 0) break
    const length = Number(data.subarray(at, space).toString('ascii'))
    if (!Number.isInteger(length) || length <= 0) break
    const record = data.subarray(space + 1, at + length - 1).toString('utf8')
    const eq = record.indexOf('=')
    if (eq > 0) records[record.slice(0, eq)] = record.slice(eq + 1)
    at += length
  }
  return records
}

/** Reads a ustar/PAX/GNU tar archive into entries (Go's archive/tar reads the same formats). */
export function readTar(archive: Buffer): TarEntry[] {
  const entries: TarEntry[] = []
  let at = 0
  let pax: Record<string, string> = {}
  let longName: string | undefined
  let longLink: string | undefined
  while (at + 512 <= archive.length) {
    const header = archive.subarray(at, at + 512)
    if (header.every((b) => b === 0)) break
    const size = octal(header, 124, 12)
    const type = field(header, 156, 1) || '0'
    const data = archive.subarray(at + 512, at + 512 + size)
    at += 512 + Math.ceil(size / 512) * 512
    if (type === 'x') {
      pax = { ...pax, ...paxRecords(data) }
      continue
    }
    if (type === 'g') continue
    if (type === 'L') {
      longName = field(data, 0, data.length)
      continue
    }
    if (type === 'K') {
      longLink = field(data, 0, data.length)
      continue
    }
    const prefix = field(header, 345, 155)
    const shortName = field(header, 0, 100)
    const name =
      pax.path ??
      longName ??
      (prefix === '' ? shortName : `${prefix}/${shortName}`)
    entries.push({
      name,
      type: type === '\0' || type === '7' ? '0' : type,
      mode: octal(header, 100, 8) & 0o7777,
      mtime: pax.mtime ? Number(pax.mtime) : octal(header, 136, 12),
      linkname: pax.linkpath ?? longLink ?? field(header, 157, 100),
      data
    })
    pax = {}
    longName = undefined
    longLink = undefined
  }
  return entries
}

/** A failure of the extraction, worded as the docker CLI prints it (exit 1). */
export class CopyError extends Error {}

function fsError(op: string, path: string, error: unknown): CopyError {
  const code = (error as NodeJS.ErrnoException).code
  const text =
    code === 'EACCES'
      ? 'permission denied'
      : code === 'ENOENT'
        ? 'no such file or directory'
        : code === 'ENOTDIR'
          ? 'not a directory'
          : ((error as Error).message ?? String(error))
  return new CopyError(`${op} ${path}: ${text}`)
}

function attempt<T>(op: string, path: string, action: () => T): T {
  try {
    return action()
  } catch (error) {
    throw fsError(op, path, error)
  }
}

/**
 * moby/go-archive archive.go `Unpack` with `NoLchown` and
 * `NoOverwriteDirNonDir` (what `CopyTo` passes): entries in archive order,
 * each created with its final mode; directory times set last.
 */
export function unpack(entries: readonly TarEntry[], dest: string): void {
  const dirs: { path: string; mtime: number }[] = []
  for (const entry of entries) {
    // Unpack: strip a leading "/", clean, skip ".", refuse a breakout.
    const name = posix.normalize(entry.name.replace(/^\/+/, ''))
    const clean = name.replace(/\/+$/, '')
    if (clean === '.' || clean === '') continue
    if (clean === '..' || clean.startsWith('../'))
      throw new CopyError(`invalid entry name "${entry.name}"`)
    const path = join(dest, clean)
    const isDirEntry = entry.type === '5'
    if (!['0', '1', '2', '5'].includes(entry.type)) {
      throw new CopyError(
        `cluster double: docker cp of tar entry type ${JSON.stringify(entry.type)} (${clean}) is not modelled`
      )
    }
    // Unpack: an existing path is removed and replaced, except a directory
    // meeting a directory (merged); NoOverwriteDirNonDir refuses the mixes.
    let existing: ReturnType<typeof lstatSync> | undefined
    try {
      existing = lstatSync(path)
    } catch {
      existing = undefined
    }
    if (existing !== undefined) {
      if (existing.isDirectory() && !isDirEntry)
        throw new CopyError(
          `cannot overwrite directory "${clean}" with non-directory "${dest}"`
        )
      if (!existing.isDirectory() && isDirEntry)
        throw new CopyError(
          `cannot overwrite non-directory "${clean}" with directory "${dest}"`
        )
      if (!isDirEntry)
        attempt('unlinkat', clean, () => rmSync(path, { force: true }))
    }
    // createImpliedDirectories: missing parents become 0755 dirs.
    const parent = dirname(path)
    if (!existsSync(parent))
      attempt('mkdirat', dirname(clean), () =>
        mkdirSync(parent, { recursive: true, mode: 0o755 })
      )
    // createTarFile, then handleLChmod (no chmod for a symlink).
    if (isDirEntry) {
      if (existing === undefined)
        attempt('mkdirat', clean, () =>
          mkdirSync(path, { mode: entry.mode & 0o777 })
        )
    } else if (entry.type === '0') {
      const fd = attempt('openat', clean, () =>
        openSync(
          path,
          constants.O_CREAT | constants.O_WRONLY | constants.O_TRUNC,
          entry.mode & 0o777
        )
      )
      try {
        writeSync(fd, entry.data)
      } finally {
        closeSync(fd)
      }
    } else if (entry.type === '2') {
      attempt('symlinkat', clean, () => symlinkSync(entry.linkname, path))
    } else {
      const target = join(dest, posix.normalize(entry.linkname))
      attempt('linkat', clean, () => linkSync(target, path))
    }
    if (entry.type !== '2')
      attempt('fchmodat2', clean, () => chmodSync(path, entry.mode))
    if (isDirEntry) dirs.push({ path, mtime: entry.mtime })
    else if (entry.type === '2')
      attempt('lchtimes', clean, () =>
        lutimesSync(path, entry.mtime, entry.mtime)
      )
    else
      attempt('chtimes', clean, () =>
        utimesSync(path, entry.mtime, entry.mtime)
      )
  }
  // Directory mtimes last, so later entries do not change them.
  for (const dir of dirs)
    attempt('chtimes', dir.path, () =>
      utimesSync(dir.path, dir.mtime, dir.mtime)
    )
}

/**
 * copy.go `CopyTo`: the destination need not exist but its parent must
 * (`CopyInfoDestinationPath`); into an existing directory the archive is
 * extracted as it is, otherwise its top entry is renamed to the
 * destination's base name and extracted into the parent
 * (`PrepareArchiveCopy`, `RebaseArchiveEntries`).
 * @param archive the daemon's archive of `<path>` (top entry `name`) or of
 *   `<path>/.` (entries relative to the directory, `name` is `.`).
 */
export function copyTo(archive: Buffer, name: string, dest: string): void {
  const entries = readTar(archive)
  if (existsSync(dest) && statSync(dest).isDirectory()) {
    unpack(entries, dest)
    return
  }
  const parent = dirname(dest)
  let parentIsDir: boolean
  try {
    parentIsDir = statSync(parent).isDirectory()
  } catch (error) {
    throw fsError('stat', parent, error)
  }
  if (!parentIsDir) throw new CopyError('not a directory')
  const base = posix.basename(dest)
  const rebase = (entryName: string): string => {
    const clean = posix.normalize(entryName.replace(/^\/+/, ''))
    if (name === '.') return clean === '.' ? base : posix.join(base, clean)
    if (clean === name || clean === `${name}/`) return base
    return clean.startsWith(`${name}/`)
      ? posix.join(base, clean.slice(name.length + 1))
      : clean
  }
  unpack(
    entries.map((e) => ({ ...e, name: rebase(e.name) })),
    parent
  )
}
