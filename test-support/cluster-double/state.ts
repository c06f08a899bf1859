/**
 * The double's state, kept as JSON in CLUSTER_DOUBLE_HOME so every short-lived
 * command (and a restarted daemon) sees the same clusters, containers,
 * networks and contexts. Only the daemon writes it, one command at a time.
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises'
import { join } from 'node:path'

/** A kind extraMount as recorded on a node. */
export interface MountRecord {
  hostPath: string
  containerPath: string
  readOnly: boolean
}

/** A kind node container. */
export interface NodeRecord {
  name: string
  role: 'control-plane' | 'worker'
  image: string
  mounts: MountRecord[]
}

/** A kind cluster and what kubectl can see in it. */
export interface ClusterRecord {
  name: string
  context: string
  nodes: NodeRecord[]
  namespaces: string[]
  /** "<namespace>/<name>" → data */
  configMaps: Record<string, Record<string, string>>
  /**
   * kind's external load balancer container (`<name>-external-load-balancer`),
   * made when the config has more than one control-plane node (kind
   * pkg/internal/apis/config/cluster_util.go, ClusterHasImplicitLoadBalancer;
   * pkg/cluster/internal/providers/docker/provision.go). Not a Kubernetes
   * node: no kubelet, no containerd.
   */
  loadBalancer?: string
  /** Set when `kind create cluster --retain` failed: nodes kept for `kind export logs`. */
  failed?: string
  /**
   * PersistentVolumeClaims made with `kubectl apply`, "<namespace>/<name>" →
   * the dir that holds the claim's data (under the daemon home, so it
   * outlives every build on this cluster, as a bound volume does).
   */
  claims?: Record<string, ClaimRecord>
}

/** A PersistentVolumeClaim and where its volume's data lives. */
export interface ClaimRecord {
  accessModes: string[]
  dataDir: string
}

/** A container started with `docker run`. */
export interface ContainerRecord {
  name: string
  image: string
  args: string[]
  networks: string[]
  ports: string[]
  env: string[]
  volumes: string[]
  running: boolean
  /** `--label` values (absent in states written before labels were modelled). */
  labels?: Record<string, string>
}

/** Everything the double remembers. */
export interface DoubleState {
  clusters: Record<string, ClusterRecord>
  containers: Record<string, ContainerRecord>
  networks: string[]
  /**
   * Containers `docker rm` removed, oldest first, so a test can still see
   * what one held (an Athens container's environment) after the action's
   * post step removed it.
   */
  removedContainers?: ContainerRecord[]
  /** Failed `kind create cluster` attempts per cluster name (for CLUSTER_DOUBLE_FAIL_CREATE). */
  createAttempts: Record<string, number>
  /**
   * The kubeconfig's current-context: `kind create cluster` sets it to the
   * new cluster's context and `kind delete cluster` unsets it, as kind does.
   */
  currentContext?: string
}

function emptyState(): DoubleState {
  return {
    clusters: {},
    containers: {},
    networks: ['bridge', 'host', 'none'],
    createAttempts: {}
  }
}

/** Path of the state file in a double home. */
export function statePath(home: string): string {
  return join(home, 'state.json')
}

/** Directory that holds a node container's own filesystem (paths with no extraMount). */
export function nodeRootDir(home: string, nodeName: string): string {
  return join(home, 'nodes', nodeName, 'rootfs')
}

/** Loads the state (an empty one when the home is new). */
export async function loadState(home: string): Promise<DoubleState> {
  try {
    return {
      ...emptyState(),
      ...(JSON.parse(await readFile(statePath(home), 'utf8')) as DoubleState)
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return emptyState()
    throw error
  }
}

/** Saves the state atomically. */
export async function saveState(
  home: string,
  state: DoubleState
): Promise<void> {
  await mkdir(home, { recursive: true })
  const tmp = `${statePath(home)}.${process.pid}.tmp`
  await writeFile(tmp, JSON.stringify(state, null, 2))
  await rename(tmp, statePath(home))
}

/** Finds the cluster a kube context names (`kind-<name>`). */
export function clusterForContext(
  state: DoubleState,
  context: string
): ClusterRecord | undefined {
  return Object.values(state.clusters).find(
    (c) => c.context === context && c.failed === undefined
  )
}

/** Dir that holds a PersistentVolumeClaim's data in a double home. */
export function claimDataDir(
  home: string,
  cluster: string,
  namespace: string,
  claim: string
): string {
  return join(home, 'pvcs', cluster, namespace, claim)
}

/** Finds a node container by name across clusters. */
export function findNode(
  state: DoubleState,
  name: string
): { cluster: ClusterRecord; node: NodeRecord } | undefined {
  for (const cluster of Object.values(state.clusters)) {
    const node = cluster.nodes.find((n) => n.name === name)
    if (node !== undefined) return { cluster, node }
  }
  return undefined
}

/** Finds the cluster whose external load balancer has that container name. */
export function findLoadBalancer(
  state: DoubleState,
  name: string
): ClusterRecord | undefined {
  return Object.values(state.clusters).find((c) => c.loadBalancer === name)
}
