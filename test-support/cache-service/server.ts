/**
 * A loopback GitHub Actions cache service (v2: Twirp JSON plus an Azure-like
 * blob side) for tests, benchmarks and the demo. It speaks exactly what the
 * real @actions/cache 6.x client needs (actions/toolkit packages/cache:
 * src/internal/shared/cacheTwirpClient.ts for the Twirp side,
 * src/internal/uploadUtils.ts and downloadUtils.ts for the blob side), and
 * is as strict as an independent server implementation of the protocol
 * (falcondev-oss/github-actions-cache-server, routes/twirp/…) where the
 * client could get away with less.
 *
 * Plain node:http, no dependencies. Every request is recorded so tests can
 * assert on traffic (versions, blocks, bytes); fault switches can be flipped
 * at runtime.
 */
import { createReadStream, createWriteStream } from 'node:fs'
import {
  mkdir,
  mkdtemp,
  open,
  readFile,
  rm,
  stat,
  writeFile
} from 'node:fs/promises'
import {
  createServer,
  type IncomingMessage,
  type ServerResponse
} from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pipeline } from 'node:stream/promises'
import {
  BLOB_ERRORS,
  requestedRange,
  sendBlobError as sendAzureError,
  sendBlobStatus as sendAzureStatus,
  type BlobError
} from './azure-blob.js'

const TWIRP_PREFIX = '/twirp/github.actions.results.api.v1.CacheService/'
const BLOB_PREFIX = '/devstoreaccount1/cache/'
const DOWNLOAD_PREFIX = '/download/'
// A dummy signature: the client masks it in logs, so keep it short and plain.
const SIG = 'sig=local'

/** One request as the service saw it. */
export interface RecordedRequest {
  method: string
  /** Path without the query string. */
  path: string
  query: Record<string, string>
  /** Parsed JSON body of a Twirp call; undefined for blob and download traffic. */
  body?: unknown
  /** Request body size in bytes. */
  bytes: number
  /** The status the service answered. */
  status: number
  /** The Twirp method name, for Twirp calls. */
  twirp?: string
  /** Blob operation: put-blob, put-block, put-block-list, or download. */
  blob?: 'put-blob' | 'put-block' | 'put-block-list' | 'download'
}

/** A cache entry as stored by the service. */
export interface CacheEntry {
  id: number
  key: string
  version: string
  state: 'reserved' | 'final'
  /** Archive size in bytes once uploaded (0 before). */
  size: number
  /** Creation order; larger is newer. */
  created: number
}

/**
 * Fault switches. Each applies until cleared (set it to undefined/false), or
 * for `count` responses when a count is given.
 */
export interface Faults {
  /**
   * Answer every Twirp call with this 5xx status. The client retries for
   * about 30 s before giving up (actions/toolkit packages/cache/src/internal/
   * shared/cacheTwirpClient.ts, retryableRequest: 5 attempts), so prefer `count`.
   */
  twirpServerError?: { status: number; count?: number }
  /** Answer blob uploads with this 5xx status (the Azure SDK retries ~16 s). */
  blobServerError?: { status: number; count?: number }
  /** 429 on Twirp calls (RateLimitError, not retried). */
  rateLimit?: boolean
  /** CreateCacheEntry answers ok:false "cache write denied: ...". */
  writeDenied?: boolean
  /** GetCacheEntryDownloadURL answers 403 "cache read denied: ...". */
  readDenied?: boolean
  /** Downloads answer 404 (the client does not detect it: tar fails). */
  download404?: boolean
  /** Downloads send the full Content-Length, half the bytes, then close. */
  downloadTruncated?: boolean
  /** Delay before every response, in milliseconds. */
  slowMs?: number
  /**
   * Accept the request and never answer it (the connection stays open until
   * stop): Twirp calls, blob uploads, downloads, or all of them.
   */
  neverAnswer?: 'twirp' | 'blob' | 'download' | 'all'
  /**
   * Blob uploads answer 200 instead of 201: the Azure SDK accepts only 201,
   * so the client fails the save with an empty message.
   */
  uploadAnswers200?: boolean
  /**
   * CreateCacheEntry hands out an upload URL with one path segment, which
   * the Azure SDK cannot parse ("Unable to extract blobName and
   * containerName"); the reservation stays open, as a real one would.
   */
  unparsableUploadUrl?: boolean
}

