/**
 * What a command handler in the daemon can do: print, ask the client to
 * write a file, and fail with an exit code and a message.
 */
import type { CommandEvent, CommandRequest } from './protocol.js'

/** The output side of one command run by the daemon. */
export interface CommandIo {
  readonly request: CommandRequest
  /** Writes to the client's stdout. */
  out(text: string): void
  /** Writes to the client's stderr. */
  err(text: string): void
  /** Sends an event for the client to perform (file writes, untar). */
  send(event: CommandEvent): void
}

/** A command failure: the message goes to stderr and the client exits with `exitCode`. */
export class CommandError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1
  ) {
    super(message)
    this.name = 'CommandError'
  }
}

/** The error for any command form the action does not use (docs/design.md#command-forms). */
export function unsupported(
  tool: string,
  args: readonly string[]
): CommandError {
  return new CommandError(
    `cluster double: unsupported command: ${[tool, ...args].join(' ')}`,
    2
  )
}
