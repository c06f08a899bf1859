/**
 * Where the images go and how kaniko logs in there. Pure: the caller reads
 * the runner's docker config and hands in its text.
 *
 * kaniko resolves push credentials through a chain of keychains
 * (GoogleContainerTools/kaniko pkg/creds/creds.go GetKeychain): first the
 * docker config under DOCKER_CONFIG (/kaniko/.docker in the executor image,
 * deploy/Dockerfile), then the built-in Google (gcr.io, *.pkg.dev), Amazon
 * ECR, Azure ACR (env) and GitLab CI helpers, which need that cloud's
 * identity inside the pod. skaffold turns a local docker config file into
 * the secret mounted there (GoogleContainerTools/skaffold v2.24.0
 * pkg/skaffold/build/cluster/secret.go setupDockerConfigSecret: key
 * config.json, created before the build; pkg/skaffold/build/builder_mux.go
 * Build calls PostBuild, which deletes it, only when every artifact built).
 */

/** The start of the secret's name skaffold creates from the runner's docker config. */
export const DOCKER_CONFIG_SECRET_PREFIX = 'skaffold-kaniko-cache-docker-config'

/**
 * The docker config secret of one action step: the prefix and a suffix the
 * caller draws at random, so a secret a failed build left behind (skaffold
 * deletes it only after a build where every artifact built) never blocks the
 * next step's create. A Kubernetes object name (a DNS-1123 subdomain).
 * @throws Error when the suffix is not 1-16 lower-case letters or digits.
 */
export function dockerConfigSecretName(suffix: string): string {
  if (!/^[a-z0-9]{1,16}$/.test(suffix)) {
    throw new Error(
      `docker config secret suffix "${suffix}" must be 1-16 lower-case letters or digits`
    )
  }
  return `${DOCKER_CONFIG_SECRET_PREFIX}-${suffix}`
}

/** docker/login-action and `docker login` write Docker Hub under this key. */
const DOCKER_HUB_KEY = 'https://index.docker.io/v1/'

/**
 * Credential helpers the kaniko executor image ships in /kaniko, which is on
 * its PATH (GoogleContainerTools/kaniko deploy/Dockerfile: docker-credential-gcr,
 * -ecr-login, -acr-env).
 */
const KANIKO_HELPERS = ['gcr', 'ecr-login', 'acr-env']

/**
 * The registry host of an image name or repository prefix, as
 * distribution/reference normalize.go splitDockerDomain decides it: the
 * first path component when it has a "." or ":", is "localhost" or has an
 * upper-case letter; otherwise Docker Hub ("docker.io", also for the legacy
 * "index.docker.io").
 */
export function registryHost(reference: string): string {
  const slash = reference.indexOf('/')
  const first = slash < 0 ? '' : reference.slice(0, slash)
  if (
    first === '' ||
    (!/[.:]/.test(first) &&
      first !== 'localhost' &&
      first.toLowerCase() === first)
  ) {
    return 'docker.io'
  }
  return first === 'index.docker.io' ? 'docker.io' : first
}

/** What decides the push target. */
export interface PushTargetRequest {
  defaultRepo: string
  /** The registry input. */
  registry: boolean
  /** `<name>:<port>` of the local registry (what the kaniko pod pushes to). */
  localRegistry: string
}

/**
 * The local registry is started only when the images go there: with an
 * empty default-repo (the action then passes the local registry as
 * --default-repo) or one that names it. skaffold's cluster builder has no
 * build-only mode: it always pushes (skaffold v2.24.0
 * pkg/skaffold/build/cluster/types.go PushImages returns true; kaniko
 * `noPush` left the schema in v4beta5), so a local registry beside an
 * external default-repo would never receive an image.
 */
export function localRegistryWanted(request: PushTargetRequest): boolean {
  if (!request.registry) return false
  if (request.defaultRepo === '') return true
  return registryHost(request.defaultRepo) === request.localRegistry
}

/** Why a wanted local registry is not started, for the log; '' when it is. */
export function localRegistrySkipped(request: PushTargetRequest): string {
  if (!request.registry || localRegistryWanted(request)) return ''
  return `registry: true, but default-repo ${request.defaultRepo} is the push target, so the local registry ${request.localRegistry} is not started (skaffold's cluster builder always pushes, to one repository)`
}

/**
 * The registries kaniko pushes to outside this job: default-repo's host, or
 * each artifact image's own host when no default-repo applies. The local
 * registry is left out.
 */
export function externalPushRegistries(
  request: PushTargetRequest & { images: string[] }
): string[] {
  if (localRegistryWanted(request)) return []
  const hosts =
    request.defaultRepo !== ''
      ? [registryHost(request.defaultRepo)]
      : request.images.map(registryHost)
  return [...new Set(hosts)]
    .filter((host) => host !== request.localRegistry)
    .sort()
}

