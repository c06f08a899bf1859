/** A cluster step failed; the message says which command and what it printed. */
import { UserFixableError } from '../errors.js'
export class ClusterError extends UserFixableError {
  constructor(
    message: string,
    /** The command output that explains the failure. */
    readonly log = ''
  ) {
    super(message)
    this.name = 'ClusterError'
  }
}
