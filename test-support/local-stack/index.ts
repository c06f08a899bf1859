/**
 * The whole local stack (docs/design.md#the-local-stack), put together for the end-to-end
 * tests, the demo and the headline benchmark:
 *
 * - the real bundled action (dist/) run by the runner harness as a runner would;
 * - the real @actions/cache client against the local cache service (real
 *   protocol, real tar + zstd archives);
 * - kind and skaffold installed by the action's own tool-cache code from the
 *   download server (the served binaries are the cluster double's executables);
 * - docker and kubectl doubles on PATH, one double "docker daemon" per runner
 *   machine, so files written into the caches are owned by the daemon's user;
 * - the module proxy standing in for proxy.golang.org and Athens;
 * - real Go builds of the example services;
 * - real registries (Debian's docker-registry): the local `registry:2`
 *   container the action starts gets a plain-HTTP one from the daemon, and
 *   an "external" registry with TLS (a CA made per run) and htpasswd auth
 *   stands for EXTERNAL_REGISTRY_HOST; the double's kaniko pushes real images.
 *
 * Simulated: kind, docker, kubectl, skaffold and kaniko (the double checks
 * every link of the data path, runs the Dockerfile's Go stage on the host and
 * pushes the final stage's files as a one-layer image).
 */
import { spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import {
  chmod,
  chown,
  cp,
  mkdir,
  mkdtemp,
  readFile,
  rm,
  writeFile
} from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  doubleExecutableText,
  spawnDockerDaemon,
  writeDoubleExecutables,
  type DockerDaemon,
  type ToolName
} from '../cluster-double/index.js'
import {
  startCacheService,
  type CacheService
} from '../cache-service/server.js'
import {
  startDownloadServer,
  type DownloadServer,
  type ServedFile
} from '../download-server/index.js'
import {
  debianModuleSources,
  startModuleProxy,
  useLocalGoSums,
  type ModuleProxy
} from '../module-proxy/index.js'
import {
  dockerLoginConfig,
  registryUnavailable,
  startRegistry,
  type RunningRegistry
} from '../registry/index.js'
import {
  REPO_ROOT,
  makeReachable,
  runAction,
  runnerUser,
  type ActionRun,
  type EventPreset,
  type CustomEvent
} from '../runner-harness/index.js'

/**
 * The double is served under versions of its own: the real kind v0.32.0 and
 * skaffold v2.24.0 are pinned to their real checksums, which the double's
 * bytes do not match (the action would rightly refuse them). Unpinned
 * versions make the action check the same-origin checksum file instead.
 */
export const DOUBLE_VERSIONS = {
  kind: 'v0.32.0-double',
  skaffold: 'v2.24.0-double'
} as const

/** The host name the kaniko pod uses for the external registry. */
export const EXTERNAL_REGISTRY_HOST = 'private-registry.example.test'

/** The external registry: TLS, basic auth with one user. */
export interface ExternalRegistry {
  /** EXTERNAL_REGISTRY_HOST (what `default-repo` names). */
  host: string
  username: string
  password: string
  registry: RunningRegistry
  /**
   * A docker config as `docker login` writes it (`auths.<host>.auth`),
   * with the given password (default: the right one).
   */
  dockerConfig(password?: string): string
}

export interface LocalStack {
  root: string
  cacheService: CacheService
  downloadServer: DownloadServer
  moduleProxy: ModuleProxy
  /** docker and kubectl doubles (kind and skaffold come through the download server). */
  binDir: string
  /** All four doubles, for setup before the action (see ExampleRunOptions.beforeAction); never on the action's PATH. */
  setupBinDir: string
  /** The inputs every run gets: where to download the tools from. */
  baseInputs: Record<string, string>
  /** The external registry (EXTERNAL_REGISTRY_HOST). */
  externalRegistry: ExternalRegistry
  stop(): Promise<void>
}

export interface StackOptions {
  /** Where everything lives; a fresh temp dir when omitted. */
  root?: string
}

/** Starts the servers. Throws one clear line when Go or Debian's module sources are missing. */
export async function startLocalStack(
  options: StackOptions = {}
): Promise<LocalStack> {
  const root =
    options.root ?? (await mkdtemp(join(tmpdir(), 'skc-local-stack-')))
  await mkdir(root, { recursive: true })
  const modules = debianModuleSources()
  // Before any server starts, so a missing package leaves nothing running.
  const missing = registryUnavailable()
  if (missing !== undefined)
    throw new Error(`the local stack runs real registries: ${missing}`)
  const started: Stoppable[] = []
  const stop = async (): Promise<void> => {
    await Promise.allSettled(started.map((server) => server.stop()))
  }
  const track: Track = async (server) => {
    const running = await server
    started.push(running)
    return running
  }
  try {
    return { ...(await startServers(root, modules, track)), stop }
  } catch (error) {
    await stop()
    throw error
  }
}

