/**
 * Cache keys and restore-key ladders for the two Go caches (docs/design.md#cache-keys-and-restore-ladders).
 * Pure: every fact (os, arch, hash, run id) is passed in.
 */
import { createHash } from 'node:crypto'
import { posix } from 'node:path'

/** Facts the keys are made of. */
export interface KeyFacts {
  /** The cache-key-prefix input (validated: [A-Za-z0-9._-]{1,64}). */
  prefix: string
  /** Runner OS, e.g. linux (process.platform). */
  os: string
  /** Runner architecture, e.g. x64 or arm64 (process.arch). */
  arch: string
  /** Service name, already sanitised with sanitizeService. */
  service: string
  /** Hash of the files matched by cache-dependency-path (hex). */
  depsHash: string
  /** GITHUB_RUN_ID */
  runId: string
  /** GITHUB_RUN_ATTEMPT */
  runAttempt: string
}

/** A primary key and its restore keys, most specific first. */
export interface KeyLadder {
  key: string
  restoreKeys: string[]
}

/** The keys of both caches. */
export interface CacheKeys {
  mod: KeyLadder
  build: KeyLadder
}

/** The cache service rejects keys longer than this (and keys with commas). */
export const MAX_KEY_LENGTH = 512

const MAX_SERVICE_LENGTH = 64
const SERVICE_CHARS = /[^A-Za-z0-9._/+-]/g

/**
 * Keys for both caches. The module cache is shared by every service with the
 * same dependencies; the build cache is unique per run (an existing key can
 * never be updated: actions/cache #342) and falls back to the newest cache of
 * the same service and deps, then the same service, then any service.
 *
 * The service sits between parentheses, which sanitizeService never lets
 * through, so the restore key of service "api" ("…-(api)-") can never
 * prefix-match a key of service "api-gateway" ("…-(api-gateway)-…").
 */
export function makeCacheKeys(facts: KeyFacts): CacheKeys {
  const field = (name: string, value: string): string => {
    const clean = value.replace(/[^A-Za-z0-9._-]/g, '_')
    if (clean === '') throw new Error(`cache key fact ${name} is empty`)
    return clean
  }
  const prefix = field('prefix', facts.prefix)
  const os = field('os', facts.os)
  const arch = field('arch', facts.arch)
  const deps = field('depsHash', facts.depsHash)
  const service = sanitizeService(facts.service)
  const run = `${field('runId', facts.runId)}-${field('runAttempt', facts.runAttempt)}`

  const modBase = `${prefix}-gomod-${os}-${arch}-`
  const buildBase = `${prefix}-gobuild-${os}-${arch}-`
  const buildService = `${buildBase}(${service})-`
  const keys: CacheKeys = {
    mod: { key: `${modBase}${deps}`, restoreKeys: [modBase] },
    build: {
      key: `${buildService}${deps}-${run}`,
      restoreKeys: [`${buildService}${deps}-`, buildService, buildBase]
    }
  }
  for (const k of [keys.mod.key, keys.build.key]) {
    if (k.length > MAX_KEY_LENGTH) {
      throw new Error(
        `cache key is ${k.length} characters, over the service's ${MAX_KEY_LENGTH}: ${k.slice(0, 80)}…`
      )
    }
  }
  return keys
}

/**
 * Makes a service name safe inside a key: letters, digits, ".", "_", "/", "+" and
 * "-" only (no commas, no parentheses), at most 64 characters. A name that had
 * to be changed or shortened gets 8 hex digits of its sha256, so two different
 * names never share a build cache by accident.
 */
export function sanitizeService(name: string): string {
  const trimmed = name.trim()
  const clean = trimmed.replace(SERVICE_CHARS, '_')
  if (clean === trimmed && clean !== '' && clean.length <= MAX_SERVICE_LENGTH) {
    return clean
  }
  const hash = createHash('sha256').update(trimmed).digest('hex').slice(0, 8)
  const head = clean.slice(0, MAX_SERVICE_LENGTH - 9)
  return head === '' ? hash : `${head}.${hash}`
}

/** What the default service name is derived from. */
export interface ServiceFacts {
  /** The service input ('' when unset). */
  service: string
  /** The module input, parsed (skaffold -m). */
  modules: string[]
  /** The skaffold-file input. */
  skaffoldFile: string
  /** The working-directory input. */
  workingDirectory: string
  /** The profile input, parsed (skaffold -p). */
  profiles?: string[]
}

/**
 * The service name of this job, sanitised for keys: the service input, else
 * the skaffold modules built (joined with "+"), else the skaffold config path
 * relative to the workspace; then the active profiles, if any. Stable per
 * matrix entry, which is what a build cache needs (setup-go #358: one shared
 * key lets the fastest job win).
 */
export function deriveServiceName(facts: ServiceFacts): string {
  if (facts.service.trim() !== '') return sanitizeService(facts.service)
  // Matrix entries that differ only by profile build different things: the
  // profiles are part of the name (joined after the base with "+").
  const profiles = [...(facts.profiles ?? [])].sort()
  const withProfiles = (base: string): string =>
    sanitizeService([base, ...profiles].join('+'))
  if (facts.modules.length > 0) {
    return withProfiles([...facts.modules].sort().join('+'))
  }
  const joined = posix.normalize(
    posix.join(facts.workingDirectory || '.', facts.skaffoldFile)
  )
  const relative = joined.replace(/^(\.\/)+/, '').replace(/^\/+/, '')
  return withProfiles(relative)
}
