/**
 * The main step (docs/design.md#the-main-step): inputs, plan, tools,
 * restore (beside cluster creation), cluster, patch, Dockerfile check, build,
 * report. Every decision and every resource created goes into the state as
 * soon as it exists, so the post step can clean up whatever main got to.
 */
import * as path from 'node:path'
import {
  appendSummary,
  fail,
  group,
  log,
  maskSecret,
  readInputs,
  readRunnerEnv,
  saveMainState,
  setOutputs,
  type RunnerEnv
} from './adapters/actions.js'
import { restoreBothCaches, type RestoreResult } from './adapters/cache.js'
import {
  backdateBuildCache,
  checkRestoredCache,
  recordRestoredEntries,
  emptyCacheDir,
  readStatsFile
} from './adapters/cache-files.js'
import { athensStorageDir, startAthens } from './adapters/athens.js'
import {
  checkDocker,
  clusterExists,
  copyCachesIntoNode,
  createCluster,
  currentKubeContext,
  ensureNamespace,
  kubeContext,
  nodeNames,
  openCacheDirsToAllUsers,
  requireCluster,
  waitForNodes
} from './adapters/cluster.js'
import { passEnvironment } from './adapters/exec.js'
import { inPhase, ownTimeSoFar } from './adapters/waits.js'
import { startRegistry } from './adapters/registry.js'
import { ensureRealDir, pathKind, readTextIfExists } from './adapters/files.js'
import { hashDependencyFiles, listDependencyFiles } from './adapters/hash.js'
import { runSkaffoldBuild } from './adapters/skaffold-build.js'
import {
  checkDockerfilesFor,
  readArtifactDockerfiles,
  writeDockerfileCopies,
  readSkaffoldConfigs,
  writePatchedCopies
} from './adapters/skaffold-files.js'
import { ensureKubectl, installTool } from './adapters/tools.js'
import { buildCommandArgs } from './build-command.js'
import { deriveServiceName, makeCacheKeys } from './cache/keys.js'
import { decideSave } from './cache/policy.js'
import { InputError, parseList, type Inputs } from './inputs.js'
import { containerLabels, serviceContainerNames } from './kind/containers.js'
import {
  cacheMounts,
  renderKindConfig,
  type KindConfigResult
} from './kind/kind-config.js'
import { NODE_PATHS, cacheDirs, nodeCopies, type CacheDirs } from './cache/paths.js'
import { makeRedactor, urlSecrets } from './redact.js'
import { checkModules } from './skaffold/modules.js'
import {
  patchOptionsFromInputs,
  type PatchOptions
} from './skaffold/options.js'
import {
  patchSkaffoldConfigs,
  type ConfigFile,
  type PatchResult
} from './skaffold/patch.js'
import {
  planDockerfileCopies,
  type DockerfileCopyPlan
} from './dockerfile/patch.js'
import {
  initialState,
  type CacheState,
  type MainState,
  type Phase,
  type RestoreRecord
} from './state.js'
import { renderMainSummary } from './summary.js'
import {
  logDockerConfigDecisions,
  planRunnerLogin,
  pushTarget
} from './push-login.js'
import { localRegistrySkipped, localRegistryWanted } from './push-target.js'
import {
  DEFAULT_VERSIONS,
  planToolDownload,
  platformFromRunner,
  skaffoldFallbackBase,
  type Platform,
  type ToolDownloadRequest
} from './tools/catalog.js'

/** A failure the user can fix; its message is the whole story. */
export class UserError extends Error {
  override name = 'UserError'
}

/** Everything main works from, decided once before any effect. */
interface Context {
  inputs: Inputs
  runner: RunnerEnv
  platform: Platform
  workingDir: string
  configPath: string
  /** The root config and the local configs it requires, as read once. */
  configFiles: ConfigFile[]
  dirs: CacheDirs
  /** Secrets to keep out of every log line we write. */
  secrets: string[]
  /** GOPROXY of the Athens started for this job ('' when none). */
  athensProxy: string
  /** cluster.dockerConfig for the patch: the runner's docker login, when kaniko gets it. */
  dockerConfig?: { path: string; secretName: string }
  /** The kind config, rendered in the plan (when the action creates the cluster). */
  kindConfig?: KindConfigResult
  state: MainState
}