interface Stoppable {
  stop(): Promise<void>
}
/** Starts a server and records it, so that a failure later stops it. */
type Track = <T extends Stoppable>(server: Promise<T>) => Promise<T>

async function startServers(
  root: string,
  modules: ReturnType<typeof debianModuleSources>,
  start: Track
): Promise<Omit<LocalStack, 'stop'>> {
  const moduleProxy = await start(startModuleProxy({ modules }))
  const cacheService = await start(
    startCacheService({ dir: join(root, 'cache-service') })
  )
  const arch = process.arch === 'arm64' ? 'arm64' : 'amd64'
  const served: ServedFile[] = [
    {
      tool: 'kind',
      version: DOUBLE_VERSIONS.kind,
      os: 'linux',
      arch,
      content: doubleExecutableText('kind')
    },
    {
      tool: 'skaffold',
      version: DOUBLE_VERSIONS.skaffold,
      os: 'linux',
      arch,
      content: doubleExecutableText('skaffold')
    }
  ]
  const downloadServer = await start(startDownloadServer({ files: served }))
  const externalRegistry = await startExternalRegistry(root, start)
  const binDir = join(root, 'bin')
  await mkdir(binDir, { recursive: true })
  writeDoubleExecutables(binDir)
  // kind and skaffold must come through the action's installer, not PATH.
  await rm(join(binDir, 'kind'), { force: true })
  await rm(join(binDir, 'skaffold'), { force: true })
  const setupBinDir = join(root, 'setup-bin')
  await mkdir(setupBinDir, { recursive: true })
  writeDoubleExecutables(setupBinDir)

  return {
    root,
    cacheService,
    downloadServer,
    moduleProxy,
    binDir,
    setupBinDir,
    externalRegistry,
    baseInputs: {
      'kind-version': DOUBLE_VERSIONS.kind,
      'skaffold-version': DOUBLE_VERSIONS.skaffold,
      'kind-download-url': downloadServer.baseUrls.kind,
      'skaffold-download-url': downloadServer.baseUrls.skaffold
    }
  }
}

/** Starts the external registry (its packages checked by the caller). */
async function startExternalRegistry(
  root: string,
  start: Track
): Promise<ExternalRegistry> {
  const username = 'ci-bot'
  const password = randomBytes(12).toString('hex')
  const registry = await start(
    startRegistry({
      dir: join(root, 'external-registry'),
      tlsHostname: EXTERNAL_REGISTRY_HOST,
      users: { [username]: password }
    })
  )
  return {
    host: EXTERNAL_REGISTRY_HOST,
    username,
    password,
    registry,
    dockerConfig: (pass = password) =>
      dockerLoginConfig(EXTERNAL_REGISTRY_HOST, username, pass)
  }
}

export interface ExampleRunOptions {
  /** A service under examples/ (feed-agg, shortener). */
  example: string
  /** The runner machine: a fresh dir is a fresh machine. */
  machine: string
  /** The checkout (see checkoutExamples); a fresh one when omitted. */
  workspace?: string
  event?: EventPreset | CustomEvent
  runId?: number
  inputs?: Record<string, string>
  /** Extra env for both steps (e.g. a cache service URL that is down). */
  env?: Record<string, string>
  /** Leave out the cache service env (the runner has no cache service). */
  noCacheService?: boolean
  /** Where action.yml and dist/ live; this repository when omitted. */
  actionDir?: string
  /**
   * Setup on the same machine and docker daemon before the action runs (an
   * earlier step of the job: a cluster the user created, a claim, ...).
   */
  beforeAction?: (setup: MachineSetup) => Promise<void>
  /**
   * A later step of the job on the same machine, after main and before post:
   * it gets main's outputs (kube-context, build-artifacts, ...).
   */
  afterMain?: (
    setup: MachineSetup,
    outputs: Record<string, string>
  ) => Promise<void>
}

/** What a beforeAction hook gets: the machine and its docker daemon. */
export interface MachineSetup {
  machine: string
  workspace: string
  /** DOCKER_HOST and CLUSTER_DOUBLE_HOME of the machine's daemon. */
  env: Record<string, string>
  /**
   * Runs one double command (the real tools' forms) against the machine's
   * daemon, stdin given as text. Resolves with its stdout; rejects with the
   * command line, exit code and stderr when it exits non-zero.
   */
  run(
    tool: ToolName,
    args: string[],
    options?: { stdin?: string; cwd?: string }
  ): Promise<string>
}

/**
 * A fresh checkout of the repository's examples/ on a runner machine (what
 * actions/checkout would give). The workspace sits at the same place relative
 * to HOME on every machine, as on GitHub's runners (/home/runner and
 * /home/runner/work/<repo>/<repo>): @actions/cache stores archive paths
 * relative to GITHUB_WORKSPACE (../../.cache/...), so a different layout
 * would restore into another directory.
 */
