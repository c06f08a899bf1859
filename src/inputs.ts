/**
 * The action's inputs: one list of names, one parser, one typed value.
 * Pure: the caller hands in a getter (core.getInput in the action, a map in tests).
 */
import { UserFixableError } from './errors.js'
import { parseSaveThreshold, type SaveThreshold } from './cache/differential.js'
import {
  DEFAULT_ATHENS_IMAGE,
  DEFAULT_REGISTRY_IMAGE,
  parseImageReference
} from './images.js'
import {
  DEFAULT_INIT_IMAGE,
  DEFAULT_KANIKO_IMAGE,
  DEFAULT_REGISTRY_MIRROR,
  NO_REGISTRY_MIRROR,
  registryMirrorProblem
} from './skaffold/images.js'
import { ownedFlagIn, splitArgs } from './build-command.js'
import { redactUrlCredentials } from './redact.js'
import { isNeverPassed } from './tool-env.js'

/** Every input declared in action.yml, in the order action.yml declares them. */
export const INPUT_NAMES = [
  'skaffold-file',
  'working-directory',
  'profile',
  'module',
  'default-repo',
  'docker-config',
  'skaffold-args',
  'go-proxy',
  'go-private',
  'build-args',
  'registry-mirror',
  'kaniko-image',
  'init-image',
  'whitelist-var-run',
  'patch-dockerfile',
  'cache',
  'save-cache',
  'save-threshold',
  'cache-key-prefix',
  'service',
  'cache-dependency-path',
  'trim-build-cache',
  'cache-timeout',
  'kind-version',
  'skaffold-version',
  'kubectl-version',
  'kind-download-url',
  'skaffold-download-url',
  'kubectl-download-url',
  'cluster-name',
  'create-cluster',
  'node-image',
  'kind-config',
  'registry',
  'registry-port',
  'registry-image',
  'namespace',
  'athens',
  'athens-image',
  'cleanup',
  'cache-volume',
  'pass-env'
] as const

export type InputName = (typeof INPUT_NAMES)[number]

export type SavePolicy = 'auto' | 'always' | 'never'

/** auto: build from a Dockerfile copy with the missing ARG lines; never: the original. */
export type PatchDockerfile = 'auto' | 'never'

export type DockerConfigMode = 'auto' | 'false'

export type CacheVolume = { kind: 'hostpath' } | { kind: 'pvc'; claim: string }

/** The parsed, validated inputs. */
export interface Inputs {
  skaffoldFile: string
  workingDirectory: string
  profiles: string[]
  modules: string[]
  defaultRepo: string
  /** auto: kaniko logs in with the runner's docker config when it pushes outside the job; false: never. */
  dockerConfig: DockerConfigMode
  skaffoldArgs: string[]
  goProxy: string
  goPrivate: string
  /** Extra build args in the order given. */
  buildArgs: [string, string][]
  /** kaniko registryMirror; '' when turned off (registry-mirror: none). */
  registryMirror: string
  /** kaniko executor image; the pinned default when the input is empty. */
  kanikoImage: string
  /** Image of the kaniko pod's init container; the pinned default when empty. */
  initImage: string
  whitelistVarRun: boolean
  patchDockerfile: PatchDockerfile
  cache: boolean
  saveCache: SavePolicy
  /** After a restore hit, the new bytes below which a cache is not saved again. */
  saveThreshold: SaveThreshold
  cacheKeyPrefix: string
  service: string
  cacheDependencyPath: string[]
  trimBuildCache: boolean
  /** Seconds one cache lookup, download or save may take. */
  cacheTimeout: number
  kindVersion: string
  skaffoldVersion: string
  kubectlVersion: string
  kindDownloadUrl: string
  skaffoldDownloadUrl: string
  kubectlDownloadUrl: string
  clusterName: string
  createCluster: boolean
  nodeImage: string
  kindConfig: string
  registry: boolean
  registryPort: number
  registryImage: string
  namespace: string
  athens: boolean
  athensImage: string
  cleanup: boolean
  cacheVolume: CacheVolume
  /** Further environment variables the tools may see (names). */
  passEnv: string[]
}

/**
 * A user error in an input: names the input, the value and what is accepted.
 * The value is shown with URL credentials redacted and cut to 120 characters.
 */
