/**
 * A loopback HTTP server that serves tool binaries and their checksum files
 * in each project's release layout, so the action's install code runs for
 * real against it.
 *
 * The layouts are written out here on purpose, not taken from src/tools:
 * a test that compares the two catches a wrong URL in the action.
 *
 *   kind      <kind>/<ver>/kind-<os>-<arch>            + .sha256sum  "<hash>  kind-<os>-<arch>\n"
 *   skaffold  <skaffold>/<ver>/skaffold-<os>-<arch>    + .sha256     "<hash>  skaffold-<os>-<arch>\n"
 *             (<skaffoldGithub> is the same layout, standing for the GitHub fallback)
 *   kubectl   <kubectl>/<ver>/bin/<os>/<arch>/kubectl  + .sha256     "<hash>"
 */

import { createHash } from 'node:crypto'
import {
  createServer,
  type IncomingMessage,
  type ServerResponse
} from 'node:http'
import type { AddressInfo } from 'node:net'

/** Tools the server knows the layout of. */
export type ServedToolName = 'kind' | 'skaffold' | 'kubectl'

/** What a checksum file holds: the real digest, another digest, or 404. */
export type ChecksumServed = 'ok' | 'wrong' | 'missing'

/** Which skaffold base serves a file. */
export type SkaffoldBase = 'storage' | 'github' | 'both'

/** One binary to serve. */
export interface ServedFile {
  tool: ServedToolName
  /** With or without the leading "v"; served with it. */
  version: string
  os: 'linux' | 'darwin'
  arch: 'amd64' | 'arm64'
  content: string | Buffer
  /** skaffold only: which base has it (default storage). */
  skaffoldBase?: SkaffoldBase
  /** ok (default): the real digest; wrong: another digest; missing: 404. */
  checksum?: ChecksumServed
  /**
   * skaffold only: the checksum file on the GitHub base, when it differs
   * from `checksum` (a server that serves another binary, or none).
   */
  githubChecksum?: ChecksumServed
  /** Serve an HTML error page with status 200 instead of the binary. */
  html?: boolean
}

/** Options of startDownloadServer. */
export interface DownloadServerOptions {
  files: ServedFile[]
  /** Extra paths that answer 404 even when a file is registered there. */
  notFound?: string[]
  /** Extra paths that answer an HTML page with status 200. */
  htmlPages?: string[]
}

/** One request the server answered. */
export interface LoggedRequest {
  method: string
  path: string
  status: number
}

/** A running download server. */
export interface DownloadServer {
  /** Base URLs to hand to the action (its *-download-url inputs). */
  baseUrls: {
    kind: string
    skaffold: string
    skaffoldGithub: string
    kubectl: string
  }
  /** Every request answered so far, in order (assert a cache hit downloads nothing). */
  requests: LoggedRequest[]
  /** The server path of a binary, for notFound/htmlPages switches. */
  pathOf(
    file: Pick<ServedFile, 'tool' | 'version' | 'os' | 'arch'>,
    base?: 'storage' | 'github'
  ): string
  /** The sha256 of what is served for a file (hex). */
  sha256Of(content: string | Buffer): string
  stop(): Promise<void>
}

const HTML_PAGE =
  '<!DOCTYPE html>\n<html><head><title>Sign in</title></head><body>Please sign in to continue.</body></html>\n'

// A digest no served file has: what "wrong" checksum files contain.
const WRONG_SHA256 = 'f'.repeat(64)

/** Starts the server on 127.0.0.1, port 0. */
export async function startDownloadServer(
  options: DownloadServerOptions
): Promise<DownloadServer> {
  const routes = new Map<string, { status: number; body: Buffer | string }>()
  for (const file of options.files) {
    const bases: ('storage' | 'github')[] =
      file.tool !== 'skaffold'
        ? ['storage']
        : file.skaffoldBase === 'both'
          ? ['storage', 'github']
          : [file.skaffoldBase ?? 'storage']
    for (const base of bases) {
      const binaryPath = pathOf(file, base)
      const content =
        typeof file.content === 'string'
          ? Buffer.from(file.content)
          : file.content
      routes.set(binaryPath, {
        status: 200,
        body: file.html === true ? HTML_PAGE : content
      })
      const checksum =
        base === 'github'
          ? (file.githubChecksum ?? file.checksum)
          : file.checksum
      if (checksum !== 'missing') {
        const digest = checksum === 'wrong' ? WRONG_SHA256 : sha256Of(content)
        routes.set(`${binaryPath}${checksumSuffix(file.tool)}`, {
          status: 200,
          body: checksumBody(file.tool, digest, binaryPath)
        })
      }
    }
  }
  for (const p of options.htmlPages ?? [])
    routes.set(p, { status: 200, body: HTML_PAGE })
  for (const p of options.notFound ?? []) routes.delete(p)

  const requests: LoggedRequest[] = []
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const requestPath = new URL(req.url ?? '/', 'http://127.0.0.1').pathname
    const route = routes.get(requestPath)
    const status = route?.status ?? 404
    requests.push({ method: req.method ?? 'GET', path: requestPath, status })
    if (route === undefined) {
      res.writeHead(404, { 'content-type': 'text/plain' })
      res.end(`404 Not Found: ${requestPath}\n`)
      return
    }
    const html =
      typeof route.body === 'string' && route.body.startsWith('<!DOCTYPE')
    res.writeHead(route.status, {
      'content-type': html
        ? 'text/html; charset=utf-8'
        : 'application/octet-stream',
      'content-length': Buffer.byteLength(route.body)
    })
    res.end(req.method === 'HEAD' ? undefined : route.body)
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => resolve())
  })
  const { port } = server.address() as AddressInfo
  const origin = `http://127.0.0.1:${port}`
  return {
    baseUrls: {
      kind: `${origin}/kind`,
      skaffold: `${origin}/skaffold`,
      skaffoldGithub: `${origin}/skaffold-github`,
      kubectl: `${origin}/kubectl`
    },
    requests,
    pathOf,
    sha256Of,
    stop: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections()
        server.close((error) => (error ? reject(error) : resolve()))
      })
  }
}

function pathOf(
  file: Pick<ServedFile, 'tool' | 'version' | 'os' | 'arch'>,
  base: 'storage' | 'github' = 'storage'
): string {
  const version = /^\d/.test(file.version) ? `v${file.version}` : file.version
  switch (file.tool) {
    case 'kind':
      return `/kind/${version}/kind-${file.os}-${file.arch}`
    case 'skaffold':
      return `/${base === 'github' ? 'skaffold-github' : 'skaffold'}/${version}/skaffold-${file.os}-${file.arch}`
    case 'kubectl':
      return `/kubectl/${version}/bin/${file.os}/${file.arch}/kubectl`
  }
}

function checksumSuffix(tool: ServedToolName): string {
  return tool === 'kind' ? '.sha256sum' : '.sha256'
}

function checksumBody(
  tool: ServedToolName,
  digest: string,
  binaryPath: string
): string {
  // kubectl's .sha256 holds the bare digest, without even a newline.
  if (tool === 'kubectl') return digest
  return `${digest}  ${binaryPath.slice(binaryPath.lastIndexOf('/') + 1)}\n`
}

function sha256Of(content: string | Buffer): string {
  return createHash('sha256').update(content).digest('hex')
}