/** How a docker config logs in to one registry. */
export type RegistryLogin =
  /** A credential in the file itself (auths.<registry>.auth, or user and password, or a token). */
  | { kind: 'auth' }
  /** A credential helper holds it; the file alone has no secret. */
  | {
      kind: 'helper'
      helper: string
      via: 'credsStore' | 'credHelpers'
      /** True when the kaniko executor image ships this helper. */
      inKaniko: boolean
    }
  | { kind: 'none' }

interface AuthEntry {
  auth?: unknown
  username?: unknown
  password?: unknown
  identitytoken?: unknown
  registrytoken?: unknown
}

interface DockerConfigFile {
  auths?: Record<string, AuthEntry>
  credsStore?: unknown
  credHelpers?: Record<string, unknown>
}

/** Parses a docker config.json; undefined when it is not a JSON object. */
export function parseDockerConfig(text: string): DockerConfigFile | undefined {
  try {
    const value: unknown = JSON.parse(text)
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      return undefined
    }
    return value
  } catch {
    return undefined
  }
}

/** The keys docker's credential lookup accepts for a registry. */
function keysFor(registry: string): string[] {
  return registry === 'docker.io'
    ? [DOCKER_HUB_KEY, 'index.docker.io', 'docker.io']
    : [registry]
}