/** Runs the main step; never throws (failures go to core.setFailed). */
export async function runMain(): Promise<void> {
  let state: MainState | undefined
  try {
    const ctx = await plan()
    state = ctx.state
    const tools = await timed(ctx, 'tools', () => installTools(ctx))
    await prepareClusterAndCaches(ctx, tools.kind)
    const patched = await timed(ctx, 'patch', () => patch(ctx))
    await inPhase('build', () => build(ctx, tools.skaffold, patched))
  } catch (error) {
    fail(errorMessage(error))
  } finally {
    if (state) {
      state.ownTime = ownTimeSoFar()
      setOutputs({ 'own-time': state.ownTime.ownSeconds.toFixed(1) })
      saveMainState(state)
      await appendSummary(renderMainSummary(state)).catch((error: unknown) =>
        log.warning(`could not write the job summary: ${errorMessage(error)}`)
      )
    }
  }
}

/** Inputs, runner facts, paths, keys and the save decision: no effects but state. */
async function plan(): Promise<Context> {
  const inputs = readInputs()
  const runner = readRunnerEnv()
  passEnvironment(inputs.passEnv)
  const secrets = [
    ...urlSecrets(inputs.goProxy),
    ...urlSecrets(inputs.kindDownloadUrl),
    ...urlSecrets(inputs.skaffoldDownloadUrl),
    ...urlSecrets(inputs.kubectlDownloadUrl),
    runner.githubToken
  ].filter((s) => s !== '')
  for (const secret of secrets) maskSecret(secret)

  const workingDir = path.resolve(runner.workspace, inputs.workingDirectory)
  const configPath = await locateSkaffoldFile(inputs, workingDir)
  const configFiles = await readSkaffoldConfigs(configPath)
  const service = deriveServiceName({
    service: inputs.service,
    modules: inputs.modules,
    skaffoldFile: inputs.skaffoldFile,
    workingDirectory: inputs.workingDirectory,
    profiles: inputs.profiles
  })
  const state = initialState(service, inputs.cleanup)
  const dirs = cacheDirs(inputs.clusterName, runner)
  const ctx: Context = {
    inputs,
    runner,
    platform: platformFromRunner(runner.os, runner.arch),
    workingDir,
    configPath,
    configFiles,
    dirs,
    secrets,
    athensProxy: '',
    state
  }

  if (inputs.cacheVolume.kind === 'pvc') {
    state.pvcClaim = inputs.cacheVolume.claim
  } else if (inputs.cache) {
    const depsHash = await hashDependencyFiles(
      inputs.cacheDependencyPath,
      runner.workspace
    )
    if (depsHash === '') {
      const warning = `Input 'cache-dependency-path': no file matched ${inputs.cacheDependencyPath.join(', ')} in ${runner.workspace}; the module cache key uses "none" and will not follow dependency changes.`
      log.warning(warning)
      state.warnings.push(warning)
    }
    const keys = makeCacheKeys({
      prefix: inputs.cacheKeyPrefix,
      os: runner.os,
      arch: runner.arch,
      service,
      depsHash: depsHash || 'none',
      runId: runner.runId,
      runAttempt: runner.runAttempt
    })
    const decision = decideSave({
      policy: inputs.saveCache,
      eventName: runner.eventName,
      event: await readEvent(runner.eventPath),
      ref: runner.ref
    })
    if (decision.warning) {
      log.warning(decision.warning)
      state.warnings.push(decision.warning)
    }
    state.cache = {
      paths: { mod: dirs.modSavePath, build: dirs.cachePaths.build },
      runnerDirs: dirs.runnerDirs,
      saveDirs: { mod: dirs.modSaveDir, build: dirs.runnerDirs.build },
      keys: {
        mod: { primary: keys.mod.key, restoreKeys: keys.mod.restoreKeys },
        build: { primary: keys.build.key, restoreKeys: keys.build.restoreKeys }
      },
      save: { enabled: decision.save, reason: decision.reason },
      saveThreshold: inputs.saveThreshold,
      trim: inputs.trimBuildCache,
      restored: {},
      goSumFiles: (
        await listDependencyFiles(inputs.cacheDependencyPath, runner.workspace)
      ).filter((file) => /(^|\/)go(\.work)?\.sum$/.test(file)),
      deadline: {
        seconds: inputs.cacheTimeout,
        hint: `the input 'cache-timeout' sets this limit`
      }
    }
  }
  // A download URL the install would refuse (plain http:// for a version
  // without a pin) fails the step here, before anything is restored or created.
  const tools = toolRequests(ctx)
  for (const request of [tools.kind, tools.skaffold, tools.kubectl]) {
    if (request !== undefined) planToolDownload(request)
  }
  saveMainState(state)
  log.info(`service: ${service}; config: ${configPath}`)
  await checkBeforeEffects(ctx)
  return ctx
}

/**
 * Everything that can fail on the user's files or machine, checked before
 * any tool is installed, any cache restored or any cluster created.
 */
