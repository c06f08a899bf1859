/**
 * The main step's first moment, before the bulk of the action loads (the
 * skaffold and Dockerfile parsers, the cluster, tool and cache adapters: see
 * src/entry/main.ts): the inputs and the runner's variables are read and
 * checked, so a bad input fails the step at about twice a bare Node start
 * (bench/startup.ts), and the log's first line says what is to be built.
 */
import type { MainDeps } from './deps/main.js'
import { errorMessage } from './errors.js'

export type StartActions = Pick<
  MainDeps['actions'],
  'fail' | 'log' | 'readInputs' | 'readRunnerEnv'
>

/** True when the main step can go on; false when it has failed the step. */
export function startMain(deps: StartActions): boolean {
  try {
    const inputs = deps.readInputs()
    deps.readRunnerEnv()
    deps.log.info(
      `skaffold-kaniko-cache: inputs checked; building ${inputs.skaffoldFile} in working-directory ${inputs.workingDirectory}`
    )
    return true
  } catch (error) {
    deps.fail(errorMessage(error))
    return false
  }
}
