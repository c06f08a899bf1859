/**
 * The copies the action writes beside the user's files (patched skaffold
 * configs, Dockerfile copies) and their lines in git's info/exclude: listed
 * when written, removed by the post step. Kept apart from the skaffold and
 * Dockerfile code so the post step, which only removes the copies, loads
 * neither yaml nor dockerfile-ast.
 */
import { readFile, rm, stat } from 'node:fs/promises'
import { dirname, join, relative, resolve, sep } from 'node:path'
import {
  addExcludeEntries,
  excludePattern,
  removeExcludeEntries
} from '../skaffold/git-exclude.js'
import { replaceFile, writeText } from './files.js'

/**
 * Writes files the action puts beside the user's (each a new file renamed
 * into place, so a symlink already at the path is replaced, not written
 * through) and lists them in git's info/exclude: an untracked file would make
 * skaffold's git tagger append -dirty.
 * @returns the paths written (the post step removes them).
 */
export async function writeUntrackedCopies(
  files: { path: string; text: string; mode: number }[]
): Promise<string[]> {
  const written: string[] = []
  for (const file of files) {
    await replaceFile(file.path, file.text, file.mode)
    written.push(file.path)
  }
  await excludeCopiesFromGit(written)
  return written
}

/** Lists the copies in their work tree's git info/exclude (best effort). */
async function excludeCopiesFromGit(files: string[]): Promise<void> {
  await editGitExcludes(files, addExcludeEntries)
}

/**
 * Where git keeps the info/exclude file for `file`'s work tree, and the
 * file's path from that work tree's root; null outside a git work tree. A
 * `.git` file (a linked worktree or submodule) names its git dir, whose
 * `commondir` names the repository's shared dir, where info/ lives
 * (gitrepository-layout(5)).
 */
async function gitExcludeFor(
  file: string
): Promise<{ exclude: string; relativePath: string } | null> {
  let dir = dirname(resolve(file))
  for (;;) {
    const dotGit = join(dir, '.git')
    const info = await stat(dotGit).catch(() => null)
    if (info !== null) {
      let gitDir = dotGit
      if (info.isFile()) {
        const match = /^gitdir:\s*(.+?)\s*$/m.exec(
          await readFile(dotGit, 'utf8')
        )
        if (match === null) return null
        gitDir = resolve(dir, match[1])
      }
      const common = await readFile(join(gitDir, 'commondir'), 'utf8').catch(
        () => ''
      )
      const commonDir = common.trim() ? resolve(gitDir, common.trim()) : gitDir
      return {
        exclude: join(commonDir, 'info', 'exclude'),
        relativePath: relative(dir, resolve(file)).split(sep).join('/')
      }
    }
    const parent = dirname(dir)
    if (parent === dir) return null
    dir = parent
  }
}

/**
 * Applies `edit` to the info/exclude file of each file's work tree with the
 * files' patterns. Best effort: a file outside git, or an exclude file that
 * cannot be written, only costs the `-dirty` suffix.
 */
async function editGitExcludes(
  files: string[],
  edit: (text: string, patterns: string[]) => string
): Promise<void> {
  const byExclude = new Map<string, string[]>()
  for (const file of files) {
    const found = await gitExcludeFor(file).catch(() => null)
    if (found === null) continue
    const patterns = byExclude.get(found.exclude) ?? []
    patterns.push(excludePattern(found.relativePath))
    byExclude.set(found.exclude, patterns)
  }
  for (const [exclude, patterns] of byExclude) {
    try {
      const text = await readFile(exclude, 'utf8').catch(() => '')
      const edited = edit(text, patterns)
      if (edited === text) continue
      // git writes info/exclude 0644; replaced, never written through a link.
      await writeText(exclude, edited, 0o644)
    } catch {
      // Not ours to fail over: the tag only gets -dirty.
    }
  }
}

/**
 * Removes the patched copies and their git exclude entries; never throws
 * (post step).
 */
export async function removePatchedCopies(
  paths: string[]
): Promise<{ removed: string[]; failed: { path: string; error: string }[] }> {
  await editGitExcludes(paths, removeExcludeEntries)
  const removed: string[] = []
  const failed: { path: string; error: string }[] = []
  for (const path of paths) {
    try {
      await rm(path, { force: true })
      removed.push(path)
    } catch (error) {
      failed.push({ path, error: (error as Error).message })
    }
  }
  return { removed, failed }
}