async function checkBeforeEffects(ctx: Context): Promise<void> {
  const { inputs } = ctx
  // Patch in memory once now, so a config the action cannot handle fails the
  // step here (the copies are written later, once Athens' address is known).
  const { report } = patchSkaffoldConfigs(ctx.configFiles, patchOptions(ctx))
  checkModules(inputs.modules, ctx.configFiles, report.documents)
  await planLogin(ctx, report.artifacts)
  if (inputs.cacheVolume.kind !== 'hostpath') return
  if (inputs.createCluster) {
    ctx.kindConfig = renderKindConfig({
      mounts: cacheMounts(ctx.dirs.runnerDirs),
      user: inputs.kindConfig ? await readUserKindConfig(ctx) : undefined,
      registry: localRegistryWanted(pushTarget(inputs)),
      nodeImage: inputs.nodeImage || undefined,
      clusterName: inputs.clusterName
    })
  }
  // kind runs its nodes as Docker containers, created or reused.
  await checkDocker()
}

interface InstalledTools {
  kind?: string
  skaffold: string
}

/** What to install: kind (unless a PVC cluster is used), skaffold, kubectl. */
function toolRequests(ctx: Context): {
  kind?: ToolDownloadRequest
  skaffold: ToolDownloadRequest
  kubectl: ToolDownloadRequest
} {
  const { inputs, platform } = ctx
  return {
    ...(inputs.cacheVolume.kind === 'hostpath'
      ? {
          kind: {
            tool: 'kind',
            version: inputs.kindVersion,
            platform,
            baseUrl: inputs.kindDownloadUrl
          }
        }
      : {}),
    skaffold: {
      tool: 'skaffold',
      version: inputs.skaffoldVersion,
      platform,
      baseUrl: inputs.skaffoldDownloadUrl,
      fallbackBaseUrl: skaffoldFallbackBase(inputs.skaffoldDownloadUrl)
    },
    // kubectl is installed only where missing; its default version is the
    // one checked here.
    kubectl: {
      tool: 'kubectl',
      version: inputs.kubectlVersion || DEFAULT_VERSIONS.kubectl,
      platform,
      baseUrl: inputs.kubectlDownloadUrl
    }
  }
}

/** kind (unless a PVC cluster is used), skaffold, and kubectl where missing. */
async function installTools(ctx: Context): Promise<InstalledTools> {
  const { inputs, platform, state } = ctx
  const requests = toolRequests(ctx)
  return group('Install tools', async () => {
    const kind = requests.kind ? await installTool(requests.kind) : undefined
    const skaffold = await installTool(requests.skaffold)
    const kubectl = await ensureKubectl({
      version: inputs.kubectlVersion,
      platform,
      baseUrl: inputs.kubectlDownloadUrl
    })
    for (const tool of [kind, skaffold, kubectl]) {
      if (tool && 'checksum' in tool) {
        state.tools.push({
          tool: tool.tool,
          version: tool.version,
          fromCache: tool.fromCache,
          checksum: tool.checksum
        })
        log.info(
          `${tool.tool} ${tool.version}: ${tool.fromCache ? 'from the tool cache' : 'downloaded'}, sha256 ${tool.sha256} (${tool.checksum})`
        )
      }
    }
    saveMainState(state)
    return { kind: kind?.path, skaffold: skaffold.path }
  })
}

/**
 * Restores the caches and gets the cluster ready. With a new kind cluster the
 * two run side by side: the restore empties and fills the runner dirs in
 * place, which the node sees through its bind mounts. A reused cluster has no
 * mounts, so the caches are copied into its node after the restore.
 */
async function prepareClusterAndCaches(
  ctx: Context,
  kind: string | undefined
): Promise<void> {
  const { inputs } = ctx
  if (inputs.cacheVolume.kind === 'pvc') {
    await timed(ctx, 'cluster', () => prepareExistingCluster(ctx))
    return
  }
  // Real dirs, not links a previous job left: they are mounted into the node.
  await ensureRealDir(ctx.dirs.runnerDirs.mod)
  await ensureRealDir(ctx.dirs.runnerDirs.build)
  if (inputs.createCluster) {
    await Promise.all([
      timed(ctx, 'restore', () => restore(ctx)),
      timed(ctx, 'cluster', () => prepareKindCluster(ctx, kind))
    ])
    // After the restore: Athens keeps its storage inside the module cache
    // tree, which the restore empties and fills.
    await timed(ctx, 'cluster', () => startServices(ctx))
  } else {
    await timed(ctx, 'restore', () => restore(ctx))
    await timed(ctx, 'cluster', () => reuseKindCluster(ctx))
  }
  await timed(ctx, 'cluster', () => openCachesToBuildUser(ctx))
}

