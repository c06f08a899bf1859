/**
 * Profiles applied as skaffold applies them (pkg/skaffold/schema/profiles.go):
 * `build` overlaid (non-empty lists replace, builder blocks such as `cluster`
 * replace wholesale, structs merge, non-zero scalars override), then the
 * profile's JSON patches in order, with yaml-patch `key=value` segments.
 */
import { CommandError } from '../io.js'
import { scalarText } from '../values.js'

type Json = unknown
type JsonObject = Record<string, Json>

function isRecord(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

const BUILDERS = ['local', 'googleCloudBuild', 'cluster']

function isZero(value: Json): boolean {
  return (
    value === undefined ||
    value === null ||
    value === '' ||
    value === false ||
    value === 0
  )
}

/** Overlays a profile's `build` on the base `build`. */
export function overlayBuild(
  base: JsonObject,
  profile: JsonObject
): JsonObject {
  const result: JsonObject = { ...base }
  for (const [key, value] of Object.entries(profile)) {
    if (BUILDERS.includes(key)) {
      if (value === undefined || value === null) continue
      for (const b of BUILDERS) delete result[b]
      result[key] = value
    } else if (Array.isArray(value)) {
      if (value.length > 0) result[key] = value
    } else if (isRecord(value)) {
      result[key] = isRecord(result[key])
        ? overlayStruct(result[key], value)
        : value
    } else if (!isZero(value)) {
      result[key] = value
    }
  }
  return result
}

function overlayStruct(base: JsonObject, over: JsonObject): JsonObject {
  const result: JsonObject = { ...base }
  for (const [key, value] of Object.entries(over)) {
    if (Array.isArray(value)) {
      if (value.length > 0) result[key] = value
    } else if (isRecord(value)) {
      result[key] = isRecord(result[key])
        ? overlayStruct(result[key], value)
        : value
    } else if (!isZero(value)) {
      result[key] = value
    }
  }
  return result
}

function decodeSegment(segment: string): string {
  return segment.replace(/~1/g, '/').replace(/~0/g, '~')
}

/** Resolves one path segment on a container (array index, `-`, or `key=value`). */
function resolveKey(
  container: Json,
  segment: string,
  forAdd: boolean
): string | number | undefined {
  if (Array.isArray(container)) {
    if (segment === '-' && forAdd) return container.length
    const kv = /^([^=]+)=(.*)$/.exec(segment)
    if (kv !== null) {
      const index = container.findIndex(
        (e) => isRecord(e) && String(e[kv[1]]) === kv[2]
      )
      return index < 0 ? undefined : index
    }
    if (!/^\d+$/.test(segment)) return undefined
    const index = Number(segment)
    return index < container.length || (forAdd && index === container.length)
      ? index
      : undefined
  }
  return isRecord(container) ? segment : undefined
}

function parentOf(
  doc: Json,
  path: string,
  forAdd: boolean
): { parent: Json; key: string | number } | undefined {
  if (!path.startsWith('/')) return undefined
  const segments = path.slice(1).split('/').map(decodeSegment)
  let node: Json = doc
  for (const segment of segments.slice(0, -1)) {
    const key = resolveKey(node, segment, false)
    if (key === undefined) return undefined
    node = (node as Record<string | number, Json>)[key]
    if (node === undefined) return undefined
  }
  const key = resolveKey(node, segments[segments.length - 1], forAdd)
  return key === undefined ? undefined : { parent: node, key }
}

function getAt(doc: Json, path: string): Json {
  const loc = parentOf(doc, path, false)
  return loc === undefined
    ? undefined
    : (loc.parent as Record<string | number, Json>)[loc.key]
}

/** Applies JSON-patch operations (op defaults to replace) to a config in place. */
export function applyPatches(
  doc: JsonObject,
  patches: readonly Json[],
  profileName: string
): void {
  for (const raw of patches) {
    if (!isRecord(raw)) continue
    const op = typeof raw.op === 'string' ? raw.op : 'replace'
    const path = scalarText(raw.path)
    const invalid = (): CommandError =>
      new CommandError(
        `applying profile "${profileName}": invalid path: ${path}`
      )
    const clone = (v: Json): Json =>
      v === undefined ? undefined : JSON.parse(JSON.stringify(v))
    if (op === 'test') {
      if (JSON.stringify(getAt(doc, path)) !== JSON.stringify(raw.value))
        throw invalid()
      continue
    }
    let value: Json = clone(raw.value)
    if (op === 'move' || op === 'copy') {
      value = clone(getAt(doc, scalarText(raw.from)))
      if (value === undefined)
        throw new CommandError(
          `applying profile "${profileName}": invalid path: ${scalarText(raw.from)}`
        )
      if (op === 'move') removeAt(doc, scalarText(raw.from), profileName)
    }
    if (op === 'remove') {
      removeAt(doc, path, profileName)
      continue
    }
    if (!['add', 'replace', 'move', 'copy'].includes(op)) {
      throw new CommandError(
        `applying profile "${profileName}": unknown patch op "${op}"`
      )
    }
    const loc = parentOf(doc, path, op !== 'replace')
    if (loc === undefined) throw invalid()
    if (Array.isArray(loc.parent) && typeof loc.key === 'number') {
      if (op === 'replace') loc.parent[loc.key] = value
      else loc.parent.splice(loc.key, 0, value)
    } else {
      if (op === 'replace' && !(String(loc.key) in (loc.parent as JsonObject)))
        throw invalid()
      ;(loc.parent as JsonObject)[String(loc.key)] = value
    }
  }
}

function removeAt(doc: JsonObject, path: string, profileName: string): void {
  const loc = parentOf(doc, path, false)
  if (loc === undefined)
    throw new CommandError(
      `applying profile "${profileName}": invalid path: ${path}`
    )
  if (Array.isArray(loc.parent) && typeof loc.key === 'number')
    loc.parent.splice(loc.key, 1)
  else delete (loc.parent as JsonObject)[String(loc.key)]
}

/** Applies the named profiles a config defines, in command-line order. */
export function applyProfiles(
  config: JsonObject,
  names: readonly string[]
): JsonObject {
  const result = JSON.parse(JSON.stringify(config)) as JsonObject
  const profiles = Array.isArray(result.profiles)
    ? (result.profiles as JsonObject[])
    : []
  for (const name of names) {
    const profile = profiles.find((p) => isRecord(p) && p.name === name)
    if (profile === undefined) continue
    if (isRecord(profile.build)) {
      result.build = overlayBuild(
        isRecord(result.build) ? result.build : {},
        profile.build
      )
    }
    if (Array.isArray(profile.patches))
      applyPatches(result, profile.patches, name)
  }
  return result
}

/** Throws when a -p profile is defined by none of the configs (skaffold's ConfigProfilesNotMatchedErr). */
export function checkProfilesExist(
  configs: readonly JsonObject[],
  names: readonly string[]
): void {
  const defined = new Set(
    configs.flatMap((c) =>
      (Array.isArray(c.profiles) ? c.profiles : []).map((p) =>
        isRecord(p) ? String(p.name) : ''
      )
    )
  )
  const missing = names.filter((n) => !n.startsWith('-') && !defined.has(n))
  if (missing.length > 0) {
    throw new CommandError(
      `profile selection [${missing.map((m) => `"${m}"`).join(' ')}] did not match any of the configs`
    )
  }
}
