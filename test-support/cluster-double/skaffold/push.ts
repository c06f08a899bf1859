/**
 * kaniko's push, against a real registry: the credentials the pod has
 * (the docker config skaffold mounts at /kaniko/.docker), kaniko's push
 * permission check, the blob uploads and the manifest, with the error texts
 * kaniko and go-containerregistry print.
 */
import {
  basicAuth,
  registryRequest,
  type RegistryEndpoint,
  type RegistryResponse
} from '../../registry/index.js'
import { CommandError } from '../io.js'
import { MEDIA_TYPES, type Blob, type BuiltImage } from './image.js'

/** Where the pod pushes and how the double reaches it. */
export interface PushTarget {
  /** The destination kaniko gets (`<registry>/<repository>:<tag>`). */
  destination: string
  /** The registry as the reference names it (host[:port]). */
  registry: string
  repository: string
  tag: string
  /** The real registry standing for it. */
  endpoint: RegistryEndpoint
  /** kaniko --insecure or --insecure-registry names this registry. */
  insecure: boolean
}

/** The credentials the pod's keychain finds. */
export type PodAuth =
  { kind: 'anonymous' } | { kind: 'basic'; username: string; password: string }

/** kaniko's wrapper around a failed push permission check (cmd/executor/cmd/root.go, Run). */
export const PERMISSION_PREFIX =
  'error checking push permissions -- make sure you entered the correct tag name, and that you are authenticated correctly, and try again'

/** Credential helpers kaniko's image ships in /kaniko (kaniko deploy/Dockerfile, stage kaniko-base). */
const KANIKO_HELPERS = ['gcr', 'ecr-login', 'acr-env']

/**
 * Registries the other keychains of kaniko's multi-keychain answer for
 * (kaniko pkg/creds/creds.go GetKeychain: google.Keychain, the ECR and ACR
 * helpers); what they return depends on the cloud's metadata server.
 */
const CLOUD_REGISTRY =
  /(^|\.)gcr\.io$|\.pkg\.dev$|\.dkr\.ecr\.[^.]+\.amazonaws\.com$|\.azurecr\.io$/

function refuse(message: string): CommandError {
  return new CommandError(`cluster double: ${message}`, 2)
}