/**
 * The caches are the runner user's (0755) once restored; a Go stage with a
 * non-root USER (kaniko runs RUN as that user) must be able to write them
 * too. Done as root in every node, which sees the runner dirs through its
 * mounts or holds its own copy.
 */
async function openCachesToBuildUser(ctx: Context): Promise<void> {
  for (const node of ctx.state.cluster?.nodes ?? []) {
    await openCacheDirsToAllUsers(node, [NODE_PATHS.mod, NODE_PATHS.build])
  }
}

async function restore(ctx: Context): Promise<void> {
  const cache = ctx.state.cache
  const dirs = ctx.dirs
  if (!cache) {
    // cache: false builds with empty caches, not what a previous job on this
    // machine left in the runner dirs.
    for (const dir of [dirs.runnerDirs.mod, dirs.runnerDirs.build]) {
      try {
        await emptyCacheDir(dir)
      } catch (error) {
        // Files an earlier job left that this user cannot remove (root-owned
        // on a self-hosted runner): the build still runs, and says so.
        const warning = `cache: false could not empty ${dir} (${errorMessage(error)}); the build may see what an earlier job left there`
        log.warning(warning)
        ctx.state.warnings.push(warning)
      }
    }
    return
  }
  const results = await group('Restore Go caches', () =>
    restoreBothCaches(
      {
        label: 'module cache',
        paths: [cache.paths.mod],
        dir: dirs.runnerDirs.mod,
        key: cache.keys.mod.primary,
        restoreKeys: cache.keys.mod.restoreKeys,
        deadline: cache.deadline
      },
      {
        label: 'build cache',
        paths: [cache.paths.build],
        dir: dirs.runnerDirs.build,
        key: cache.keys.build.primary,
        restoreKeys: cache.keys.build.restoreKeys,
        deadline: cache.deadline
      }
    )
  )
  // Content warnings are not service failures: they do not stop the save.
  const checks = [
    await checkRestored(results.mod, dirs.runnerDirs.mod, 'mod'),
    await checkRestored(results.build, dirs.runnerDirs.build, 'build')
  ]
  results.mod = checks[0].result
  results.build = checks[1].result
  for (const check of checks) {
    if (check.warning !== undefined) ctx.state.warnings.push(check.warning)
  }
  cache.restored = {
    mod: restoreRecord(results.mod),
    build: restoreRecord(results.build)
  }
  cache.restoredEntries = await recordRestored(ctx, cache, results)
  const warnings = [results.mod.warning, results.build.warning].filter(
    (w): w is string => w !== undefined
  )
  ctx.state.warnings.push(...warnings)
  if (warnings.length > 0 && cache.save.enabled) {
    // The service failed us once; asking again in post would only add
    // another round of client retries and another warning.
    cache.save = {
      enabled: false,
      reason: 'not saving: the cache service failed during the restore'
    }
  }
  // Backdate every entry so the post step can tell what this build used: Go
  // refreshes an entry's mtime on use at most once an hour
  // (cmd/go/internal/cache mtimeInterval).
  if (results.build.result !== 'miss') {
    await backdateBuildCache(dirs.runnerDirs.build)
    const stats = await readStatsFile(dirs.runnerDirs.build)
    ctx.state.lastColdSeconds = stats.lastCold?.seconds
  }
  log.info(
    `module cache: ${describeRestore(results.mod)}; build cache: ${describeRestore(results.build)}`
  )
  saveMainState(ctx.state)
}

/**
 * Records the names each hit restored (after the check), so post can tell
 * what the build added: mtimes cannot, restored entries are backdated.
 */
async function recordRestored(
  ctx: Context,
  cache: CacheState,
  results: { mod: RestoreResult; build: RestoreResult }
): Promise<CacheState['restoredEntries']> {
  const recorded: CacheState['restoredEntries'] = {}
  for (const which of ['mod', 'build'] as const) {
    if (results[which].result === 'miss') continue
    const listFile = path.join(
      ctx.runner.runnerTemp,
      `skaffold-kaniko-cache-restored-${which}.txt`
    )
    const found = await recordRestoredEntries(cache.saveDirs[which], listFile)
    recorded[which] = { ...found, listFile }
  }
  return recorded
}

/**
 * The client extracts an archive whole (tar -P): before any build sees a
 * restored cache, everything in it that Go does not write there (other
 * names, links, special files) is dropped with one warning. A tree that
 * cannot be cleaned is emptied: the build goes on cold.
 */
