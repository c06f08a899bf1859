/**
 * The local registry, the helm/kind-action way: one name that works from the
 * runner (hosts file), the kaniko pod (kind network DNS) and the kubelet
 * (containerd hosts.toml).
 */
import { appendFile, readFile } from 'node:fs/promises'
import { DEFAULT_REGISTRY_IMAGE } from '../images.js'
import {
  ClusterError,
  containerState,
  elapsed,
  firstLine,
  kubeContext,
  must,
  nodeNames,
  output,
  run
} from './cluster.js'

/** What startRegistry needs. */
export interface RegistryRequest {
  cluster: string
  /** The registry-port input. */
  port: number
  /** The runner's hosts file (/etc/hosts in the action; a temp file in tests). */
  hostsFile: string
  /** Default DEFAULT_REGISTRY_IMAGE: registry:2 (as helm/kind-action), by digest. */
  image?: string
  /** Default kind-registry. */
  name?: string
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

/** The default local registry container name (helm/kind-action's). */
export const REGISTRY_NAME = 'kind-registry'

/**
 * Starts the local registry the helm/kind-action way, so one name,
 * `kind-registry:<port>`, works for skaffold on the runner (hosts file), the
 * kaniko pod (kind network DNS) and the kubelet (containerd hosts.toml):
 * docker run (12), network connect (13), hosts.toml on every node (9, 10),
 * the local-registry-hosting ConfigMap (20, KEP-1755), the hosts file line.
 * @throws ClusterError when a command fails; an unwritable hosts file is only a warning.
 */
export async function startRegistry(
  request: RegistryRequest
): Promise<RegistryResult> {
  const started = Date.now()
  const name = request.name ?? REGISTRY_NAME
  const host = `${name}:${request.port}`
  const warnings: string[] = []

  const state = await containerState(name)
  const reused = state === 'running'
  if (state === 'stopped') await must('docker', ['rm', '-f', name])
  if (!reused) {
    await must('docker', [
      'run',
      '-d',
      '--restart=always',
      '--name',
      name,
      '--network',
      'bridge',
      // Loopback only: the registry has no authentication, and the runner
      // is its only client outside the kind network.
      '-p',
      `127.0.0.1:${request.port}:${request.port}`,
      '-e',
      `REGISTRY_HTTP_ADDR=0.0.0.0:${request.port}`,
      request.image ?? DEFAULT_REGISTRY_IMAGE
    ])
  }
  const connect = await run('docker', ['network', 'connect', 'kind', name], {
    silent: true
  })
  if (connect.exitCode !== 0 && !/already exists/.test(output(connect))) {
    throw new ClusterError(
      `Cannot connect the registry ${name} to the kind network: ${firstLine(connect)}`,
      output(connect)
    )
  }

  // https://github.com/containerd/containerd/blob/main/docs/hosts.md
  const certsDir = `/etc/containerd/certs.d/${host}`
  const hostsToml = `[host."http://${host}"]\n`
  for (const node of await nodeNames(request.cluster)) {
    await must('docker', ['exec', node, 'mkdir', '-p', certsDir])
    await must(
      'docker',
      ['exec', '-i', node, 'cp', '/dev/stdin', `${certsDir}/hosts.toml`],
      hostsToml
    )
  }
  await must(
    'kubectl',
    ['--context', kubeContext(request.cluster), 'apply', '-f', '-'],
    localRegistryHostingManifest(host)
  )

  const hostsFile = await addHostsEntry(request.hostsFile, name)
  if (hostsFile === 'not-writable') {
    warnings.push(
      `Cannot add "127.0.0.1 ${name}" to ${request.hostsFile} (not writable): skaffold's artifact-cache lookups on the runner cannot reach ${host}, so every artifact is built again. The build itself pushes from the kaniko pod and is not affected`
    )
  }
  return { name, host, reused, hostsFile, warnings, seconds: elapsed(started) }
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
    const sudo = await run('sudo', ['-n', 'tee', '-a', hostsFile], {
      input: line,
      silent: true
    })
    return sudo.exitCode === 0 ? 'added' : 'not-writable'
  }
}
