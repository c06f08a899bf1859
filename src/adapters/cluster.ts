/**
 * The kind cluster: create (one retry, the first failure's log kept), wait
 * for the nodes, reuse an existing cluster (caches copied in and out with
 * `docker cp`), the namespace, and the clean-up. The local registry is in
 * registry.ts, the Athens module proxy in athens.ts.
 *
 * Every command runs through @actions/exec as an argument array, in exactly
 * the forms of the command contract the cluster double implements
 * (/work/main/.tmp/commands.md; numbers below refer to it).
 */

import * as core from '@actions/core'
import * as exec from '@actions/exec'
import { mkdir, writeFile } from 'node:fs/promises'
import path from 'node:path'

/** The outcome of one command. */
export interface CommandResult {
  exitCode: number
  stdout: string
  stderr: string
}

/** A cluster step failed; the message says which command and what it printed. */
export class ClusterError extends Error {
  constructor(
    message: string,
    /** The command output that explains the failure. */
    readonly log = ''
  ) {
    super(message)
    this.name = 'ClusterError'
  }
}

/** The kubectl context kind creates for a cluster. */
export function kubeContext(cluster: string): string {
  return `kind-${cluster}`
}

/**
 * Checks that the docker daemon answers (command 7).
 * @throws ClusterError with docker's message and the fix.
 */
export async function checkDocker(): Promise<{ serverVersion: string }> {
  const result = await run(
    'docker',
    ['info', '--format', '{{.ServerVersion}}'],
    {
      silent: true
    }
  )
  if (result.exitCode !== 0) {
    throw new ClusterError(
      `Docker is not reachable (docker info exited ${result.exitCode}): ${firstLine(result).replace(/\.+$/, '')}. kind needs a running Docker daemon: use a Linux runner with Docker, or start the daemon`,
      output(result)
    )
  }
  return { serverVersion: result.stdout.trim() }
}