async function checkRestored(
  result: RestoreResult,
  dir: string,
  which: 'mod' | 'build'
): Promise<{ result: RestoreResult; warning?: string }> {
  if (result.result === 'miss') return { result }
  const label = which === 'mod' ? 'module cache' : 'build cache'
  const checked = await checkRestoredCache(dir, which)
  if (checked.failed.length > 0) {
    await emptyCacheDir(dir)
    const warning = `${label}: ${result.matchedKey ?? ''} holds ${checked.failed.length} entries Go never writes there that could not be removed (${sample(checked.failed)}); the cache dir was emptied, building cold`
    log.warning(warning)
    return {
      result: { result: 'miss', bytes: 0, seconds: result.seconds },
      warning
    }
  }
  if (checked.removed.length === 0) return { result }
  const warning = `${label}: ${result.matchedKey ?? ''} held ${checked.removed.length} entries Go never writes there (links, special files or foreign names: ${sample(checked.removed)}); they were removed before the build`
  log.warning(warning)
  return { result, warning }
}

function sample(paths: string[]): string {
  const shown = paths.slice(0, 5).join(', ')
  return paths.length > 5 ? `${shown}, …` : shown
}

function restoreRecord(result: RestoreResult): RestoreRecord {
  return {
    result: result.result,
    matchedKey: result.matchedKey,
    bytes: result.bytes,
    seconds: result.seconds,
    warning: result.warning
  }
}

function describeRestore(result: RestoreResult): string {
  return result.result === 'miss'
    ? 'miss'
    : `${result.result} hit ${result.matchedKey ?? ''} (${result.bytes} bytes in ${result.seconds.toFixed(1)} s)`
}

/** Creates the kind cluster with the cache mounts, then registry, Athens, namespace. */
async function prepareKindCluster(
  ctx: Context,
  kind: string | undefined
): Promise<void> {
  const { inputs, state } = ctx
  const config = ctx.kindConfig
  if (!kind || !config) throw new Error('kind or its config is missing')
  await group(`Create kind cluster ${inputs.clusterName}`, async () => {
    for (const note of config.notes) log.info(note)
    for (const warning of config.warnings) {
      log.warning(warning)
      state.warnings.push(warning)
    }
    state.cluster = {
      name: inputs.clusterName,
      context: kubeContext(inputs.clusterName),
      created: false,
      copyCaches: false,
      nodes: []
    }
    if (await clusterExists(inputs.clusterName)) {
      throw new UserError(
        `Input 'cluster-name': a kind cluster named ${inputs.clusterName} already exists. Set create-cluster: false to build on it, or pick another cluster-name.`
      )
    }
    // Ours from here on: a cancel during creation still gets it deleted.
    state.cluster.created = true
    saveMainState(state)
    const created = await createCluster({
      name: inputs.clusterName,
      configText: config.text,
      runnerTemp: ctx.runner.runnerTemp,
      hostDirs: [ctx.dirs.runnerDirs.mod, ctx.dirs.runnerDirs.build],
      image: config.imageFlag
    })
    if (created.firstFailure) {
      const warning = `kind create cluster failed once and succeeded on the retry; first failure (exit ${created.firstFailure.exitCode}):\n${created.firstFailure.output}`
      log.warning(warning)
      state.warnings.push(warning)
    }
    saveMainState(state)
    await waitForNodes(inputs.clusterName)
    state.cluster.nodes = await nodeNames(inputs.clusterName)
  })
}

/** create-cluster: false with hostpath caches: an existing kind cluster. */
async function reuseKindCluster(ctx: Context): Promise<void> {
  const { inputs, state } = ctx
  await group(`Reuse kind cluster ${inputs.clusterName}`, async () => {
    await requireCluster(inputs.clusterName)
    const nodes = await nodeNames(inputs.clusterName)
    state.cluster = {
      name: inputs.clusterName,
      context: kubeContext(inputs.clusterName),
      created: false,
      copyCaches: true,
      nodes
    }
    saveMainState(state)
    // The node has no mounts for the caches: copy them in (and out in post).
    for (const node of nodes) {
      await copyCachesIntoNode(node, nodeCopies(ctx.dirs.runnerDirs))
    }
    await startServices(ctx)
  })
}

