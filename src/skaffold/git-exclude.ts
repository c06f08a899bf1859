/**
 * Entries that keep the patched copies out of git's view while they exist.
 * skaffold's default tagger appends `-dirty` to the tag when
 * `git status . --porcelain` prints anything in the artifact's workspace
 * (skaffold pkg/skaffold/tag/git_commit.go GenerateTag), and an untracked
 * copy beside the config counts. git also reads `.git/info/exclude`, which is
 * never committed (gitignore(5)), so the action lists each copy there and
 * removes exactly its own lines afterwards. Pure: text in, text out.
 */

/** The comment line that marks the entry after it as the action's. */
export const EXCLUDE_MARKER =
  '# skaffold-kaniko-cache: patched skaffold config, removed by the post step'

/**
 * The exclude pattern for one file: anchored at the work tree root (leading
 * `/`), with gitignore's special characters escaped (gitignore(5)).
 * @param relativePath the path from the work tree root, `/`-separated.
 */
export function excludePattern(relativePath: string): string {
  const escaped = relativePath
    .replace(/[\\*?[\]!#]/g, (c) => `\\${c}`)
    .replace(/ $/, '\\ ')
  return `/${escaped}`
}

/**
 * Adds each pattern, preceded by the marker, unless the file already has
 * that pattern (the user's line is left to do the job).
 */
export function addExcludeEntries(text: string, patterns: string[]): string {
  const lines = text === '' ? [] : text.replace(/\n$/, '').split('\n')
  const added: string[] = []
  for (const pattern of patterns) {
    if (lines.includes(pattern) || added.includes(pattern)) continue
    added.push(pattern)
  }
  if (added.length === 0) return text
  const head = text === '' || text.endsWith('\n') ? text : `${text}\n`
  return head + added.map((p) => `${EXCLUDE_MARKER}\n${p}\n`).join('')
}

/** Removes the marker + pattern pairs the action added; every other line stays. */
export function removeExcludeEntries(text: string, patterns: string[]): string {
  const lines = text.split('\n')
  const out: string[] = []
  for (let i = 0; i < lines.length; i++) {
    if (lines[i] === EXCLUDE_MARKER && patterns.includes(lines[i + 1])) {
      i++
      continue
    }
    out.push(lines[i])
  }
  return out.join('\n')
}