/** Options for startCacheService. */
export interface CacheServiceOptions {
  /** Storage dir; a fresh temp dir (removed on stop) when omitted. */
  dir?: string
  /** Initial faults. */
  faults?: Faults
  /** Port to bind on 127.0.0.1; 0 (any free port) when omitted. */
  port?: number
}

/** A running service. */
export interface CacheService {
  /** Origin, e.g. http://127.0.0.1:40123 (no trailing slash). */
  url: string
  /** Environment that points the real client at this service (v2). */
  env: {
    ACTIONS_CACHE_SERVICE_V2: string
    ACTIONS_RESULTS_URL: string
    ACTIONS_RUNTIME_TOKEN: string
  }
  /** Every request so far, in arrival order (the live array). */
  requests: RecordedRequest[]
  /** A snapshot of the stored entries. */
  entries(): CacheEntry[]
  /** Merges fault switches into the current set; `undefined` clears one. */
  setFault(faults: Faults): void
  /** Clears every fault switch. */
  clearFaults(): void
  /** Stops listening and removes a temp storage dir the service made. */
  stop(): Promise<void>
}

interface StoredEntry extends CacheEntry {
  blobPath: string
}

/**
 * Starts the service on 127.0.0.1 and returns its URL, client env, recorded
 * traffic and controls.
 */
