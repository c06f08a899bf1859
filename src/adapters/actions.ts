/**
 * The action's side of the runner: inputs, outputs, state, the job summary,
 * logging and annotations, over the runner's command protocol.
 */
import * as core from './workflow-commands.js'
import {
  STATE_NAME,
  parseState,
  serializeState,
  type MainState
} from '../state.js'

/** Sets the action's outputs. */
export function setOutputs(outputs: Record<string, string>): void {
  for (const [name, value] of Object.entries(outputs)) {
    core.setOutput(name, value)
  }
}

/** Saves the state for the post step (overwrites the previous value). */
export function saveMainState(state: MainState): void {
  core.saveState(STATE_NAME, serializeState(state))
}

/** Loads main's state in the post step; undefined when main saved none. */
export function loadMainState(): MainState | undefined {
  return parseState(core.getState(STATE_NAME))
}

/** Appends this job's section to the job summary. */
export async function appendSummary(html: string): Promise<void> {
  await core.appendStepSummary(html)
}

export type Annotation = core.CommandProperties

export const log = {
  info: (message: string): void => core.info(message),
  debug: (message: string): void => core.debug(message),
  warning: (message: string, where: Annotation = {}): void =>
    core.warning(message, where),
  error: (message: string, where: Annotation = {}): void =>
    core.error(message, where)
}

/** Runs fn inside a collapsible log group. */
export function group<T>(name: string, fn: () => Promise<T>): Promise<T> {
  return core.group(name, fn)
}

/** Masks a secret in every later log line. */
export function maskSecret(secret: string): void {
  if (secret !== '') core.setSecret(secret)
}

/** Fails the step with a message (exit code 1, an error annotation). */
export function fail(message: string): void {
  core.setFailed(message)
}

/** Facts about the runner and the event that the plan needs. */
export interface RunnerEnv {
  home: string
  runnerTemp: string
  workspace: string
  os: string
  arch: string
  runId: string
  runAttempt: string
  /** GITHUB_JOB: the job's id in the workflow. */
  job: string
  ref: string
  eventName: string
  eventPath: string
  uid: number
  gid: number
  githubToken: string
  hostsFile: string
}

/** Reads the runner's environment (GitHub's documented default variables). */
export function readRunnerEnv(): RunnerEnv {
  const env = process.env
  const need = (name: string): string => {
    const value = env[name]
    if (!value) {
      throw new Error(
        `${name} is not set: this action must run in a GitHub Actions job (the runner sets it)`
      )
    }
    return value
  }
  return {
    home: env.HOME ?? need('HOME'),
    runnerTemp: need('RUNNER_TEMP'),
    workspace: env.GITHUB_WORKSPACE ?? process.cwd(),
    os: env.RUNNER_OS ?? (process.platform === 'darwin' ? 'macOS' : 'Linux'),
    arch: env.RUNNER_ARCH ?? (process.arch === 'arm64' ? 'ARM64' : 'X64'),
    runId: env.GITHUB_RUN_ID ?? '0',
    runAttempt: env.GITHUB_RUN_ATTEMPT ?? '1',
    job: env.GITHUB_JOB ?? '',
    ref: env.GITHUB_REF ?? '',
    eventName: env.GITHUB_EVENT_NAME ?? '',
    eventPath: env.GITHUB_EVENT_PATH ?? '',
    uid: process.getuid?.() ?? 0,
    gid: process.getgid?.() ?? 0,
    githubToken: env.GITHUB_TOKEN ?? '',
    // The local registry needs "127.0.0.1 <registry name>" in the runner's
    // hosts file (helm/kind-action does the same); overridable for tests and
    // for self-hosted runners where /etc/hosts is managed elsewhere.
    hostsFile: env.SKAFFOLD_KANIKO_CACHE_HOSTS_FILE ?? '/etc/hosts'
  }
}