/** Local registry and Athens, as the inputs ask. */
async function startServices(ctx: Context): Promise<void> {
  const { inputs, state } = ctx
  const cluster = state.cluster
  if (!cluster) return
  const names = serviceContainerNames(cluster.name)
  const labels = containerLabels(cluster.name, ctx.runner)
  const skipped = localRegistrySkipped(pushTarget(inputs))
  if (skipped !== '') log.info(skipped)
  if (localRegistryWanted(pushTarget(inputs))) {
    // On a cluster this job created, the registry is ours even if starting
    // it fails halfway (it runs with --restart=always): record it first.
    cluster.registry = {
      name: names.registry,
      port: inputs.registryPort,
      started: cluster.created
    }
    saveMainState(state)
    const registry = await startRegistry({
      cluster: cluster.name,
      name: names.registry,
      labels,
      port: inputs.registryPort,
      hostsFile: ctx.runner.hostsFile,
      image: inputs.registryImage
    })
    cluster.registry.started = !registry.reused
    for (const warning of registry.warnings) {
      log.warning(warning)
      state.warnings.push(warning)
    }
    saveMainState(state)
  }
  if (inputs.athens) {
    cluster.athens = { name: names.athens, started: cluster.created }
    saveMainState(state)
    const athens = await startAthens({
      cluster: cluster.name,
      name: names.athens,
      labels,
      storageDir: athensStorageDir(ctx.dirs.modSaveDir),
      githubToken: ctx.runner.githubToken || undefined,
      noSumPatterns: parseList(inputs.goPrivate),
      image: inputs.athensImage
    })
    cluster.athens.started = !athens.reused
    if (athens.reused) {
      log.info(
        `Athens ${athens.name} is already running on this cluster: using it as it is (its own token and settings)`
      )
    }
    ctx.athensProxy = athens.goproxy
    saveMainState(state)
  }
}

/** cache-volume: pvc:<claim>: a real cluster, the current kube context. */
async function prepareExistingCluster(ctx: Context): Promise<void> {
  await group('Use the existing cluster', async () => {
    log.info(
      `Caches live on the ReadWriteMany claim ${ctx.inputs.cacheVolume.kind === 'pvc' ? ctx.inputs.cacheVolume.claim : ''}; the Actions cache is not used.`
    )
    await Promise.resolve()
  })
}

interface Patched {
  path: string
}

/**
 * Patches the configs; with patch-dockerfile: auto, each artifact whose
 * Dockerfile misses ARG lines is pointed at a copy that has them.
 */
async function patchWithDockerfileCopies(
  ctx: Context,
  options: PatchOptions
): Promise<{ result: PatchResult; copies: DockerfileCopyPlan }> {
  const result = patchSkaffoldConfigs(ctx.configFiles, options)
  if (ctx.inputs.patchDockerfile !== 'auto') {
    return { result, copies: { copies: [], overrides: {}, skipped: [] } }
  }
  const copies = planDockerfileCopies(
    await readArtifactDockerfiles(result.report, ctx.configPath, ctx.workingDir)
  )
  if (copies.copies.length === 0) return { result, copies }
  // Again, with each artifact's kaniko.dockerfile pointing at its copy.
  return {
    result: patchSkaffoldConfigs(ctx.configFiles, {
      ...options,
      dockerfileOverrides: copies.overrides
    }),
    copies
  }
}

/** Writes the Dockerfile copies, recording them for the post step and the summary. */
async function writeDockerfileCopiesFor(
  ctx: Context,
  copies: DockerfileCopyPlan
): Promise<void> {
  const { state } = ctx
  // Listed before writing, so the post step removes a half-written set.
  state.patchedFiles.push(...copies.copies.map((c) => c.copyPath))
  saveMainState(state)
  for (const written of await writeDockerfileCopies(copies.copies)) {
    if (!state.patchedFiles.includes(written)) state.patchedFiles.push(written)
  }
  state.dockerfileCopies = copies.copies.map((copy) => ({
    original: path.relative(ctx.runner.workspace, copy.original),
    copy: path.relative(ctx.runner.workspace, copy.copyPath),
    images: copy.images,
    added: copy.insertions.map(
      (i) => `after line ${i.afterLine}: ${i.lines.join(', ')}`
    )
  }))
  saveMainState(state)
  for (const copy of state.dockerfileCopies) {
    log.info(
      `${copy.original}: building from the copy ${copy.copy} (${copy.added.join('; ')})`
    )
  }
  for (const skipped of copies.skipped) {
    log.info(`${skipped.image}: no Dockerfile copy: ${skipped.reason}`)
  }
}

