/**
 * The user errors of the skaffold patcher: a config the patcher cannot (or
 * must not) patch. Each names the file, the line and column when known, what
 * is wrong and the fix, so the CLI and the action print one line and no stack.
 */
import { UserFixableError } from '../errors.js'
export class SkaffoldConfigError extends UserFixableError {
  constructor(
    readonly file: string,
    readonly line: number,
    readonly column: number,
    readonly reason: string
  ) {
    super(formatLocation(file, line, column) + reason)
    this.name = 'SkaffoldConfigError'
  }
}

/** A bad patch option (a mount path skaffold reserves, an empty claim...). */
export class PatchOptionsError extends UserFixableError {
  constructor(
    readonly option: string,
    readonly reason: string
  ) {
    super(`${option}: ${reason}`)
    this.name = 'PatchOptionsError'
  }
}

/** Formats `file:line:column: ` (line and column only when known, 1-based). */
export function formatLocation(
  file: string,
  line: number,
  column: number
): string {
  if (line <= 0) return `${file}: `
  if (column <= 0) return `${file}:${line}: `
  return `${file}:${line}:${column}: `
}
