/**
 * Real container registries on loopback for the tests: the CNCF
 * distribution registry (Debian's `docker-registry` package, v2.8) started
 * with `docker-registry serve <config.yml>`, either plain HTTP (what the
 * action's local `registry:2` container is) or with htpasswd basic auth and
 * TLS from a CA made for this run (an "external" registry such as GHCR).
 * Also a small client for the registry HTTP API (distribution
 * docs/spec/api.md), used by the cluster double's kaniko to push and by the
 * tests to pull images back by digest.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { existsSync } from 'node:fs'
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { request as httpRequest } from 'node:http'
import { request as httpsRequest } from 'node:https'
import { createServer } from 'node:net'
import { join } from 'node:path'
import { gunzipSync } from 'node:zlib'

/** The registry server Debian installs (package docker-registry). */
export const REGISTRY_BINARY = '/usr/bin/docker-registry'

/** Why real registries cannot run here, or undefined when they can. */
export function registryUnavailable(): string | undefined {
  if (!existsSync(REGISTRY_BINARY))
    return `${REGISTRY_BINARY} is missing: apt-get install -y docker-registry`
  for (const [tool, pkg] of [
    ['htpasswd', 'apache2-utils'],
    ['openssl', 'openssl']
  ]) {
    if (spawnSync(tool, ['-h']).error !== undefined)
      return `${tool} is missing: apt-get install -y ${pkg}`
  }
  return undefined
}

/** How to reach a registry from this machine. */
export interface RegistryEndpoint {
  /** http://127.0.0.1:<port> or https://127.0.0.1:<port>. */
  url: string
  /** PEM of the CA that signed the server certificate (TLS only). */
  ca?: string
  /** The name the certificate is for (TLS only). */
  servername?: string
}

/** A running registry. */
export interface RunningRegistry {
  endpoint: RegistryEndpoint
  /** The registry's storage and config dir. */
  dir: string
  stop(): Promise<void>
}

/** What startRegistry needs. */
export interface RegistryOptions {
  /** Storage, config and certificates go here (kept after stop). */
  dir: string
  /** TLS with a certificate for this host name (and 127.0.0.1), signed by a fresh test CA. */
  tlsHostname?: string
  /** htpasswd users (user → password); none means no authentication. */
  users?: Record<string, string>
}

function run(command: string, args: string[], input?: string): Promise<string> {
  return new Promise((resolve, reject) => {
    // No input: stdin closed from the start, so a child that exits early
    // (openssl does) cannot turn our write into an EPIPE error.
    const child = spawn(command, args, {
      stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe']
    })
    const out: Buffer[] = []
    const err: Buffer[] = []
    child.stdout?.on('data', (c: Buffer) => out.push(c))
    child.stderr?.on('data', (c: Buffer) => err.push(c))
    child.on('error', reject)
    child.on('close', (code) =>
      code === 0
        ? resolve(Buffer.concat(out).toString())
        : reject(
            new Error(
              `${command} ${args.join(' ')} exited ${code}: ${Buffer.concat(err).toString()}`
            )
          )
    )
    if (child.stdin) {
      // The exit code decides; a child that stops reading is not our error.
      child.stdin.on('error', () => undefined)
      child.stdin.end(input)
    }
  })
}

/** A test CA and a server certificate for `hostname` and 127.0.0.1 (openssl, P-256). */
async function makeCertificates(
  dir: string,
  hostname: string
): Promise<{ ca: string; cert: string; key: string }> {
  const p = (name: string): string => join(dir, name)
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1']
  await run('openssl', [
    'req',
    '-x509',
    ...ec,
    '-nodes',
    '-keyout',
    p('ca.key'),
    '-out',
    p('ca.crt'),
    '-days',
    '2',
    '-subj',
    '/CN=skaffold-kaniko-cache test CA'
  ])
  await run('openssl', [
    'req',
    ...ec,
    '-nodes',
    '-keyout',
    p('server.key'),
    '-out',
    p('server.csr'),
    '-subj',
    `/CN=${hostname}`
  ])
  await writeFile(
    p('server.ext'),
    `subjectAltName=DNS:${hostname},IP:127.0.0.1\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n`
  )
  await run('openssl', [
    'x509',
    '-req',
    '-in',
    p('server.csr'),
    '-CA',
    p('ca.crt'),
    '-CAkey',
    p('ca.key'),
    '-CAcreateserial',
    '-out',
    p('server.crt'),
    '-days',
    '2',
    '-extfile',
    p('server.ext')
  ])
  return { ca: p('ca.crt'), cert: p('server.crt'), key: p('server.key') }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      const port = typeof address === 'object' && address ? address.port : 0
      server.close(() => resolve(port))
    })
  })
}

