/**
 * Names, labels and ownership of the containers the action runs beside a
 * kind cluster (the local registry, Athens), and which of a cluster's
 * containers are Kubernetes nodes. Pure.
 *
 * Docker daemons are shared on self-hosted runners, so a fixed name
 * ("athens", "kind-registry") would meet another job's container. Names
 * are per cluster, every container carries the cluster and the run in its
 * labels, and the action removes only containers labelled with its own run.
 */

/** Label keys the action puts on its containers. */
export const LABELS = {
  cluster: 'io.skaffold-kaniko-cache.cluster',
  run: 'io.skaffold-kaniko-cache.run'
} as const

/** kind's node labels (kind pkg/cluster/internal/providers/docker/constants.go, nodeRoleLabelKey; pkg/cluster/constants/constants.go for the role values). */
export const KIND_LABELS = {
  cluster: 'io.x-k8s.kind.cluster',
  role: 'io.x-k8s.kind.role'
} as const

/** The registry and Athens container names of a cluster. */
export function serviceContainerNames(cluster: string): {
  registry: string
  athens: string
} {
  return { registry: `${cluster}-registry`, athens: `${cluster}-athens` }
}

/** What identifies this run: GITHUB_RUN_ID, GITHUB_RUN_ATTEMPT, GITHUB_JOB. */
export interface RunIdentity {
  runId: string
  runAttempt: string
  job: string
}

/** The value of the run label, e.g. `1234-1-build`. */
export function runLabelValue(run: RunIdentity): string {
  return `${run.runId}-${run.runAttempt}-${run.job || 'job'}`
}

/** `key=value` labels for a container this run starts for a cluster. */
export function containerLabels(cluster: string, run: RunIdentity): string[] {
  return [`${LABELS.cluster}=${cluster}`, `${LABELS.run}=${runLabelValue(run)}`]
}

/** A container found under the name the action wants. */
export interface ExistingContainer {
  running: boolean
  labels: Record<string, string>
}

/**
 * What to do about the name the action wants for a service container: start
 * one (nothing there); reuse a running one the action started for this
 * cluster (another job's on a reused cluster); replace a stopped one the
 * action started for this cluster; refuse when anything else has the name,
 * since it is someone else's.
 */
export function claimContainerName(
  existing: ExistingContainer | undefined,
  cluster: string
): 'start' | 'reuse' | 'replace' | 'refuse' {
  if (existing === undefined) return 'start'
  if (existing.labels[LABELS.cluster] !== cluster) return 'refuse'
  return existing.running ? 'reuse' : 'replace'
}

/** A container of a kind cluster and its kind role label. */
export interface KindContainer {
  name: string
  role: string
}

/**
 * The Kubernetes nodes among a cluster's containers, control-plane first
 * (then workers, each group by name). kind also labels its external load
 * balancer (multi-control-plane clusters) and external etcd with the cluster
 * label; they run no kubelet or containerd, so they are left out.
 */
export function kubernetesNodes(
  containers: readonly KindContainer[]
): string[] {
  const byRole = (role: string): string[] =>
    containers
      .filter((c) => c.role === role)
      .map((c) => c.name)
      .sort()
  return [...byRole('control-plane'), ...byRole('worker')]
}
