/**
 * The local registry, the helm/kind-action way: one name that works from the
 * runner (hosts file), the kaniko pod (kind network DNS) and the kubelet
 * (containerd hosts.toml).
 */
import { appendFile, readFile } from 'node:fs/promises'
import { DEFAULT_REGISTRY_IMAGE } from '../images.js'
import { claimContainerName } from '../kind/containers.js'
import { elapsed, kubeContext, nodeNames } from './cluster.js'
import { ClusterError } from './cluster-error.js'
import { inspectContainer } from './containers.js'
import { commandOutput, firstLine, mustRun, run, tryRun } from './exec.js'

/** What startRegistry needs. */
export interface RegistryRequest {
  cluster: string
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
 * Starts the local registry the helm/kind-action way, so one name,
 * `<name>:<port>`, works for skaffold on the runner (hosts file), the kaniko
 * pod (kind network DNS) and the kubelet (containerd hosts.toml): docker
 * run, network connect, hosts.toml on every node, the local-registry-hosting
 * ConfigMap (KEP-1755), the hosts file line. A container of that name is
 * reused (running) or replaced (stopped) only when it carries this
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

  const reused = await claimServiceName(name, request.cluster)
  if (!reused) {
    // `--` ends docker's options: docker's flag parser (spf13/pflag flag.go,
    // parseArgs) treats every later argument as positional.
    await mustRun('docker', [
      'run',
      '-d',
      '--restart=always',
      '--name',
      name,
      ...request.labels.flatMap((label) => ['--label', label]),
      '--network',
      'bridge',
      // Loopback only: the registry has no authentication, and the runner
      // is its only client outside the kind network.
      '-p',
      `127.0.0.1:${request.port}:${request.port}`,
      '-e',
      `REGISTRY_HTTP_ADDR=0.0.0.0:${request.port}`,
      '--',
      request.image ?? DEFAULT_REGISTRY_IMAGE
    ])
  }
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

  // https://github.com/containerd/containerd/blob/main/docs/hosts.md
  const certsDir = `/etc/containerd/certs.d/${host}`
  const hostsToml = `[host."http://${host}"]\n`
  for (const node of await nodeNames(request.cluster)) {
    await mustRun('docker', ['exec', '--', node, 'mkdir', '-p', certsDir])
    await mustRun(
      'docker',
      ['exec', '-i', '--', node, 'cp', '/dev/stdin', `${certsDir}/hosts.toml`],
      { input: hostsToml }
    )
  }
  await mustRun(
    'kubectl',
    ['--context', kubeContext(request.cluster), 'apply', '-f', '-'],
    { input: localRegistryHostingManifest(host) }
  )

  const hostsFile = await addHostsEntry(request.hostsFile, name)
  if (hostsFile === 'not-writable') {
    warnings.push(
      `Cannot add "127.0.0.1 ${name}" to ${request.hostsFile} (not writable): skaffold on the runner cannot reach ${host}, so it cannot find images built by earlier runs there and builds every artifact again. The build, the push (from the kaniko pod) and the image digests (skaffold reads them from the kaniko pod's termination message) are not affected`
    )
  }
  return { name, host, reused, hostsFile, warnings, seconds: elapsed(started) }
}

/**
 * Makes the name free for a new container, or says a running one is there
 * to reuse (true).
 * @throws ClusterError when the name is taken by a container the action did
 * not start for this cluster.
 */
export async function claimServiceName(
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

/** The KEP-1755 ConfigMap that documents the local registry. */
export function localRegistryHostingManifest(host: string): string {
  return [
    'apiVersion: v1',
    'kind: ConfigMap',
    'metadata:',
    '  name: local-registry-hosting',
    '  namespace: kube-public',
    'data:',
    '  localRegistryHosting.v1: |',
    `    host: "${host}"`,
    `    hostFromClusterNetwork: "${host}"`,
    '    help: "https://kind.sigs.k8s.io/docs/user/local-registry/"',
    ''
  ].join('\n')
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
