/**
 * The build context skaffold sends kaniko, as the double filters it: the
 * `.dockerignore` excludes apply to the COPY/ADD sources, the Dockerfile is
 * always in it, `.dockerignore` never is.
 */
import { existsSync, readFileSync } from 'node:fs'
import { posix, relative, sep } from 'node:path'
import { CommandError } from '../io.js'

/**
 * The patterns of an ignore file, as moby/buildkit
 * frontend/dockerfile/dockerignore/dockerignore.go ReadAll reads them: a BOM
 * stripped, lines starting with `#` skipped, each line trimmed, empty ones
 * skipped, then cleaned and a leading `/` removed.
 */
export function readIgnorePatterns(text: string): string[] {
  const out: string[] = []
  for (const [i, raw] of text
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/)
    .entries()) {
    if (raw.startsWith('#')) continue
    let pattern = raw.trim()
    if (pattern === '') continue
    const invert = pattern.startsWith('!')
    if (invert) pattern = pattern.slice(1).trim()
    if (pattern !== '') {
      pattern = posix.normalize(pattern).replace(/\/+$/, '') || '/'
      if (pattern.length > 1 && pattern.startsWith('/'))
        pattern = pattern.slice(1)
    }
    if (invert || /[[\]\\]/.test(pattern)) {
      // Exceptions (skaffold's skipDir), character classes and escapes are
      // not modelled: refuse rather than guess.
      throw new CommandError(
        `cluster double: .dockerignore line ${i + 1} "${raw.trim()}": "!" exceptions, [classes] and \\ escapes are not modelled`,
        2
      )
    }
    out.push(pattern)
  }
  return out
}

/**
 * One pattern as moby/patternmatcher patternmatcher.go Pattern.compile and
 * Pattern.match evaluate it: no wildcard is an exact match, `x**` a prefix,
 * a leading double star with no other wildcard a suffix (which also matches
 * the suffix without its leading slash), anything else a regexp where `*`
 * and `?` stop at `/` and a double star (eating the slash after it) matches
 * any number of directories.
 */
function compile(pattern: string): (path: string) => boolean {
  let re = '^'
  let type: 'exact' | 'prefix' | 'suffix' | 'regexp' = 'exact'
  for (let i = 0, n = 0; i < pattern.length; n++) {
    const ch = pattern[i++]
    if (ch === '*') {
      if (pattern[i] === '*') {
        i++
        if (pattern[i] === '/') i++
        if (i >= pattern.length) {
          if (type === 'exact') type = 'prefix'
          else {
            re += '.*'
            type = 'regexp'
          }
        } else {
          re += '(.*/)?'
          type = 'regexp'
        }
        if (n === 0) type = 'suffix'
      } else {
        re += '[^/]*'
        type = 'regexp'
      }
    } else if (ch === '?') {
      re += '[^/]'
      type = 'regexp'
    } else {
      re += ch.replace(/[.+()|{}$^]/g, '\\$&')
    }
  }
  if (type === 'exact') return (path) => path === pattern
  if (type === 'prefix') return (path) => path.startsWith(pattern.slice(0, -2))
  if (type === 'suffix') {
    const suffix = pattern.slice(2)
    return (path) =>
      path.endsWith(suffix) ||
      (suffix.startsWith('/') && path === suffix.slice(1))
  }
  const regexp = new RegExp(re + '$')
  return (path) => regexp.test(path)
}

/**
 * True when a context-relative path is excluded: it or one of its parent
 * directories matches a pattern (moby/patternmatcher
 * MatchesOrParentMatches, called by skaffold v2.24.0
 * pkg/skaffold/docker/dockerignore.go NewDockerIgnorePredicate).
 */
export function ignoreMatcher(patterns: string[]): (rel: string) => boolean {
  const compiled = patterns.map(compile)
  return (rel) => {
    const dirs = posix.dirname(rel).split('/')
    return compiled.some(
      (match) =>
        match(rel) ||
        (posix.dirname(rel) !== '.' &&
          dirs.some((_, i) => match(dirs.slice(0, i + 1).join('/'))))
    )
  }
}

/**
 * The predicate "not sent to kaniko" for files under the context. The
 * excludes come from `<Dockerfile>.dockerignore`, else the context's
 * `.dockerignore` (skaffold v2.24.0 pkg/skaffold/docker/dependencies.go
 * readDockerignore); the Dockerfile is always sent and `.dockerignore` never
 * (same file, getDependencies).
 */
export function contextExclusion(
  context: string,
  dockerfilePath: string
): (absPath: string) => boolean {
  const file = [
    `${dockerfilePath}.dockerignore`,
    `${context}${sep}.dockerignore`
  ].find((p) => existsSync(p))
  const matches = ignoreMatcher(
    file === undefined ? [] : readIgnorePatterns(readFileSync(file, 'utf8'))
  )
  return (absPath) => {
    if (absPath === dockerfilePath) return false
    const rel = relative(context, absPath).split(sep).join('/')
    if (rel === '' || rel.startsWith('..')) return false
    if (rel === '.dockerignore') return true
    return matches(rel)
  }
}
