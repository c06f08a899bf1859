/**
 * The errors the user can fix, and how a failure is told to the user. Pure.
 */
import { InputError } from './inputs.js'

/** A failure the user can fix; its message is the whole story. */
export class UserError extends Error {
  override name = 'UserError'
}

/** User errors print as they are; anything else with its stack. */
export function errorMessage(error: unknown): string {
  if (!(error instanceof Error)) return String(error)
  const userErrors = [
    'InputError',
    'UserError',
    'SkaffoldConfigError',
    'PatchOptionsError',
    'KindConfigError',
    'ToolError',
    'ClusterError',
    'ClusterCreateError',
    'CommandError'
  ]
  if (error instanceof InputError || userErrors.includes(error.name)) {
    return error.message
  }
  return error.stack ?? error.message
}
