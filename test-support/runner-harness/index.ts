/**
 * The runner harness: runs the committed bundle (dist/main, dist/post) as a
 * GitHub runner would, and hands back what it printed and wrote.
 */
export {
  REPO_ROOT,
  describeEvent,
  inputVariable,
  runAction,
  type ActionRun,
  type CustomEvent,
  type EventPreset,
  type RunActionOptions
} from './run-action.js'
export {
  runStep,
  type RunStepOptions,
  type StepFiles,
  type StepResult,
  type StepRun
} from './run-step.js'
export {
  parseAnnotations,
  parseFileCommandRecords,
  parseFileCommands,
  parsePathFile,
  type Annotation,
  type FileCommandRecord
} from './file-commands.js'
export {
  RUNNER_UID,
  chownTree,
  describeRunnerUser,
  makeReachable,
  runnerUser,
  type RunnerUser
} from './runner-user.js'
export { STAMP_FILE, sourceStamp, staleDist } from './dist-stamp.js'
