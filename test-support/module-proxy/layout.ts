/**
 * Builds a file-layout GOPROXY (https://go.dev/ref/mod#goproxy-protocol) from
 * Go module source trees: `<module>/@v/list`, `<version>.info`, `.mod` and
 * `.zip` in the module zip format (https://go.dev/ref/mod#zip-files).
 */
import { mkdir, readFile, readdir, writeFile, lstat } from 'node:fs/promises'
import { join } from 'node:path'
import { writeZip, type ZipEntry } from './zip.js'

/** A module version to publish in the proxy. */
export interface ModuleSource {
  /** Module path, e.g. gopkg.in/yaml.v3. */
  path: string
  /** Canonical semantic version, e.g. v3.0.1. */
  version: string
  /**
   * Source tree of the module. Absent for a graph-only module: only its
   * go.mod is published (go reads it to build the module graph but never
   * downloads its zip, like a test-only dependency of a dependency).
   */
  dir?: string
  /** go.mod content when `dir` has none (default: `module <path>`). */
  goMod?: string
  /** Commit time reported in .info (default 2023-01-01T00:00:00Z). */
  time?: string
}

/** Escapes a module path or version for proxy URLs: upper case → `!lower`. */
export function escapeModulePath(path: string): string {
  return path.replace(/[A-Z]/g, (c) => `!${c.toLowerCase()}`)
}

// Directories the module zip never contains: VCS metadata and vendor trees.
const SKIPPED_DIRS = new Set(['.git', '.hg', '.svn', '.bzr', 'vendor'])

/** Lists the files that belong in a module zip, relative to the module root. */
export async function listModuleFiles(root: string): Promise<string[]> {
  const files: string[] = []
  async function walk(rel: string): Promise<void> {
    const entries = await readdir(join(root, rel), { withFileTypes: true })
    const names = entries.map((e) => e.name)
    // A subdirectory with its own go.mod is another module.
    if (rel !== '' && names.includes('go.mod')) return
    for (const entry of entries) {
      const relPath = rel === '' ? entry.name : `${rel}/${entry.name}`
      if (entry.isDirectory()) {
        if (!SKIPPED_DIRS.has(entry.name)) await walk(relPath)
      } else if (entry.isFile()) {
        files.push(relPath)
      }
      // Symlinks and other non-regular files are not part of a module zip.
    }
  }
  await walk('')
  return files.sort()
}

/** Reads the go.mod a module version publishes. */
export async function readGoMod(source: ModuleSource): Promise<string> {
  if (source.dir !== undefined) {
    const path = join(source.dir, 'go.mod')
    const stat = await lstat(path).catch(() => undefined)
    if (stat?.isFile()) return readFile(path, 'utf8')
  }
  return source.goMod ?? `module ${source.path}\n`
}

/** Writes the proxy layout for every module into `outDir`. */
export async function writeProxyLayout(
  modules: readonly ModuleSource[],
  outDir: string
): Promise<void> {
  const versions = new Map<string, string[]>()
  for (const source of modules) {
    const base = join(outDir, escapeModulePath(source.path), '@v')
    await mkdir(base, { recursive: true })
    const version = escapeModulePath(source.version)
    const info = {
      Version: source.version,
      Time: source.time ?? '2023-01-01T00:00:00Z'
    }
    await writeFile(join(base, `${version}.info`), JSON.stringify(info))
    await writeFile(join(base, `${version}.mod`), await readGoMod(source))
    if (source.dir !== undefined) {
      const prefix = `${source.path}@${source.version}/`
      const entries: ZipEntry[] = []
      for (const rel of await listModuleFiles(source.dir)) {
        entries.push({
          name: prefix + rel,
          data: await readFile(join(source.dir, rel))
        })
      }
      await writeFile(join(base, `${version}.zip`), writeZip(entries))
    }
    versions.set(base, [...(versions.get(base) ?? []), source.version])
  }
  for (const [base, list] of versions) {
    await writeFile(join(base, 'list'), list.join('\n') + '\n')
  }
}
