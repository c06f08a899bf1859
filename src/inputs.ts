/**
 * The action's inputs: one list of names, one parser, one typed value.
 * Pure: the caller hands in a getter (core.getInput in the action, a map in tests).
 */
import { DEFAULT_INIT_IMAGE, DEFAULT_KANIKO_IMAGE } from './skaffold/images.js'
import {
  INPUT_DEFAULTS,
  InputError,
  type InputGetter,
  type InputName,
  type Inputs
} from './inputs/names.js'
import {
  checkCharacters,
  parseBoolean,
  parseCacheVolume,
  parseDockerConfigMode,
  parseEnum,
  parseLines,
  parseList,
  parsePattern,
  parsePort,
  parseSeconds,
  parseThreshold,
  parseVersion
} from './inputs/values.js'
import {
  parseArgs,
  parseBuildArgs,
  parseGoProxy,
  parseImage,
  parsePassEnv,
  parseRegistryMirror,
  parseUrl,
  refuseTemplate
} from './inputs/network.js'

export * from './inputs/names.js'
export { parseLines, parseList } from './inputs/values.js'

// kind names become docker container names and kube contexts (kind-<name>).
const CLUSTER_NAME = /^[a-z0-9]([-a-z0-9]{0,48}[a-z0-9])?$/
// Kubernetes DNS-1123 label, also the rule for persistentVolumeClaim names' first label.
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/
// Cache keys may not contain commas (the cache service splits on them).
const KEY_PREFIX = /^[A-Za-z0-9._-]{1,64}$/

/**
 * Parses and validates every input. One field per input in action.yml's
 * order: a table rather than logic, so it stays one function.
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
