/**
 * The Athens stand-in: a file-layout GOPROXY served on loopback with a request
 * log, so `go mod download` and `go build` fetch real modules with no network.
 */
import { createReadStream } from 'node:fs'
import { mkdtemp, rm, stat } from 'node:fs/promises'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join, normalize } from 'node:path'
import { writeProxyLayout, type ModuleSource } from './layout.js'

export {
  writeProxyLayout,
  listModuleFiles,
  escapeModulePath,
  type ModuleSource
} from './layout.js'
export { writeZip, type ZipEntry } from './zip.js'
export { hash1, localGoSum, moduleHashes, useLocalGoSums } from './gosum.js'
export {
  DEBIAN_GOCODE,
  DEBIAN_MODULES,
  GRAPH_ONLY_MODULES,
  debianModuleSources,
  type DebianModule
} from './debian.js'

/** A running module proxy. */
export interface ModuleProxy {
  /** Base URL for GOPROXY, e.g. http://127.0.0.1:41234 */
  url: string
  /** Paths requested so far, in order (e.g. /gopkg.in/yaml.v3/@v/v3.0.1.zip). */
  requests: string[]
  /** The directory holding the proxy layout. */
  dir: string
  /** Stops the server and removes the layout directory. */
  stop(): Promise<void>
}

/** Options for startModuleProxy. */
export interface ModuleProxyOptions {
  modules: readonly ModuleSource[]
}

/** Builds the proxy layout for `modules` and serves it on 127.0.0.1. */
export async function startModuleProxy(
  options: ModuleProxyOptions
): Promise<ModuleProxy> {
  const dir = await mkdtemp(join(tmpdir(), 'module-proxy-'))
  await writeProxyLayout(options.modules, dir)
  const requests: string[] = []
  const server = createServer((req, res) => {
    const path = decodeURIComponent(
      new URL(req.url ?? '/', 'http://x').pathname
    )
    requests.push(path)
    const file = normalize(join(dir, path))
    if (!file.startsWith(dir + '/')) {
      res.writeHead(400).end('bad path\n')
      return
    }
    stat(file).then(
      (s) => {
        if (!s.isFile()) throw new Error('not a file')
        res.writeHead(200, {
          'content-length': s.size,
          'content-type': contentType(path)
        })
        createReadStream(file).pipe(res)
      },
      () =>
        res
          .writeHead(404, { 'content-type': 'text/plain' })
          .end(`not found: ${path}\n`)
    )
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    dir,
    async stop() {
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
      await rm(dir, { recursive: true, force: true })
    }
  }
}

function contentType(path: string): string {
  if (path.endsWith('.zip')) return 'application/zip'
  if (path.endsWith('.info')) return 'application/json'
  return 'text/plain; charset=utf-8'
}