/** `https://ghcr.io/v2/` → `ghcr.io` (docker/cli credentials ConvertToHostname). */
function hostnameOf(key: string): string {
  return key.replace(/^https?:\/\//, '').split('/')[0]
}

function nonEmpty(value: unknown): boolean {
  return typeof value === 'string' && value !== ''
}

/**
 * How the config logs in to the registry, as docker/cli resolves it
 * (cli/config/configfile/file.go GetCredentialsStore: a credHelpers entry
 * for the host, else credsStore, else the file's auths;
 * cli/config/credentials/file_store.go Get: the exact key, else a key whose
 * hostname matches).
 */
export function classifyLogin(
  config: DockerConfigFile,
  registry: string
): RegistryLogin {
  const keys = keysFor(registry)
  const helpers = config.credHelpers ?? {}
  for (const key of keys) {
    const helper = helpers[key]
    if (nonEmpty(helper)) {
      return {
        kind: 'helper',
        helper: helper as string,
        via: 'credHelpers',
        inKaniko: KANIKO_HELPERS.includes(helper as string)
      }
    }
  }
  if (nonEmpty(config.credsStore)) {
    const helper = config.credsStore as string
    return {
      kind: 'helper',
      helper,
      via: 'credsStore',
      inKaniko: KANIKO_HELPERS.includes(helper)
    }
  }
  const auths = config.auths ?? {}
  const entry =
    keys.map((key) => auths[key]).find((e) => e !== undefined) ??
    Object.entries(auths).find(([key]) => keys.includes(hostnameOf(key)))?.[1]
  if (entry === undefined || typeof entry !== 'object' || entry === null) {
    return { kind: 'none' }
  }
  const hasSecret =
    nonEmpty(entry.auth) ||
    (nonEmpty(entry.username) && nonEmpty(entry.password)) ||
    nonEmpty(entry.identitytoken) ||
    nonEmpty(entry.registrytoken)
  return hasSecret ? { kind: 'auth' } : { kind: 'none' }
}

/**
 * Every credential string in a docker config (auth values, the password
 * inside each, passwords and tokens), for masking in the log.
 */
export function dockerConfigSecrets(config: DockerConfigFile): string[] {
  const secrets: string[] = []
  for (const entry of Object.values(config.auths ?? {})) {
    if (typeof entry !== 'object' || entry === null) continue
    for (const field of [
      entry.auth,
      entry.password,
      entry.identitytoken,
      entry.registrytoken
    ]) {
      if (nonEmpty(field)) secrets.push(field as string)
    }
    if (nonEmpty(entry.auth)) {
      const decoded = Buffer.from(entry.auth as string, 'base64').toString()
      const colon = decoded.indexOf(':')
      if (colon >= 0 && colon < decoded.length - 1) {
        secrets.push(decoded.slice(colon + 1))
      }
    }
  }
  return [...new Set(secrets)]
}

/** What the action does with the runner's docker config. */
export interface PushLoginPlan {
  /** For the patch: cluster.dockerConfig in the blocks that have no login of their own. */
  dockerConfig?: { path: string; secretName: string }
  /** Lines for the log; warnings also go to the summary. */
  messages: { level: 'info' | 'warning'; text: string }[]
  /** Strings to mask (never the file's text itself). */
  secrets: string[]
}

/** Inputs of the decision: never the config's text beyond this call. */
export interface PushLoginRequest {
  /** The docker-config input. */
  mode: 'auto' | 'false'
  registries: string[]
  /** The runner's docker config, when one exists. */
  config?: { path: string; text: string }
  /** The secret skaffold creates from it (dockerConfigSecretName). */
  secretName: string
}

/** A short line on kaniko's own helpers, for registries the file cannot log in to. */
const BUILT_IN_HELPERS =
  "kaniko's built-in helpers log in to gcr.io / *.pkg.dev (Google credentials of the pod or node), Amazon ECR (AWS credentials in the pod) and Azure ACR (AZURE_* variables in the pod) without a docker config; the runner's own cloud login does not reach the pod"

/**
 * Decides whether kaniko gets the runner's docker config. It does when the
 * push goes outside the job, the file holds a credential for one of those
 * registries itself, and every helper it names is one kaniko ships (a
 * helper the pod lacks makes kaniko's lookup fail: go-containerregistry
 * pkg/authn/keychain.go returns the store's error, and the multi-keychain
 * stops there).
 */
export function planPushLogin(request: PushLoginRequest): PushLoginPlan {
  const plan: PushLoginPlan = { messages: [], secrets: [] }
  const info = (text: string): void => {
    plan.messages.push({ level: 'info', text })
  }
  const warn = (text: string): void => {
    plan.messages.push({ level: 'warning', text })
  }
  if (request.registries.length === 0) return plan
  const targets = request.registries.join(', ')
  if (request.mode === 'false') {
    info(
      `docker-config: false: kaniko pushes to ${targets} without the runner's docker login (a cluster block's own dockerConfig or pullSecretName still applies)`
    )
    return plan
  }
  if (request.config === undefined) {
    info(
      `No docker config on the runner ($DOCKER_CONFIG/config.json or ~/.docker/config.json): kaniko pushes to ${targets} with its own credentials only. Log in first (docker/login-action) for a registry that needs a password; ${BUILT_IN_HELPERS}.`
    )
    return plan
  }
  const config = parseDockerConfig(request.config.text)
  if (config === undefined) {
    warn(
      `${request.config.path} is not a JSON object: kaniko does not get the runner's docker login. Fix or remove the file, or set docker-config: false.`
    )
    return plan
  }
  plan.secrets = dockerConfigSecrets(config)
  const logins = request.registries.map((registry) => ({
    registry,
    login: classifyLogin(config, registry)
  }))
  const missingHelpers = foreignHelpers(config)
  if (missingHelpers.length > 0) {
    warn(
      `${request.config.path} names the credential helper ${missingHelpers.join(', ')}, which kaniko's image does not have: the file alone holds no secret for ${helperRegistries(logins)}, and mounted into the kaniko pod it would make every credential lookup fail, so kaniko does not get it. Log in without a helper for the push (docker/login-action writes auths into the file), or give the cluster block your own dockerConfig; ${BUILT_IN_HELPERS}.`
    )
    return plan
  }
  for (const { registry, login } of logins) {
    if (login.kind === 'helper') {
      info(
        `${registry}: ${request.config.path} sends it to the ${login.helper} helper (${login.via}), which kaniko's image ships; it works when the kaniko pod has that cloud's identity`
      )
    } else if (login.kind === 'none') {
      info(
        `${registry}: no login in ${request.config.path}; kaniko pushes there with its own credentials only (${BUILT_IN_HELPERS})`
      )
    }
  }
  if (logins.every((l) => l.login.kind === 'none')) return plan
  plan.dockerConfig = {
    path: request.config.path,
    secretName: request.secretName
  }
  info(
    `kaniko logs in to ${targets} with the runner's docker config ${request.config.path} (skaffold creates the secret ${request.secretName} from it for the build and deletes it after a build that succeeds, the post step after one that fails; cluster blocks with their own dockerConfig or pullSecretName keep theirs)`
  )
  return plan
}

/** Helpers the config names (credsStore, credHelpers) that kaniko lacks. */
function foreignHelpers(config: DockerConfigFile): string[] {
  const named = [
    config.credsStore,
    ...Object.values(config.credHelpers ?? {})
  ].filter(nonEmpty) as string[]
  return [...new Set(named.filter((h) => !KANIKO_HELPERS.includes(h)))].sort()
}

function helperRegistries(
  logins: { registry: string; login: RegistryLogin }[]
): string {
  const through = logins
    .filter((l) => l.login.kind === 'helper')
    .map((l) => l.registry)
  return through.length > 0 ? through.join(', ') : 'the registries it covers'
}

/**
 * kaniko's words when a registry refuses the push: it checks push
 * permission before it builds (kaniko cmd/executor/cmd/root.go Run, "error
 * checking push permissions -- …: checking push permission for
 * \"<image>\": …"), and go-containerregistry's transport error carries the
 * registry's code (pkg/v1/remote/transport/error.go: UNAUTHORIZED, DENIED).
 */
const PUSH_REFUSED =
  /checking push permission for "([^"]+)": .*\b(UNAUTHORIZED|DENIED)\b/

/**
 * Which registry refused kaniko's push, from the last lines of the build
 * log, as a sentence naming the registry and the fix; '' when no line says
 * so.
 */
export function pushRefusal(tail: string[]): string {
  for (const line of tail) {
    const match = PUSH_REFUSED.exec(line)
    if (!match) continue
    const host = registryHost(match[1])
    return `the registry ${host} refused kaniko's push of ${match[1]} (${match[2]}): log in to ${host} before this step (docker/login-action or docker login) with a credential that may push to that repository`
  }
  return ''
}