export async function startCacheService(
  opts: CacheServiceOptions = {}
): Promise<CacheService> {
  const ownDir = opts.dir === undefined
  const dir = opts.dir ?? (await mkdtemp(join(tmpdir(), 'cache-service-')))
  await mkdir(join(dir, 'blobs'), { recursive: true })
  const entries = new Map<number, StoredEntry>()
  const requests: RecordedRequest[] = []
  let faults: Faults = { ...opts.faults }
  let nextId = 1
  let origin = ''

  const takeCounted = (
    name: 'twirpServerError' | 'blobServerError'
  ): number | undefined => {
    const fault = faults[name]
    if (!fault) return undefined
    if (fault.count !== undefined) {
      if (fault.count <= 0) return undefined
      faults = { ...faults, [name]: { ...fault, count: fault.count - 1 } }
    }
    return fault.status
  }

  const neverAnswers = (method: string, path: string): boolean => {
    const which = faults.neverAnswer
    if (which === undefined) return false
    if (which === 'all') return true
    if (which === 'twirp') return path.startsWith(TWIRP_PREFIX)
    if (which === 'blob') return method === 'PUT'
    return path.startsWith(DOWNLOAD_PREFIX)
  }

  const handle = async (
    req: IncomingMessage,
    res: ServerResponse
  ): Promise<void> => {
    const url = new URL(req.url ?? '/', origin)
    const record: RecordedRequest = {
      method: req.method ?? '',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      bytes: 0,
      status: 0
    }
    requests.push(record)
    if (neverAnswers(req.method ?? '', url.pathname)) {
      // Keep the socket open without a response; stop() closes it.
      req.resume()
      return
    }
    if (faults.slowMs) await sleep(faults.slowMs)

    if (req.method === 'POST' && url.pathname.startsWith(TWIRP_PREFIX)) {
      const method = url.pathname.slice(TWIRP_PREFIX.length)
      record.twirp = method
      const raw = await readBody(req)
      record.bytes = raw.length
      let body: Record<string, unknown>
      try {
        body = JSON.parse(raw.toString('utf8') || '{}') as Record<
          string,
          unknown
        >
      } catch {
        return sendJson(res, record, 400, {
          code: 'malformed',
          msg: 'body is not JSON'
        })
      }
      record.body = body
      return handleTwirp(method, body, req, res, record)
    }
    if (req.method === 'PUT' && url.pathname.startsWith(BLOB_PREFIX)) {
      return handleBlob(url, req, res, record)
    }
    if (
      (req.method === 'GET' || req.method === 'HEAD') &&
      url.pathname.startsWith(DOWNLOAD_PREFIX)
    ) {
      record.blob = 'download'
      return handleDownload(url, req, res, record)
    }
    await readBody(req)
    sendJson(res, record, 404, { code: 'bad_route', msg: 'no such route' })
  }

  const handleTwirp = async (
    method: string,
    body: Record<string, unknown>,
    req: IncomingMessage,
    res: ServerResponse,
    record: RecordedRequest
  ): Promise<void> => {
    const status = takeCounted('twirpServerError')
    if (status !== undefined) {
      return sendJson(res, record, status, {
        code: 'internal',
        msg: 'fault switch: server error'
      })
    }
    if (faults.rateLimit) {
      return sendJson(res, record, 429, {
        code: 'resource_exhausted',
        msg: 'fault switch: rate limited'
      })
    }
    if (!/^Bearer \S+/.test(req.headers.authorization ?? '')) {
      return sendJson(res, record, 401, {
        code: 'unauthenticated',
        msg: 'missing bearer token'
      })
    }
    // All three methods require key and version; a body without them is
    // refused with 400 (falcondev-oss/github-actions-cache-server, the zod
    // bodySchema of each routes/twirp/…CacheService/<Method> handler), which
    // Twirp names invalid_argument (twitchtv/twirp errors.go, ServerHTTPStatusFromErrorCode).
    const key = body.key
    const version = body.version
    if (typeof key !== 'string' || key === '') {
      return sendJson(res, record, 400, {
        code: 'invalid_argument',
        msg: 'key is required'
      })
    }
    if (typeof version !== 'string' || version === '') {
      return sendJson(res, record, 400, {
        code: 'invalid_argument',
        msg: 'version is required'
      })
    }
    if (method === 'GetCacheEntryDownloadURL') {
      if (faults.readDenied) {
        return sendJson(res, record, 403, {
          code: 'permission_denied',
          msg: 'cache read denied: fault switch'
        })
      }
      const restoreKeys = Array.isArray(body.restore_keys)
        ? body.restore_keys.filter((k): k is string => typeof k === 'string')
        : []
      const hit = findEntry([...entries.values()], key, restoreKeys, version)
      if (!hit) return sendJson(res, record, 200, { ok: false })
      return sendJson(res, record, 200, {
        ok: true,
        signed_download_url: `${origin}${DOWNLOAD_PREFIX}${hit.id}/cache.tzst?${SIG}`,
        matched_key: hit.key
      })
    }
    if (method === 'CreateCacheEntry') {
      if (faults.writeDenied) {
        return sendJson(res, record, 200, {
          ok: false,
          message: 'cache write denied: fault switch (read-only token)'
        })
      }
      const existing = [...entries.values()].find(
        (e) => e.key === key && e.version === version
      )
      if (existing) {
        return sendJson(res, record, 409, {
          code: 'already_exists',
          msg: 'cache entry with the same key, version, and scope already exists'
        })
      }
      const id = nextId++
      entries.set(id, {
        id,
        key,
        version,
        state: 'reserved',
        size: 0,
        created: id,
        blobPath: join(dir, 'blobs', String(id))
      })
      return sendJson(res, record, 200, {
        ok: true,
        signed_upload_url: faults.unparsableUploadUrl
          ? `${origin}/upload${id}?sv=2025-01-05&sp=cw&${SIG}`
          : `${origin}${BLOB_PREFIX}${id}?sv=2025-01-05&sp=cw&${SIG}`
      })
    }
    if (method === 'FinalizeCacheEntryUpload') {
      const entry = [...entries.values()].find(
        (e) => e.key === key && e.version === version && e.state === 'reserved'
      )
      if (!entry) {
        return sendJson(res, record, 404, {
          code: 'not_found',
          msg: `no open reservation for key ${key}`
        })
      }
      const size = Number(body.size_bytes)
      const actual = await fileSize(entry.blobPath)
      if (actual === undefined || actual !== size) {
        return sendJson(res, record, 200, {
          ok: false,
          message: `uploaded size ${actual ?? 'none'} does not match size_bytes ${size}`
        })
      }
      entry.state = 'final'
      entry.size = size
      return sendJson(res, record, 200, {
        ok: true,
        entry_id: String(entry.id)
      })
    }
    sendJson(res, record, 404, {
      code: 'bad_route',
      msg: `unknown method ${method}`
    })
  }

  const handleBlob = async (
    url: URL,
    req: IncomingMessage,
    res: ServerResponse,
    record: RecordedRequest
  ): Promise<void> => {
    const id = Number(url.pathname.slice(BLOB_PREFIX.length))
    const entry = entries.get(id)
    const comp = url.searchParams.get('comp')
    record.blob =
      comp === 'block'
        ? 'put-block'
        : comp === 'blocklist'
          ? 'put-block-list'
          : 'put-blob'
    const status = takeCounted('blobServerError')
    if (status !== undefined) {
      record.bytes = (await readBody(req)).length
      return sendBlobError(res, record, {
        ...BLOB_ERRORS.serverBusy,
        status,
        message: `fault switch: blob server error ${status}`
      })
    }
    if (!entry || entry.state !== 'reserved') {
      // A real upload URL carries a SAS that stops working once the entry
      // is finalized or the reservation is gone.
      record.bytes = (await readBody(req)).length
      return sendBlobError(res, record, BLOB_ERRORS.authenticationFailed)
    }
    const ok = faults.uploadAnswers200 ? 200 : 201
    if (comp === 'block') {
      const blockId = url.searchParams.get('blockid') ?? ''
      const blockDir = `${entry.blobPath}.blocks`
      await mkdir(blockDir, { recursive: true })
      record.bytes = await streamToFile(req, join(blockDir, blockFile(blockId)))
      return sendBlobStatus(res, record, ok)
    }
    if (comp === 'blocklist') {
      const xml = await readBody(req)
      record.bytes = xml.length
      const ids = [
        ...xml
          .toString('utf8')
          .matchAll(
            /<(?:Latest|Committed|Uncommitted)>([^<]*)<\/(?:Latest|Committed|Uncommitted)>/g
          )
      ].map((m) => m[1])
      // Join the blocks in list order, not arrival order: the SDK uploads 8
      // blocks at once and they complete in any order.
      const out = await open(entry.blobPath, 'w')
      try {
        for (const blockId of ids) {
          const data = await readFile(
            join(`${entry.blobPath}.blocks`, blockFile(blockId))
          )
          await out.write(data)
        }
      } catch {
        await out.close()
        return sendBlobError(res, record, BLOB_ERRORS.invalidBlockList)
      }
      await out.close()
      await rm(`${entry.blobPath}.blocks`, { recursive: true, force: true })
      return sendBlobStatus(res, record, ok)
    }
    record.bytes = await streamToFile(req, entry.blobPath)
    sendBlobStatus(res, record, ok)
  }

  const handleDownload = async (
    url: URL,
    req: IncomingMessage,
    res: ServerResponse,
    record: RecordedRequest
  ): Promise<void> => {
    const id = Number(url.pathname.slice(DOWNLOAD_PREFIX.length).split('/')[0])
    const entry = entries.get(id)
    if (faults.download404 || !entry || entry.state !== 'final') {
      return sendBlobError(res, record, BLOB_ERRORS.notFound)
    }
    const range = requestedRange(req.headers, entry.size)
    if (range === 'invalid') {
      return sendBlobError(res, record, BLOB_ERRORS.invalidRange)
    }
    if (range !== undefined) {
      record.status = 206
      res.writeHead(206, {
        'Content-Type': 'application/octet-stream',
        'Content-Length': String(range.end - range.start + 1),
        'Content-Range': `bytes ${range.start}-${range.end}/${entry.size}`,
        'Accept-Ranges': 'bytes'
      })
      if (req.method === 'HEAD') {
        res.end()
        return
      }
      await pipeline(
        createReadStream(entry.blobPath, {
          start: range.start,
          end: range.end
        }),
        res
      )
      return
    }
    record.status = 200
    res.writeHead(200, {
      'Content-Type': 'application/octet-stream',
      'Content-Length': String(entry.size),
      'Accept-Ranges': 'bytes'
    })
    if (req.method === 'HEAD') {
      res.end()
      return
    }
    if (faults.downloadTruncated) {
      const half = Math.floor(entry.size / 2)
      const fh = await open(entry.blobPath, 'r')
      const buf = Buffer.alloc(half)
      await fh.read(buf, 0, half, 0)
      await fh.close()
      res.write(buf, () => res.destroy())
      return
    }
    await pipeline(createReadStream(entry.blobPath), res)
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) {
        res.writeHead(500, { 'Content-Type': 'application/json' })
        res.end(JSON.stringify({ code: 'internal', msg: String(error) }))
      } else {
        res.destroy()
      }
    })
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve())
  })
  const { port } = server.address() as AddressInfo
  origin = `http://127.0.0.1:${port}`

  return {
    url: origin,
    env: {
      ACTIONS_CACHE_SERVICE_V2: 'true',
      ACTIONS_RESULTS_URL: `${origin}/`,
      ACTIONS_RUNTIME_TOKEN: 'local-cache-service-token'
    },
    requests,
    entries: () =>
      [...entries.values()].map((e) => ({
        id: e.id,
        key: e.key,
        version: e.version,
        state: e.state,
        size: e.size,
        created: e.created
      })),
    setFault: (next) => {
      faults = { ...faults, ...next }
    },
    clearFaults: () => {
      faults = {}
    },
    stop: async () => {
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
      if (ownDir) await rm(dir, { recursive: true, force: true })
    }
  }
}