/**
 * Starts a registry on 127.0.0.1 and resolves once `GET /v2/` answers.
 * @throws when the registry binary is missing or it does not come up.
 */
export async function startRegistry(
  options: RegistryOptions
): Promise<RunningRegistry> {
  const missing = registryUnavailable()
  if (missing !== undefined) throw new Error(missing)
  const dir = options.dir
  await mkdir(join(dir, 'data'), { recursive: true })
  let tls: { ca: string; cert: string; key: string } | undefined
  if (options.tlsHostname !== undefined)
    tls = await makeCertificates(dir, options.tlsHostname)
  const users = Object.entries(options.users ?? {})
  if (users.length > 0) {
    const lines: string[] = []
    for (const [user, password] of users) {
      // -i: the password comes on stdin, never in an argument list.
      lines.push(
        (await run('htpasswd', ['-B', '-i', '-n', user], password)).trim()
      )
    }
    await writeFile(join(dir, 'htpasswd'), `${lines.join('\n')}\n`)
  }
  const port = await freePort()
  // distribution configuration/configuration.go: version 0.1, storage,
  // http (addr, secret, tls), auth.htpasswd (realm, path).
  const config = [
    'version: 0.1',
    'log:',
    '  level: error',
    '  accesslog:',
    '    disabled: true',
    'storage:',
    '  filesystem:',
    `    rootdirectory: ${JSON.stringify(join(dir, 'data'))}`,
    '  delete:',
    '    enabled: true',
    'http:',
    `  addr: 127.0.0.1:${port}`,
    `  secret: ${randomBytes(16).toString('hex')}`,
    ...(tls === undefined
      ? []
      : [
          '  tls:',
          `    certificate: ${JSON.stringify(tls.cert)}`,
          `    key: ${JSON.stringify(tls.key)}`
        ]),
    ...(users.length === 0
      ? []
      : [
          'auth:',
          '  htpasswd:',
          '    realm: skaffold-kaniko-cache-test',
          `    path: ${JSON.stringify(join(dir, 'htpasswd'))}`
        ])
  ].join('\n')
  await writeFile(join(dir, 'config.yml'), `${config}\n`)
  const child: ChildProcess = spawn(
    REGISTRY_BINARY,
    ['serve', join(dir, 'config.yml')],
    { stdio: ['ignore', 'ignore', 'pipe'] }
  )
  let stderr = ''
  child.stderr?.on('data', (c: Buffer) => (stderr += c.toString()))
  const endpoint: RegistryEndpoint = {
    url: `${tls === undefined ? 'http' : 'https'}://127.0.0.1:${port}`,
    ...(tls === undefined
      ? {}
      : { ca: await readFile(tls.ca, 'utf8'), servername: options.tlsHostname })
  }
  const stop = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return
    await new Promise<void>((ok) => {
      child.once('exit', () => ok())
      child.kill('SIGTERM')
    })
  }
  for (let attempt = 0; ; attempt++) {
    if (child.exitCode !== null)
      throw new Error(`docker-registry exited ${child.exitCode}: ${stderr}`)
    try {
      await registryRequest(endpoint, 'GET', '/v2/')
      break
    } catch (error) {
      // 300 tries of 100 ms: a guard against a hang on a loaded machine.
      if (attempt > 300) {
        await stop()
        throw new Error(
          `docker-registry did not answer on ${endpoint.url}: ${(error as Error).message}; ${stderr}`,
          { cause: error }
        )
      }
      await new Promise((ok) => setTimeout(ok, 100))
    }
  }
  return { endpoint, dir, stop }
}

/** One response of the registry HTTP API. */
export interface RegistryResponse {
  status: number
  headers: Record<string, string | string[] | undefined>
  body: Buffer
}

