/**
 * `kind` commands (contract items 1-6). Output imitates kind v0.32.0: status
 * lines on stderr, `ERROR: failed to create cluster: ...` on failure.
 */
import { existsSync, statSync } from 'node:fs'
import { readFile, rm } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { CommandError, unsupported } from './io.js'
import type { CommandContext } from './context.js'
import { VERSIONS } from './context.js'
import { criRegistryRefusal } from './containerd.js'
import { parseKindConfig, nodeNames } from './kind-config.js'
import type { ClusterRecord } from './state.js'

const DEFAULT_NAMESPACES = [
  'default',
  'kube-node-lease',
  'kube-public',
  'kube-system',
  'local-path-storage'
]

interface Flags {
  values: Record<string, string>
  bools: Set<string>
  positional: string[]
}

/** Splits `--flag value` pairs; any flag outside `valued`/`bools` is unsupported. */
function parseFlags(
  args: readonly string[],
  valued: string[],
  bools: string[],
  all: readonly string[]
): Flags {
  const flags: Flags = { values: {}, bools: new Set(), positional: [] }
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]
    if (arg === '--') {
      // kind parses flags with cobra/spf13/pflag: `--` ends the flags and
      // the rest is positional (spf13/pflag flag.go, parseArgs).
      flags.positional.push(...args.slice(i + 1))
      break
    }
    if (valued.includes(arg) && i + 1 < args.length) {
      flags.values[arg] = args[++i]
    } else if (bools.includes(arg)) {
      flags.bools.add(arg)
    } else if (arg.startsWith('-')) {
      throw unsupported('kind', all)
    } else {
      flags.positional.push(arg)
    }
  }
  return flags
}

/** Runs one kind command in the daemon. */
export async function runKind(
  ctx: CommandContext,
  args: string[]
): Promise<void> {
  const { io, state } = ctx
  const [verb, noun, ...rest] = args
  if (verb === 'create' && noun === 'cluster') {
    const flags = parseFlags(
      rest,
      ['--name', '--config', '--wait', '--image'],
      ['--retain'],
      args
    )
    if (
      flags.positional.length > 0 ||
      !flags.values['--name'] ||
      !flags.values['--config'] ||
      !flags.values['--wait']
    ) {
      throw unsupported('kind', args)
    }
    await createCluster(ctx, flags)
    return
  }
  if (verb === 'get' && noun === 'clusters' && rest.length === 0) {
    const names = Object.keys(state.clusters).sort()
    if (names.length === 0) io.err('No kind clusters found.\n')
    else io.out(names.map((n) => `${n}\n`).join(''))
    return
  }
  if (verb === 'get' && noun === 'nodes') {
    const flags = parseFlags(rest, ['--name'], [], args)
    const name = flags.values['--name']
    if (!name || flags.positional.length > 0) throw unsupported('kind', args)
    const cluster = state.clusters[name]
    if (cluster === undefined)
      io.err(`No kind nodes found for cluster "${name}".\n`)
    else
      io.out(
        kindContainers(cluster)
          .map((n) => `${n}\n`)
          .join('')
      )
    return
  }
  if (verb === 'delete' && noun === 'cluster') {
    const flags = parseFlags(rest, ['--name'], [], args)
    const name = flags.values['--name']
    if (!name || flags.positional.length > 0) throw unsupported('kind', args)
    io.err(`Deleting cluster "${name}" ...\n`)
    const cluster = state.clusters[name]
    if (cluster !== undefined) {
      await removeClusterNodes(ctx, cluster)
      await rm(join(ctx.options.home, 'pvcs', name), {
        recursive: true,
        force: true
      })
      delete state.clusters[name]
      // kind removes the cluster's entry from the kubeconfig, current-context too.
      if (state.currentContext === cluster.context)
        state.currentContext = undefined
      io.err(
        `Deleted nodes: [${kindContainers(cluster)
          .map((n) => `"${n}"`)
          .join(' ')}]\n`
      )
    }
    return
  }
  if (verb === 'export' && noun === 'logs') {
    const flags = parseFlags(rest, ['--name'], [], args)
    const name = flags.values['--name']
    if (!name || flags.positional.length !== 1) throw unsupported('kind', args)
    const cluster = state.clusters[name]
    if (cluster === undefined)
      throw new CommandError(`ERROR: unknown cluster "${name}"`)
    const dir = resolve(io.request.cwd, flags.positional[0])
    const file = (path: string, text: string): void =>
      io.send({
        t: 'file',
        path: join(dir, path),
        d: Buffer.from(text).toString('base64')
      })
    file('kind-version.txt', `kind ${VERSIONS.kind} go1.24.1 linux/amd64\n`)
    for (const node of cluster.nodes) {
      file(
        join(node.name, 'kubelet.log'),
        cluster.failed ?? `node ${node.name} ready (cluster double)\n`
      )
      file(join(node.name, 'inspect.json'), JSON.stringify(node, null, 2))
    }
    io.err(`Exporting logs for cluster "${name}" to:\n${dir}\n`)
    return
  }
  throw unsupported('kind', args)
}

/**
 * Every container kind made for a cluster, as `kind get nodes` lists them:
 * kind lists every container with the cluster label (kind
 * pkg/cluster/internal/providers/docker/provider.go, ListNodes), so the
 * external load balancer of a multi-control-plane cluster is listed too.
 * kind creates them concurrently and lists them in docker's order; the
 * double puts the load balancer first so a caller relying on the order
 * meets the container that is no node.
 */
function kindContainers(cluster: ClusterRecord): string[] {
  return [
    ...(cluster.loadBalancer === undefined ? [] : [cluster.loadBalancer]),
    ...cluster.nodes.map((n) => n.name)
  ]
}

