/**
 * Generic value parsers for the inputs: lists, booleans, enums, patterns,
 * versions, numbers, and the character check every raw value passes.
 */
import {
  parseSaveThreshold,
  type SaveThreshold
} from '../cache/differential.js'
import {
  InputError,
  type CacheVolume,
  type DockerConfigMode,
  type InputName
} from './names.js'

const VERSION = /^v\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/

/** Splits a comma- or newline-separated list, dropping empty entries. */
export function parseList(value: string): string[] {
  return value
    .split(/[,\n]/)
    .map((item) => item.trim())
    .filter((item) => item !== '')
}

/** Splits on newlines, trims, drops empty lines (core.getMultilineInput semantics). */
export function parseLines(value: string): string[] {
  return value
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '')
}

// The runner's boolean rule (core.getBooleanInput): YAML 1.2 core schema booleans.
const TRUE_VALUES = ['true', 'True', 'TRUE']
const FALSE_VALUES = ['false', 'False', 'FALSE']

export function parseBoolean(name: InputName, value: string): boolean {
  if (TRUE_VALUES.includes(value)) return true
  if (FALSE_VALUES.includes(value)) return false
  throw new InputError(name, value, 'expected true or false')
}

/** auto, or false in the runner's boolean spellings. */
export function parseDockerConfigMode(value: string): DockerConfigMode {
  if (value === 'auto') return 'auto'
  if (FALSE_VALUES.includes(value)) return 'false'
  throw new InputError(
    'docker-config',
    value,
    "expected auto (kaniko logs in with the runner's docker config when it pushes outside this job) or false"
  )
}

export function parseEnum<T extends string>(
  name: InputName,
  value: string,
  allowed: readonly T[]
): T {
  if ((allowed as readonly string[]).includes(value)) return value as T
  throw new InputError(name, value, `expected one of ${allowed.join(', ')}`)
}

export function parsePattern(
  name: InputName,
  value: string,
  pattern: RegExp,
  accepted: string
): string {
  if (pattern.test(value)) return value
  throw new InputError(name, value, `expected ${accepted}`)
}

export function parseVersion(name: InputName, value: string): string {
  // Accept "0.32.0" as a courtesy; releases are tagged with a leading v.
  const withV = /^\d/.test(value) ? `v${value}` : value
  if (VERSION.test(withV)) return withV
  throw new InputError(name, value, 'expected a release tag such as v1.2.3')
}

/** Inputs that hold a list, one entry per line (or split like a shell). */
const MULTI_LINE_INPUTS: readonly InputName[] = [
  'profile',
  'module',
  'skaffold-args',
  'build-args',
  'cache-dependency-path',
  'pass-env'
]

/**
 * No input may hold a NUL or another control character (Node refuses NUL in
 * an argument; the others only hide what a value is). Single-value inputs
 * may not hold a line break either: a second line would be a second value
 * reaching a URL, an image name or a build arg unseen.
 */
export function checkCharacters(name: InputName, value: string): void {
  const multiLine = MULTI_LINE_INPUTS.includes(name)
  // eslint-disable-next-line no-control-regex
  const bad = multiLine ? /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]/ : /[\x00-\x1f\x7f]/
  const match = bad.exec(value)
  if (!match) return
  const code = match[0].charCodeAt(0)
  throw new InputError(
    name,
    value,
    code === 0x0a || code === 0x0d
      ? 'expected a single line; this input takes one value'
      : `it holds the control character U+${code.toString(16).padStart(4, '0').toUpperCase()}; remove it`
  )
}

export function parsePort(name: InputName, value: string): number {
  const port = /^\d+$/.test(value) ? Number(value) : NaN
  if (Number.isInteger(port) && port >= 1 && port <= 65535) return port
  throw new InputError(name, value, 'expected a port number from 1 to 65535')
}

export function parseThreshold(value: string): SaveThreshold {
  const threshold = parseSaveThreshold(value)
  if (threshold) return threshold
  throw new InputError(
    'save-threshold',
    value,
    'expected auto, always (or 0), a size such as 5MiB or 500kB, or a percentage of the cache such as 2%'
  )
}

export function parseSeconds(name: InputName, value: string): number {
  const seconds = /^\d+$/.test(value) ? Number(value) : NaN
  if (Number.isInteger(seconds) && seconds >= 1 && seconds <= 21600) {
    return seconds
  }
  throw new InputError(
    name,
    value,
    'expected a whole number of seconds from 1 to 21600 (6 hours)'
  )
}

export function parseCacheVolume(value: string): CacheVolume {
  if (value === 'hostpath') return { kind: 'hostpath' }
  const match = /^pvc:(.+)$/.exec(value)
  if (match && DNS_SUBDOMAIN.test(match[1]))
    return { kind: 'pvc', claim: match[1] }
  throw new InputError(
    'cache-volume',
    value,
    'expected hostpath, or pvc:<claim> with the name of an existing ReadWriteMany PersistentVolumeClaim'
  )
}