export class InputError extends UserFixableError {
  constructor(
    readonly input: InputName,
    value: string,
    accepted: string
  ) {
    super(
      `Input '${input}' has an invalid value ${JSON.stringify(shorten(redactUrlCredentials(value)))}: ${accepted}`
    )
    this.name = 'InputError'
  }
}

function shorten(value: string): string {
  return value.length > 120 ? `${value.slice(0, 120)}…` : value
}

/** Reads one raw input; returns '' when it is not set (core.getInput semantics). */
export type InputGetter = (name: InputName) => string

/** Defaults as action.yml declares them; the metadata test holds the two equal. */
export const INPUT_DEFAULTS: Readonly<Record<InputName, string>> = {
  'skaffold-file': 'skaffold.yaml',
  'working-directory': '.',
  profile: '',
  module: '',
  'default-repo': '',
  'docker-config': 'auto',
  'skaffold-args': '',
  'go-proxy': '',
  'go-private': '',
  'build-args': '',
  'registry-mirror': DEFAULT_REGISTRY_MIRROR,
  'kaniko-image': '',
  'init-image': '',
  'whitelist-var-run': 'false',
  'patch-dockerfile': 'auto',
  cache: 'true',
  'save-cache': 'auto',
  'save-threshold': 'auto',
  'cache-key-prefix': 'skaffold-kaniko-cache',
  service: '',
  'cache-dependency-path': '**/go.sum',
  'trim-build-cache': 'true',
  'cache-timeout': '300',
  'kind-version': 'v0.32.0',
  'skaffold-version': 'v2.24.0',
  'kubectl-version': '',
  'kind-download-url':
    'https://github.com/kubernetes-sigs/kind/releases/download',
  'skaffold-download-url': 'https://storage.googleapis.com/skaffold/releases',
  'kubectl-download-url': 'https://dl.k8s.io/release',
  'cluster-name': 'skaffold-kaniko-cache',
  'create-cluster': 'true',
  'node-image': '',
  'kind-config': '',
  registry: 'true',
  'registry-port': '5000',
  'registry-image': DEFAULT_REGISTRY_IMAGE,
  namespace: '',
  athens: 'false',
  'athens-image': DEFAULT_ATHENS_IMAGE,
  cleanup: 'true',
  'cache-volume': 'hostpath',
  'pass-env': ''
}

const VERSION = /^v\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/
// kind names become docker container names and kube contexts (kind-<name>).
const CLUSTER_NAME = /^[a-z0-9]([-a-z0-9]{0,48}[a-z0-9])?$/
// Kubernetes DNS-1123 label, also the rule for persistentVolumeClaim names' first label.
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/
const BUILD_ARG_KEY = /^[A-Za-z_][A-Za-z0-9_]*$/
// Cache keys may not contain commas (the cache service splits on them).
const KEY_PREFIX = /^[A-Za-z0-9._-]{1,64}$/

/**
 * Parses and validates every input.
 * @throws InputError naming the input, the bad value and what is accepted.
 */