/**
 * The service's matching rules: only final entries of the same version; for
 * each of [key, ...restoreKeys] in order, an exact match first, then the
 * newest entry whose key starts with it. Case-sensitive.
 */
export function findEntry<T extends CacheEntry>(
  all: T[],
  key: string,
  restoreKeys: string[],
  version: string
): T | undefined {
  const candidates = all
    .filter((e) => e.state === 'final' && e.version === version)
    .sort((a, b) => b.created - a.created)
  for (const wanted of [key, ...restoreKeys]) {
    const exact = candidates.find((e) => e.key === wanted)
    if (exact) return exact
    const prefix = candidates.find((e) => e.key.startsWith(wanted))
    if (prefix) return prefix
  }
  return undefined
}

function blockFile(blockId: string): string {
  // searchParams already URL-decoded the id; base64 may hold '/' and '+'.
  return Buffer.from(blockId, 'utf8').toString('hex')
}

function sendJson(
  res: ServerResponse,
  record: RecordedRequest,
  status: number,
  body: unknown
): void {
  record.status = status
  const text = JSON.stringify(body)
  res.writeHead(status, {
    'Content-Type': 'application/json',
    'Content-Length': String(Buffer.byteLength(text))
  })
  res.end(text)
}

function sendBlobStatus(
  res: ServerResponse,
  record: RecordedRequest,
  status: number
): void {
  record.status = status
  sendAzureStatus(res, status)
}

function sendBlobError(
  res: ServerResponse,
  record: RecordedRequest,
  error: BlobError
): void {
  record.status = error.status
  sendAzureError(res, error)
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = []
  for await (const chunk of req) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks)
}

async function streamToFile(
  req: IncomingMessage,
  path: string
): Promise<number> {
  let bytes = 0
  req.on('data', (chunk: Buffer) => {
    bytes += chunk.length
  })
  await pipeline(req, createWriteStream(path))
  return bytes
}

async function fileSize(path: string): Promise<number | undefined> {
  try {
    return (await stat(path)).size
  } catch {
    return undefined
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}

/** Writes the env snippet (KEY=VALUE lines) to a file, for shells and the demo. */
export async function writeEnvFile(
  service: CacheService,
  path: string
): Promise<void> {
  const lines = Object.entries(service.env).map(([k, v]) => `${k}=${v}`)
  await writeFile(path, `${lines.join('\n')}\n`)
}
