/**
 * The errors the user can fix, and how a failure is told to the user. Pure.
 */

/**
 * A failure whose message is the whole story: it names the input, file or
 * command and the fix, so it is printed as it is, without a stack. Every
 * user-facing error class extends it.
 */
export class UserFixableError extends Error {
  override name = 'UserFixableError'
}

/** A user-fixable failure found by the main step itself (a missing file, a taken cluster name, a failed build). */
export class UserError extends UserFixableError {
  override name = 'UserError'
}

/** User-fixable errors print as they are; anything else with its stack. */
export function errorMessage(error: unknown): string {
  if (!(error instanceof Error)) return String(error)
  if (error instanceof UserFixableError) return error.message
  return error.stack ?? error.message
}
