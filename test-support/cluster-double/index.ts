/**
 * The strict cluster double (docs/design.md#cluster-double): docker, kind, kubectl and skaffold
 * executables backed by a daemon that keeps cluster state in
 * CLUSTER_DOUBLE_HOME and builds Go services for real.
 */
export {
  writeDoubleExecutables,
  doubleExecutableText,
  DOUBLE_TOOLS
} from './executables.js'
export {
  startDockerDaemon,
  spawnDockerDaemon,
  type DockerDaemon,
  type StartDaemonOptions
} from './daemon.js'
export { VERSIONS, type DaemonOptions } from './context.js'
export {
  loadState,
  type DoubleState,
  type ClusterRecord,
  type ContainerRecord,
  type NodeRecord,
  type ClaimRecord
} from './state.js'
export type { ToolName } from './protocol.js'
export { readCommandLog, type LoggedCommand } from './command-log.js'
export {
  readBuildRecords,
  type BuildRecord,
  type ArtifactRecord
} from './skaffold/records.js'
export { readContainerRegistry } from './skaffold/registries.js'