async function removeClusterNodes(
  ctx: CommandContext,
  cluster: ClusterRecord
): Promise<void> {
  for (const node of cluster.nodes) {
    await rm(join(ctx.options.home, 'nodes', node.name), {
      recursive: true,
      force: true
    })
  }
}

async function createCluster(ctx: CommandContext, flags: Flags): Promise<void> {
  const { io, state } = ctx
  const name = flags.values['--name']
  const fail = (message: string): CommandError =>
    new CommandError(`ERROR: failed to create cluster: ${message}`)
  if (!/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(name)) {
    throw fail(
      `'${name}' is not a valid cluster name, cluster names must match \`^[a-z0-9.-]+$\``
    )
  }
  if (state.clusters[name] !== undefined) {
    throw fail(`node(s) already exist for a cluster with the name "${name}"`)
  }
  const configPath = resolve(io.request.cwd, flags.values['--config'])
  let text: string
  try {
    text = await readFile(configPath, 'utf8')
  } catch {
    throw fail(
      `error reading file: open ${configPath}: no such file or directory`
    )
  }
  let config
  try {
    config = parseKindConfig(text)
  } catch (error) {
    throw fail(
      `error decoding config ${configPath}: ${(error as Error).message}`
    )
  }
  // kind resolves relative hostPaths against the working directory and the
  // container runtime refuses a bind mount whose source does not exist.
  config.nodes.forEach((node, i) =>
    node.extraMounts.forEach((mount, j) => {
      mount.hostPath = resolve(io.request.cwd, mount.hostPath)
      if (!existsSync(mount.hostPath)) {
        throw fail(
          `command "docker run --name ${name}-... -v ${mount.hostPath}:${mount.containerPath}" failed: ` +
            `invalid mount config: bind source path does not exist: ${mount.hostPath} ` +
            `(${configPath}: nodes[${i}].extraMounts[${j}].hostPath; create the directory before kind create cluster)`
        )
      }
      if (!statSync(mount.hostPath).isDirectory()) {
        throw fail(
          `extraMount hostPath ${mount.hostPath} is not a directory (nodes[${i}].extraMounts[${j}])`
        )
      }
    })
  )
  const image =
    flags.values['--image'] ?? config.nodes[0].image ?? VERSIONS.nodeImage
  io.err(
    `Creating cluster "${name}" ...\n ✓ Ensuring node image (${image}) 🖼\n ✓ Preparing nodes 📦\n`
  )
  const names = nodeNames(
    name,
    config.nodes.map((n) => n.role)
  )
  const cluster: ClusterRecord = {
    name,
    context: `kind-${name}`,
    nodes: config.nodes.map((n, i) => ({
      name: names[i],
      role: n.role,
      image: flags.values['--image'] ?? n.image ?? VERSIONS.nodeImage,
      mounts: n.extraMounts
    })),
    namespaces: [...DEFAULT_NAMESPACES],
    configMaps: {},
    // kind pkg/internal/apis/config/cluster_util.go,
    // ClusterHasImplicitLoadBalancer: more than one control-plane node; the
    // name is <cluster>-external-load-balancer (provision.go, nodeNamer).
    ...(config.nodes.filter((n) => n.role === 'control-plane').length > 1
      ? { loadBalancer: `${name}-external-load-balancer` }
      : {})
  }
  const kubeadmInit = `command "docker exec --privileged ${names[0]} kubeadm init --skip-phases=preflight --config=/kind/kubeadm.conf" failed with error: exit status 1`
  // The containerd config is patched and containerd restarted before kubeadm
  // init (see containerd.ts); a refused CRI registry block leaves the kubelet
  // without a runtime, on every attempt.
  const refusal = criRegistryRefusal(config.containerdConfigPatches)
  if (refusal !== undefined) {
    const message = `failed to init node with kubeadm: ${kubeadmInit} (${refusal})`
    if (flags.bools.has('--retain'))
      state.clusters[name] = { ...cluster, failed: message }
    throw fail(message)
  }
  const failures = Number(io.request.env.CLUSTER_DOUBLE_FAIL_CREATE ?? '0')
  const attempts = state.createAttempts[name] ?? 0
  if (attempts < failures) {
    // Simulated kubeadm failure, for the action's retry path.
    state.createAttempts[name] = attempts + 1
    const message = `failed to init node with kubeadm: command "docker exec --privileged ${names[0]} kubeadm init --skip-phases=preflight --config=/kind/kubeadm.conf" failed with error: exit status 1 (simulated failure ${attempts + 1} of ${failures}, CLUSTER_DOUBLE_FAIL_CREATE)`
    if (flags.bools.has('--retain'))
      state.clusters[name] = { ...cluster, failed: message }
    throw fail(message)
  }
  if (!state.networks.includes('kind')) state.networks.push('kind')
  state.clusters[name] = cluster
  state.currentContext = cluster.context
  // The wait line and its outcome as kind prints them; the double's nodes
  // are Ready at once, so it never prints kind's time-out warning
  // (kubernetes-sigs/kind
  // pkg/cluster/internal/create/actions/waitforready/waitforready.go, Execute).
  io.err(
    ' ✓ Writing configuration 📜\n ✓ Starting control-plane 🕹️\n ✓ Installing CNI 🔌\n ✓ Installing StorageClass 💾\n' +
      ` ✓ Waiting ≤ ${flags.values['--wait']} for control-plane = Ready ⏳\n • Ready after 0s 💚\n` +
      `Set kubectl context to "kind-${name}"\nYou can now use your cluster with:\n\nkubectl cluster-info --context kind-${name}\n`
  )
}
