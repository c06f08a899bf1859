/**
 * `docker` commands (contract items 7-15), run by the daemon with its own
 * privileges: files it creates in node dirs belong to the daemon's user (root
 * in CI), as with a rootful Docker.
 */
import { createHash } from 'node:crypto'
import { existsSync, statSync } from 'node:fs'
import { cp, mkdir, writeFile } from 'node:fs/promises'
import { basename, dirname, join, posix, resolve } from 'node:path'
import { CommandError, unsupported } from './io.js'
import type { CommandContext } from './context.js'
import { VERSIONS } from './context.js'
import { mapNodePath } from './node-paths.js'
import { runProcess } from './proc.js'
import { findNode, type ContainerRecord, type NodeRecord } from './state.js'

const RUNNING_FORMAT = '{{.State.Running}}'

/** Runs one docker command in the daemon. */
export async function runDocker(
  ctx: CommandContext,
  args: string[]
): Promise<void> {
  const [verb, ...rest] = args
  switch (verb) {
    case 'info':
      if (
        rest.length === 2 &&
        rest[0] === '--format' &&
        rest[1] === '{{.ServerVersion}}'
      ) {
        ctx.io.out(`${VERSIONS.docker}\n`)
        return
      }
      break
    case 'exec':
      return runExec(ctx, args)
    case 'cp':
      if (rest.length === 2) return runCp(ctx, rest[0], rest[1])
      break
    case 'run':
      return runRun(ctx, args)
    case 'network':
      if (rest.length === 3 && rest[0] === 'connect')
        return connectNetwork(ctx, rest[1], rest[2])
      break
    case 'inspect':
      if (rest.length === 3 && rest[0] === '-f' && rest[1] === RUNNING_FORMAT)
        return inspectRunning(ctx, rest[2])
      break
    case 'rm':
      if (rest.length >= 2 && rest[0] === '-f')
        return removeContainers(ctx, rest.slice(1))
      break
  }
  throw unsupported('docker', args)
}

function requireNode(ctx: CommandContext, name: string): NodeRecord {
  const found = findNode(ctx.state, name)
  if (found === undefined)
    throw new CommandError(
      `Error response from daemon: No such container: ${name}`
    )
  return found.node
}

function requireAbsolute(path: string, args: readonly string[]): string {
  if (!path.startsWith('/')) throw unsupported('docker', args)
  return posix.normalize(path)
}

async function runExec(ctx: CommandContext, args: string[]): Promise<void> {
  const interactive = args[1] === '-i'
  const [nodeName, command, ...cmdArgs] = args.slice(interactive ? 2 : 1)
  if (nodeName === undefined) throw unsupported('docker', args)
  const home = ctx.options.home
  if (
    !interactive &&
    command === 'chown' &&
    cmdArgs[0] === '-R' &&
    /^\d+:\d+$/.test(cmdArgs[1] ?? '') &&
    cmdArgs.length >= 3
  ) {
    const node = requireNode(ctx, nodeName)
    const paths = cmdArgs.slice(2).map((p) => requireAbsolute(p, args))
    for (const p of paths) {
      if (!existsSync(mapNodePath(home, node, p).runnerPath)) {
        throw new CommandError(
          `chown: cannot access '${p}': No such file or directory`
        )
      }
    }
    const result = await runProcess('chown', [
      '-R',
      cmdArgs[1],
      ...paths.map((p) => mapNodePath(home, node, p).runnerPath)
    ])
    if (result.code !== 0)
      throw new CommandError(
        `chown: ${result.stderr.toString().trim()}`,
        result.code
      )
    return
  }
  if (
    !interactive &&
    command === 'chmod' &&
    cmdArgs[0] === '-R' &&
    cmdArgs[1] === 'a+rwX' &&
    cmdArgs.length >= 3
  ) {
    // The kind node image starts from a Debian/Ubuntu base with coreutils
    // (kubernetes-sigs/kind images/base/Dockerfile), and docker exec runs as
    // the container's root, so the chmod applies whoever owns the files.
    const node = requireNode(ctx, nodeName)
    const paths = cmdArgs.slice(2).map((p) => requireAbsolute(p, args))
    for (const p of paths) {
      if (!existsSync(mapNodePath(home, node, p).runnerPath)) {
        throw new CommandError(
          `chmod: cannot access '${p}': No such file or directory`
        )
      }
    }
    const result = await runProcess('chmod', [
      '-R',
      'a+rwX',
      ...paths.map((p) => mapNodePath(home, node, p).runnerPath)
    ])
    if (result.code !== 0)
      throw new CommandError(
        `chmod: ${result.stderr.toString().trim()}`,
        result.code
      )
    return
  }
  if (
    !interactive &&
    command === 'mkdir' &&
    cmdArgs[0] === '-p' &&
    cmdArgs.length === 2
  ) {
    const node = requireNode(ctx, nodeName)
    await mkdir(
      mapNodePath(home, node, requireAbsolute(cmdArgs[1], args)).runnerPath,
      { recursive: true }
    )
    return
  }
  if (
    interactive &&
    command === 'cp' &&
    cmdArgs[0] === '/dev/stdin' &&
    cmdArgs.length === 2
  ) {
    const node = requireNode(ctx, nodeName)
    const target = mapNodePath(
      home,
      node,
      requireAbsolute(cmdArgs[1], args)
    ).runnerPath
    if (!existsSync(dirname(target))) {
      throw new CommandError(
        `cp: cannot create regular file '${cmdArgs[1]}': No such file or directory`
      )
    }
    await writeFile(target, Buffer.from(ctx.io.request.stdin, 'base64'))
    return
  }
  throw unsupported('docker', args)
}

