/**
 * The cache call tracer: what it attributes to a call, and what it stops at
 * the deadline. In process, with plain node:http and child processes; the
 * real client's side is in faults.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { spawn } from 'node:child_process'
import { readFile } from 'node:fs/promises'
import {
  createServer,
  request,
  type IncomingMessage,
  type Server
} from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import { traceCall } from '../../src/adapters/call-trace.js'
import { REPO } from './helpers/harness.js'

let server: Server
let origin = ''
let closed = 0
/** What reaches stdout below the tracer's hook (installed at its first call). */
const seen: string[] = []

beforeAll(async () => {
  const original = process.stdout.write.bind(process.stdout) as (
    ...a: unknown[]
  ) => boolean
  process.stdout.write = (chunk: unknown, ...rest: unknown[]) => {
    if (typeof chunk === 'string') seen.push(chunk)
    return original(chunk, ...rest)
  }
  server = createServer((req, res) => {
    req.on('close', () => closed++)
    if (req.url?.startsWith('/hang')) return
    if (req.url?.startsWith('/blob-error')) {
      res.writeHead(403, { 'x-ms-error-code': 'AuthenticationFailed' })
      res.end('<Error/>')
      return
    }
    res.writeHead(201)
    res.end()
  })
  await new Promise<void>((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve())
  )
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})

afterAll(async () => {
  server.closeAllConnections()
  await new Promise<void>((resolve) => server.close(() => resolve()))
})

function get(path: string): Promise<number> {
  return new Promise((resolve, reject) => {
    request(`${origin}${path}`, (res: IncomingMessage) => {
      res.resume()
      res.on('end', () => resolve(res.statusCode ?? 0))
    })
      .on('error', reject)
      .end()
  })
}

const tick = (ms: number) => new Promise((r) => setTimeout(r, ms))

describe('traceCall', () => {
  // The client this tracer reads is pinned: its failures must still be log
  // lines written from within the call (actions/toolkit packages/cache
  // src/cache.ts, restoreCacheV2 / saveCacheV2). Re-check that, and the
  // suites under __tests__/cache, before moving the pin.
  it('is pinned to @actions/cache 6.3.0', async () => {
    const pkg = JSON.parse(
      await readFile(
        join(REPO, 'node_modules/@actions/cache/package.json'),
        'utf8'
      )
    ) as { version: string }
    expect(pkg.version).toBe('6.3.0')
    const own = JSON.parse(
      await readFile(join(REPO, 'package.json'), 'utf8')
    ) as { dependencies: Record<string, string> }
    expect(own.dependencies['@actions/cache']).toBe('6.3.0')
  })

  it('attributes a warning to the call that wrote it, not to work beside it', async () => {
    let noisy = true
    const noise = (async () => {
      while (noisy) {
        process.stdout.write('::warning::kind: retrying\n')
        await tick(5)
      }
    })()
    const traced = await traceCall(async () => {
      await tick(50)
      process.stdout.write('::warning::Failed to restore: denied%0Asecond\n')
      await tick(50)
      return 'value'
    }, 60_000)
    noisy = false
    await noise
    expect(traced).toMatchObject({ kind: 'done', value: 'value' })
    expect(traced.trace.annotations).toEqual([
      'Failed to restore: denied\nsecond'
    ])
  })

  it('keeps overlapping calls apart', async () => {
    const call = (name: string, delay: number) =>
      traceCall(async () => {
        await tick(delay)
        process.stdout.write(`::error::${name}\n`)
        return name
      }, 60_000)
    const [a, b] = await Promise.all([call('a', 40), call('b', 10)])
    expect(a.trace.annotations).toEqual(['a'])
    expect(b.trace.annotations).toEqual(['b'])
  })

  it('records the HTTP exchanges with status and Azure error code, without the query', async () => {
    const traced = await traceCall(async () => {
      await get('/ok?sig=secret')
      await get('/blob-error?sig=secret')
    }, 60_000)
    expect(traced.trace.exchanges).toEqual([
      { method: 'GET', url: `${origin}/ok`, status: 201 },
      {
        method: 'GET',
        url: `${origin}/blob-error`,
        status: 403,
        errorCode: 'AuthenticationFailed'
      }
    ])
  })

  it('at the deadline: destroys the call’s requests and demotes its late warnings', async () => {
    const before = closed
    let late: Promise<void> = Promise.resolve()
    const traced = await traceCall(async () => {
      late = get('/hang').then(
        () => undefined,
        () => {
          // What the client does when its request fails: warn.
          process.stdout.write('::warning::Failed to restore: aborted\n')
        }
      )
      await late
      return 'never'
    }, 500)
    expect(traced.kind).toBe('expired')
    expect(traced.trace.exchanges).toEqual([
      { method: 'GET', url: `${origin}/hang` }
    ])
    await late
    const out = seen.join('')
    expect(out).toContain(
      'after the cache call deadline: Failed to restore: aborted'
    )
    expect(out).not.toContain('::warning::Failed to restore: aborted')
    expect(traced.trace.annotations).toEqual([])
    for (let i = 0; i < 100 && closed === before; i++) await tick(20)
    expect(closed).toBeGreaterThan(before)
  })

  it('at the deadline: kills the child processes the call started', async () => {
    let exit: Promise<string | null> = Promise.resolve(null)
    const traced = await traceCall(async () => {
      const child = spawn('sleep', ['60'])
      exit = new Promise((resolve) =>
        child.on('exit', (_code, signal) => resolve(signal))
      )
      await exit
    }, 500)
    expect(traced.kind).toBe('expired')
    expect(await exit).toBe('SIGKILL')
  }, 60_000)

  it('an in-time rejection rejects, with nothing recorded as late', async () => {
    await expect(
      traceCall(() => Promise.reject(new Error('validation')), 60_000)
    ).rejects.toThrow('validation')
  })
})
