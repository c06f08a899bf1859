/**
 * Hash of the files that key the module cache (cache-dependency-path).
 */

/**
 * @actions/glob, loaded on first use: it loads @actions/core and its HTTP
 * stack, which would otherwise delay the step's first log line.
 */
const loadGlob = (): Promise<typeof import('@actions/glob')> =>
  import('@actions/glob')

/**
 * sha256 over the files matched by the globs, relative to root, the way
 * actions/cache's hashFiles() expression does it. '' when nothing matched.
 */
export async function hashDependencyFiles(
  patterns: string[],
  root: string
): Promise<string> {
  const glob = await loadGlob()
  return glob.hashFiles(anchorPatterns(patterns, root).join('\n'), root, {
    followSymbolicLinks: false
  })
}

/** The files the globs match (absolute paths, symlinks not followed), sorted. */
export async function listDependencyFiles(
  patterns: string[],
  root: string
): Promise<string[]> {
  const glob = await loadGlob()
  const globber = await glob.create(anchorPatterns(patterns, root).join('\n'), {
    followSymbolicLinks: false,
    matchDirectories: false
  })
  // Like hashFiles: only files inside the workspace count.
  return (await globber.glob())
    .filter((file) => file.startsWith(`${root.replace(/\/+$/, '')}/`))
    .sort()
}

// @actions/glob resolves relative patterns against the process cwd; anchor them.
function anchorPatterns(patterns: string[], root: string): string[] {
  const anchor = (p: string): string => (p.startsWith('/') ? p : `${root}/${p}`)
  return patterns.map((p) =>
    p.startsWith('!') ? `!${anchor(p.slice(1))}` : anchor(p)
  )
}