/** docker/cli credentials/file_store.go ConvertToHostname: drop the scheme and any path. */
function convertToHostname(key: string): string {
  return key.replace(/^https?:\/\//, '').split('/')[0]
}

/**
 * The credentials kaniko's keychain resolves for `registry` from the pod's
 * docker config (go-containerregistry pkg/authn/keychain.go
 * defaultKeychain.ResolveContext: $DOCKER_CONFIG/config.json, none →
 * Anonymous; docker/cli configfile/file.go GetAuthConfig: credHelpers[host],
 * else credsStore, else the file's `auths`, matched by host with
 * file_store.go ConvertToHostname).
 * @param configText /kaniko/.docker/config.json, undefined when no secret is mounted there
 * @throws CommandError with kaniko's text when a helper cannot run; exit 2 when the double cannot know
 */
export function resolvePodAuth(
  configText: string | undefined,
  registry: string
): PodAuth {
  const resolving = `resolving authorization for ${registry} failed`
  if (configText === undefined) return cloudCheck(registry, 'no docker config')
  let config: {
    auths?: Record<string, Record<string, unknown>>
    credsStore?: string
    credHelpers?: Record<string, string>
  }
  try {
    config = JSON.parse(configText) as typeof config
  } catch (error) {
    throw new CommandError(
      `${resolving}: /kaniko/.docker/config.json: ${(error as Error).message}`
    )
  }
  // go-containerregistry: Docker Hub's key is https://index.docker.io/v1/.
  const key =
    registry === 'index.docker.io' ? 'https://index.docker.io/v1/' : registry
  const helper = config.credHelpers?.[key] ?? config.credsStore
  if (helper !== undefined && helper !== '') {
    if (KANIKO_HELPERS.includes(helper))
      throw refuse(
        `the pod's docker config asks docker-credential-${helper} (in kaniko's image) for ${registry}; what it returns depends on the cloud, which the double cannot know`
      )
    // docker-credential-helpers client/client.go Get; os/exec LookPath's error.
    throw new CommandError(
      `${resolving}: error getting credentials - err: exec: "docker-credential-${helper}": executable file not found in $PATH, out: \`\``
    )
  }
  const auths = config.auths ?? {}
  const entry =
    auths[key] ??
    Object.entries(auths).find(([k]) => convertToHostname(k) === key)?.[1]
  if (entry === undefined) return cloudCheck(registry, 'no entry')
  if (entry.identitytoken !== undefined || entry.registrytoken !== undefined)
    throw refuse(
      `the pod's docker config has a token for ${registry}; the double models basic auth only`
    )
  // docker/cli configfile/file.go decodeAuth: base64 of "user:password".
  if (typeof entry.auth === 'string' && entry.auth !== '') {
    const decoded = Buffer.from(entry.auth, 'base64').toString()
    const colon = decoded.indexOf(':')
    if (colon < 0)
      throw new CommandError(
        `${resolving}: /kaniko/.docker/config.json: invalid auth configuration file`
      )
    return {
      kind: 'basic',
      username: decoded.slice(0, colon),
      password: decoded.slice(colon + 1)
    }
  }
  if (typeof entry.username === 'string' && typeof entry.password === 'string')
    return { kind: 'basic', username: entry.username, password: entry.password }
  return cloudCheck(registry, 'empty entry')
}

function cloudCheck(registry: string, why: string): PodAuth {
  if (CLOUD_REGISTRY.test(registry.split(':')[0]))
    throw refuse(
      `${registry}: kaniko's cloud keychains (google, ECR, ACR) answer for it (${why} in the docker config); what they return depends on the cloud, which the double cannot know`
    )
  return { kind: 'anonymous' }
}

/** Go's %v of a decoded JSON value (maps print with sorted keys: fmt's map printing). */
function goValue(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(goValue).join(' ')}]`
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(
      ([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)
    )
    return `map[${entries.map(([k, v]) => `${k}:${goValue(v)}`).join(' ')}]`
  }
  if (value === null) return '<nil>'
  return typeof value === 'string' ? value : JSON.stringify(value)
}

/** go-containerregistry pkg/v1/remote/transport/error.go Error.responseErr. */
function responseErr(method: string, res: RegistryResponse): string {
  const status = `${res.status} ${statusText(res.status)}`
  let errors: { code: string; message?: string; detail?: unknown }[] = []
  try {
    errors =
      (JSON.parse(res.body.toString()) as { errors?: typeof errors }).errors ??
      []
  } catch {
    errors = []
  }
  const diag = (d: (typeof errors)[number]): string =>
    `${d.code}: ${d.message ?? ''}` +
    (d.detail === undefined ? '' : `; ${goValue(d.detail)}`)
  if (errors.length === 1) return diag(errors[0])
  if (errors.length > 1)
    return `multiple errors returned: ${errors.map(diag).join('; ')}`
  if (res.body.length === 0)
    return method === 'HEAD'
      ? `unexpected status code ${status} (HEAD responses have no body, use GET for details)`
      : `unexpected status code ${status}`
  return `unexpected status code ${status}: ${res.body.toString()}`
}

function statusText(code: number): string {
  const texts: Record<number, string> = {
    400: 'Bad Request',
    401: 'Unauthorized',
    403: 'Forbidden',
    404: 'Not Found',
    405: 'Method Not Allowed',
    500: 'Internal Server Error',
    503: 'Service Unavailable'
  }
  return texts[code] ?? ''
}

/** One client of one registry, as go-containerregistry's transport talks to it. */
class Client {
  constructor(
    private readonly target: PushTarget,
    private readonly scheme: 'http' | 'https',
    private readonly auth: PodAuth
  ) {}

  /** The URL as the pod sees it (for error texts). */
  url(path: string): string {
    return `${this.scheme}://${this.target.registry}${path}`
  }

  async send(
    method: string,
    path: string,
    expect: number[],
    headers: Record<string, string> = {},
    body?: Buffer
  ): Promise<RegistryResponse> {
    const res = await registryRequest(this.target.endpoint, method, path, {
      host: this.target.registry,
      headers: {
        ...headers,
        ...(this.auth.kind === 'basic'
          ? {
              authorization: basicAuth(this.auth.username, this.auth.password)
            }
          : {})
      },
      body
    })
    if (!expect.includes(res.status))
      throw new Error(
        `${method} ${this.url(path.split('?')[0])}: ${responseErr(method, res)}`
      )
    return res
  }

  /** The path (and query) of an upload Location (absolute or relative). */
  location(res: RegistryResponse): string {
    const loc = String(res.headers.location ?? '')
    const url = new URL(loc, this.url('/'))
    return `${url.pathname}${url.search}`
  }
}

