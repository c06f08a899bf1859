/** A cluster step failed; the message says which command and what it printed. */
export class ClusterError extends Error {
  constructor(
    message: string,
    /** The command output that explains the failure. */
    readonly log = ''
  ) {
    super(message)
    this.name = 'ClusterError'
  }
}
