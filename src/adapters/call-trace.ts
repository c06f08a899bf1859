/**
 * Runs one @actions/cache client call with a deadline and tells what that
 * call, and only that call, did: the annotations it logged, the HTTP
 * exchanges it made, the child processes (tar) it started.
 *
 * Attribution is by async context (AsyncLocalStorage), not by time: a
 * ::warning:: written by other work running beside the call (kind creating
 * the cluster) is not the call's. @actions/cache 6.3.0 reports its failures
 * only as log lines (restoreCache and saveCache catch them and return
 * undefined or -1: actions/toolkit packages/cache/src/cache.ts,
 * restoreCacheV2 and saveCacheV2), written by core.warning / core.error
 * (actions/toolkit packages/core/src/core.ts, issueCommand) to stdout from
 * within the call's own promise chain, so they carry its context.
 *
 * When the deadline passes, the call is abandoned: its HTTP requests are
 * destroyed, its child processes killed (a late answer can then no longer
 * extract an archive into a dir the build is using), and whatever it logs
 * afterwards is written as plain text, not as an annotation.
 */
import { AsyncLocalStorage } from 'node:async_hooks'
import type { ChildProcess } from 'node:child_process'
import { subscribe } from 'node:diagnostics_channel'
import type { ClientRequest, IncomingMessage } from 'node:http'
import type { CallTrace, Exchange } from '../cache/save-outcome.js'
import { recordWait } from './waits.js'

export type { CallTrace, Exchange }

export type Traced<T> =
  | { kind: 'done'; value: T; trace: CallTrace }
  | { kind: 'expired'; trace: CallTrace }

interface Call extends CallTrace {
  requests: Map<ClientRequest, Exchange>
  children: Set<ChildProcess>
  abandoned: boolean
}

const calls = new AsyncLocalStorage<Call>()
let installed = false

/**
 * Runs fn in its own context and races it against the deadline. Never
 * rejects for a late fn; rejects only when fn itself rejects in time.
 */
export async function traceCall<T>(
  fn: () => Promise<T>,
  deadlineMs: number
): Promise<Traced<T>> {
  install()
  const call: Call = {
    annotations: [],
    exchanges: [],
    requests: new Map(),
    children: new Set(),
    abandoned: false
  }
  const trace = (): CallTrace => ({
    annotations: [...call.annotations],
    exchanges: call.exchanges.map((e) => ({ ...e }))
  })
  const work = calls.run(call, fn)
  let timer: NodeJS.Timeout | undefined
  const expired = new Promise<'expired'>((resolve) => {
    timer = setTimeout(() => resolve('expired'), deadlineMs)
  })
  try {
    const first = await Promise.race([work, expired])
    if (first !== 'expired') {
      return { kind: 'done', value: first as T, trace: trace() }
    }
  } finally {
    clearTimeout(timer)
  }
  // A late rejection must not become an unhandled one.
  work.catch(() => undefined)
  await abandon(call)
  return { kind: 'expired', trace: trace() }
}

async function abandon(call: Call): Promise<void> {
  call.abandoned = true
  for (const request of call.requests.keys()) {
    request.destroy(new Error('abandoned at the cache call deadline'))
  }
  // Wait until the killed tar is gone, so the caller can empty its dir.
  await Promise.all([...call.children].map((child) => kill(child)))
}

function kill(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) {
    return Promise.resolve()
  }
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(cap)
      resolve()
    }
    // A process that was never started emits 'error' and no 'exit'.
    const cap = setTimeout(done, 10_000)
    child.once('exit', done)
    child.once('error', done)
    child.kill('SIGKILL')
  })
}

/** Hooks stdout and the http / child_process diagnostics channels, once. */
function install(): void {
  if (installed) return
  installed = true
  const write = process.stdout.write.bind(process.stdout) as (
    ...args: unknown[]
  ) => boolean
  process.stdout.write = (chunk: unknown, ...rest: unknown[]) => {
    const call = calls.getStore()
    if (call === undefined || typeof chunk !== 'string') {
      return write(chunk, ...rest)
    }
    return write(observe(call, chunk), ...rest)
  }

  // Published synchronously in the ClientRequest constructor, so in the
  // context of the code that made the request (nodejs/node lib/_http_client.js).
  subscribe('http.client.request.start', (message) => {
    const call = calls.getStore()
    if (call === undefined) return
    const { request } = message as { request: ClientRequest }
    // The Host header carries the port; request.host does not.
    const host = request.getHeader('host')
    const exchange: Exchange = {
      method: request.method,
      url: `${request.protocol}//${typeof host === 'string' ? host : request.host}${request.path.split('?')[0]}`
    }
    call.exchanges.push(exchange)
    call.requests.set(request, exchange)
    request.once('close', () => call.requests.delete(request))
    if (call.abandoned) {
      // A retry started after the deadline: stop it before it is sent.
      process.nextTick(() =>
        request.destroy(new Error('abandoned at the cache call deadline'))
      )
    }
  })
  subscribe('http.client.response.finish', (message) => {
    const { request, response } = message as {
      request: ClientRequest
      response: IncomingMessage
    }
    const exchange = calls.getStore()?.requests.get(request)
    if (exchange === undefined) return
    exchange.status = response.statusCode
    const code = response.headers['x-ms-error-code']
    if (typeof code === 'string') exchange.errorCode = code
  })
  subscribe('child_process', (message) => {
    const call = calls.getStore()
    if (call === undefined) return
    const { process: child } = message as { process: ChildProcess }
    call.children.add(child)
    // The client waits on its tar (and zstd): time on a tool, not the action's own.
    const started = Date.now()
    child.once('exit', () => {
      call.children.delete(child)
      recordWait(child.spawnfile, started, Date.now())
    })
    if (call.abandoned) process.nextTick(() => void kill(child))
  })
}

/**
 * Records the call's annotations; once the call is abandoned, writes them as
 * plain lines so a late failure adds no second warning.
 */
function observe(call: Call, chunk: string): string {
  return chunk
    .split('\n')
    .map((line) => {
      const match = /^::(warning|error)[^:]*::(.*)$/.exec(line.trimEnd())
      if (!match) return line
      if (call.abandoned) {
        return `after the cache call deadline: ${match[2]}`
      }
      call.annotations.push(unescapeCommand(match[2]))
      return line
    })
    .join('\n')
}

// The inverse of escapeData in actions/toolkit packages/core/src/command.ts.
function unescapeCommand(text: string): string {
  return text.replace(/%0A/g, '\n').replace(/%0D/g, '\r').replace(/%25/g, '%')
}
