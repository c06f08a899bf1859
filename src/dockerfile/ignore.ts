/**
 * Keeps the action's temporary files (the patched skaffold copies, the
 * Dockerfile copies) out of the build context skaffold sends kaniko.
 *
 * skaffold v2.24.0 builds the context tar from the Dockerfile's COPY/ADD
 * sources minus the excludes of ONE ignore file: `<Dockerfile>.dockerignore`
 * when it exists, else the context's `.dockerignore`; the Dockerfile itself
 * is always sent (skaffold pkg/skaffold/docker/dependencies.go
 * readDockerignore and getDependencies). So `<used Dockerfile>.dockerignore`
 * holding the rules that applied before plus the temporary files' names
 * hides them, as long as that file is not the user's: it is written beside a
 * Dockerfile copy, or beside an original that has none. Pure: data in, data
 * out.
 */
import { posix } from 'node:path'

/** One artifact's build context, as the adapter reads it. */
export interface ArtifactContext {
  image: string
  /** Absolute path of the artifact's context directory. */
  context: string
  /** Absolute path of the Dockerfile the artifact names (the original). */
  dockerfile: string
  /** Absolute path of the Dockerfile the build uses: a copy, or the original. */
  used: string
  /** Text of `<original>.dockerignore`; undefined when there is none. */
  ownIgnore?: string
  /** Text of `<context>/.dockerignore`; undefined when there is none. */
  contextIgnore?: string
}

/** An ignore file to write (the post step removes it). */
export interface ContextIgnoreFile {
  path: string
  text: string
  images: string[]
}

/** What the build context of an artifact still holds, and why. */
export interface ContextIgnoreLeft {
  image: string
  /** The temporary files (context-relative) the context still holds. */
  files: string[]
  reason: string
}

/** The ignore files to write, and the artifacts whose context keeps a copy. */
export interface ContextIgnorePlan {
  files: ContextIgnoreFile[]
  left: ContextIgnoreLeft[]
}

/** The comment line that starts the action's patterns in an ignore file. */
export const IGNORE_MARKER =
  "# skaffold-kaniko-cache: the action's temporary copies, kept out of the build context"

/**
 * One path as an ignore pattern matching only itself: the wildcard and
 * escape characters of moby/patternmatcher (Go filepath.Match syntax)
 * escaped, and a leading `!` or `#` escaped so it is neither an exception
 * nor a comment (moby/buildkit frontend/dockerfile/dockerignore ReadAll).
 * Undefined for a name ReadAll cannot express (surrounding white space is
 * trimmed).
 */
export function ignorePattern(relativePath: string): string | undefined {
  if (relativePath.trim() !== relativePath) return undefined
  return relativePath.replace(/[\\*?[\]]/g, '\\$&').replace(/^[!#]/, '\\$&')
}

/** Paths under `dir`, relative to it, `/`-separated; others left out. */
function under(dir: string, paths: string[]): string[] {
  return paths
    .map((p) => posix.relative(dir, p))
    .filter((rel) => rel !== '' && !rel.startsWith('../') && rel !== '..')
}

/**
 * Decides the ignore files. `written` lists every temporary file the action
 * has written (config copies and Dockerfile copies). For each artifact whose
 * context holds some of them, `<used Dockerfile>.dockerignore` is written
 * with the rules skaffold would otherwise read, then the temporary files'
 * patterns (the ignore file's own included, so it is not sent either). An
 * original that has its own `<Dockerfile>.dockerignore` keeps it untouched:
 * that artifact is listed in `left`.
 */
export function planContextIgnores(
  artifacts: ArtifactContext[],
  written: string[]
): ContextIgnorePlan {
  const plan: ContextIgnorePlan = { files: [], left: [] }
  const writable = artifacts.filter(
    (a) => a.used !== a.dockerfile || a.ownIgnore === undefined
  )
  const candidates = [...new Set(writable.map((a) => `${a.used}.dockerignore`))]
  const temporary = [...new Set([...written, ...candidates])]
  // Every artifact whose build would read an ignore file written at a path,
  // with the rules it reads today: one file can serve them only when those
  // rules are the same (else it would change another context's rules).
  const readers = new Map<string, ArtifactContext[]>()
  for (const artifact of writable) {
    const path = `${artifact.used}.dockerignore`
    readers.set(path, [...(readers.get(path) ?? []), artifact])
  }
  for (const artifact of artifacts) {
    const path = `${artifact.used}.dockerignore`
    const hidden = under(
      artifact.context,
      temporary.filter((p) => p !== artifact.used)
    ).sort()
    const others = hidden.filter(
      (rel) => posix.join(artifact.context, rel) !== path
    )
    const isCopy = artifact.used !== artifact.dockerfile
    if (!isCopy && artifact.ownIgnore !== undefined) {
      if (others.length > 0) {
        plan.left.push({
          image: artifact.image,
          files: others,
          reason: `${artifact.dockerfile}.dockerignore is yours and is not changed; add the line .skaffold-kaniko-cache.* to it to keep them out`
        })
      }
      continue
    }
    // A copy carries its original's own rules even when nothing is hidden.
    if (others.length === 0 && !(isCopy && artifact.ownIgnore !== undefined))
      continue
    const base = rulesOf(artifact)
    const differing = (readers.get(path) ?? []).filter(
      (other) => rulesOf(other) !== base
    )
    if (differing.length > 0) {
      plan.left.push({
        image: artifact.image,
        files: others,
        reason: `another artifact (${differing.map((a) => a.image).join(', ')}) builds the same Dockerfile with a different .dockerignore`
      })
      continue
    }
    const patterns = hidden.map(ignorePattern)
    const unexpressed = hidden.filter((_, i) => patterns[i] === undefined)
    if (unexpressed.length > 0) {
      plan.left.push({
        image: artifact.image,
        files: unexpressed,
        reason: 'an ignore pattern cannot name a path with surrounding spaces'
      })
    }
    const lines = patterns.filter((p) => p !== undefined)
    const existing = plan.files.find((f) => f.path === path)
    if (existing === undefined) {
      plan.files.push({
        path,
        text: withPatterns(base, lines),
        images: [artifact.image]
      })
    } else {
      // Same Dockerfile and rules, another context: one file serves both.
      existing.text = withPatterns(base, [
        ...new Set([...patternsOf(existing.text), ...lines])
      ])
      existing.images.push(artifact.image)
    }
  }
  return plan
}

/** The ignore rules an artifact's build reads when the action writes none. */
function rulesOf(artifact: ArtifactContext): string {
  return artifact.ownIgnore ?? artifact.contextIgnore ?? ''
}

/** The user's rules, ending in a line break (nothing when empty). */
function ignoreHead(base: string): string {
  if (base === '') return ''
  return base.endsWith('\n') ? base : `${base}\n`
}

function withPatterns(base: string, patterns: string[]): string {
  return `${ignoreHead(base)}${IGNORE_MARKER}\n${[...patterns].sort().join('\n')}\n`
}

/** The action's patterns of a text written by withPatterns. */
function patternsOf(text: string): string[] {
  const start = text.lastIndexOf(`${IGNORE_MARKER}\n`)
  return text
    .slice(start + IGNORE_MARKER.length + 1)
    .split('\n')
    .filter((l) => l !== '')
}
