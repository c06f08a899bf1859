/**
 * `docker` commands (contract items 7-15), run by the daemon with its own
 * privileges: files it creates in node dirs belong to the daemon's user (root
 * in CI), as with a rootful Docker.
 */
import { createHash } from 'node:crypto'
import { existsSync, statSync } from 'node:fs'
import { chmod, cp, mkdir, writeFile } from 'node:fs/promises'
import { basename, dirname, join, posix, resolve } from 'node:path'
import { CommandError, unsupported } from './io.js'
import type { CommandContext } from './context.js'
import { VERSIONS } from './context.js'
import { mapNodePath } from './node-paths.js'
import { runProcess } from './proc.js'
import {
  findLoadBalancer,
  findNode,
  type ContainerRecord,
  type DoubleState,
  type NodeRecord
} from './state.js'

const RUNNING_FORMAT = '{{.State.Running}}'
const STATE_AND_LABELS_FORMAT =
  '{{json .State.Running}} {{json .Config.Labels}}'

/**
 * Drops one `--` that ends docker's options: docker parses its flags with
 * spf13/pflag, where `--` ends the flags and every later argument is
 * positional (spf13/pflag flag.go, parseArgs). `index` is where the
 * positionals start; a `--` anywhere else is left in place.
 */
function endOfOptions(args: readonly string[], index: number): string[] {
  return args[index] === '--'
    ? [...args.slice(0, index), ...args.slice(index + 1)]
    : [...args]
}

/** Runs one docker command in the daemon. */
export async function runDocker(
  ctx: CommandContext,
  args: string[]
): Promise<void> {
  const [verb, ...given] = args
  let rest = given
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
      rest = endOfOptions(rest, 0)
      if (rest.length === 2) return runCp(ctx, rest[0], rest[1])
      break
    case 'run':
      return runRun(ctx, args)
    case 'network':
      rest = endOfOptions(rest, 1)
      if (rest.length === 3 && rest[0] === 'connect')
        return connectNetwork(ctx, rest[1], rest[2])
      break
    case 'inspect':
      if (rest.length === 3 && rest[0] === '-f' && rest[1] === RUNNING_FORMAT)
        return inspectRunning(ctx, rest[2])
      if (
        rest.length === 6 &&
        rest.slice(0, 5).join(' ') ===
          `--type container --format ${STATE_AND_LABELS_FORMAT} --`
      )
        return inspectStateAndLabels(ctx, rest[5])
      break
    case 'rm':
      rest = endOfOptions(rest, 1)
      if (rest.length >= 2 && rest[0] === '-f')
        return removeContainers(ctx, rest.slice(1))
      break
    case 'ps':
      return listContainers(ctx, args)
  }
  throw unsupported('docker', args)
}

