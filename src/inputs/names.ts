/**
 * The action's input names, their defaults as action.yml declares them, the
 * typed value they parse into and the error that names a bad one.
 */
import { UserFixableError } from '../errors.js'
import type { SaveThreshold } from '../cache/differential.js'
import { DEFAULT_ATHENS_IMAGE, DEFAULT_REGISTRY_IMAGE } from '../images.js'
import { DEFAULT_REGISTRY_MIRROR } from '../skaffold/images.js'
import { redactUrlCredentials } from '../redact.js'

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