/** Patches copies of the configs and checks the Dockerfiles they build. */
async function patch(ctx: Context): Promise<Patched> {
  const { inputs, state } = ctx
  return group('Patch skaffold config', async () => {
    const options = patchOptions(ctx)
    const { result, copies } = await patchWithDockerfileCopies(ctx, options)
    const prepared = await writePatchedCopies(result)
    state.patchedFiles = prepared.writtenFiles
    saveMainState(state)
    await writeDockerfileCopiesFor(ctx, copies)

    const report = prepared.report
    for (const artifact of report.artifacts) {
      const where =
        artifact.place.kind === 'profile'
          ? ` (profile ${artifact.place.name})`
          : ''
      const kept =
        artifact.kept.length > 0
          ? `; kept your ${artifact.kept.map((k) => k.key).join(', ')}`
          : ''
      log.info(
        `${artifact.image}${where}: ${artifact.status}${artifact.reason ? ` (${artifact.reason})` : ''}${kept}`
      )
    }
    for (const collision of report.collisions) {
      log.info(
        `${collision.file}: ${collision.wanted} is taken (${collision.reason}); using ${collision.chosen}`
      )
    }
    state.warnings.push(
      ...logDockerConfigDecisions(report.clusters, ctx.runner.workspace)
    )
    for (const warning of report.warnings) {
      log.warning(warning.message, { file: warning.file, line: warning.line })
      state.warnings.push(`${warning.file}:${warning.line}: ${warning.message}`)
    }
    const cached = report.artifacts.filter((a) => a.status !== 'skipped')
    if (cached.length === 0) {
      const warning = `No kaniko artifact on the cluster builder in ${ctx.configPath}${inputs.profiles.length ? ` with profiles ${inputs.profiles.join(', ')}` : ''}: the Go caches cannot reach the build.`
      log.warning(warning)
      state.warnings.push(warning)
    }

    const findings = await checkDockerfilesFor(
      report,
      ctx.configPath,
      ctx.workingDir
    )
    const copied = new Set(
      copies.copies.flatMap((c) =>
        copies.skipped.some((k) => k.path === c.original) ? [] : [c.original]
      )
    )
    for (const finding of findings) {
      // The copy adds these lines; the other findings still hold for it.
      if (finding.kind === 'missing-arg' && copied.has(finding.file)) continue
      let message = finding.message
      if (finding.kind === 'go-stage-user') {
        if (inputs.cacheVolume.kind === 'hostpath') {
          // openCachesToBuildUser has made them writable for every user.
          log.info(
            `${path.relative(ctx.runner.workspace, finding.file)}:${finding.line}: ${message}; the cache dirs are writable for every user`
          )
          continue
        }
        message += `; make the claim ${inputs.cacheVolume.claim}'s gomodcache and gobuildcache dirs writable by that user (e.g. the pod's fsGroup or a one-off chmod), or Go fails with "permission denied"`
      }
      log.warning(message, {
        file: path.relative(ctx.runner.workspace, finding.file),
        line: finding.line || undefined,
        title: 'skaffold-kaniko-cache'
      })
      state.warnings.push(
        `${path.relative(ctx.runner.workspace, finding.file)}${finding.line ? `:${finding.line}` : ''}: ${message}`
      )
    }
    saveMainState(state)
    log.info(`patched config: ${prepared.patchedRootPath}`)
    if (state.cluster) {
      // skaffold creates the kaniko pod in each cluster block's namespace;
      // pod creation fails when it does not exist.
      const namespaces = new Set(
        report.clusters.map((c) => c.namespace).filter((ns) => ns !== '')
      )
      if (inputs.namespace !== '') namespaces.add(inputs.namespace)
      for (const namespace of [...namespaces].sort()) {
        const { created } = await ensureNamespace(state.cluster.name, namespace)
        if (created) log.info(`namespace ${namespace} created`)
      }
    }
    return { path: prepared.patchedRootPath }
  })
}

/** The patch options: the inputs, with the GOPROXY of the Athens we started. */
function patchOptions(ctx: Context): PatchOptions {
  const { inputs } = ctx
  // With Athens, private modules go through the proxy (which holds the
  // token): the build must not bypass it (GOPRIVATE), only skip the checksum
  // database for them (GONOSUMDB).
  const privateThroughAthens = inputs.athens && inputs.goPrivate !== ''
  const options = patchOptionsFromInputs({
    ...inputs,
    goProxy: inputs.goProxy || ctx.athensProxy,
    goPrivate: privateThroughAthens ? '' : inputs.goPrivate,
    buildArgs: privateThroughAthens
      ? [...inputs.buildArgs, ['GONOSUMDB', inputs.goPrivate]]
      : inputs.buildArgs
  })
  return ctx.dockerConfig
    ? { ...options, dockerConfig: ctx.dockerConfig }
    : options
}

/** The runner's docker login for kaniko, decided once the images are known. */
async function planLogin(
  ctx: Context,
  artifacts: { image: string; status: string }[]
): Promise<void> {
  const login = await planRunnerLogin(
    ctx.inputs,
    artifacts.filter((a) => a.status !== 'skipped').map((a) => a.image)
  )
  ctx.dockerConfig = login.dockerConfig
  ctx.secrets.push(...login.secrets)
  ctx.state.warnings.push(...login.warnings)
}