/** The kind clusters that exist (command 3); [] when there are none. */
export async function listClusters(): Promise<string[]> {
  const result = await run('kind', ['get', 'clusters'], { silent: true })
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

/** The node containers of a cluster (command 4), e.g. `<n>-control-plane`. */
export async function nodeNames(cluster: string): Promise<string[]> {
  const result = await run('kind', ['get', 'nodes', '--name', cluster], {
    silent: true
  })
  const nodes = lines(result.stdout)
  if (result.exitCode !== 0 || nodes.length === 0) {
    throw new ClusterError(
      `kind cluster ${cluster} has no nodes (kind get nodes --name ${cluster}: ${firstLine(result) || 'no output'})`,
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

/** The outcome of createCluster. */
export interface CreateClusterResult {
  configPath: string
  attempts: 1 | 2
  seconds: number
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
 * Creates the cluster with the generated config (command 2), retrying once,
 * after checking no cluster of that name exists (command 3).
 * `--retain` keeps a failed attempt's nodes so `kind export logs` (command 6)
 * has something to export; the failed cluster is then deleted (command 5).
 * @throws ClusterCreateError when both attempts fail.
 */
export async function createCluster(
  request: CreateClusterRequest
): Promise<CreateClusterResult> {
  const started = Date.now()
  // A leftover cluster of that name (a self-hosted runner whose post step did
  // not run) would make kind fail, and the retry would then delete it: refuse
  // instead, since it may be someone's cluster.
  if ((await listClusters()).includes(request.name)) {
    throw new ClusterError(
      `A kind cluster named ${request.name} already exists. Set create-cluster: false to build on it, choose another cluster-name, or delete it first (kind delete cluster --name ${request.name})`
    )
  }
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
    const result = await run('kind', args)
    if (result.exitCode === 0) {
      return {
        configPath,
        attempts: attempt as 1 | 2,
        seconds: elapsed(started),
        ...(failures[0] === undefined ? {} : { firstFailure: failures[0] })
      }
    }
    const logsDir = path.join(
      request.runnerTemp,
      `kind-logs-${request.name}-attempt${attempt}`
    )
    const exported = await run(
      'kind',
      ['export', 'logs', logsDir, '--name', request.name],
      { silent: true }
    )
    failures.push({
      exitCode: result.exitCode,
      output: output(result),
      logsDir: exported.exitCode === 0 ? logsDir : ''
    })
    await run('kind', ['delete', 'cluster', '--name', request.name], {
      silent: true
    })
    if (attempt === 1) {
      core.warning(
        `kind create cluster ${request.name} failed (exit ${result.exitCode}); retrying once. ${lastLines(output(result), 3)}`
      )
    }
  }
  throw new ClusterCreateError(request.name, [failures[0], failures[1]])
}

/**
 * Waits until every node reports Ready (command 17).
 * @throws ClusterError with kubectl's output.
 */
export async function waitForNodes(
  cluster: string,
  timeout = '120s'
): Promise<{ seconds: number }> {
  const started = Date.now()
  const result = await run('kubectl', [
    '--context',
    kubeContext(cluster),
    'wait',
    '--for=condition=Ready',
    'nodes',
    '--all',
    `--timeout=${timeout}`
  ])
  if (result.exitCode !== 0) {
    throw new ClusterError(
      `The nodes of kind cluster ${cluster} did not become Ready within ${timeout}: ${firstLine(result)}`,
      output(result)
    )
  }
  return { seconds: elapsed(started) }
}

/**
 * For create-cluster: false: checks the cluster exists (command 3).
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

/** One cache dir on the runner and where it lives in the node. */
export interface NodeCopy {
  runnerDir: string
  nodePath: string
}

/**
 * Reuse mode: the node has no mounts for the caches, so their content is
 * copied in (commands 9 and 11). `<dir>/.` copies the dir's content into the
 * node path rather than the dir itself (docker cp semantics).
 */
export async function copyCachesIntoNode(
  node: string,
  dirs: NodeCopy[]
): Promise<{ seconds: number }> {
  const started = Date.now()
  for (const dir of dirs) {
    await mkdir(dir.runnerDir, { recursive: true })
    await must('docker', ['exec', node, 'mkdir', '-p', dir.nodePath])
    await must('docker', [
      'cp',
      `${dir.runnerDir}/.`,
      `${node}:${dir.nodePath}`
    ])
  }
  return { seconds: elapsed(started) }
}

/** Reuse mode: copies the caches back out of the node (command 11). */
export async function copyCachesFromNode(
  node: string,
  dirs: NodeCopy[]
): Promise<{ seconds: number }> {
  const started = Date.now()
  for (const dir of dirs) {
    await mkdir(dir.runnerDir, { recursive: true })
    await must('docker', ['cp', `${node}:${dir.nodePath}/.`, dir.runnerDir])
  }
  return { seconds: elapsed(started) }
}

/** Creates the namespace when it is missing (commands 18 and 19). */
export async function ensureNamespace(
  cluster: string,
  namespace: string
): Promise<{ created: boolean }> {
  const context = kubeContext(cluster)
  const found = await run(
    'kubectl',
    ['--context', context, 'get', 'namespace', namespace],
    { silent: true }
  )
  if (found.exitCode === 0) return { created: false }
  if (!/NotFound|not found/.test(found.stderr)) {
    throw new ClusterError(
      `Cannot look up namespace ${namespace} in ${context}: ${firstLine(found)}`,
      output(found)
    )
  }
  await must('kubectl', [
    '--context',
    context,
    'create',
    'namespace',
    namespace
  ])
  return { created: true }
}

/** The outcome of a clean-up: what went, and what could not (never fatal). */
export interface CleanupResult {
  clusterDeleted: boolean
  containersRemoved: string[]
  warnings: string[]
  seconds: number
}

/**
 * Post step: deletes the cluster (command 5) and removes the registry and
 * Athens containers (command 15). Never throws; failures become warnings.
 */
export async function cleanupCluster(request: {
  cluster?: string
  containers: string[]
}): Promise<CleanupResult> {
  const started = Date.now()
  const warnings: string[] = []
  let clusterDeleted = false
  if (request.cluster !== undefined && request.cluster !== '') {
    const result = await run('kind', [
      'delete',
      'cluster',
      '--name',
      request.cluster
    ])
    clusterDeleted = result.exitCode === 0
    if (!clusterDeleted) {
      warnings.push(
        `kind delete cluster --name ${request.cluster} failed (exit ${result.exitCode}): ${firstLine(result)}`
      )
    }
  }
  let containersRemoved: string[] = []
  if (request.containers.length > 0) {
    const result = await run('docker', ['rm', '-f', ...request.containers], {
      silent: true
    })
    // docker rm -f removes what exists and names the rest "No such container".
    const missing = request.containers.filter((name) =>
      new RegExp(`No such container: ${escape(name)}$`, 'm').test(result.stderr)
    )
    const otherErrors = lines(result.stderr).filter(
      (line) => !/No such container/.test(line)
    )
    if (result.exitCode !== 0 && otherErrors.length > 0) {
      warnings.push(
        `docker rm -f ${request.containers.join(' ')} failed (exit ${result.exitCode}): ${otherErrors[0]}`
      )
    } else {
      containersRemoved = request.containers.filter((n) => !missing.includes(n))
    }
  }
  return {
    clusterDeleted,
    containersRemoved,
    warnings,
    seconds: elapsed(started)
  }
}

/** running / stopped / missing, from `docker inspect` (command 14). */
export async function containerState(
  name: string
): Promise<'running' | 'stopped' | 'missing'> {
  const result = await run(
    'docker',
    ['inspect', '-f', '{{.State.Running}}', name],
    { silent: true }
  )
  if (result.exitCode !== 0) {
    if (/No such object/i.test(output(result))) return 'missing'
    throw new ClusterError(
      `docker inspect ${name} failed (exit ${result.exitCode}): ${firstLine(result)}`,
      output(result)
    )
  }
  return result.stdout.trim() === 'true' ? 'running' : 'stopped'
}

interface RunOptions {
  input?: string
  silent?: boolean
  /** Extra environment for the child (values that must stay out of argv). */
  env?: Record<string, string>
}

/** Runs a command; a missing executable is exit code 127 with the reason in stderr. */
export async function run(
  command: string,
  args: string[],
  options: RunOptions = {}
): Promise<CommandResult> {
  try {
    return await exec.getExecOutput(command, args, {
      ignoreReturnCode: true,
      silent: options.silent ?? false,
      env: { ...currentEnv(), ...options.env },
      ...(options.input === undefined
        ? {}
        : { input: Buffer.from(options.input) })
    })
  } catch (error) {
    return {
      exitCode: 127,
      stdout: '',
      stderr: error instanceof Error ? error.message : String(error)
    }
  }
}

/** Runs a command that must succeed. */
export async function must(
  command: string,
  args: string[],
  input?: string,
  secret = false,
  env?: Record<string, string>
): Promise<CommandResult> {
  const result = await run(command, args, {
    silent: secret,
    env,
    ...(input === undefined ? {} : { input })
  })
  if (result.exitCode !== 0) {
    // A secret-bearing command line is not repeated in the message.
    const shown = secret
      ? `${command} ${args[0]}`
      : `${command} ${args.join(' ')}`
    throw new ClusterError(
      `${shown} failed (exit ${result.exitCode}): ${firstLine(result)}`,
      output(result)
    )
  }
  return result
}

/**
 * This process's environment, handed over explicitly: a child spawned without
 * `env` inherits the environment Node started with, which misses changes made
 * since in an embedding runtime (jest gives each test file its own copy of
 * process.env, so DOCKER_HOST set by a test would not reach docker).
 */
function currentEnv(): Record<string, string> {
  const env: Record<string, string> = {}
  for (const [key, value] of Object.entries(process.env)) {
    if (value !== undefined) env[key] = value
  }
  return env
}

export function output(result: CommandResult): string {
  return [result.stderr.trim(), result.stdout.trim()]
    .filter((s) => s !== '')
    .join('\n')
}

export function firstLine(result: CommandResult): string {
  return output(result).split('\n')[0] ?? ''
}

function lastLines(text: string, count: number): string {
  const all = text
    .trim()
    .split('\n')
    .filter((l) => l.trim() !== '')
  return all.slice(-count).join(' | ') || 'no output'
}

function lines(text: string): string[] {
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '')
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}

export function elapsed(started: number): number {
  return Math.round((Date.now() - started) / 10) / 100
}
