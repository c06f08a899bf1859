/**
 * What may legitimately sit in the two cache dirs, and which module versions
 * the module cache keeps. A restored archive is extracted whole by the
 * client (tar -P), so anything it holds that Go never writes there is
 * dropped before a build sees it. Pure: paths in, decisions out.
 */
import { STATS_FILE_NAME } from './stats.js'
import { GO_OWN_FILES } from './trim.js'

/**
 * GOCACHE: Go's own files at the root (README: cmd/go/internal/cache
 * default.go initDefaultCache; trim.txt: cache.go Trim; testexpire.txt:
 * cmd/go/internal/test) and entries `xx/<id>-a|-d`, where xx is the first
 * byte of the 32-byte SHA-256 id in hex (cache.go fileName).
 */
export function isBuildCacheFile(path: string): boolean {
  if (GO_OWN_FILES.includes(path) || path === STATS_FILE_NAME) return true
  const match = /^([0-9a-f]{2})\/([0-9a-f]{64})-[ad]$/.exec(path)
  return match !== null && match[2].startsWith(match[1])
}

/** GOCACHE dirs: only the 256 `xx` entry dirs, at the root. */
export function isBuildCacheDir(path: string): boolean {
  return /^[0-9a-f]{2}$/.test(path)
}

// One element of an escaped module path (golang.org/x/mod/module CheckPath:
// letters, digits and "-._~", no leading dot; upper case escaped as "!x").
const ELEM = '[a-z0-9~!_-][a-z0-9._~!-]*'
const MODULE = `${ELEM}(?:/${ELEM})*`
// An escaped canonical version (module EscapeVersion of a semver): v1.2.3,
// pre-release and pseudo-versions, +incompatible.
const VERSION = 'v[0-9][0-9a-z.!+-]*'
// Athens' disk storage writes the module path and version as Go sends them
// (gomods/athens pkg/storage/fs fs.go versionLocation), so upper case appears.
const RAW_ELEM = '[A-Za-z0-9~_-][A-Za-z0-9._~-]*'
const RAW_MODULE = `${RAW_ELEM}(?:/${RAW_ELEM})*`
const RAW_VERSION = 'v[0-9][0-9A-Za-z.+-]*'

/**
 * The download cache, relative to GOMODCACHE (cmd/go/internal/modfetch
 * cache.go CachePath): `cache/download/<module>/@v/<version>.{info,mod,zip,
 * ziphash,lock}`, the module's `@v/list` (cache.go rewriteVersionList), the
 * checksum-database cache `cache/download/sumdb/<host>/{lookup,tile}/…`
 * (modfetch/sumdb.go WriteCache), and the storage of the Athens this action
 * starts, `cache/download/.athens/<module>/<version>/{go.mod,source.zip,
 * <version>.info}` (gomods/athens pkg/storage/fs saver.go Save). Temporary
 * files (`….tmp`, modfetch cache.go tempFile) and `.partial` markers of an
 * interrupted extraction are not kept.
 */
const MODULE_FILE = new RegExp(
  [
    `^cache/download/${MODULE}/@v/(?:${VERSION}\\.(?:info|mod|zip|ziphash|lock)|list)$`,
    `^cache/download/sumdb/[a-z0-9.-]+(?:/[a-z0-9._-]+)*/(?:lookup|tile)/[A-Za-z0-9._~!@+/-]+$`,
    `^cache/download/\\.athens/${RAW_MODULE}/(${RAW_VERSION})/(?:go\\.mod|source\\.zip|${RAW_VERSION}\\.info)$`
  ].join('|')
)

/** Whether a file (relative to GOMODCACHE) is one Go or Athens writes there. */
export function isModuleCacheFile(path: string): boolean {
  if (path.split('/').some((e) => e === '.' || e === '..')) return false
  if (!MODULE_FILE.test(path)) return false
  // Athens names the info file after its version directory.
  const info = /^cache\/download\/\.athens\/.+\/(v[^/]+)\/(v[^/]+)\.info$/.exec(
    path
  )
  return info === null || info[1] === info[2]
}

/** GOMODCACHE dirs a restore may create: cache/download and below. */
export function isModuleCacheDir(path: string): boolean {
  if (path === 'cache' || path === 'cache/download') return true
  if (!path.startsWith('cache/download/')) return false
  return path
    .slice('cache/download/'.length)
    .split('/')
    .every((e) => /^[A-Za-z0-9._~!@+-]+$/.test(e) && e !== '.' && e !== '..')
}

/** Escapes a module path or version the way Go names it on disk (upper case → "!x"). */
export function escapeModule(text: string): string {
  return text.replace(/[A-Z]/g, (c) => `!${c.toLowerCase()}`)
}

/**
 * The module versions named in go.sum files, as `<escaped path>@<escaped
 * version>`. go.sum holds a line for every module zip and every go.mod the
 * go command used, and a build stops on a missing one ("missing go.sum
 * entry": cmd/go/internal/modfetch fetch.go checkModSum), so it names every
 * version a build of that module can read.
 */
export function goSumVersions(texts: string[]): Set<string> {
  const versions = new Set<string>()
  for (const text of texts) {
    for (const line of text.split('\n')) {
      const fields = line.trim().split(/\s+/)
      if (fields.length !== 3 || !fields[2].startsWith('h1:')) continue
      const version = fields[1].replace(/\/go\.mod$/, '')
      versions.add(`${escapeModule(fields[0])}@${escapeModule(version)}`)
    }
  }
  return versions
}

/**
 * The module version a download-cache file belongs to, as `<escaped
 * path>@<escaped version>`, or undefined for files of no single version
 * (`@v/list`, the checksum-database cache).
 */
export function moduleVersionOf(path: string): string | undefined {
  const download = /^cache\/download\/(.+)\/@v\/(v[^/]+)\.[a-z]+$/.exec(path)
  if (download && !download[1].startsWith('.athens/')) {
    return `${download[1]}@${download[2]}`
  }
  const athens = /^cache\/download\/\.athens\/(.+)\/(v[^/]+)\/[^/]+$/.exec(path)
  if (athens) return `${escapeModule(athens[1])}@${escapeModule(athens[2])}`
  return undefined
}

/** What the module-cache trim removes. */
export interface ModuleTrimDecision {
  remove: string[]
  keep: string[]
  /** Versions dropped, `<path>@<version>`, sorted. */
  droppedVersions: string[]
}

/**
 * Keeps the files of the versions in `used` (the go.sum files' versions and
 * the modules the build extracted), and each kept module's `@v/list`. The
 * checksum-database cache goes: the go command consults it only for a
 * version go.sum does not name (modfetch fetch.go checkModSum), which a warm
 * build of the same go.sum never does. `files` are relative to GOMODCACHE.
 */
export function decideModuleTrim(
  files: string[],
  used: ReadonlySet<string>
): ModuleTrimDecision {
  const keptModules = new Set<string>()
  for (const path of files) {
    const version = moduleVersionOf(path)
    if (version !== undefined && used.has(version)) {
      keptModules.add(version.slice(0, version.lastIndexOf('@')))
    }
  }
  const remove: string[] = []
  const keep: string[] = []
  const dropped = new Set<string>()
  for (const path of files) {
    const version = moduleVersionOf(path)
    const list = /^cache\/download\/(.+)\/@v\/list$/.exec(path)
    const kept =
      version !== undefined
        ? used.has(version)
        : list !== null && keptModules.has(list[1])
    if (kept) keep.push(path)
    else remove.push(path)
    if (!kept && version !== undefined) dropped.add(version)
  }
  return { remove, keep, droppedVersions: [...dropped].sort() }
}
