/**
 * The cluster phase: a new or reused kind cluster (beside the restore), its
 * local registry and Athens, or the existing cluster of a PVC cache.
 */
import { athensStorageDir } from '../adapters/athens.js'
import { kubeContext } from '../adapters/cluster.js'
import { parseList } from '../inputs.js'
import { containerLabels, serviceContainerNames } from '../kind/containers.js'
import { kindNodeNames } from '../kind/kind-config.js'
import { clusterManifest } from '../kind/objects.js'
import { NODE_PATHS, nodeCopies } from '../cache/paths.js'
import { UserError } from '../errors.js'
import { timed, warn, type Context } from './context.js'
import { restore } from './restore.js'
import { pushTarget } from '../push-login.js'
import { localRegistrySkipped, localRegistryWanted } from '../push-target.js'

/**
 * Restores the caches and gets the cluster ready. With a new kind cluster the
 * two run side by side: the restore empties and fills the runner dirs in
 * place, which the node sees through its bind mounts. A reused cluster has no
 * mounts, so the caches are copied into its node after the restore.
 */
export async function prepareClusterAndCaches(
  ctx: Context,
  kind: string | undefined
): Promise<void> {
  const { inputs } = ctx
  if (inputs.cacheVolume.kind === 'pvc') {
    await timed(ctx, 'cluster', () => useExistingCluster(ctx))
    return
  }
  // Real dirs, not links a previous job left: they are mounted into the node.
  await ctx.deps.files.ensureRealDir(ctx.dirs.runnerDirs.mod)
  await ctx.deps.files.ensureRealDir(ctx.dirs.runnerDirs.build)
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
 * too. Done by this process on mounted dirs it owns, else as root in every
 * node, which sees the runner dirs through its mounts or holds its own copy.
 */
async function openCachesToBuildUser(ctx: Context): Promise<void> {
  const cluster = ctx.state.cluster
  // Mounted runner dirs this user owns (the restore just wrote them) need
  // no process; what it cannot change is done as root in the node.
  if (
    cluster &&
    !cluster.copyCaches &&
    (await ctx.deps.ownership.openToAllUsers([
      ctx.dirs.runnerDirs.mod,
      ctx.dirs.runnerDirs.build
    ]))
  ) {
    return
  }
  for (const node of cluster?.nodes ?? []) {
    await ctx.deps.cluster.openCacheDirsToAllUsers(node, [
      NODE_PATHS.mod,
      NODE_PATHS.build
    ])
  }
}

/** Creates the kind cluster with the cache mounts, then registry, Athens, namespace. */
async function prepareKindCluster(
  ctx: Context,
  kind: string | undefined
): Promise<void> {
  const { inputs, record } = ctx
  const config = ctx.kindConfig
  if (!kind || !config) throw new Error('kind or its config is missing')
  await ctx.deps.actions.group(
    `Create kind cluster ${inputs.clusterName}`,
    async () => {
      for (const note of config.notes) ctx.deps.actions.log.info(note)
      for (const warning of config.warnings) warn(ctx, warning)
      const cluster = record.update((state) => {
        state.cluster = {
          name: inputs.clusterName,
          context: kubeContext(inputs.clusterName),
          created: false,
          copyCaches: false,
          nodes: []
        }
        return state.cluster
      })
      // The one listing: kind would fail on that name, and createCluster's
      // retry would then delete a cluster that may be someone's.
      if (await ctx.deps.cluster.clusterExists(inputs.clusterName)) {
        throw new UserError(
          `Input 'cluster-name': a kind cluster named ${inputs.clusterName} already exists. Set create-cluster: false to build on it, or pick another cluster-name.`
        )
      }
      // Ours from here on: a cancel during creation still gets it deleted.
      record.update(() => {
        cluster.created = true
      })
      const created = await ctx.deps.cluster.createCluster({
        name: inputs.clusterName,
        configText: config.text,
        runnerTemp: ctx.runner.runnerTemp,
        hostDirs: [ctx.dirs.runnerDirs.mod, ctx.dirs.runnerDirs.build],
        image: config.imageFlag
      })
      if (created.firstFailure) {
        warn(
          ctx,
          `kind create cluster failed once and succeeded on the retry; first failure (exit ${created.firstFailure.exitCode}):\n${created.firstFailure.output}`
        )
      }
      // kind's --wait covers the control-plane nodes only: a second wait is
      // needed for workers, or when kind ran out of time.
      if (!created.controlPlaneReady || config.roles.includes('worker')) {
        await ctx.deps.cluster.waitForNodes(inputs.clusterName)
      }
      // kind names the nodes from the config it was given, so they are not
      // looked up.
      const nodes = kindNodeNames(inputs.clusterName, config.roles)
      record.update(() => {
        cluster.nodes = nodes
      })
    }
  )
}

/** create-cluster: false with hostpath caches: an existing kind cluster. */
async function reuseKindCluster(ctx: Context): Promise<void> {
  const { inputs, record } = ctx
  await ctx.deps.actions.group(
    `Reuse kind cluster ${inputs.clusterName}`,
    async () => {
      await ctx.deps.cluster.requireCluster(inputs.clusterName)
      const nodes = await ctx.deps.cluster.nodeNames(inputs.clusterName)
      record.update((state) => {
        state.cluster = {
          name: inputs.clusterName,
          context: kubeContext(inputs.clusterName),
          created: false,
          copyCaches: true,
          nodes
        }
      })
      // The node has no mounts for the caches: copy them in (and out in post).
      for (const node of nodes) {
        await ctx.deps.cluster.copyCachesIntoNode(
          node,
          nodeCopies(ctx.dirs.runnerDirs)
        )
      }
      await startServices(ctx)
    }
  )
}

/** Local registry and Athens, as the inputs ask. */
async function startServices(ctx: Context): Promise<void> {
  const { inputs, record } = ctx
  const cluster = ctx.state.cluster
  if (!cluster) return
  const names = serviceContainerNames(cluster.name)
  const labels = containerLabels(cluster.name, ctx.runner)
  const skipped = localRegistrySkipped(pushTarget(inputs))
  if (skipped !== '') ctx.deps.actions.log.info(skipped)
  if (localRegistryWanted(pushTarget(inputs))) {
    // On a cluster this job created, the registry is ours even if starting
    // it fails halfway (it runs with --restart=always): record it first.
    const recorded = record.update(() => {
      cluster.registry = {
        name: names.registry,
        port: inputs.registryPort,
        started: cluster.created
      }
      return cluster.registry
    })
    const registry = await ctx.deps.registry.startRegistry({
      cluster: cluster.name,
      nodes: cluster.nodes,
      name: names.registry,
      labels,
      port: inputs.registryPort,
      hostsFile: ctx.runner.hostsFile,
      image: inputs.registryImage
    })
    record.update(() => {
      recorded.started = !registry.reused
    })
    for (const warning of registry.warnings) warn(ctx, warning)
  }
  if (inputs.athens) {
    const recorded = record.update(() => {
      cluster.athens = { name: names.athens, started: cluster.created }
      return cluster.athens
    })
    const athens = await ctx.deps.athens.startAthens({
      cluster: cluster.name,
      name: names.athens,
      labels,
      storageDir: athensStorageDir(ctx.dirs.modSaveDir),
      githubToken: ctx.runner.githubToken || undefined,
      noSumPatterns: parseList(inputs.goPrivate),
      image: inputs.athensImage
    })
    record.update(() => {
      recorded.started = !athens.reused
    })
    if (athens.reused) {
      ctx.deps.actions.log.info(
        `Athens ${athens.name} is already running on this cluster: using it as it is (its own token and settings)`
      )
    }
    ctx.athensProxy = athens.goproxy
  }
  await applyClusterObjects(ctx)
}

/**
 * The namespaces the build uses and the registry's ConfigMap, in one
 * `kubectl apply` (idempotent, so nothing is looked up first).
 */
async function applyClusterObjects(ctx: Context): Promise<void> {
  const cluster = ctx.state.cluster
  if (!cluster) return
  const registry = cluster.registry
  const manifest = clusterManifest({
    namespaces: ctx.namespaces,
    ...(registry ? { registryHost: `${registry.name}:${registry.port}` } : {})
  })
  if (manifest === '') return
  const applied = await ctx.deps.cluster.applyObjects(cluster.name, manifest)
  for (const line of applied.lines) ctx.deps.actions.log.info(line)
}

/** cache-volume: pvc:<claim>: a real cluster, the current kube context. */
function useExistingCluster(ctx: Context): void {
  ctx.deps.actions.log.info(
    `Caches live on the ReadWriteMany claim ${ctx.inputs.cacheVolume.kind === 'pvc' ? ctx.inputs.cacheVolume.claim : ''}; the Actions cache is not used.`
  )
}
