/**
 * The plan phase: inputs, runner facts, paths, cache keys and the save
 * decision, and every check that can fail on the user's files or machine,
 * before any effect.
 */
import * as path from 'node:path'
import { type RunnerEnv } from '../adapters/actions.js'
import { deriveServiceName, makeCacheKeys } from '../cache/keys.js'
import { decideSave } from '../cache/policy.js'
import { type Inputs } from '../inputs.js'
import { cacheMounts, renderKindConfig } from '../kind/kind-config.js'
import { cacheDirs, type CacheDirs } from '../cache/paths.js'
import { urlSecrets } from '../redact.js'
import { buildNamespaces } from '../kind/objects.js'
import { checkModules } from '../skaffold/modules.js'
import { planRunnerLogin, pushTarget } from '../push-login.js'
import { localRegistryWanted } from '../push-target.js'
import { patchSkaffoldConfigs } from '../skaffold/patch.js'
import { initialState, stateRecorder, type MainState } from '../state.js'
import { planToolDownload, platformFromRunner } from '../tools/catalog.js'
import { UserError } from '../errors.js'
import type { Context } from './context.js'
import { realMainDeps, type MainDeps } from '../deps/main.js'
import { toolRequests } from './install.js'
import { patchOptions } from './patch.js'

/** Inputs, runner facts, paths, keys and the save decision: no effects but state. */
export async function plan(deps: MainDeps = realMainDeps): Promise<Context> {
  const inputs = deps.actions.readInputs()
  const runner = deps.actions.readRunnerEnv()
  deps.exec.passEnvironment(inputs.passEnv)
  const secrets = [
    ...urlSecrets(inputs.goProxy),
    ...urlSecrets(inputs.kindDownloadUrl),
    ...urlSecrets(inputs.skaffoldDownloadUrl),
    ...urlSecrets(inputs.kubectlDownloadUrl),
    runner.githubToken
  ].filter((s) => s !== '')
  for (const secret of secrets) deps.actions.maskSecret(secret)

  const workingDir = path.resolve(runner.workspace, inputs.workingDirectory)
  const configPath = await locateSkaffoldFile(deps, inputs, workingDir)
  const configFiles = await deps.skaffoldFiles.readSkaffoldConfigs(configPath)
  const service = deriveServiceName({
    service: inputs.service,
    modules: inputs.modules,
    skaffoldFile: inputs.skaffoldFile,
    workingDirectory: inputs.workingDirectory,
    profiles: inputs.profiles
  })
  const state = initialState(service, inputs.cleanup)
  const dirs = cacheDirs(inputs.clusterName, runner)
  const platform = platformFromRunner(runner.os, runner.arch)
  await planCaches(deps, state, inputs, runner, dirs)
  // A download URL the install would refuse (plain http:// for a version
  // without a pin) fails the step here, before anything is restored or created.
  const tools = toolRequests({ inputs, platform })
  for (const request of [tools.kind, tools.skaffold, tools.kubectl]) {
    if (request !== undefined) planToolDownload(request)
  }
  // Persisted from here on: the post step cleans up whatever main got to.
  const record = stateRecorder(state, deps.actions.saveMainState)
  const ctx: Context = {
    inputs,
    runner,
    platform,
    workingDir,
    configPath,
    configFiles,
    dirs,
    secrets,
    athensProxy: '',
    namespaces: [],
    state,
    record,
    deps
  }
  deps.actions.log.info(`service: ${service}; config: ${configPath}`)
  await checkBeforeEffects(ctx)
  return ctx
}

/**
 * The cache part of the initial state: the claim of a PVC cache, or the
 * Actions cache's keys, paths and save decision (none with cache: false).
 */
async function planCaches(
  deps: MainDeps,
  state: MainState,
  inputs: Inputs,
  runner: RunnerEnv,
  dirs: CacheDirs
): Promise<void> {
  if (inputs.cacheVolume.kind === 'pvc') {
    state.pvcClaim = inputs.cacheVolume.claim
  } else if (inputs.cache) {
    const depsHash = await deps.hash.hashDependencyFiles(
      inputs.cacheDependencyPath,
      runner.workspace
    )
    if (depsHash === '') {
      const warning = `Input 'cache-dependency-path': no file matched ${inputs.cacheDependencyPath.join(', ')} in ${runner.workspace}; the module cache key uses "none" and will not follow dependency changes.`
      deps.actions.log.warning(warning)
      state.warnings.push(warning)
    }
    const keys = makeCacheKeys({
      prefix: inputs.cacheKeyPrefix,
      os: runner.os,
      arch: runner.arch,
      service: state.service,
      depsHash: depsHash || 'none',
      runId: runner.runId,
      runAttempt: runner.runAttempt
    })
    const decision = decideSave({
      policy: inputs.saveCache,
      eventName: runner.eventName,
      event: await readEvent(deps, runner.eventPath),
      ref: runner.ref
    })
    if (decision.warning) {
      deps.actions.log.warning(decision.warning)
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
        await deps.hash.listDependencyFiles(
          inputs.cacheDependencyPath,
          runner.workspace
        )
      ).filter((file) => /(^|\/)go(\.work)?\.sum$/.test(file)),
      deadline: {
        seconds: inputs.cacheTimeout,
        hint: `the input 'cache-timeout' sets this limit`
      }
    }
  }
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
  // The cluster blocks' namespaces do not depend on what the cluster phase
  // learns (Athens' address), so they are known now and created there.
  ctx.namespaces = buildNamespaces(
    report.clusters.map((c) => c.namespace),
    inputs.namespace
  )
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
  await ctx.deps.cluster.checkDocker()
}

/** The skaffold config, checked to exist before anything is installed. */
async function locateSkaffoldFile(
  deps: MainDeps,
  inputs: Inputs,
  workingDir: string
): Promise<string> {
  if ((await deps.files.pathKind(workingDir)) !== 'directory') {
    throw new UserError(
      `Input 'working-directory': ${workingDir} is not a directory. Set it to the directory skaffold runs in, relative to the workspace.`
    )
  }
  const configPath = path.resolve(workingDir, inputs.skaffoldFile)
  if ((await deps.files.pathKind(configPath)) !== 'file') {
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
  const text = await ctx.deps.files.readTextIfExists(file)
  if (text === undefined) {
    throw new UserError(
      `Input 'kind-config': ${file} cannot be read. Set it to your kind config's path relative to the workspace, or leave it empty.`
    )
  }
  return { text, file }
}

async function readEvent(deps: MainDeps, eventPath: string): Promise<unknown> {
  if (eventPath === '') return undefined
  const text = await deps.files.readTextIfExists(eventPath)
  if (text === undefined) return undefined
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
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
  ctx.record.update((state) => state.warnings.push(...login.warnings))
}