/** Runs skaffold build and reports the result. */
async function build(
  ctx: Context,
  skaffold: string,
  patched: Patched
): Promise<void> {
  const { inputs, state } = ctx
  // The local registry exists only on a kind cluster the action set up
  // (not with a PVC on an existing cluster): push there only if it was started.
  const registry = state.cluster?.registry
  const registryHost = registry ? `${registry.name}:${registry.port}` : ''
  const fileOutput = path.join(
    ctx.runner.runnerTemp,
    `skaffold-kaniko-cache-${process.pid}-build.json`
  )
  const args = buildCommandArgs({
    patchedFile: patched.path,
    fileOutput,
    kubeContext: state.cluster?.context ?? '',
    defaultRepo: inputs.defaultRepo || registryHost,
    insecureRegistries: registryHost ? [registryHost] : [],
    profiles: inputs.profiles,
    modules: inputs.modules,
    extraArgs: inputs.skaffoldArgs
  })
  const redact = makeRedactor(ctx.secrets)
  const result = await group('skaffold build', () => {
    log.info(`skaffold ${args.map((a) => redact(a)).join(' ')}`)
    return runSkaffoldBuild(
      skaffold,
      args,
      ctx.workingDir,
      fileOutput,
      redact,
      log.info
    )
  })
  state.timings.build = result.seconds
  state.build = {
    succeeded: result.exitCode === 0,
    seconds: result.seconds,
    startedAt: result.startedAt,
    images: result.images
  }
  setOutputs({
    'build-time': result.seconds.toFixed(1),
    images: JSON.stringify(result.images),
    'mod-cache-hit': cacheHitOutput(state, 'mod'),
    'build-cache-hit': cacheHitOutput(state, 'build'),
    'patched-skaffold-file': patched.path,
    'build-artifacts': fileOutput,
    'kube-context': state.cluster?.context ?? (await currentKubeContext())
  })
  if (result.exitCode !== 0) {
    throw new UserError(
      `skaffold build failed (exit ${result.exitCode}) after ${result.seconds.toFixed(1)} s. Last lines of its log (kaniko's output included):\n${result.tail.join('\n')}`
    )
  }
  state.mainSucceeded = true
  log.info(
    `built ${result.images.length} image(s) in ${result.seconds.toFixed(1)} s`
  )
}

/** exact / partial / miss, or disabled when the Actions cache is not used. */
function cacheHitOutput(state: MainState, which: 'mod' | 'build'): string {
  if (!state.cache) return 'disabled'
  return state.cache.restored[which]?.result ?? 'miss'
}

/** Times one phase into the state. */
async function timed<T>(
  ctx: Context,
  phase: Phase,
  fn: () => Promise<T>
): Promise<T> {
  const started = Date.now()
  try {
    return await inPhase(phase, fn)
  } finally {
    // Added up: a phase may be measured in parts (the cluster, then its services).
    ctx.state.timings[phase] =
      (ctx.state.timings[phase] ?? 0) + (Date.now() - started) / 1000
  }
}

/** The skaffold config, checked to exist before anything is installed. */
async function locateSkaffoldFile(
  inputs: Inputs,
  workingDir: string
): Promise<string> {
  if ((await pathKind(workingDir)) !== 'directory') {
    throw new UserError(
      `Input 'working-directory': ${workingDir} is not a directory. Set it to the directory skaffold runs in, relative to the workspace.`
    )
  }
  const configPath = path.resolve(workingDir, inputs.skaffoldFile)
  if ((await pathKind(configPath)) !== 'file') {
    throw new UserError(
      `Input 'skaffold-file': ${configPath} does not exist. Set skaffold-file to the path of your skaffold config relative to working-directory (${inputs.workingDirectory}).`
    )
  }
  return configPath
}

async function readUserKindConfig(
  ctx: Context
): Promise<{ text: string; file: string }> {
  const file = path.resolve(ctx.runner.workspace, ctx.inputs.kindConfig)
  const text = await readTextIfExists(file)
  if (text === undefined) {
    throw new UserError(
      `Input 'kind-config': ${file} cannot be read. Set it to your kind config's path relative to the workspace, or leave it empty.`
    )
  }
  return { text, file }
}

async function readEvent(eventPath: string): Promise<unknown> {
  if (eventPath === '') return undefined
  const text = await readTextIfExists(eventPath)
  if (text === undefined) return undefined
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}

/** User errors print as they are; anything else with its stack. */
function errorMessage(error: unknown): string {
  if (!(error instanceof Error)) return String(error)
  const userErrors = [
    'InputError',
    'UserError',
    'SkaffoldConfigError',
    'PatchOptionsError',
    'KindConfigError',
    'ToolError',
    'ClusterError',
    'ClusterCreateError',
    'CommandError'
  ]
  if (error instanceof InputError || userErrors.includes(error.name)) {
    return error.message
  }
  return error.stack ?? error.message
}
