/**
 * The wire format between the double's short-lived clients (docker, kind,
 * kubectl, skaffold) and its daemon: one HTTP POST over the unix socket named
 * by DOCKER_HOST, answered by newline-delimited JSON events.
 */

/** The four tools the double imitates. */
export type ToolName = 'docker' | 'kind' | 'kubectl' | 'skaffold'

/** What a client sends: its argv, cwd, environment and stdin. */
export interface CommandRequest {
  tool: ToolName
  args: string[]
  cwd: string
  env: Record<string, string>
  /** base64 of stdin, read only for commands that take it (`-i`, `-f -`). */
  stdin: string
  /** Numeric uid/gid of the client, so client-side files can be reasoned about. */
  uid: number
}

/**
 * One event of the response stream. `file` and `untar` are actions the client
 * performs itself, because the real clients write those files as the user who
 * runs them (skaffold's --file-output, `docker cp <node>:<p> <dest>`).
 */
export type CommandEvent =
  | { t: 'out'; d: string }
  | { t: 'err'; d: string }
  | { t: 'file'; path: string; d: string }
  | { t: 'untar'; dest: string; name: string; d: string }
  | { t: 'exit'; code: number }

/** Reads a unix socket path out of DOCKER_HOST (`unix:///path`). */
export function socketPathFromDockerHost(
  dockerHost: string | undefined
): string | undefined {
  if (dockerHost === undefined || dockerHost === '') return undefined
  if (!dockerHost.startsWith('unix://')) return undefined
  return dockerHost.slice('unix://'.length)
}
