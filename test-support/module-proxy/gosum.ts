/**
 * go.sum lines for the modules this proxy serves. The proxy's zips are made
 * from Debian's source trees, which differ from the upstream module zips
 * (upstream zips also carry LICENSE, README, ...), so the examples' go.sum,
 * which holds upstream's hashes, does not verify against this proxy. The
 * local stack gives each checkout a test-only go.sum with the hashes of what
 * this proxy serves, computed as the go command computes them.
 */
import { createHash } from 'node:crypto'
import { readFile, readdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { listModuleFiles, readGoMod, type ModuleSource } from './layout.js'

/**
 * Go's "h1:" hash of a file tree (golang.org/x/mod/sumdb/dirhash Hash1):
 * SHA-256 over one line `<sha256 hex of the file>  <name>\n` per file in
 * name order, base64 encoded.
 */
export function hash1(
  files: readonly { name: string; data: Buffer }[]
): string {
  const summary = createHash('sha256')
  for (const file of [...files].sort((a, b) =>
    a.name < b.name ? -1 : a.name > b.name ? 1 : 0
  )) {
    const digest = createHash('sha256').update(file.data).digest('hex')
    summary.update(`${digest}  ${file.name}\n`)
  }
  return `h1:${summary.digest('base64')}`
}

/**
 * The two go.sum hashes of a module version as this proxy serves it: the zip
 * (file names `<path>@<version>/<file>`, as in the zip: go's modfetch
 * HashZip) and the go.mod (one file named go.mod: modfetch hashGoMod).
 * The zip hash is undefined for a module published with its go.mod only.
 */
export async function moduleHashes(
  source: ModuleSource
): Promise<{ zip?: string; goMod: string }> {
  const goMod = hash1([
    { name: 'go.mod', data: Buffer.from(await readGoMod(source)) }
  ])
  if (source.dir === undefined) return { goMod }
  const prefix = `${source.path}@${source.version}/`
  const files = []
  for (const rel of await listModuleFiles(source.dir)) {
    files.push({
      name: prefix + rel,
      data: await readFile(join(source.dir, rel))
    })
  }
  return { zip: hash1(files), goMod }
}

/**
 * Rewrites a go.sum so every line carries the hash of what the proxy serves
 * for that module version.
 * @throws when a line names a module version the proxy does not serve.
 */
export async function localGoSum(
  goSum: string,
  sources: readonly ModuleSource[]
): Promise<string> {
  const lines: string[] = []
  for (const line of goSum.split('\n')) {
    if (line.trim() === '') continue
    const [path, version] = line.split(/\s+/)
    const goModLine = version.endsWith('/go.mod')
    const bare = goModLine ? version.slice(0, -'/go.mod'.length) : version
    const source = sources.find((s) => s.path === path && s.version === bare)
    if (source === undefined)
      throw new Error(
        `module proxy: go.sum names ${path} ${bare}, which the local proxy does not serve (add it to test-support/module-proxy/debian.ts)`
      )
    const hashes = await moduleHashes(source)
    const hash = goModLine ? hashes.goMod : hashes.zip
    if (hash === undefined)
      throw new Error(
        `module proxy: go.sum needs the zip of ${path} ${bare}, which the local proxy publishes as go.mod only`
      )
    lines.push(`${path} ${version} ${hash}`)
  }
  return lines.join('\n') + '\n'
}

/**
 * Swaps the go.sum of every module directly under `dir` (e.g. a checkout's
 * examples/) for its local-proxy version. Returns the files rewritten.
 */
export async function useLocalGoSums(
  dir: string,
  sources: readonly ModuleSource[]
): Promise<string[]> {
  const written: string[] = []
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if (!entry.isDirectory()) continue
    const file = join(dir, entry.name, 'go.sum')
    const text = await readFile(file, 'utf8').catch(() => undefined)
    if (text === undefined) continue
    await writeFile(file, await localGoSum(text, sources))
    written.push(file)
  }
  return written
}