export function parseInputs(get: InputGetter): Inputs {
  const raw = (name: InputName): string => {
    const value = get(name).trim()
    checkCharacters(name, value)
    return value === '' ? INPUT_DEFAULTS[name] : value
  }
  const inputs: Inputs = {
    skaffoldFile: raw('skaffold-file'),
    workingDirectory: raw('working-directory'),
    profiles: parseList(raw('profile')),
    modules: parseList(raw('module')),
    defaultRepo: raw('default-repo'),
    dockerConfig: parseDockerConfigMode(raw('docker-config')),
    skaffoldArgs: parseArgs('skaffold-args', raw('skaffold-args')),
    goProxy: parseGoProxy(raw('go-proxy')),
    goPrivate: refuseTemplate('go-private', raw('go-private')),
    buildArgs: parseBuildArgs(raw('build-args')),
    registryMirror: parseRegistryMirror(raw('registry-mirror')),
    kanikoImage:
      raw('kaniko-image') === ''
        ? DEFAULT_KANIKO_IMAGE
        : parseImage('kaniko-image', raw('kaniko-image')),
    initImage:
      raw('init-image') === ''
        ? DEFAULT_INIT_IMAGE
        : parseImage('init-image', raw('init-image')),
    whitelistVarRun: parseBoolean(
      'whitelist-var-run',
      raw('whitelist-var-run')
    ),
    patchDockerfile: parseEnum('patch-dockerfile', raw('patch-dockerfile'), [
      'auto',
      'never'
    ]),
    cache: parseBoolean('cache', raw('cache')),
    saveCache: parseEnum('save-cache', raw('save-cache'), [
      'auto',
      'always',
      'never'
    ]),
    saveThreshold: parseThreshold(raw('save-threshold')),
    cacheKeyPrefix: parsePattern(
      'cache-key-prefix',
      raw('cache-key-prefix'),
      KEY_PREFIX,
      'letters, digits, ".", "_" and "-", at most 64'
    ),
    service: raw('service'),
    cacheDependencyPath: parseLines(raw('cache-dependency-path')),
    trimBuildCache: parseBoolean('trim-build-cache', raw('trim-build-cache')),
    cacheTimeout: parseSeconds('cache-timeout', raw('cache-timeout')),
    kindVersion: parseVersion('kind-version', raw('kind-version')),
    skaffoldVersion: parseVersion('skaffold-version', raw('skaffold-version')),
    kubectlVersion:
      raw('kubectl-version') === ''
        ? ''
        : parseVersion('kubectl-version', raw('kubectl-version')),
    kindDownloadUrl: parseUrl('kind-download-url', raw('kind-download-url')),
    skaffoldDownloadUrl: parseUrl(
      'skaffold-download-url',
      raw('skaffold-download-url')
    ),
    kubectlDownloadUrl: parseUrl(
      'kubectl-download-url',
      raw('kubectl-download-url')
    ),
    clusterName: parsePattern(
      'cluster-name',
      raw('cluster-name'),
      CLUSTER_NAME,
      'lowercase letters, digits and "-", starting and ending with a letter or digit, at most 50 characters'
    ),
    createCluster: parseBoolean('create-cluster', raw('create-cluster')),
    nodeImage: raw('node-image'),
    kindConfig: raw('kind-config'),
    registry: parseBoolean('registry', raw('registry')),
    registryPort: parsePort('registry-port', raw('registry-port')),
    registryImage: parseImage('registry-image', raw('registry-image')),
    namespace:
      raw('namespace') === ''
        ? ''
        : parsePattern(
            'namespace',
            raw('namespace'),
            DNS_LABEL,
            'a Kubernetes namespace name (lowercase letters, digits and "-", at most 63 characters)'
          ),
    athens: parseBoolean('athens', raw('athens')),
    athensImage: parseImage('athens-image', raw('athens-image')),
    cleanup: parseBoolean('cleanup', raw('cleanup')),
    cacheVolume: parseCacheVolume(raw('cache-volume')),
    passEnv: parsePassEnv(raw('pass-env'))
  }
  checkCombinations(inputs, raw)
  return inputs
}

function checkCombinations(
  inputs: Inputs,
  raw: (name: InputName) => string
): void {
  for (const [key, value] of inputs.buildArgs) {
    const owner = buildArgOwner(inputs, key)
    if (owner !== undefined) {
      throw new InputError(
        'build-args',
        `${key}=${value}`,
        `the action sets ${key} itself ${owner}; remove it from build-args`
      )
    }
  }
  if (inputs.cacheVolume.kind === 'pvc' && inputs.createCluster) {
    throw new InputError(
      'cache-volume',
      raw('cache-volume'),
      'a pvc:<claim> cache lives on an existing cluster; set create-cluster: false as well'
    )
  }
  if (inputs.cacheVolume.kind === 'pvc' && inputs.kindConfig !== '') {
    throw new InputError(
      'kind-config',
      inputs.kindConfig,
      'a kind config only applies when the action creates the cluster; drop it with cache-volume: pvc:<claim>'
    )
  }
  if (inputs.cacheVolume.kind === 'pvc' && inputs.athens) {
    throw new InputError(
      'athens',
      raw('athens'),
      'Athens runs on the kind network the action sets up; with cache-volume: pvc:<claim> point go-proxy at a module proxy your cluster reaches'
    )
  }
  if (!inputs.createCluster && inputs.nodeImage !== '') {
    throw new InputError(
      'node-image',
      inputs.nodeImage,
      'a node image only applies when the action creates the cluster (create-cluster: true)'
    )
  }
  if (!inputs.createCluster && inputs.kindConfig !== '') {
    throw new InputError(
      'kind-config',
      inputs.kindConfig,
      'a kind config only applies when the action creates the cluster (create-cluster: true)'
    )
  }
}

