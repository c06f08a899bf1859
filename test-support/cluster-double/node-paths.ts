/**
 * Where a path inside a kind node lives on the runner. A path under an
 * extraMount's containerPath is the mount's hostPath (a runner dir); any other
 * path lives in the node container's own filesystem, a private dir under
 * CLUSTER_DOUBLE_HOME that `kind delete cluster` removes, as with a real node.
 */
import { posix } from 'node:path'
import { nodeRootDir, type MountRecord, type NodeRecord } from './state.js'

/** A node path resolved to a runner path. */
export interface MappedNodePath {
  /** The path on the runner. */
  runnerPath: string
  /** The extraMount that backs it, if any. */
  mount?: MountRecord
}

/** True when `path` is `base` or inside it (both absolute, normalized). */
export function isWithin(path: string, base: string): boolean {
  return (
    path === base || path.startsWith(base.endsWith('/') ? base : `${base}/`)
  )
}

/** Maps an absolute node path to the runner through the node's extraMounts. */
export function mapNodePath(
  home: string,
  node: NodeRecord,
  nodePath: string
): MappedNodePath {
  if (!nodePath.startsWith('/'))
    throw new Error(`node path must be absolute: ${nodePath}`)
  const path = posix.normalize(nodePath)
  const backing = node.mounts
    .filter((m) => isWithin(path, posix.normalize(m.containerPath)))
    .sort((a, b) => b.containerPath.length - a.containerPath.length)[0]
  if (backing !== undefined) {
    const rest = path.slice(posix.normalize(backing.containerPath).length)
    return { runnerPath: posix.join(backing.hostPath, rest), mount: backing }
  }
  return { runnerPath: posix.join(nodeRootDir(home, node.name), path) }
}
