/**
 * The client half of every double executable: answers the commands that need
 * no daemon, sends the rest to the daemon over DOCKER_HOST's unix socket, and
 * performs the file actions the daemon asks for as the calling user.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { request as httpRequest } from 'node:http'
import { dirname } from 'node:path'
import { VERSIONS } from './context.js'
import { CopyError, copyTo } from './untar.js'
import {
  socketPathFromDockerHost,
  type CommandEvent,
  type CommandRequest,
  type ToolName
} from './protocol.js'

const TOOLS: readonly ToolName[] = ['docker', 'kind', 'kubectl', 'skaffold']

/** Commands answered without a daemon, like the real clients' version commands. */
function localAnswer(
  tool: ToolName,
  args: readonly string[]
): string | undefined {
  const line = args.join(' ')
  if (tool === 'kind' && line === 'version')
    return `kind ${VERSIONS.kind} go1.24.1 linux/amd64\n`
  if (tool === 'kubectl' && line === 'version --client')
    return `Client Version: ${VERSIONS.kubectl}\nKustomize Version: v5.7.1\n`
  if (tool === 'skaffold' && line === 'version') return `${VERSIONS.skaffold}\n`
  return undefined
}

/** True for the forms that read stdin (contract items 10 and 20). */
function readsStdin(tool: ToolName, args: readonly string[]): boolean {
  if (tool === 'docker') return args[0] === 'exec' && args[1] === '-i'
  if (tool === 'kubectl')
    return args.includes('apply') && args.join(' ').endsWith('-f -')
  return false
}

function noDaemonMessage(tool: ToolName, socket: string): string {
  const base = `Cannot connect to the Docker daemon at unix://${socket}. Is the docker daemon running?`
  if (tool === 'docker') return base
  if (tool === 'kind')
    return `ERROR: failed to list nodes: command "docker ps -a" failed with error: exit status 1\nCommand Output: ${base}`
  if (tool === 'kubectl')
    return `The connection to the server 127.0.0.1:6443 was refused - did you specify the right host or port? (${base})`
  return `getting cluster: ${base}`
}

function applyUntar(event: Extract<CommandEvent, { t: 'untar' }>): void {
  copyTo(Buffer.from(event.d, 'base64'), event.name, event.dest)
}

/** Runs one double command as a client; resolves with the exit code. */
export async function runClient(
  tool: ToolName,
  args: string[]
): Promise<number> {
  if (!TOOLS.includes(tool)) {
    process.stderr.write(`cluster double: unknown tool ${tool}\n`)
    return 2
  }
  const local = localAnswer(tool, args)
  if (local !== undefined) {
    process.stdout.write(local)
    return 0
  }
  const socket =
    socketPathFromDockerHost(process.env.DOCKER_HOST) ?? '/var/run/docker.sock'
  const env: Record<string, string> = {}
  for (const [k, v] of Object.entries(process.env))
    if (v !== undefined) env[k] = v
  const body: CommandRequest = {
    tool,
    args,
    cwd: process.cwd(),
    env,
    stdin: readsStdin(tool, args) ? readFileSync(0).toString('base64') : '',
    uid: process.getuid?.() ?? 0
  }
  return new Promise<number>((resolve) => {
    let exitCode: number | undefined
    const handle = (event: CommandEvent): void => {
      if (event.t === 'out')
        process.stdout.write(Buffer.from(event.d, 'base64'))
      else if (event.t === 'err')
        process.stderr.write(Buffer.from(event.d, 'base64'))
      else if (event.t === 'file') {
        mkdirSync(dirname(event.path), { recursive: true })
        writeFileSync(event.path, Buffer.from(event.d, 'base64'))
      } else if (event.t === 'untar') applyUntar(event)
      // A client-side failure (an extraction) wins over the daemon's exit 0.
      else exitCode = exitCode ?? event.code
    }
    const req = httpRequest(
      {
        socketPath: socket,
        path: '/run',
        method: 'POST',
        headers: { 'content-type': 'application/json' }
      },
      (res) => {
        // Events are newline-delimited JSON; an archive event can be tens
        // of MB, so chunks are kept as buffers and only new data is searched.
        const pending: Buffer[] = []
        const take = (line: Buffer): void => {
          if (line.length === 0) return
          try {
            handle(JSON.parse(line.toString('utf8')) as CommandEvent)
          } catch (error) {
            // docker/cli prints a failed extraction's error as it is.
            process.stderr.write(
              error instanceof CopyError
                ? `${error.message}\n`
                : `cluster double: ${(error as Error).message}\n`
            )
            exitCode = 1
          }
        }
        res.on('data', (chunk: Buffer) => {
          let start = 0
          let nl = chunk.indexOf(0x0a)
          while (nl >= 0) {
            pending.push(chunk.subarray(start, nl))
            take(Buffer.concat(pending))
            pending.length = 0
            start = nl + 1
            nl = chunk.indexOf(0x0a, start)
          }
          if (start < chunk.length) pending.push(chunk.subarray(start))
        })
        res.on('end', () => {
          if (exitCode === undefined)
            process.stderr.write(
              'cluster double: the daemon closed the connection before the command finished\n'
            )
          resolve(exitCode ?? 1)
        })
      }
    )
    req.on('error', () => {
      process.stderr.write(`${noDaemonMessage(tool, socket)}\n`)
      resolve(1)
    })
    req.end(JSON.stringify(body))
  })
}