/**
 * Why the action passes this build arg itself (its own value would win
 * silently), or undefined when the key is free.
 */
function buildArgOwner(inputs: Inputs, key: string): string | undefined {
  if (key === 'GOMODCACHE' || key === 'GOCACHE') {
    return '(it points Go at the cache mounted in the kaniko pod)'
  }
  if (key === 'GOPROXY' && (inputs.goProxy !== '' || inputs.athens)) {
    return inputs.goProxy !== '' ? 'from go-proxy' : 'for Athens (athens: true)'
  }
  if ((key === 'GOPRIVATE' || key === 'GONOSUMDB') && inputs.goPrivate !== '') {
    return 'from go-private'
  }
  return undefined
}

/**
 * Variable names for the tools' environment. A name that is never passed
 * (the runner's tokens, the inputs, GITHUB_TOKEN) is refused rather than
 * silently dropped.
 */
function parsePassEnv(value: string): string[] {
  const names = parseList(value)
  for (const name of names) {
    if (!BUILD_ARG_KEY.test(name)) {
      throw new InputError(
        'pass-env',
        name,
        'environment variable names (letters, digits and "_", not starting with a digit), comma- or newline-separated'
      )
    }
    if (isNeverPassed(name)) {
      throw new InputError(
        'pass-env',
        name,
        'the runner tokens (ACTIONS_*), the step inputs (INPUT_*), GITHUB_TOKEN and the runner file-command variables are never given to the tools; a GITHUB_TOKEN for private modules goes to Athens only (athens: true)'
      )
    }
  }
  return names
}

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

function parseBoolean(name: InputName, value: string): boolean {
  if (TRUE_VALUES.includes(value)) return true
  if (FALSE_VALUES.includes(value)) return false
  throw new InputError(name, value, 'expected true or false')
}

/** auto, or false in the runner's boolean spellings. */
function parseDockerConfigMode(value: string): DockerConfigMode {
  if (value === 'auto') return 'auto'
  if (FALSE_VALUES.includes(value)) return 'false'
  throw new InputError(
    'docker-config',
    value,
    "expected auto (kaniko logs in with the runner's docker config when it pushes outside this job) or false"
  )
}

function parseEnum<T extends string>(
  name: InputName,
  value: string,
  allowed: readonly T[]
): T {
  if ((allowed as readonly string[]).includes(value)) return value as T
  throw new InputError(name, value, `expected one of ${allowed.join(', ')}`)
}

function parsePattern(
  name: InputName,
  value: string,
  pattern: RegExp,
  accepted: string
): string {
  if (pattern.test(value)) return value
  throw new InputError(name, value, `expected ${accepted}`)
}

function parseVersion(name: InputName, value: string): string {
  // Accept "0.32.0" as a courtesy; releases are tagged with a leading v.
  const withV = /^\d/.test(value) ? `v${value}` : value
  if (VERSION.test(withV)) return withV
  throw new InputError(name, value, 'expected a release tag such as v1.2.3')
}

function parseUrl(name: InputName, value: string): string {
  let url: URL
  try {
    url = new URL(value)
  } catch {
    throw new InputError(name, value, 'expected an http:// or https:// URL')
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new InputError(name, value, 'expected an http:// or https:// URL')
  }
  refuseRawAt(name, value)
  return value.replace(/\/+$/, '')
}

/**
 * Refuses a URL with a raw "@" in its user or password: URL parsers end the
 * credentials at the authority's last "@", so the password would be split
 * where a reader (or a log mask) does not expect it.
 */