/** Splits `<container>:<path>`; undefined for a local path. */
function splitContainerPath(
  spec: string
): { container: string; path: string } | undefined {
  const match = /^([A-Za-z0-9][A-Za-z0-9_.-]*):(\/.*)$/.exec(spec)
  return match ? { container: match[1], path: match[2] } : undefined
}

async function runCp(
  ctx: CommandContext,
  from: string,
  to: string
): Promise<void> {
  const { io } = ctx
  const home = ctx.options.home
  const src = splitContainerPath(from)
  const dst = splitContainerPath(to)
  if ((src === undefined) === (dst === undefined))
    throw unsupported('docker', ['cp', from, to])
  if (dst !== undefined) {
    // runner -> node: the daemon copies; files become the daemon user's (docker cp without -a).
    const node = requireNode(ctx, dst.container)
    const local = resolve(io.request.cwd, from)
    if (!existsSync(local))
      throw new CommandError(`lstat ${local}: no such file or directory`)
    const contentsOnly = from.endsWith('/.')
    let target = mapNodePath(home, node, posix.normalize(dst.path)).runnerPath
    if (contentsOnly) {
      await mkdir(target, { recursive: true })
      await cp(local, target, { recursive: true, force: true })
      return
    }
    if (existsSync(target) && statSync(target).isDirectory())
      target = join(target, basename(local))
    else if (!existsSync(dirname(target))) {
      throw new CommandError(
        `Error response from daemon: Could not find the file ${posix.dirname(dst.path)} in container ${dst.container}`
      )
    }
    await cp(local, target, { recursive: true, force: true })
    return
  }
  // node -> runner: the client unpacks the archive, so the files are the client user's.
  const from2 = src as { container: string; path: string }
  const node = requireNode(ctx, from2.container)
  const mapped = mapNodePath(home, node, posix.normalize(from2.path)).runnerPath
  if (!existsSync(mapped)) {
    throw new CommandError(
      `Error response from daemon: Could not find the file ${from2.path} in container ${from2.container}`
    )
  }
  const contentsOnly = from2.path.endsWith('/.')
  // The daemon archives with Go's archive/tar (PAX headers, each directory
  // before its content); the client extracts it as the docker CLI does
  // (untar.ts, after moby/go-archive copy.go CopyTo).
  const tarArgs = contentsOnly
    ? ['--format=pax', '-C', mapped, '-cf', '-', '.']
    : ['--format=pax', '-C', dirname(mapped), '-cf', '-', basename(mapped)]
  const tar = await runProcess('tar', tarArgs)
  if (tar.code !== 0)
    throw new CommandError(
      `docker cp: reading ${from2.path}: ${tar.stderr.toString().trim()}`
    )
  io.send({
    t: 'untar',
    dest: resolve(io.request.cwd, to),
    name: contentsOnly ? '.' : basename(mapped),
    d: tar.stdout.toString('base64')
  })
}

