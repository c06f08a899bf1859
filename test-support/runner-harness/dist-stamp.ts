/**
 * The stamp that ties dist/ to the sources it was bundled from: a SHA-256
 * over every file under src/ and the files that decide how they bundle
 * (package.json, package-lock.json, tsconfig.json), by path and content.
 * `npm run bundle` writes it to dist/source.sha256 (scripts/dist-stamp.ts);
 * the harness refuses to run a dist/ whose stamp does not match the
 * checkout, since its tests would then test old code. Content only, sorted
 * paths: the same sources give the same stamp on every machine, so CI's
 * "dist equals a fresh bundle" check still holds.
 */
import { createHash } from 'node:crypto'
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs'
import { join, relative, sep } from 'node:path'

/** The stamp file, relative to the action's root. */
export const STAMP_FILE = join('dist', 'source.sha256')

const BUNDLE_INPUTS = ['package.json', 'package-lock.json', 'tsconfig.json']

function filesUnder(dir: string): string[] {
  const out: string[] = []
  for (const name of readdirSync(dir)) {
    const path = join(dir, name)
    if (statSync(path).isDirectory()) out.push(...filesUnder(path))
    else out.push(path)
  }
  return out
}

/** The stamp of the sources under `root` (the repository root). */
export function sourceStamp(root: string): string {
  const files = [
    ...filesUnder(join(root, 'src')),
    ...BUNDLE_INPUTS.map((f) => join(root, f)).filter((f) => existsSync(f))
  ]
    .map((f) => relative(root, f).split(sep).join('/'))
    .sort()
  const hash = createHash('sha256')
  for (const file of files) {
    const content = createHash('sha256')
      .update(readFileSync(join(root, file)))
      .digest('hex')
    hash.update(`${file}\0${content}\n`)
  }
  return hash.digest('hex')
}

/**
 * Why dist/ under `root` cannot be trusted to be the bundle of its sources,
 * or undefined when its stamp matches. A root without src/ (a stand-in
 * action, a copy of action.yml and dist/) is not checked.
 */
export function staleDist(root: string): string | undefined {
  if (!existsSync(join(root, 'src'))) return undefined
  const stampPath = join(root, STAMP_FILE)
  if (!existsSync(stampPath)) {
    return `${stampPath} is missing: dist/ was not made by this checkout's npm run bundle. Run npm run bundle`
  }
  const recorded = readFileSync(stampPath, 'utf8').trim()
  if (recorded !== sourceStamp(root)) {
    return `dist/ is stale: src/ (or package.json, package-lock.json, tsconfig.json) changed since the last npm run bundle (${stampPath} does not match). Run npm run bundle`
  }
  return undefined
}