/** Options of one registry request. */
export interface RegistryRequestOptions {
  headers?: Record<string, string>
  body?: Buffer
  /** The Host header: the registry's name as the client knows it. */
  host?: string
}

/** Sends one request to a registry endpoint (path with query, e.g. /v2/). */
export function registryRequest(
  endpoint: RegistryEndpoint,
  method: string,
  path: string,
  options: RegistryRequestOptions = {}
): Promise<RegistryResponse> {
  const url = new URL(path, endpoint.url)
  const tls = url.protocol === 'https:'
  const send = tls ? httpsRequest : httpRequest
  return new Promise((resolve, reject) => {
    const req = send(
      url,
      {
        method,
        headers: {
          ...(options.host === undefined ? {} : { host: options.host }),
          ...(options.body === undefined
            ? {}
            : { 'content-length': String(options.body.length) }),
          ...options.headers
        },
        ...(tls ? { ca: endpoint.ca, servername: endpoint.servername } : {})
      },
      (res) => {
        const chunks: Buffer[] = []
        res.on('data', (c: Buffer) => chunks.push(c))
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks)
          })
        )
        res.on('error', reject)
      }
    )
    req.on('error', reject)
    req.end(options.body)
  })
}

/** Accept header for the manifests a pull may get. */
export const MANIFEST_ACCEPT = [
  'application/vnd.docker.distribution.manifest.v2+json',
  'application/vnd.oci.image.manifest.v1+json'
].join(', ')

/** Basic auth header value. */
export function basicAuth(user: string, password: string): string {
  return `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`
}

/** A docker config.json that logs in to host, as `docker login` writes it. */
export function dockerLoginConfig(
  host: string,
  user: string,
  password: string
): string {
  return JSON.stringify({
    auths: {
      [host]: { auth: Buffer.from(`${user}:${password}`).toString('base64') }
    }
  })
}

/** Regular files of a tar: name → content (ustar/GNU headers). */
export function tarFiles(tar: Buffer): Map<string, Buffer> {
  const files = new Map<string, Buffer>()
  for (let at = 0; at + 512 <= tar.length;) {
    const header = tar.subarray(at, at + 512)
    const name = header.subarray(0, 100).toString().replace(/\0.*$/s, '')
    if (name === '') break
    const size = parseInt(header.subarray(124, 136).toString().trim(), 8)
    const type = String.fromCharCode(header[156])
    if (type === '0' || type === '\0')
      files.set(name, tar.subarray(at + 512, at + 512 + size))
    at += 512 + Math.ceil(size / 512) * 512
  }
  return files
}

/** An image pulled back by digest: its manifest and the files of its layers. */
export interface PulledImage {
  /** Status of the manifest GET (200 when the registry has it). */
  status: number
  /** The registry's Docker-Content-Digest header. */
  digest?: string
  manifest?: { config: { digest: string }; layers: { digest: string }[] }
  /** Every regular file of every layer (gzip tars), later layers win. */
  files: Map<string, Buffer>
}

/** Pulls `<repository>@<digest>` (manifest, then each layer) from a registry. */
export async function pullImage(
  endpoint: RegistryEndpoint,
  repository: string,
  digest: string,
  options: { host?: string; headers?: Record<string, string> } = {}
): Promise<PulledImage> {
  const headers = options.headers ?? {}
  const res = await registryRequest(
    endpoint,
    'GET',
    `/v2/${repository}/manifests/${digest}`,
    { host: options.host, headers: { ...headers, accept: MANIFEST_ACCEPT } }
  )
  const files = new Map<string, Buffer>()
  const header = res.headers['docker-content-digest']
  const pulled: PulledImage = {
    status: res.status,
    digest: typeof header === 'string' ? header : undefined,
    files
  }
  if (res.status !== 200) return pulled
  pulled.manifest = JSON.parse(res.body.toString()) as PulledImage['manifest'] &
    object
  for (const layer of pulled.manifest.layers) {
    const blob = await registryRequest(
      endpoint,
      'GET',
      `/v2/${repository}/blobs/${layer.digest}`,
      { host: options.host, headers }
    )
    if (blob.status !== 200)
      throw new Error(`GET blob ${layer.digest}: status ${blob.status}`)
    for (const [name, content] of tarFiles(gunzipSync(blob.body)))
      files.set(name, content)
  }
  return pulled
}
