/**
 * The double's daemon: the process with the node's privileges. It listens on
 * a unix socket (DOCKER_HOST=unix://<path>) and runs every docker, kind,
 * kubectl and skaffold action that touches node dirs or cluster state, so
 * files it writes belong to its user (root in CI), as with rootful Docker.
 */
import { spawn } from 'node:child_process'
import { mkdirSync, rmSync } from 'node:fs'
import { createServer, type RequestListener, type Server } from 'node:http'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { DaemonOptions } from './context.js'
import { logCommand } from './command-log.js'
import { runDocker } from './docker.js'
import { CommandError, unsupported, type CommandIo } from './io.js'
import { runKind } from './kind.js'
import { runKubectl } from './kubectl.js'
import type { CommandEvent, CommandRequest } from './protocol.js'
import { runSkaffoldBuild } from './skaffold/command.js'
import { stopContainerRegistries } from './skaffold/registries.js'
import { loadState, saveState } from './state.js'

/** A running daemon. */
export interface DockerDaemon {
  socketPath: string
  /** Environment for the double executables: DOCKER_HOST and CLUSTER_DOUBLE_HOME. */
  env: { DOCKER_HOST: string; CLUSTER_DOUBLE_HOME: string }
  stop(): Promise<void>
}

/** Options for startDockerDaemon / spawnDockerDaemon. */
export interface StartDaemonOptions extends DaemonOptions {
  /** Socket path; default <home>/docker.sock. */
  socketPath?: string
}

let queue: Promise<unknown> = Promise.resolve()
/** Serializes state-changing commands (one daemon, one writer). */
function serialized<T>(task: () => Promise<T>): Promise<T> {
  const next = queue.then(task, task)
  queue = next.catch(() => undefined)
  return next
}

async function dispatch(
  request: CommandRequest,
  io: CommandIo,
  options: DaemonOptions
): Promise<void> {
  const { tool, args } = request
  if (tool === 'skaffold') {
    if (args[0] !== 'build') throw unsupported('skaffold', args)
    // Builds only read the state, so they run concurrently (matrix jobs).
    const state = await loadState(options.home)
    await runSkaffoldBuild({ state, io, options }, args.slice(1))
    return
  }
  await serialized(async () => {
    const state = await loadState(options.home)
    try {
      if (tool === 'docker') await runDocker({ state, io, options }, args)
      else if (tool === 'kind') await runKind({ state, io, options }, args)
      else if (tool === 'kubectl') runKubectl({ state, io, options }, args)
      else throw unsupported(String(tool), args)
    } finally {
      await saveState(options.home, state)
    }
  })
}

function handle(options: DaemonOptions): RequestListener {
  return (req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/x-ndjson' })
      const send = (event: CommandEvent): void => {
        res.write(`${JSON.stringify(event)}\n`)
      }
      let request: CommandRequest
      try {
        request = JSON.parse(
          Buffer.concat(chunks).toString('utf8')
        ) as CommandRequest
      } catch {
        send({
          t: 'err',
          d: Buffer.from('cluster double: bad request\n').toString('base64')
        })
        send({ t: 'exit', code: 2 })
        res.end()
        return
      }
      logCommand(options.home, { tool: request.tool, args: request.args })
      const io: CommandIo = {
        request,
        out: (text) =>
          send({ t: 'out', d: Buffer.from(text).toString('base64') }),
        err: (text) =>
          send({ t: 'err', d: Buffer.from(text).toString('base64') }),
        send
      }
      dispatch(request, io, options).then(
        () => {
          send({ t: 'exit', code: 0 })
          res.end()
        },
        (error: unknown) => {
          if (error instanceof CommandError) {
            io.err(`${error.message}\n`)
            send({ t: 'exit', code: error.exitCode })
          } else {
            io.err(
              `cluster double: internal error: ${(error as Error).stack ?? String(error)}\n`
            )
            send({ t: 'exit', code: 3 })
          }
          res.end()
        }
      )
    })
  }
}

function daemonHandle(
  socketPath: string,
  home: string,
  stop: () => Promise<void>
): DockerDaemon {
  return {
    socketPath,
    env: { DOCKER_HOST: `unix://${socketPath}`, CLUSTER_DOUBLE_HOME: home },
    stop
  }
}

/** Starts the daemon in this process (jest). */
export async function startDockerDaemon(
  options: StartDaemonOptions
): Promise<DockerDaemon> {
  const home = resolve(options.home)
  mkdirSync(home, { recursive: true })
  const socketPath = options.socketPath ?? join(home, 'docker.sock')
  rmSync(socketPath, { force: true })
  const server: Server = createServer(handle({ ...options, home }))
  await new Promise<void>((ok, fail) => {
    server.once('error', fail)
    server.listen(socketPath, ok)
  })
  return daemonHandle(socketPath, home, async () => {
    await stopContainerRegistries(home)
    server.closeAllConnections()
    await new Promise<void>((ok) => server.close(() => ok()))
    rmSync(socketPath, { force: true })
  })
}

const here = fileURLToPath(new URL('.', import.meta.url))

/** Starts the daemon as a child process (the runner harness, the demo); resolves once it listens. */
export async function spawnDockerDaemon(
  options: StartDaemonOptions
): Promise<DockerDaemon> {
  const home = resolve(options.home)
  const socketPath = options.socketPath ?? join(home, 'docker.sock')
  const tsx = join(here, '../../node_modules/tsx/dist/loader.mjs')
  const args = [
    '--import',
    tsx,
    join(here, 'daemon-main.ts'),
    '--home',
    home,
    '--socket',
    socketPath
  ]
  if (options.moduleProxyUrl !== undefined)
    args.push('--module-proxy', options.moduleProxyUrl)
  if (options.nodePlatform !== undefined)
    args.push('--node-platform', options.nodePlatform)
  if (options.registries !== undefined)
    args.push('--registries', JSON.stringify(options.registries))
  const env = { ...process.env }
  delete env.NODE_OPTIONS
  const child = spawn(process.execPath, args, {
    stdio: ['ignore', 'pipe', 'inherit'],
    env
  })
  await new Promise<void>((ok, fail) => {
    let out = ''
    child.stdout.on('data', (c: Buffer) => {
      out += c.toString()
      if (out.includes('ready\n')) ok()
    })
    child.once('exit', (code) =>
      fail(
        new Error(`cluster double daemon exited with ${code} before listening`)
      )
    )
  })
  return daemonHandle(socketPath, home, async () => {
    if (child.exitCode !== null) return
    await new Promise<void>((ok) => {
      child.once('exit', () => ok())
      child.kill('SIGTERM')
    })
  })
}
