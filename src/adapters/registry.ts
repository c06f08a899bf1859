/**
 * The local registry, the helm/kind-action way: one name that works from the
 * runner (hosts file), the kaniko pod (kind network DNS) and the kubelet
 * (containerd hosts.toml).
 */
import { appendFile, readFile } from 'node:fs/promises'
import { DEFAULT_REGISTRY_IMAGE } from '../images.js'
import { claimContainerName } from '../kind/containers.js'
import { CONTAINERD_CERTS_DIR } from '../kind/kind-config.js'
import { elapsed } from './exec.js'
import { ClusterError } from './cluster-error.js'
import { inspectContainer } from './containers.js'
import {
  commandOutput,
  firstLine,
  lastLines,
  mustRun,
  run,
  tryRun,
  type CommandResult,
  type RunOptions
} from './exec.js'

/** What startRegistry needs. */
export interface RegistryRequest {
  cluster: string
  /** The cluster's Kubernetes nodes: each gets the registry's hosts.toml. */
  nodes: readonly string[]
  /** The container name (serviceContainerNames(cluster).registry). */
  name: string
  /** `key=value` labels for the container (containerLabels). */
  labels: string[]
  /** The registry-port input. */
  port: number
  /** The runner's hosts file (/etc/hosts in the action; a temp file in tests). */
  hostsFile: string
  /** Default DEFAULT_REGISTRY_IMAGE: registry:2 (as helm/kind-action), by digest. */
  image?: string
}

/** The outcome of startRegistry. */
export interface RegistryResult {
  name: string
  /** The one name that works from the runner, the kaniko pod and the kubelet. */
  host: string
  /** True when a running registry container was found and kept. */
  reused: boolean
  /** Whether the runner's hosts file maps the name to 127.0.0.1. */
  hostsFile: 'added' | 'present' | 'not-writable'
  warnings: string[]
  seconds: number
}

/**
 * Starts the local registry, so one name, `<name>:<port>`, works for
 * skaffold on the runner (hosts file), the kaniko pod (kind network DNS) and
 * the kubelet (containerd hosts.toml): docker run on the kind network, a
 * hosts.toml on every node, the hosts file line. The KEP-1755 ConfigMap goes
 * in with the other cluster objects (kind/objects.ts). A container of that
 * name is reused (running) or replaced (stopped) only when it carries this
 * cluster's label.
 * @throws ClusterError when a command fails or the name is taken by a
 * container the action did not start for this cluster; an unwritable hosts
 * file is only a warning.
 */
export async function startRegistry(
  request: RegistryRequest
): Promise<RegistryResult> {
  const started = Date.now()
  const name = request.name
  const host = `${name}:${request.port}`
  const warnings: string[] = []

  // `--` ends docker's options: docker's flag parser (spf13/pflag flag.go,
  // parseArgs) treats every later argument as positional. Straight onto the
  // kind network, which exists once the cluster does: kind makes it a
  // bridge network (kubernetes-sigs/kind
  // pkg/cluster/internal/providers/docker/network.go, createNetwork), where
  // docker publishes ports as on the default bridge, so no second `docker
  // network connect` is needed.
  const reused = await runOrClaim(name, request.cluster, [
    'run',
    '-d',
    '--restart=always',
    '--name',
    name,
    ...request.labels.flatMap((label) => ['--label', label]),
    '--network',
    'kind',
    // Loopback only: the registry has no authentication, and the runner
    // is its only client outside the kind network.
    '-p',
    `127.0.0.1:${request.port}:${request.port}`,
    '-e',
    `REGISTRY_HTTP_ADDR=0.0.0.0:${request.port}`,
    '--',
    request.image ?? DEFAULT_REGISTRY_IMAGE
  ])
  if (reused) {
    // A registry kept from an earlier job may have been started on another
    // network: docker says "already exists" when it is on kind already.
    const connect = await run('docker', [
      'network',
      'connect',
      '--',
      'kind',
      name
    ])
    if (
      connect.exitCode !== 0 &&
      !/already exists/.test(commandOutput(connect))
    ) {
      throw new ClusterError(
        `Cannot connect the registry ${name} to the kind network: ${firstLine(connect)}`,
        commandOutput(connect)
      )
    }
  }

  // https://github.com/containerd/containerd/blob/main/docs/hosts.md
  // One exec per node: `install -D` creates the missing leading dirs of the
  // target, then copies the source to it, a pipe's content included
  // (coreutils src/install.c: option -D, and cp_option_init sets
  // copy_as_regular); the kind node image is Debian with coreutils
  // (kubernetes-sigs/kind images/base/Dockerfile).
  const hostsToml = `[host."http://${host}"]\n`
  for (const node of request.nodes) {
    await mustRun(
      'docker',
      [
        'exec',
        '-i',
        '--',
        node,
        'install',
        '-D',
        '-m',
        '0644',
        '/dev/stdin',
        `${CONTAINERD_CERTS_DIR}/${host}/hosts.toml`
      ],
      { input: hostsToml }
    )
  }

  const hostsFile = await addHostsEntry(request.hostsFile, name)
  if (hostsFile === 'not-writable') {
    warnings.push(
      `Cannot add "127.0.0.1 ${name}" to ${request.hostsFile} (not writable): skaffold on the runner cannot reach ${host}, so it cannot find images built by earlier runs there and builds every artifact again. The build, the push (from the kaniko pod) and the image digests (skaffold reads them from the kaniko pod's termination message) are not affected`
    )
  }
  return { name, host, reused, hostsFile, warnings, seconds: elapsed(started) }
}