export async function checkoutExamples(machine: string): Promise<string> {
  const workspace = join(machine, 'work', 'repo', 'repo')
  await rm(workspace, { recursive: true, force: true })
  await cp(join(REPO_ROOT, 'examples'), join(workspace, 'examples'), {
    recursive: true
  })
  // The examples' go.sum holds upstream's hashes; the local module proxy
  // serves zips of Debian's trees, so the checkout gets a test-only go.sum.
  await useLocalGoSums(join(workspace, 'examples'), debianModuleSources())
  return workspace
}

/** One job on one runner machine: the bundled action for one example. */
export async function runExample(
  stack: LocalStack,
  options: ExampleRunOptions
): Promise<ActionRun> {
  await mkdir(options.machine, { recursive: true })
  const workspace =
    options.workspace ?? (await checkoutExamples(options.machine))
  // One docker daemon per runner machine, as on a real runner. Unix socket
  // paths are limited to 108 bytes, so the socket lives in a short dir.
  const socketDir = await mkdtemp(join(tmpdir(), 'skc-'))
  const daemon: DockerDaemon = await spawnDockerDaemon({
    home: join(options.machine, 'docker'),
    socketPath: join(socketDir, 'd.sock'),
    moduleProxyUrl: stack.moduleProxy.url,
    registries: {
      [stack.externalRegistry.host]: stack.externalRegistry.registry.endpoint
    }
  })
  const hostsFile = join(options.machine, 'hosts')
  await writeFile(hostsFile, '127.0.0.1 localhost\n').catch(() => undefined)
  const user = runnerUser()
  if (user) {
    // docker.sock on a hosted runner is root:docker 0660 and the runner user
    // is in the docker group (actions/runner images/Dockerfile); the group
    // here is the runner user's own.
    await makeReachable(daemon.socketPath)
    await chown(daemon.socketPath, 0, user.gid)
    await chmod(daemon.socketPath, 0o660)
    // The action's hosts-file hook stands in for /etc/hosts, which the
    // action edits through sudo on a hosted runner: the runner may write it.
    await chown(hostsFile, user.uid, user.gid).catch(() => undefined)
  }
  const setup: MachineSetup = {
    machine: options.machine,
    workspace,
    env: { ...daemon.env },
    run: (tool, args, runOptions) =>
      runSetupCommand(join(stack.setupBinDir, tool), args, {
        env: daemon.env,
        cwd: runOptions?.cwd ?? workspace,
        stdin: runOptions?.stdin
      })
  }
  const afterMain = options.afterMain
  try {
    await options.beforeAction?.(setup)
    return await runAction({
      actionDir: options.actionDir,
      workspace,
      machineDir: options.machine,
      event: options.event ?? 'push-default-branch',
      runId: options.runId,
      inputs: {
        ...stack.baseInputs,
        'working-directory': `examples/${options.example}`,
        ...options.inputs
      },
      env: {
        ...(options.noCacheService ? {} : stack.cacheService.env),
        ...daemon.env,
        SKAFFOLD_KANIKO_CACHE_HOSTS_FILE: hostsFile,
        ...options.env
      },
      pathPrepend: [stack.binDir],
      ...(afterMain
        ? { afterMain: (main) => afterMain(setup, main.outputs) }
        : {})
    })
  } finally {
    await daemon.stop()
    await rm(socketDir, { recursive: true, force: true })
  }
}

function runSetupCommand(
  executable: string,
  args: string[],
  options: { env: Record<string, string>; cwd: string; stdin?: string }
): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(executable, args, {
      cwd: options.cwd,
      env: { ...process.env, ...options.env },
      stdio: ['pipe', 'pipe', 'pipe']
    })
    const out: Buffer[] = []
    const err: Buffer[] = []
    child.stdout.on('data', (c: Buffer) => out.push(c))
    child.stderr.on('data', (c: Buffer) => err.push(c))
    child.on('error', reject)
    child.on('close', (code) => {
      const stdout = Buffer.concat(out).toString()
      if (code === 0) resolve(stdout)
      else
        reject(
          new Error(
            `setup command failed (exit ${code}): ${executable} ${args.join(' ')}\n${Buffer.concat(err).toString()}`
          )
        )
    })
    child.stdin.end(options.stdin ?? '')
  })
}

/** The double daemon's state of a machine (clusters, containers), for leftovers checks. */
export async function machineDockerState(machine: string): Promise<string> {
  return readFile(join(machine, 'docker', 'state.json'), 'utf8').catch(() => '')
}

/** Plain text of a job summary (tags dropped, entities decoded), for logs. */
export function summaryText(html: string): string {
  return html
    .replace(/<\/(p|h2|h3|tr|li|table)>/g, '\n')
    .replace(/<(td|th)>/g, ' | ')
    .replace(/<br>/g, '; ')
    .replace(/<[^>]+>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/\n{2,}/g, '\n')
    .trim()
}
