/** What every daemon-side command handler receives. */
import type { RegistryEndpoint } from '../registry/index.js'
import type { CommandIo } from './io.js'
import type { DoubleState } from './state.js'

/** Options of a running daemon (see startDockerDaemon). */
export interface DaemonOptions {
  /** CLUSTER_DOUBLE_HOME: where state and node filesystems live. */
  home: string
  /**
   * The module proxy that stands in for the internet's proxy.golang.org and
   * for any Athens container started with `docker run gomods/athens...`.
   */
  moduleProxyUrl?: string
  /**
   * The platform of the kind nodes, e.g. linux/arm64. kind runs its nodes as
   * containers of the docker host, without emulation, so it is the host's
   * platform; default: this machine's. The kaniko pod's images must have it.
   */
  nodePlatform?: string
  /**
   * Real registries standing for registry hosts with a domain name, as the
   * kaniko pod names them (`registry.example.test`, `host:port`). A push to
   * another such host is not modelled (nothing pushed); a registry
   * container gets a real registry of its own (skaffold/registries.ts).
   */
  registries?: Record<string, RegistryEndpoint>
}

/** A command in the daemon: state (saved after the command), io and options. */
export interface CommandContext {
  state: DoubleState
  io: CommandIo
  options: DaemonOptions
}

/** Versions the double reports, matching the action's default tool versions. */
export const VERSIONS = {
  kind: 'v0.32.0',
  nodeImage: 'kindest/node:v1.36.1',
  kubectl: 'v1.36.1',
  skaffold: 'v2.24.0',
  docker: '27.5.1'
} as const