function containerId(name: string): string {
  return createHash('sha256').update(`cluster-double:${name}`).digest('hex')
}

async function runRun(ctx: CommandContext, args: string[]): Promise<void> {
  const { state } = ctx
  if (
    args[1] !== '-d' ||
    args[2] !== '--restart=always' ||
    args[3] !== '--name' ||
    args[4] === undefined
  ) {
    throw unsupported('docker', args)
  }
  const record: ContainerRecord = {
    name: args[4],
    image: '',
    args: [],
    networks: [],
    ports: [],
    env: [],
    volumes: [],
    running: true
  }
  let i = 5
  for (; i < args.length; i++) {
    const flag = args[i]
    const value = args[i + 1]
    if (flag === '--network' && value !== undefined) record.networks.push(value)
    else if (
      flag === '-p' &&
      value !== undefined &&
      /^(\d+\.\d+\.\d+\.\d+:)?\d+:\d+$/.test(value)
    )
      record.ports.push(value)
    else if (flag === '-e' && value !== undefined && value.includes('='))
      record.env.push(value)
    else if (
      flag === '-e' &&
      value !== undefined &&
      /^[A-Za-z_][A-Za-z0-9_]*$/.test(value)
    ) {
      // `-e NAME`: the docker CLI takes the value from its own environment,
      // and leaves the variable out when it is unset there.
      const fromClient = ctx.io.request.env[value]
      if (fromClient !== undefined) record.env.push(`${value}=${fromClient}`)
    } else if (
      flag === '-v' &&
      value !== undefined &&
      /^\/[^:]*:\/[^:]*$/.test(value)
    )
      record.volumes.push(value)
    else if (flag.startsWith('-')) throw unsupported('docker', args)
    else break
    i++
  }
  if (i >= args.length) throw unsupported('docker', args)
  record.image = args[i]
  record.args = args.slice(i + 1)
  if (
    state.containers[record.name] !== undefined ||
    findNode(state, record.name) !== undefined
  ) {
    throw new CommandError(
      `docker: Error response from daemon: Conflict. The container name "/${record.name}" is already in use by container "${containerId(record.name)}". You have to remove (or rename) that container to be able to reuse that name.`,
      125
    )
  }
  for (const net of record.networks) {
    if (!state.networks.includes(net))
      throw new CommandError(
        `docker: Error response from daemon: network ${net} not found.`,
        125
      )
  }
  if (record.networks.length === 0) record.networks.push('bridge')
  for (const volume of record.volumes)
    await mkdir(volume.split(':')[0], { recursive: true })
  state.containers[record.name] = record
  ctx.io.out(`${containerId(record.name)}\n`)
}

function connectNetwork(
  ctx: CommandContext,
  network: string,
  name: string
): void {
  const { state } = ctx
  if (!state.networks.includes(network))
    throw new CommandError(
      `Error response from daemon: network ${network} not found`
    )
  const container = state.containers[name]
  if (container === undefined)
    throw new CommandError(
      `Error response from daemon: No such container: ${name}`
    )
  if (container.networks.includes(network)) {
    throw new CommandError(
      `Error response from daemon: endpoint with name ${name} already exists in network ${network}`
    )
  }
  container.networks.push(network)
}

function inspectRunning(ctx: CommandContext, name: string): void {
  const container = ctx.state.containers[name]
  if (container !== undefined) {
    ctx.io.out(`${container.running}\n`)
    return
  }
  if (findNode(ctx.state, name) !== undefined) {
    ctx.io.out('true\n')
    return
  }
  throw new CommandError(`Error: No such object: ${name}`)
}

function removeContainers(ctx: CommandContext, names: string[]): void {
  for (const name of names) {
    if (findNode(ctx.state, name) !== undefined) {
      throw new CommandError(
        `cluster double: ${name} is a kind node; delete it with kind delete cluster`
      )
    }
    // With -f a missing container is not an error (docker CLI >= 20.10:
    // https://github.com/docker/cli/pull/2678).
    if (ctx.state.containers[name] === undefined) continue
    delete ctx.state.containers[name]
    ctx.io.out(`${name}\n`)
  }
}
