/**
 * Runs the bundled action (dist/main/index.js, then dist/post/index.js) the
 * way a GitHub-hosted runner runs a `uses:` step with `post-if: always()`,
 * as the runner's uid 1001 when the tests run as root (runner-user.ts).
 * Runner behaviour followed:
 * https://docs.github.com/en/actions/reference/workflows-and-actions/variables
 */
import { chown, mkdir, mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { delimiter, dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { staleDist } from './dist-stamp.js'
import { runStep, type StepResult } from './run-step.js'
import {
  chownTree,
  describeRunnerUser,
  makeReachable,
  pathFor,
  runnerUser,
  type RunnerUser
} from './runner-user.js'

/** The repository root, where action.yml and dist/ live. */
export const REPO_ROOT = resolve(
  dirname(fileURLToPath(import.meta.url)),
  '..',
  '..'
)

/** The two events the harness can present; the default branch is `main`. */
export type EventPreset = 'push-default-branch' | 'pull-request'

/** An event given in full, for cases the presets do not cover. */
export interface CustomEvent {
  name: string
  ref: string
  refName: string
  payload: Record<string, unknown>
  /** Extra variables such as GITHUB_HEAD_REF / GITHUB_BASE_REF. */
  env?: Record<string, string>
}

/** How to run the action once (one job). */
export interface RunActionOptions {
  /** `with:` values by input name as written in action.yml (`save-cache`). */
  inputs?: Record<string, string>
  /** GITHUB_WORKSPACE and the working directory of both steps. */
  workspace: string
  /**
   * The "runner machine": HOME is `<machineDir>/home` and RUNNER_TOOL_CACHE
   * `<machineDir>/tool-cache`. Use two fresh dirs for a cold and a warm run
   * on two fresh machines, or the same one to keep the tool cache.
   */
  machineDir: string
  /** Where dist/ lives; defaults to this repository. */
  actionDir?: string
  /** Defaults to a push to the default branch. */
  event?: EventPreset | CustomEvent
  /** GITHUB_RUN_ID; defaults to a number unique to this call. */
  runId?: number
  /** GITHUB_RUN_ATTEMPT; defaults to 1. */
  runAttempt?: number
  /** Extra env for both steps (cache service, DOCKER_HOST, ...); wins over the defaults. */
  env?: Record<string, string>
  /** Directories put in front of PATH for both steps (the cluster double, say). */
  pathPrepend?: string[]
  /** RUNNER_OS; defaults from the host. */
  runnerOs?: 'Linux' | 'macOS' | 'Windows'
  /** RUNNER_ARCH; defaults from the host. */
  runnerArch?: 'X64' | 'ARM64' | 'ARM' | 'X86'
  /** Time limit of each step in ms; the step is killed after it. Default 600000 (a guard against hangs, with room for a loaded machine). */
  timeoutMs?: number
  /** Directory for this job's files (RUNNER_TEMP, step files); defaults to a new temp dir. */
  runDir?: string
  /**
   * Who runs the steps: by default uid 1001 when the tests run as root (see
   * runner-user.ts), else the current user; `current` keeps the current user.
   */
  user?: RunnerUser | 'current'
  /**
   * A later step of the job, run after main and before post (as the steps
   * after a `uses:` step run before its post): it gets main's outputs and
   * GITHUB_ENV exports.
   */
  afterMain?: (main: {
    outputs: Record<string, string>
    env: Record<string, string>
  }) => Promise<void>
}

/** What one run of the action (main then post) left behind. */
export interface ActionRun {
  main: StepResult
  post: StepResult
  /** Outputs main set (GITHUB_OUTPUT). */
  outputs: Record<string, string>
  /** State main saved (GITHUB_STATE), as handed to post. */
  state: Record<string, string>
  /** The job summary: main's step summary followed by post's, as the runner shows them. */
  summary: string
  /** Variables main exported through GITHUB_ENV (post and later steps see them). */
  env: Record<string, string>
  /** Directories main added through GITHUB_PATH, in the order added. */
  path: string[]
  /** Outputs and env written by post (a post step's outputs are unused by the runner). */
  postFiles: { outputs: Record<string, string>; env: Record<string, string> }
  /** The job's directory: RUNNER_TEMP, the event file and each step's files. */
  runDir: string
}

const DEFAULT_BRANCH = 'main'
const REPOSITORY = 'example/skaffold-kaniko-cache-test'
let runCounter = 0

/** The GITHUB_* event variables and payload for a preset. */
export function describeEvent(event: EventPreset | CustomEvent): CustomEvent {
  if (typeof event !== 'string') return event
  const repository = {
    full_name: REPOSITORY,
    name: REPOSITORY.split('/')[1],
    default_branch: DEFAULT_BRANCH
  }
  if (event === 'push-default-branch') {
    return {
      name: 'push',
      ref: `refs/heads/${DEFAULT_BRANCH}`,
      refName: DEFAULT_BRANCH,
      payload: { ref: `refs/heads/${DEFAULT_BRANCH}`, repository }
    }
  }
  return {
    name: 'pull_request',
    ref: 'refs/pull/7/merge',
    refName: '7/merge',
    payload: {
      action: 'synchronize',
      number: 7,
      pull_request: {
        number: 7,
        head: { ref: 'feature/cache' },
        base: { ref: DEFAULT_BRANCH }
      },
      repository
    },
    env: { GITHUB_HEAD_REF: 'feature/cache', GITHUB_BASE_REF: DEFAULT_BRANCH }
  }
}

/** The runner's INPUT_ variable name: spaces to `_`, uppercased, hyphens kept. */
export function inputVariable(name: string): string {
  return `INPUT_${name.replace(/ /g, '_').toUpperCase()}`
}

function hostOs(): 'Linux' | 'macOS' | 'Windows' {
  if (process.platform === 'darwin') return 'macOS'
  if (process.platform === 'win32') return 'Windows'
  return 'Linux'
}

function hostArch(): 'X64' | 'ARM64' | 'ARM' | 'X86' {
  if (process.arch === 'arm64') return 'ARM64'
  if (process.arch === 'arm') return 'ARM'
  if (process.arch === 'ia32') return 'X86'
  return 'X64'
}

// Variables taken from the host: enough to find programs and keep proxy
// settings. Nothing else leaks in (a CI host's own GITHUB_*, ACTIONS_* and
// NODE_OPTIONS would change what the action does).
const HOST_VARIABLES = [
  'PATH',
  'LANG',
  'LC_ALL',
  'TZ',
  'HTTP_PROXY',
  'HTTPS_PROXY',
  'http_proxy',
  'https_proxy'
]

/** Loopback never goes through a proxy (the Azure SDK honours only NO_PROXY). */
function noProxy(): string {
  const given = process.env.NO_PROXY ?? process.env.no_proxy ?? ''
  return [given, '127.0.0.1', 'localhost'].filter((v) => v !== '').join(',')
}

/**
 * Runs main, then post (always, as `post-if: always()` asks), with the env a
 * hosted runner gives: INPUT_*, GITHUB_* file commands (fresh per step),
 * STATE_* from main's state records, main's GITHUB_ENV exports and GITHUB_PATH
 * entries (prepended to PATH), RUNNER_*, HOME and the event.
 */
export async function runAction(options: RunActionOptions): Promise<ActionRun> {
  const actionDir = options.actionDir ?? REPO_ROOT
  // Tests of an old bundle would pass or fail for the wrong code.
  const stale = staleDist(actionDir)
  if (stale !== undefined) throw new Error(stale)
  const runDir =
    options.runDir ?? (await mkdtemp(join(tmpdir(), 'runner-harness-')))
  const runId = options.runId ?? Date.now() * 100 + (runCounter++ % 100)
  const event = describeEvent(options.event ?? 'push-default-branch')
  const home = join(options.machineDir, 'home')
  const toolCache = join(options.machineDir, 'tool-cache')
  const runnerTemp = join(runDir, 'runner-temp')
  for (const dir of [home, toolCache, runnerTemp]) {
    await mkdir(dir, { recursive: true })
  }
  const eventPath = join(runDir, 'event.json')
  await writeFile(eventPath, JSON.stringify(event.payload, null, 2))
  const user =
    options.user === 'current' ? undefined : (options.user ?? runnerUser())
  if (options.user === undefined) describeRunnerUser()
  if (user) {
    // The runner user owns its job dir, checkout, HOME and tool cache, as on
    // a hosted runner. HOME and the tool cache are not chowned recursively:
    // what an earlier job left there stays as it was (root-owned cache files
    // included), as on a self-hosted machine.
    for (const dir of [
      actionDir,
      options.workspace,
      options.machineDir,
      runDir
    ])
      await makeReachable(dir)
    await chownTree(runDir, user)
    await chownTree(options.workspace, user)
    for (const dir of [options.machineDir, home, toolCache])
      await chown(dir, user.uid, user.gid)
  }

  const host: Record<string, string> = {}
  for (const name of HOST_VARIABLES) {
    const value = process.env[name]
    if (value !== undefined) host[name] = value
  }
  // A PATH in options.env replaces the host's; pathPrepend goes in front of either.
  const givenPath = options.env?.PATH ?? host.PATH ?? ''
  const basePath = [
    ...(options.pathPrepend ?? []),
    user ? pathFor(givenPath, user) : givenPath
  ]
    .filter((p) => p !== '')
    .join(delimiter)
  const inputs: Record<string, string> = {}
  for (const [name, value] of Object.entries(options.inputs ?? {})) {
    inputs[inputVariable(name)] = value
  }
  const base: Record<string, string> = {
    ...host,
    NO_PROXY: noProxy(),
    no_proxy: noProxy(),
    CI: 'true',
    GITHUB_ACTIONS: 'true',
    HOME: home,
    RUNNER_OS: options.runnerOs ?? hostOs(),
    RUNNER_ARCH: options.runnerArch ?? hostArch(),
    RUNNER_NAME: 'runner-harness',
    RUNNER_ENVIRONMENT: 'github-hosted',
    RUNNER_TEMP: runnerTemp,
    RUNNER_TOOL_CACHE: toolCache,
    GITHUB_WORKSPACE: options.workspace,
    GITHUB_REPOSITORY: REPOSITORY,
    GITHUB_REPOSITORY_OWNER: REPOSITORY.split('/')[0],
    GITHUB_RUN_ID: String(runId),
    GITHUB_RUN_NUMBER: '1',
    GITHUB_RUN_ATTEMPT: String(options.runAttempt ?? 1),
    GITHUB_JOB: 'build',
    GITHUB_WORKFLOW: 'runner-harness',
    GITHUB_ACTION: '__self',
    GITHUB_ACTOR: 'runner-harness',
    GITHUB_SHA: '0'.repeat(40),
    GITHUB_EVENT_NAME: event.name,
    GITHUB_EVENT_PATH: eventPath,
    GITHUB_REF: event.ref,
    GITHUB_REF_NAME: event.refName,
    GITHUB_REF_TYPE: 'branch',
    ...(event.env ?? {}),
    ...inputs,
    ...(options.env ?? {}),
    PATH: basePath
  }
  const timeoutMs = options.timeoutMs ?? 600_000

  const main = await runStep({
    script: join(actionDir, 'dist', 'main', 'index.js'),
    env: base,
    cwd: options.workspace,
    stepDir: join(runDir, 'main'),
    timeoutMs,
    user
  })

  await options.afterMain?.({
    outputs: { ...main.files.outputs },
    env: { ...main.files.env }
  })

  const stateEnv: Record<string, string> = {}
  for (const [name, value] of Object.entries(main.files.state)) {
    // The runner keeps the name as written: STATE_<name>, no uppercasing.
    stateEnv[`STATE_${name}`] = value
  }
  // Each GITHUB_PATH line is prepended, so the last one added comes first.
  const postPath = [...main.files.path].reverse()
  const postEnv: Record<string, string> = {
    ...base,
    ...main.files.env,
    ...stateEnv,
    PATH: [...postPath, main.files.env.PATH ?? basePath].join(delimiter)
  }
  const post = await runStep({
    script: join(actionDir, 'dist', 'post', 'index.js'),
    env: postEnv,
    cwd: options.workspace,
    stepDir: join(runDir, 'post'),
    timeoutMs,
    user
  })

  const summary = main.files.summary + post.files.summary
  await writeFile(join(runDir, 'job-summary.md'), summary)
  const { files: mainFiles, ...mainResult } = main
  const { files: postFiles, ...postResult } = post
  return {
    main: mainResult,
    post: postResult,
    outputs: mainFiles.outputs,
    state: mainFiles.state,
    summary,
    env: mainFiles.env,
    path: mainFiles.path,
    postFiles: { outputs: postFiles.outputs, env: postFiles.env },
    runDir
  }
}
