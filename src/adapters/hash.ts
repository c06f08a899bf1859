/**
 * Hash of the files that key the module cache (cache-dependency-path).
 */
import * as glob from '@actions/glob'

/**
 * sha256 over the files matched by the globs, relative to root, the way
 * actions/cache's hashFiles() expression does it. '' when nothing matched.
 */
export async function hashDependencyFiles(
  patterns: string[],
  root: string
): Promise<string> {
  // @actions/glob resolves relative patterns against the process cwd; anchor them.
  const anchor = (p: string): string => (p.startsWith('/') ? p : `${root}/${p}`)
  const anchored = patterns.map((p) =>
    p.startsWith('!') ? `!${anchor(p.slice(1))}` : anchor(p)
  )
  return glob.hashFiles(anchored.join('\n'), root, {
    followSymbolicLinks: false
  })
}