/**
 * The transport kaniko gets: https unless the registry is insecure
 * (go-containerregistry pkg/name/registry.go Scheme; transport/ping.go tries
 * https, then http for an insecure registry), and the ping's challenge
 * (basic auth here; a token registry is refused).
 */
async function connect(target: PushTarget, auth: PodAuth): Promise<Client> {
  const plain = target.endpoint.url.startsWith('http:')
  if (plain && !target.insecure)
    throw new Error(
      `Get "https://${target.registry}/v2/": http: server gave HTTP response to HTTPS client (pass --insecure-registry ${target.registry} or set kaniko.insecureRegistry)`
    )
  const client = new Client(target, plain ? 'http' : 'https', {
    kind: 'anonymous'
  })
  const ping = await client.send('GET', '/v2/', [200, 401])
  if (ping.status === 401) {
    const challenge = String(ping.headers['www-authenticate'] ?? '')
    if (!/^basic\b/i.test(challenge))
      throw refuse(
        `${target.registry} asks for "${challenge}"; the double's kaniko models basic auth only`
      )
  }
  return new Client(target, plain ? 'http' : 'https', auth)
}

/**
 * kaniko's CheckPushPermissions (pkg/executor/push.go, through
 * go-containerregistry remote.CheckPushPermission: start an upload, then
 * cancel it). Runs before the build, as kaniko does (cmd/executor/cmd/root.go).
 * @throws CommandError with kaniko's text
 */
export async function checkPushPermission(
  target: PushTarget,
  auth: PodAuth
): Promise<void> {
  try {
    const client = await connect(target, auth)
    const res = await client.send(
      'POST',
      `/v2/${target.repository}/blobs/uploads/`,
      [202]
    )
    await client.send('DELETE', client.location(res), [204, 404])
  } catch (error) {
    if (error instanceof CommandError) throw error
    throw new CommandError(
      `${PERMISSION_PREFIX}: checking push permission for "${target.destination}": ${(error as Error).message}`
    )
  }
}

async function pushBlob(
  client: Client,
  repository: string,
  blob: Blob
): Promise<void> {
  const head = await client.send(
    'HEAD',
    `/v2/${repository}/blobs/${blob.digest}`,
    [200, 404]
  )
  if (head.status === 200) return
  const start = await client.send(
    'POST',
    `/v2/${repository}/blobs/uploads/`,
    [202]
  )
  const loc = client.location(start)
  await client.send(
    'PUT',
    `${loc}${loc.includes('?') ? '&' : '?'}digest=${encodeURIComponent(blob.digest)}`,
    [201],
    { 'content-type': 'application/octet-stream' },
    blob.data
  )
}

/**
 * kaniko's DoPush (pkg/executor/push.go): the blobs, then the manifest by
 * tag (go-containerregistry remote.Write), printing kaniko's lines.
 * @returns the digest the registry gives the manifest (Docker-Content-Digest)
 * @throws CommandError `error pushing image: failed to push to destination …` (cmd/executor/cmd/root.go)
 */
export async function pushImage(
  target: PushTarget,
  auth: PodAuth,
  image: BuiltImage,
  out: (text: string) => void
): Promise<string> {
  out(`INFO[0001] Pushing image to ${target.destination}\n`)
  try {
    const client = await connect(target, auth)
    await pushBlob(client, target.repository, image.layer)
    await pushBlob(client, target.repository, image.config)
    const res = await client.send(
      'PUT',
      `/v2/${target.repository}/manifests/${target.tag}`,
      [201],
      { 'content-type': MEDIA_TYPES.manifest },
      image.manifest.data
    )
    const digest = String(res.headers['docker-content-digest'] ?? '')
    if (digest !== image.manifest.digest)
      throw new Error(
        `the registry gave digest "${digest}" for a manifest of digest ${image.manifest.digest}`
      )
    out(`INFO[0001] Pushed ${target.registry}/${target.repository}@${digest}\n`)
    return digest
  } catch (error) {
    if (error instanceof CommandError) throw error
    throw new CommandError(
      `error pushing image: failed to push to destination ${target.destination}: ${(error as Error).message}`
    )
  }
}
