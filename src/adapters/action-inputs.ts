/**
 * The action's inputs, as the runner passes them. Apart from the rest of the
 * runner adapter (actions.ts) so that the post step, which reads no input,
 * does not load the input parsers.
 */
import { INPUT_NAMES, parseInputs, type Inputs } from '../inputs.js'
import * as core from './workflow-commands.js'

/** Reads and validates every input once. Throws InputError on a bad value. */
export function readInputs(): Inputs {
  const known = new Set<string>(INPUT_NAMES)
  return parseInputs((name) => {
    if (!known.has(name)) throw new Error(`unknown input ${name}`)
    return core.getInput(name)
  })
}
