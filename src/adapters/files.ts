/**
 * Plain file-system facts the orchestrators need. Typed results, no throwing
 * for "not there".
 */
import { randomBytes } from 'node:crypto'
import { constants, promises as fs } from 'node:fs'
import { basename, dirname, join } from 'node:path'

/** Kind of the entry at path, or 'missing'. */
export async function pathKind(
  path: string
): Promise<'file' | 'directory' | 'other' | 'missing'> {
  try {
    const stat = await fs.stat(path)
    if (stat.isFile()) return 'file'
    if (stat.isDirectory()) return 'directory'
    return 'other'
  } catch {
    return 'missing'
  }
}

/** Reads a UTF-8 text file, or undefined when it cannot be read. */
export async function readTextIfExists(
  path: string
): Promise<string | undefined> {
  try {
    return await fs.readFile(path, 'utf8')
  } catch {
    return undefined
  }
}

/** Writes a UTF-8 file with the given mode, creating parent dirs. */
export async function writeText(
  path: string,
  text: string,
  mode = 0o600
): Promise<void> {
  await fs.mkdir(dirname(path), { recursive: true })
  await replaceFile(path, text, mode)
}

/**
 * Writes a file by a fresh temporary file beside it and a rename, so nothing
 * already at the path is followed: a symlink planted there is replaced, not
 * written through, and the content never exists with a wider mode. The
 * temporary file is created with O_EXCL ('wx'), which refuses a symlink.
 */
export async function replaceFile(
  path: string,
  text: string,
  mode = 0o600
): Promise<void> {
  const temp = join(
    dirname(path),
    `.${basename(path)}.${process.pid}-${randomBytes(6).toString('hex')}.tmp`
  )
  try {
    await fs.writeFile(temp, text, { mode, flag: 'wx' })
    // The mode given to open is narrowed by the umask: set it exactly.
    await fs.chmod(temp, mode)
    await fs.rename(temp, path)
  } catch (error) {
    await fs.rm(temp, { force: true }).catch(() => undefined)
    throw error
  }
}

/**
 * Reads a UTF-8 file without following a symlink at its path (O_NOFOLLOW);
 * undefined when it is missing, a link or not a regular file.
 */
export async function readRegularText(
  path: string
): Promise<string | undefined> {
  let handle: fs.FileHandle | undefined
  try {
    handle = await fs.open(path, constants.O_RDONLY | constants.O_NOFOLLOW)
    if (!(await handle.stat()).isFile()) return undefined
    return await handle.readFile('utf8')
  } catch {
    return undefined
  } finally {
    await handle?.close()
  }
}

/**
 * Makes path a real directory: anything else there (a symlink, a file) is
 * removed first, so nothing mounted or written later lands elsewhere.
 */
export async function ensureRealDir(path: string): Promise<void> {
  const info = await fs.lstat(path).catch(() => undefined)
  if (info && !info.isDirectory()) await fs.rm(path, { force: true })
  await fs.mkdir(path, { recursive: true })
}
