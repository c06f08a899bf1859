import { posix } from 'node:path'
import { isMap, isScalar, isSeq, LineCounter, parseAllDocuments } from 'yaml'

/** Prefix of the patched copies, written beside each original. */
export const COPY_PREFIX = '.skaffold-kaniko-cache.'

/**
 * Where the patched copy of a config goes: same directory (so relative
 * `context`, `dockerfile` and `requires` paths keep working), a hidden name
 * that says what it is: `skaffold.yaml` -> `.skaffold-kaniko-cache.skaffold.yaml`.
 */
export function copyPathFor(path: string): string {
  return posix.join(posix.dirname(path), COPY_PREFIX + posix.basename(path))
}

/** One `requires[]` entry that names a local path. */
export interface LocalRequire {
  /** 0-based index of the YAML document in its file. */
  document: number
  /** Index in `requires`. */
  index: number
  /** The path as written. */
  rawPath: string
  /** Resolved against the requiring file's directory; a file or a directory. */
  resolved: string
  line: number
  column: number
}

/** One `requires[]` entry the patcher cannot reach (git, GCS, Cloud Build repo). */
export interface RemoteRequire {
  document: number
  index: number
  kind: string
  line: number
}

/**
 * Lists the `requires[].path` entries of one config file, resolved against
 * its directory (skaffold's makeConfigPathAbsolute). Unparsable text yields
 * no entries: the patcher reports the syntax error itself.
 */
export function listLocalRequires(file: { path: string; text: string }): {
  local: LocalRequire[]
  remote: RemoteRequire[]
} {
  const lineCounter = new LineCounter()
  const docs = parseAllDocuments(file.text, { lineCounter, merge: true })
  const local: LocalRequire[] = []
  const remote: RemoteRequire[] = []
  if (!Array.isArray(docs)) return { local, remote }
  docs.forEach((doc, document) => {
    if (doc.errors.length > 0 || !isMap(doc.contents)) return
    const requires = doc.contents.get('requires', true)
    if (!isSeq(requires)) return
    requires.items.forEach((item, index) => {
      if (!isMap(item)) return
      const path = item.get('path', true)
      const pos = lineCounter.linePos(item.range?.[0] ?? 0)
      if (isScalar(path) && typeof path.value === 'string' && path.value) {
        const at = lineCounter.linePos(path.range?.[0] ?? 0)
        local.push({
          document,
          index,
          rawPath: path.value,
          resolved: resolveRequirePath(file.path, path.value),
          line: at.line,
          column: at.col
        })
        return
      }
      for (const kind of [
        'git',
        'googleCloudStorage',
        'googleCloudBuildRepoV2'
      ]) {
        if (item.has(kind)) {
          remote.push({ document, index, kind, line: pos.line })
        }
      }
    })
  })
  return { local, remote }
}

/** Resolves a `requires[].path` against the directory of the file holding it. */
export function resolveRequirePath(fromFile: string, raw: string): string {
  return posix.isAbsolute(raw)
    ? posix.normalize(raw)
    : posix.join(posix.dirname(fromFile), raw)
}

/**
 * The file a resolved `requires` path stands for among the files read: the
 * path itself, or `skaffold.yaml` inside it when it is a directory.
 */
export function findRequiredFile(
  resolved: string,
  paths: readonly string[]
): string | undefined {
  const normal = posix.normalize(resolved).replace(/\/+$/, '')
  return [normal, posix.join(normal, 'skaffold.yaml')].find((p) =>
    paths.includes(p)
  )
}

/**
 * Writes the `requires[].path` value that points at `target` from `fromFile`,
 * keeping the user's form (absolute stays absolute, a leading `./` stays).
 */
export function relativeRequirePath(
  fromFile: string,
  target: string,
  raw: string
): string {
  if (posix.isAbsolute(raw)) return target
  const rel = posix.relative(posix.dirname(fromFile), target)
  return raw.startsWith('./') && !rel.startsWith('../') ? `./${rel}` : rel
}
