/**
 * Plain file-system facts the orchestrators need. Typed results, no throwing
 * for "not there".
 */
import { promises as fs } from 'node:fs'

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
  await fs.mkdir(path.slice(0, path.lastIndexOf('/')) || '/', {
    recursive: true
  })
  await fs.writeFile(path, text, { mode })
}

/** Creates a directory (and parents). */
export async function ensureDir(path: string): Promise<void> {
  await fs.mkdir(path, { recursive: true })
}
