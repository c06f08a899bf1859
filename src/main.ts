/**
 * The main step, in the order of design section 2. Every decision and every
 * resource created is recorded in the state as soon as it exists, so the
 * post step can clean up whatever main got to.
 */
import * as path from 'node:path'
import {
  fail,
  readInputs,
  readRunnerEnv,
  saveMainState
} from './adapters/actions.js'
import { pathKind } from './adapters/files.js'
import { InputError, type Inputs } from './inputs.js'
import { initialState, type MainState } from './state.js'

/** A failure the user can fix; its message is the whole story. */
export class UserError extends Error {
  override name = 'UserError'
}

/** Runs the main step; never throws (failures go to core.setFailed). */
export async function runMain(): Promise<void> {
  try {
    const inputs = readInputs()
    const runner = readRunnerEnv()
    const configPath = await locateSkaffoldFile(inputs, runner.workspace)
    const state: MainState = initialState(
      inputs.service || path.relative(runner.workspace, configPath),
      inputs.cleanup
    )
    saveMainState(state)
    throw new UserError(
      'the build pipeline is not assembled in this version yet'
    )
  } catch (error) {
    fail(errorMessage(error))
  }
}

/** The skaffold config, checked to exist before anything is installed. */
async function locateSkaffoldFile(
  inputs: Inputs,
  workspace: string
): Promise<string> {
  const workingDir = path.resolve(workspace, inputs.workingDirectory)
  if ((await pathKind(workingDir)) !== 'directory') {
    throw new UserError(
      `Input 'working-directory': ${workingDir} is not a directory. Set it to the directory skaffold runs in, relative to the workspace.`
    )
  }
  const configPath = path.resolve(workingDir, inputs.skaffoldFile)
  if ((await pathKind(configPath)) !== 'file') {
    throw new UserError(
      `Input 'skaffold-file': ${configPath} does not exist. Set skaffold-file to the path of your skaffold config relative to working-directory (${inputs.workingDirectory}).`
    )
  }
  return configPath
}

function errorMessage(error: unknown): string {
  if (error instanceof InputError || error instanceof UserError) {
    return error.message
  }
  return error instanceof Error ? (error.stack ?? error.message) : String(error)
}
