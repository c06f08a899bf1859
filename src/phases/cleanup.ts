/**
 * Post's last step: remove the patched copies, the docker config secret a
 * failed build left behind, and whatever main created (unless cleanup: false).
 * Warns, never throws.
 */
import type { PostDeps } from '../deps/post.js'
import { runLabelValue } from '../kind/containers.js'
import { warn } from './post-report.js'
import type { MainState } from '../state.js'
import type { PostReport } from '../summary.js'

/** Removes the patched copies and whatever main created (unless cleanup: false). */
export async function cleanUp(
  deps: PostDeps,
  state: MainState,
  report: PostReport
): Promise<void> {
  const removed = await deps.patchedCopies.removePatchedCopies(
    state.patchedFiles
  )
  for (const failure of removed.failed) {
    warn(deps, report, `could not remove ${failure.path}: ${failure.error}`)
  }
  await deleteDockerConfigSecret(deps, state, report)
  const cluster = state.cluster
  if (!cluster) return
  const run = runLabelValue(deps.actions.readRunnerEnv())
  // Athens holds the GitHub token in its environment (docker inspect shows
  // it): it goes whatever cleanup says.
  const athens = cluster.athens?.started ? [cluster.athens.name] : []
  const registry = cluster.registry?.started ? [cluster.registry.name] : []
  if (!state.cleanup) {
    deps.actions.log.info(
      `cleanup: false: keeping ${cluster.created ? `cluster ${cluster.name}` : 'the cluster'}${registry.length ? ` and ${registry.join(', ')}` : ''}`
    )
    const removed = await deps.cluster.cleanupCluster({
      containers: athens,
      run
    })
    for (const warning of removed.warnings) warn(deps, report, warning)
    return
  }
  const result = await deps.cluster.cleanupCluster({
    cluster: cluster.created ? cluster.name : undefined,
    containers: [...registry, ...athens],
    run
  })
  for (const warning of result.warnings) warn(deps, report, warning)
  const gone = [
    ...(result.clusterDeleted ? [`cluster ${cluster.name}`] : []),
    ...result.containersRemoved
  ]
  if (gone.length > 0) deps.actions.log.info(`removed ${gone.join(', ')}`)
}

/**
 * skaffold deletes the secret it made from the runner's docker config only
 * after a build where every artifact built (skaffold v2.24.0
 * pkg/skaffold/build/builder_mux.go Build skips PostBuild on an error): after
 * any other, the runner's registry credentials would stay in a cluster that
 * outlives the job. A cluster this job created and is about to delete takes
 * the secret with it.
 */
async function deleteDockerConfigSecret(
  deps: PostDeps,
  state: MainState,
  report: PostReport
): Promise<void> {
  const secret = state.dockerConfigSecret
  if (!secret || state.build?.succeeded) return
  if (state.cleanup && state.cluster?.created) return
  for (const namespace of secret.namespaces) {
    const where = namespace || "the kube context's namespace"
    const result = await deps.cluster.deleteSecret({
      context: secret.context,
      namespace,
      name: secret.name
    })
    if (result.error === undefined) {
      deps.actions.log.info(
        `deleted the docker config secret ${secret.name} (the runner's registry login) in ${where}`
      )
    } else {
      warn(
        deps,
        report,
        `could not delete the docker config secret ${secret.name} (the runner's registry login) in namespace ${where}: ${result.error}. Delete it by hand: ${result.command}`
      )
    }
  }
}