/**
 * Runs `docker <runArgs>` (a `docker run --name <name>`) and only when the
 * name is taken looks at what holds it: docker refuses with "Conflict. The
 * container name ... is already in use" (moby daemon/names.go, reserveName,
 * and daemon/errors.go, nameConflictError) and starts nothing. Returns true when a running container of this cluster
 * is there to reuse.
 * @throws ClusterError when the name is taken by a container the action did
 * not start for this cluster, or docker run fails otherwise.
 */
export async function runOrClaim(
  name: string,
  cluster: string,
  runArgs: string[],
  options: RunOptions = {}
): Promise<boolean> {
  const first = await run('docker', runArgs, options)
  if (first.exitCode === 0) return false
  if (
    !/Conflict\. The container name .* is already in use/.test(
      commandOutput(first)
    )
  ) {
    throw runFailed(runArgs, first, options)
  }
  if (await claimServiceName(name, cluster)) return true
  await mustRun('docker', runArgs, options)
  return false
}

function runFailed(
  runArgs: string[],
  result: CommandResult,
  options: RunOptions
): ClusterError {
  const shown = options.secret
    ? `docker ${runArgs[0]}`
    : ['docker', ...runArgs].join(' ')
  return new ClusterError(
    `${shown} failed (exit ${result.exitCode}): ${lastLines(commandOutput(result), 3)}`,
    commandOutput(result)
  )
}

/**
 * Makes the name free for a new container, or says a running one is there
 * to reuse (true).
 * @throws ClusterError when the name is taken by a container the action did
 * not start for this cluster.
 */
async function claimServiceName(
  name: string,
  cluster: string
): Promise<boolean> {
  const existing = await inspectContainer(name)
  switch (claimContainerName(existing, cluster)) {
    case 'reuse':
      return true
    case 'replace':
      await mustRun('docker', ['rm', '-f', '--', name])
      return false
    case 'refuse':
      throw new ClusterError(
        `A container named ${name} exists and was not started by skaffold-kaniko-cache for kind cluster ${cluster}. Remove it (docker rm -f ${name}) or choose another cluster-name`
      )
    case 'start':
      return false
  }
}

async function addHostsEntry(
  hostsFile: string,
  name: string
): Promise<RegistryResult['hostsFile']> {
  const text = await readFile(hostsFile, 'utf8').catch(() => '')
  const present = text
    .split('\n')
    .some((line) =>
      line.replace(/#.*/, '').trim().split(/\s+/).slice(1).includes(name)
    )
  if (present) return 'present'
  const separator = text === '' || text.endsWith('\n') ? '' : '\n'
  const line = `${separator}127.0.0.1 ${name}\n`
  try {
    await appendFile(hostsFile, line)
    return 'added'
  } catch {
    // GitHub-hosted runners run as a user with passwordless sudo, and
    // /etc/hosts is root's (helm/kind-action does the same). -n: never
    // prompt, fail at once where sudo needs a password or is absent.
    const added = await tryRun('sudo', ['-n', 'tee', '-a', '--', hostsFile], {
      input: line
    })
    return added ? 'added' : 'not-writable'
  }
}