function refuseRawAt(name: InputName, url: string): void {
  const authority = /^[a-z][a-z0-9+.-]*:\/\/([^/?#\\]*)/i.exec(url)?.[1]
  if (authority !== undefined && authority.split('@').length > 2) {
    throw new InputError(
      name,
      url,
      'the URL has a raw "@" in its user or password; percent-encode it as %40'
    )
  }
}

/**
 * GOPROXY: a list of URLs (or direct/off) separated by "," or "|". Go
 * refuses to send credentials to an http:// proxy ("refusing to pass
 * credentials to insecure URL"), so such an entry could never work.
 */
function parseGoProxy(value: string): string {
  refuseTemplate('go-proxy', value)
  for (const entry of value.split(/[,|]/).map((e) => e.trim())) {
    refuseRawAt('go-proxy', entry)
    if (/^http:\/\/[^/@\s]+@/i.test(entry)) {
      throw new InputError(
        'go-proxy',
        entry,
        'Go refuses to send credentials to an http:// proxy; use an https:// URL, or run Athens (athens: true), which holds the token itself'
      )
    }
  }
  return value
}

function parseImage(name: InputName, value: string): string {
  const parsed = parseImageReference(value)
  if ('error' in parsed)
    throw new InputError(name, value, `expected ${parsed.error}`)
  return value
}

/** registry-mirror: a registry host, or none to pull Docker Hub images directly. */
function parseRegistryMirror(value: string): string {
  if (value === NO_REGISTRY_MIRROR) return ''
  const problem = registryMirrorProblem(value)
  if (problem !== '')
    throw new InputError(
      'registry-mirror',
      value,
      `${problem}; or none to pull Docker Hub images directly`
    )
  return value
}

/**
 * For the inputs that become build args (go-proxy, go-private, build-args).
 * skaffold expands `{{…}}` in build arg values as Go templates (with Sprig)
 * against its own environment before the kaniko pod is made (skaffold
 * pkg/skaffold/build/cluster/kaniko.go runKanikoBuild ->
 * pkg/skaffold/docker/build_args.go EvalBuildArgsWithEnv), so a template
 * there could copy a token of the job into the image.
 */
function refuseTemplate(name: InputName, value: string): string {
  if (value.includes('{{')) {
    throw new InputError(
      name,
      value,
      'skaffold expands "{{" in build args as a Go template against its own environment, which holds the job\'s tokens; the action passes this value to the build as it is, so write it without "{{"'
    )
  }
  return value
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
function checkCharacters(name: InputName, value: string): void {
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

function parsePort(name: InputName, value: string): number {
  const port = /^\d+$/.test(value) ? Number(value) : NaN
  if (Number.isInteger(port) && port >= 1 && port <= 65535) return port
  throw new InputError(name, value, 'expected a port number from 1 to 65535')
}

function parseThreshold(value: string): SaveThreshold {
  const threshold = parseSaveThreshold(value)
  if (threshold) return threshold
  throw new InputError(
    'save-threshold',
    value,
    'expected auto, always (or 0), a size such as 5MiB or 500kB, or a percentage of the cache such as 2%'
  )
}

function parseSeconds(name: InputName, value: string): number {
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

function parseCacheVolume(value: string): CacheVolume {
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

/** Parses build-args: one KEY=VALUE per line; the value may contain '='. */
function parseBuildArgs(value: string): [string, string][] {
  const seen = new Set<string>()
  return parseLines(value).map((line) => {
    const eq = line.indexOf('=')
    const key = eq < 0 ? line : line.slice(0, eq).trim()
    if (eq < 0 || !BUILD_ARG_KEY.test(key)) {
      throw new InputError(
        'build-args',
        line,
        'expected one KEY=VALUE per line, KEY made of letters, digits and "_"'
      )
    }
    if (seen.has(key)) {
      throw new InputError('build-args', line, `KEY ${key} is given twice`)
    }
    seen.add(key)
    refuseTemplate('build-args', line)
    return [key, line.slice(eq + 1)]
  })
}

function parseArgs(name: InputName, value: string): string[] {
  const result = splitArgs(value)
  if (!Array.isArray(result)) {
    throw new InputError(
      name,
      value,
      `${result.error}; quote arguments as in a shell`
    )
  }
  const owned = ownedFlagIn(result)
  if (owned !== undefined) {
    throw new InputError(
      name,
      value,
      `${owned} is set by the action itself; use the matching input (skaffold-file, profile, module, default-repo) instead`
    )
  }
  return result
}