function requireNode(ctx: CommandContext, name: string): NodeRecord {
  const found = findNode(ctx.state, name)
  if (found === undefined && findLoadBalancer(ctx.state, name) !== undefined)
    throw new CommandError(
      `cluster double: ${name} is kind's external load balancer (an haproxy image with no containerd and no shell); commands in it are not modelled`
    )
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

async function runExec(ctx: CommandContext, given: string[]): Promise<void> {
  // docker exec stops parsing its own flags at the container name
  // (SetInterspersed(false) in docker/cli cli/command/container/exec.go), so
  // a `--` can only come before it.
  const args = endOfOptions(given, given[1] === '-i' ? 2 : 1)
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
    command === 'install' &&
    cmdArgs.length === 5 &&
    cmdArgs[0] === '-D' &&
    cmdArgs[1] === '-m' &&
    /^0?[0-7]{3}$/.test(cmdArgs[2]) &&
    cmdArgs[3] === '/dev/stdin'
  ) {
    // coreutils install: -D creates every missing leading dir of the target
    // (src/install.c, mkancesdirs_safe_wd), then copies the source, a
    // pipe's content included (cp_option_init sets copy_as_regular), and
    // sets the -m mode; the kind node image has coreutils
    // (kubernetes-sigs/kind images/base/Dockerfile, a Debian base).
    const node = requireNode(ctx, nodeName)
    const target = mapNodePath(
      home,
      node,
      requireAbsolute(cmdArgs[4], args)
    ).runnerPath
    await mkdir(dirname(target), { recursive: true })
    await writeFile(target, Buffer.from(ctx.io.request.stdin, 'base64'))
    await chmod(target, parseInt(cmdArgs[2], 8))
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
  const labels: Record<string, string> = {}
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
    if (flag === '--') {
      // pflag: `--` ends the options; the image follows (see endOfOptions).
      i++
      break
    }
    if (flag === '--network' && value !== undefined) record.networks.push(value)
    else if (flag === '--label' && value !== undefined) {
      // `--label key=value`, or `key` alone for an empty value (docker/cli
      // opts/opts.go, ConvertKVStringsToMap splits at the first "=").
      const eq = value.indexOf('=')
      if (eq === 0) throw unsupported('docker', args)
      if (eq < 0) labels[value] = ''
      else labels[value.slice(0, eq)] = value.slice(eq + 1)
    } else if (
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
  record.labels = labels
  if (
    state.containers[record.name] !== undefined ||
    findNode(state, record.name) !== undefined ||
    findLoadBalancer(state, record.name) !== undefined
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
    if (
      findNode(ctx.state, name) !== undefined ||
      findLoadBalancer(ctx.state, name) !== undefined
    ) {
      throw new CommandError(
        `cluster double: ${name} is a kind node; delete it with kind delete cluster`
      )
    }
    // With -f a missing container is not an error: the CLI prints the
    // daemon's "No such container" on stderr and goes on, exit 0 (docker/cli
    // cli/command/container/rm.go, runRm, v20.10 to v29.6; v29.7 stopped
    // printing it). The double models the versions GitHub's runners ship.
    if (ctx.state.containers[name] === undefined) {
      ctx.io.err(`Error response from daemon: No such container: ${name}\n`)
      continue
    }
    ctx.state.removedContainers = [
      ...(ctx.state.removedContainers ?? []),
      ctx.state.containers[name]
    ]
    delete ctx.state.containers[name]
    ctx.io.out(`${name}\n`)
  }
}

/** Labels of a kind node container: cluster and role, as kind sets them. */
function kindLabels(cluster: string, role: string): Record<string, string> {
  // kind pkg/cluster/internal/providers/docker/provision.go (commonArgs and
  // runArgsForNode/runArgsForLoadBalancer) labels every container it makes
  // with io.x-k8s.kind.cluster=<cluster> and io.x-k8s.kind.role=<role>.
  return { 'io.x-k8s.kind.cluster': cluster, 'io.x-k8s.kind.role': role }
}

interface Listed {
  name: string
  running: boolean
  labels: Record<string, string>
}

/** Every container the daemon has: kind's (nodes, load balancers) and `docker run`'s. */
function allContainers(state: DoubleState): Listed[] {
  const listed: Listed[] = []
  for (const cluster of Object.values(state.clusters)) {
    // kind creates the nodes concurrently, so `docker ps` (newest first)
    // has no order to rely on; the double lists the load balancer first so
    // a caller that takes the first name gets the one that is no node.
    if (cluster.loadBalancer !== undefined)
      listed.push({
        name: cluster.loadBalancer,
        running: true,
        labels: kindLabels(cluster.name, 'external-load-balancer')
      })
    for (const node of [...cluster.nodes].reverse())
      listed.push({
        name: node.name,
        running: true,
        labels: kindLabels(cluster.name, node.role)
      })
  }
  for (const c of Object.values(state.containers).reverse())
    listed.push({ name: c.name, running: c.running, labels: c.labels ?? {} })
  return listed
}

const PS_LABEL_FORMAT = /^\{\{\.Names\}\}\t\{\{\.Label "([^"]+)"\}\}$/

/**
 * `docker ps -a --filter label=<k>[=<v>]... --format <f>` with `{{.Names}}`
 * or `{{.Names}}\t{{.Label "<k>"}}`. Every label filter must match (moby
 * daemon/list.go, includeContainerInList: filters.MatchKVList("label", ...));
 * `{{.Label "<k>"}}` prints the value or nothing (docker/cli
 * cli/command/formatter/container.go, Label). Other filters and formats are
 * not modelled.
 */
function listContainers(ctx: CommandContext, args: string[]): void {
  const wanted: [string, string | undefined][] = []
  let format: string | undefined
  if (args[1] !== '-a') throw unsupported('docker', args)
  for (let i = 2; i < args.length; i += 2) {
    const value = args[i + 1]
    if (value === undefined) throw unsupported('docker', args)
    if (args[i] === '--filter' && value.startsWith('label=')) {
      const label = value.slice('label='.length)
      const eq = label.indexOf('=')
      wanted.push(
        eq < 0 ? [label, undefined] : [label.slice(0, eq), label.slice(eq + 1)]
      )
    } else if (args[i] === '--format' && format === undefined) format = value
    else throw unsupported('docker', args)
  }
  const labelKey =
    format === '{{.Names}}'
      ? undefined
      : PS_LABEL_FORMAT.exec(format ?? '')?.[1]
  if (
    format === undefined ||
    (format !== '{{.Names}}' && labelKey === undefined)
  )
    throw unsupported('docker', args)
  for (const c of allContainers(ctx.state)) {
    const matches = wanted.every(([k, v]) =>
      v === undefined ? k in c.labels : c.labels[k] === v
    )
    if (!matches) continue
    ctx.io.out(
      labelKey === undefined
        ? `${c.name}\n`
        : `${c.name}\t${c.labels[labelKey] ?? ''}\n`
    )
  }
}

/** `docker inspect --type container --format '{{json .State.Running}} {{json .Config.Labels}}' -- <name>`. */
function inspectStateAndLabels(ctx: CommandContext, name: string): void {
  const found = allContainers(ctx.state).find((c) => c.name === name)
  if (found === undefined)
    throw new CommandError(`Error: No such container: ${name}`)
  const labels = Object.keys(found.labels).length > 0 ? found.labels : null
  ctx.io.out(`${found.running} ${JSON.stringify(labels)}\n`)
}
