/**
 * The kind cluster: create (one retry, the first failure's log kept), wait
 * for the nodes, reuse an existing cluster (caches copied in and out with
 * `docker cp`, in node-caches.ts), the cluster objects (namespaces, the registry's ConfigMap) in
 * one `kubectl apply`, and the clean-up. The local registry is in
 * registry.ts, the Athens module proxy in athens.ts.
 *
 * Every command runs through exec.ts as an argument array, in the forms the
 * cluster double (test-support/cluster-double) implements.
 */

import * as core from './workflow-commands.js'
import { mkdir, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { KIND_LABELS, kubernetesNodes } from '../kind/containers.js'
import { ClusterError } from './cluster-error.js'
import { removeRunContainers } from './containers.js'
import {
  commandOutput as output,
  elapsed,
  firstLine,
  lastLines,
  lines,
  run,
  tryRun
} from './exec.js'

export { ClusterError }
export {
  copyCachesFromNode,
  copyCachesIntoNode,
  openCacheDirsToAllUsers,
  type NodeCopy
} from './node-caches.js'

/** The kubectl context kind creates for a cluster. */
export function kubeContext(cluster: string): string {
  return `kind-${cluster}`
}

/**
 * Checks that the docker daemon answers.
 * @throws ClusterError with docker's message and the fix.
 */
export async function checkDocker(): Promise<{ serverVersion: string }> {
  const result = await run('docker', ['info', '--format', '{{.ServerVersion}}'])
  if (result.exitCode !== 0) {
    throw new ClusterError(
      `Docker is not reachable (docker info exited ${result.exitCode}): ${firstLine(result).replace(/\.+$/, '')}. kind needs a running Docker daemon: use a Linux runner with Docker, or start the daemon`,
      output(result)
    )
  }
  return { serverVersion: result.stdout.trim() }
}

/** The kind clusters that exist; [] when there are none. */
export async function listClusters(): Promise<string[]> {
  const result = await run('kind', ['get', 'clusters'])
  if (result.exitCode !== 0) {
    throw new ClusterError(
      `kind get clusters failed (exit ${result.exitCode}): ${firstLine(result)}`,
      output(result)
    )
  }
  // "No kind clusters found." goes to stderr; stdout is one name per line.
  return lines(result.stdout)
}

/** True when a kind cluster of that name exists. */
export async function clusterExists(cluster: string): Promise<boolean> {
  return (await listClusters()).includes(cluster)
}

/**
 * The Kubernetes node containers of a cluster, control-plane first, e.g.
 * `<n>-control-plane`. Listed the way kind lists them (kind
 * pkg/cluster/internal/providers/docker/provider.go, ListNodes: `docker ps
 * -a` filtered by the cluster label), with the role label beside each name,
 * so the external load balancer of a multi-control-plane cluster, which
 * `kind get nodes` lists too, is left out.
 */
export async function nodeNames(cluster: string): Promise<string[]> {
  const result = await run('docker', [
    'ps',
    '-a',
    '--filter',
    `label=${KIND_LABELS.cluster}=${cluster}`,
    '--format',
    `{{.Names}}\t{{.Label "${KIND_LABELS.role}"}}`
  ])
  const nodes = kubernetesNodes(
    lines(result.stdout).map((line) => {
      const [name, role = ''] = line.split('\t')
      return { name, role }
    })
  )
  if (result.exitCode !== 0 || nodes.length === 0) {
    throw new ClusterError(
      `kind cluster ${cluster} has no nodes (docker ps -a --filter label=${KIND_LABELS.cluster}=${cluster}: ${firstLine(result) || 'no output'})`,
      output(result)
    )
  }
  return nodes
}

/** What createCluster needs. */
export interface CreateClusterRequest {
  name: string
  /** The kind config (renderKindConfig().text). */
  configText: string
  /** RUNNER_TEMP: the config and the exported logs go there. */
  runnerTemp: string
  /** The extraMounts' host dirs; created when missing (kind needs them to exist). */
  hostDirs: string[]
  /** renderKindConfig().imageFlag */
  image?: string
  /** kind's --wait for the control plane; default 120s. */
  wait?: string
}

/** A failed `kind create cluster` attempt. */
export interface CreateFailure {
  exitCode: number
  /** What kind printed (stderr then stdout). */
  output: string
  /** Where `kind export logs` put the node logs ('' when the export failed). */
  logsDir: string
}

/**
 * What kind prints when `--wait` ran out: it waits only for the
 * control-plane nodes to be Ready, and on a time-out prints this warning and
 * still exits 0 (kubernetes-sigs/kind
 * pkg/cluster/internal/create/actions/waitforready/waitforready.go, Execute).
 */
const KIND_WAIT_TIMED_OUT = /Timed out waiting for Ready/

/** The outcome of createCluster. */
export interface CreateClusterResult {
  configPath: string
  attempts: 1 | 2
  seconds: number
  /**
   * kind's `--wait` saw every control-plane node Ready (it waits for no
   * worker): a cluster with no worker needs no second wait.
   */
  controlPlaneReady: boolean
  /** The first attempt's failure, when the retry was needed. */
  firstFailure?: CreateFailure
}

/** Both attempts failed; the first failure's log is kept next to the second's. */
export class ClusterCreateError extends ClusterError {
  constructor(
    readonly cluster: string,
    readonly failures: [CreateFailure, CreateFailure]
  ) {
    const [first, second] = failures
    super(
      `kind create cluster ${cluster} failed twice (exit ${first.exitCode}, then ${second.exitCode}). ` +
        `First attempt: ${lastLines(first.output, 5)}. Second attempt: ${lastLines(second.output, 5)}. ` +
        `Node logs: ${[first.logsDir, second.logsDir].filter((d) => d !== '').join(', ') || 'not exported'}. ` +
        `Check the node-image and kind-config inputs, and that Docker has enough disk and memory`,
      `--- attempt 1 ---\n${first.output}\n--- attempt 2 ---\n${second.output}`
    )
    this.name = 'ClusterCreateError'
  }
}

/**
 * Creates the cluster with the generated config, retrying once. The caller
 * has checked that no cluster of that name exists: the retry deletes the
 * failed attempt's cluster, which must be this run's.
 * `--retain` keeps a failed attempt's nodes so `kind export logs`
 * has something to export; the failed cluster is then deleted.
 * @throws ClusterCreateError when both attempts fail.
 */
export async function createCluster(
  request: CreateClusterRequest
): Promise<CreateClusterResult> {
  const started = Date.now()
  for (const dir of request.hostDirs) await mkdir(dir, { recursive: true })
  const configPath = path.join(
    request.runnerTemp,
    `skaffold-kaniko-cache-kind-${request.name}.yaml`
  )
  await writeFile(configPath, request.configText, { mode: 0o600 })
  const args = [
    'create',
    'cluster',
    '--name',
    request.name,
    '--config',
    configPath,
    '--wait',
    request.wait ?? '120s',
    ...(request.image === undefined ? [] : ['--image', request.image]),
    '--retain'
  ]

  const failures: CreateFailure[] = []
  for (let attempt = 1; attempt <= 2; attempt++) {
    const result = await run('kind', args, { log: true })
    if (result.exitCode === 0) {
      return {
        configPath,
        attempts: attempt as 1 | 2,
        seconds: elapsed(started),
        controlPlaneReady: !KIND_WAIT_TIMED_OUT.test(output(result)),
        ...(failures[0] === undefined ? {} : { firstFailure: failures[0] })
      }
    }
    const logsDir = path.join(
      request.runnerTemp,
      `kind-logs-${request.name}-attempt${attempt}`
    )
    const exported = await run('kind', [
      'export',
      'logs',
      '--name',
      request.name,
      '--',
      logsDir
    ])
    failures.push({
      exitCode: result.exitCode,
      output: output(result),
      logsDir: exported.exitCode === 0 ? logsDir : ''
    })
    await tryRun('kind', ['delete', 'cluster', '--name', request.name])
    if (attempt === 1) {
      core.warning(
        `kind create cluster ${request.name} failed (exit ${result.exitCode}); retrying once. ${lastLines(output(result), 3)}`
      )
    }
  }
  throw new ClusterCreateError(request.name, [failures[0], failures[1]])
}

/**
 * Waits until every node reports Ready.
 * @throws ClusterError with kubectl's output.
 */
export async function waitForNodes(
  cluster: string,
  timeout = '120s'
): Promise<{ seconds: number }> {
  const started = Date.now()
  const result = await run(
    'kubectl',
    [
      '--context',
      kubeContext(cluster),
      'wait',
      '--for=condition=Ready',
      '--all',
      `--timeout=${timeout}`,
      '--',
      'nodes'
    ],
    { log: true }
  )
  if (result.exitCode !== 0) {
    throw new ClusterError(
      `The nodes of kind cluster ${cluster} did not become Ready within ${timeout}: ${firstLine(result)}`,
      output(result)
    )
  }
  return { seconds: elapsed(started) }
}

/**
 * For create-cluster: false: checks the cluster exists.
 * @throws ClusterError naming the clusters found and the fix.
 */
export async function requireCluster(cluster: string): Promise<void> {
  const clusters = await listClusters()
  if (!clusters.includes(cluster)) {
    throw new ClusterError(
      `Input 'create-cluster' is false, but there is no kind cluster named ${cluster} (found: ${clusters.length === 0 ? 'none' : clusters.join(', ')}). Set cluster-name to an existing cluster, or set create-cluster: true`
    )
  }
}

/**
 * Applies the cluster objects (kind/objects.ts) in one `kubectl apply -f -`.
 * `apply` creates what is missing and leaves what matches alone, so nothing
 * is looked up first, and it creates the objects in the order of the stream,
 * so a Namespace comes before what lives in it (kubernetes/kubectl
 * pkg/cmd/apply/apply.go, Run: one pass over the objects read in order).
 * Names travel in the manifest on stdin, never as arguments kubectl parses.
 * @throws ClusterError with kubectl's output.
 */
export async function applyObjects(
  cluster: string,
  manifest: string
): Promise<{ lines: string[] }> {
  const context = kubeContext(cluster)
  const result = await run(
    'kubectl',
    ['--context', context, 'apply', '-f', '-'],
    {
      input: manifest
    }
  )
  if (result.exitCode !== 0) {
    throw new ClusterError(
      `kubectl apply in ${context} failed (exit ${result.exitCode}): ${firstLine(result)}`,
      output(result)
    )
  }
  return { lines: lines(result.stdout) }
}

/** The outcome of a clean-up: what went, and what could not (never fatal). */
export interface CleanupResult {
  clusterDeleted: boolean
  containersRemoved: string[]
  warnings: string[]
}

/**
 * Post step: deletes the cluster and removes the service containers this
 * run started. Never throws; failures become warnings.
 */
export async function cleanupCluster(request: {
  cluster?: string
  containers: string[]
  /** The run label value: only containers that carry it are removed. */
  run: string
}): Promise<CleanupResult> {
  const warnings: string[] = []
  let clusterDeleted = false
  if (request.cluster !== undefined && request.cluster !== '') {
    const result = await run(
      'kind',
      ['delete', 'cluster', '--name', request.cluster],
      { log: true }
    )
    clusterDeleted = result.exitCode === 0
    if (!clusterDeleted) {
      warnings.push(
        `kind delete cluster --name ${request.cluster} failed (exit ${result.exitCode}): ${firstLine(result)}`
      )
    }
  }
  const removed = await removeRunContainers(request.containers, request.run)
  warnings.push(...removed.warnings)
  return {
    clusterDeleted,
    containersRemoved: removed.removed,
    warnings
  }
}

/**
 * Post step: deletes one secret, a missing one being no error (kubectl
 * pkg/cmd/delete/delete.go, --ignore-not-found). Never throws: returns the
 * command line, for a warning, and kubectl's first line when it failed.
 */
export async function deleteSecret(request: {
  /** '' = kubectl's current context. */
  context: string
  /** '' = the context's namespace. */
  namespace: string
  name: string
}): Promise<{ command: string; error?: string }> {
  const args = [
    ...(request.context ? ['--context', request.context] : []),
    'delete',
    'secret',
    ...(request.namespace ? ['--namespace', request.namespace] : []),
    '--ignore-not-found',
    '--',
    request.name
  ]
  const result = await run('kubectl', args, { log: true })
  const command = `kubectl ${args.join(' ')}`
  return result.exitCode === 0
    ? { command }
    : { command, error: `exit ${result.exitCode}: ${firstLine(result)}` }
}

/** The kube context kubectl uses when none is named; '' when none is set. */
export async function currentKubeContext(): Promise<string> {
  const result = await run('kubectl', ['config', 'current-context'])
  return result.exitCode === 0
    ? (result.stdout.trim().split('\n')[0] ?? '')
    : ''
}
