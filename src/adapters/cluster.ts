/**
 * The kind cluster and its neighbours: create (one retry, the first failure's
 * log kept), wait for the nodes, reuse an existing cluster (caches copied in
 * and out with `docker cp`), the namespace, the local registry (helm/kind-action's
 * scheme), the Athens module proxy, and the clean-up of all of it.
 *
 * Every command runs through @actions/exec as an argument array, in exactly
 * the forms of the command contract the cluster double implements
 * (/work/main/.tmp/commands.md; numbers below refer to it).
 */

import * as core from '@actions/core'
import * as exec from '@actions/exec'
import { appendFile, mkdir, readFile, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { DEFAULT_ATHENS_IMAGE, DEFAULT_REGISTRY_IMAGE } from '../images.js'

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
  /** The part copied back out ('' for all of it). */
  savedSubdir?: string
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
    // The saved part goes in even when empty, so that copying it back out
    // finds it after a build that downloaded no module.
    await mkdir(path.join(dir.runnerDir, dir.savedSubdir ?? ''), {
      recursive: true
    })
    await must('docker', ['exec', node, 'mkdir', '-p', dir.nodePath])
    await must('docker', [
      'cp',
      `${dir.runnerDir}/.`,
      `${node}:${dir.nodePath}`
    ])
  }
  return { seconds: elapsed(started) }
}

/**
 * Reuse mode: copies the saved part of each cache back out of the node
 * (commands 9 and 11). The docker CLI extracts every directory with its
 * final mode before writing into it (moby/go-archive archive.go, Unpack and
 * createTarFile), so the read-only trees Go extracts into the module cache
 * would fail with EACCES for the runner user: they are left in the node.
 */
export async function copyCachesFromNode(
  node: string,
  dirs: NodeCopy[]
): Promise<{ seconds: number }> {
  const started = Date.now()
  for (const dir of dirs) {
    const sub = dir.savedSubdir ?? ''
    const nodePath = sub === '' ? dir.nodePath : `${dir.nodePath}/${sub}`
    const runnerDir = sub === '' ? dir.runnerDir : `${dir.runnerDir}/${sub}`
    await mkdir(runnerDir, { recursive: true })
    await must('docker', ['cp', `${node}:${nodePath}/.`, runnerDir])
  }
  return { seconds: elapsed(started) }
}

/**
 * Opens the cache dirs in the node to every user (command 8's `docker exec`,
 * as root in the node): kaniko runs a stage's RUN as its USER (kaniko
 * pkg/commands/run.go), and the restored dirs belong to the runner user with
 * mode 0755, so Go as any other user could not write its caches.
 */
export async function openCacheDirsToAllUsers(
  node: string,
  nodePaths: string[]
): Promise<void> {
  await must('docker', ['exec', node, 'chmod', '-R', 'a+rwX', ...nodePaths])
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

/** What startAthens needs. */
export interface AthensRequest {
  /**
   * Its disk storage on the runner: inside the module cache dir that is
   * saved, so it is cached too (see athensStorageDir).
   */
  storageDir: string
  /** The step's GITHUB_TOKEN, when present: for Athens only, never the build. */
  githubToken?: string
  /** Default DEFAULT_ATHENS_IMAGE. */
  image?: string
  /** Default athens (the host name in GOPROXY). */
  name?: string
  /**
   * Module patterns (the go-private input) Athens must not check against
   * the public checksum database (ATHENS_GONOSUM_PATTERNS).
   */
  noSumPatterns?: string[]
}

/** The outcome of startAthens. */
export interface AthensResult {
  name: string
  /** GOPROXY for the build. */
  goproxy: string
  storageDir: string
  /** Whether a GitHub token was given to Athens. */
  token: boolean
  seconds: number
}

/** The default Athens container name. */
export const ATHENS_NAME = 'athens'

/**
 * Athens' storage dir: `.athens` inside the module cache's saved dir
 * (cache/download). Go module path elements cannot start with a dot, so it
 * never collides with a module, and it travels with the saved cache.
 */
export function athensStorageDir(modSaveDir: string): string {
  return path.join(modSaveDir, '.athens')
}

/**
 * Runs Athens on the kind network (command 12) with disk storage, so kaniko
 * pods reach it as `http://athens:3000`. A GitHub token goes to Athens only
 * (ATHENS_GITHUB_TOKEN), so private modules resolve with no credentials in
 * the image; the command is run silently and the token masked.
 * @throws ClusterError when the container does not start or stay up.
 */
export async function startAthens(
  request: AthensRequest
): Promise<AthensResult> {
  const started = Date.now()
  const name = request.name ?? ATHENS_NAME
  await mkdir(request.storageDir, { recursive: true })
  if ((await containerState(name)) !== 'missing') {
    await must('docker', ['rm', '-f', name])
  }
  const token = request.githubToken !== undefined && request.githubToken !== ''
  if (token) core.setSecret(request.githubToken as string)
  await must(
    'docker',
    [
      'run',
      '-d',
      '--restart=always',
      '--name',
      name,
      '--network',
      'kind',
      '-e',
      'ATHENS_STORAGE_TYPE=disk',
      '-e',
      'ATHENS_DISK_STORAGE_ROOT=/var/lib/athens',
      // The name only: docker reads the value from its own environment, so
      // the token never shows in a process list (ps) or in the log.
      ...(token ? ['-e', 'ATHENS_GITHUB_TOKEN'] : []),
      ...(request.noSumPatterns !== undefined &&
      request.noSumPatterns.length > 0
        ? ['-e', `ATHENS_GONOSUM_PATTERNS=${request.noSumPatterns.join(',')}`]
        : []),
      '-v',
      `${request.storageDir}:/var/lib/athens`,
      request.image ?? DEFAULT_ATHENS_IMAGE
    ],
    undefined,
    true,
    token ? { ATHENS_GITHUB_TOKEN: request.githubToken as string } : undefined
  )
  if ((await containerState(name)) !== 'running') {
    throw new ClusterError(
      `The Athens container ${name} is not running after docker run; see docker logs ${name}. Set athens: false to build without it`
    )
  }
  return {
    name,
    goproxy: `http://${name}:3000`,
    storageDir: request.storageDir,
    token,
    seconds: elapsed(started)
  }
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
async function containerState(
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

interface RunOptions {
  input?: string
  silent?: boolean
  /** Extra environment for the child (values that must stay out of argv). */
  env?: Record<string, string>
}

/** Runs a command; a missing executable is exit code 127 with the reason in stderr. */
async function run(
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
async function must(
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

function output(result: CommandResult): string {
  return [result.stderr.trim(), result.stdout.trim()]
    .filter((s) => s !== '')
    .join('\n')
}

function firstLine(result: CommandResult): string {
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

function elapsed(started: number): number {
  return Math.round((Date.now() - started) / 10) / 100
}
