/**
 * Runs one JavaScript action step the way the GitHub runner does: `node
 * <script>` with an env object (INPUT_ names keep their hyphens, which a
 * shell `export` cannot express), fresh empty file-command files, and a kill
 * after a time limit.
 */
import { spawn } from 'node:child_process'
import { chown, mkdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import {
  parseAnnotations,
  parseFileCommands,
  parsePathFile,
  type Annotation
} from './file-commands.js'
import type { RunnerUser } from './runner-user.js'

/** What one step did. */
export interface StepResult {
  /** The exit code; 1 when the step was killed or died from a signal. */
  exitCode: number
  stdout: string
  stderr: string
  /** stdout and stderr interleaved in the order the chunks arrived. */
  log: string
  annotations: Annotation[]
  durationMs: number
  /** True when the harness killed the step after its time limit. */
  timedOut: boolean
  /** The signal that ended the step, if any. */
  signal: NodeJS.Signals | null
}

/** The files a step wrote through the runner's file commands, parsed. */
export interface StepFiles {
  /** GITHUB_OUTPUT records. */
  outputs: Record<string, string>
  /** GITHUB_STATE records, handed to the post step as STATE_<name>. */
  state: Record<string, string>
  /** GITHUB_ENV records, exported to later steps. */
  env: Record<string, string>
  /** GITHUB_PATH entries in the order they were added. */
  path: string[]
  /** This step's GITHUB_STEP_SUMMARY text. */
  summary: string
}

/** How to run one step. */
export interface RunStepOptions {
  /** The JavaScript file to run with `node`. */
  script: string
  /** The whole environment of the step, without the GITHUB_* file variables. */
  env: Record<string, string>
  /** Working directory (GITHUB_WORKSPACE on the runner). */
  cwd: string
  /** A fresh directory for this step's file-command files; created when missing. */
  stepDir: string
  /** Kill the step (and everything it started) after this many milliseconds. */
  timeoutMs: number
  /** The node binary; defaults to the one running the tests. */
  node?: string
  /** Run the step as this uid/gid (the harness must be root); the step's files become theirs. */
  user?: RunnerUser
}

/** A step's result together with the file commands it wrote. */
export type StepRun = StepResult & { files: StepFiles }

const FILE_VARIABLES = {
  GITHUB_OUTPUT: 'output',
  GITHUB_STATE: 'state',
  GITHUB_ENV: 'env',
  GITHUB_PATH: 'path',
  GITHUB_STEP_SUMMARY: 'step-summary.md'
} as const

/**
 * Runs one step: creates its empty file-command files (@actions/core throws
 * "Missing file at path" when a named file does not exist), spawns node, and
 * parses what the step wrote.
 */
export async function runStep(options: RunStepOptions): Promise<StepRun> {
  await mkdir(options.stepDir, { recursive: true })
  const fileEnv: Record<string, string> = {}
  for (const [variable, name] of Object.entries(FILE_VARIABLES)) {
    const path = join(options.stepDir, name)
    await writeFile(path, '')
    if (options.user) await chown(path, options.user.uid, options.user.gid)
    fileEnv[variable] = path
  }
  if (options.user)
    await chown(options.stepDir, options.user.uid, options.user.gid)
  const result = await spawnStep(options, { ...options.env, ...fileEnv })
  const read = (variable: keyof typeof FILE_VARIABLES): Promise<string> =>
    readFile(fileEnv[variable], 'utf8')
  const files: StepFiles = {
    outputs: parseFileCommands(await read('GITHUB_OUTPUT')),
    state: parseFileCommands(await read('GITHUB_STATE')),
    env: parseFileCommands(await read('GITHUB_ENV')),
    path: parsePathFile(await read('GITHUB_PATH')),
    summary: await read('GITHUB_STEP_SUMMARY')
  }
  return { ...result, files }
}

function spawnStep(
  options: RunStepOptions,
  env: Record<string, string>
): Promise<StepResult> {
  const started = Date.now()
  return new Promise((resolve, reject) => {
    // detached: the step gets its own process group, so a timeout can kill
    // the children it started (cluster double, go build) along with it.
    const child = spawn(options.node ?? process.execPath, [options.script], {
      cwd: options.cwd,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
      ...(options.user ? { uid: options.user.uid, gid: options.user.gid } : {})
    })
    const stdout: Buffer[] = []
    const stderr: Buffer[] = []
    const log: Buffer[] = []
    // After the process has exited, output still arriving keeps the pipes
    // open (a loaded machine may deliver it late): see the exit handler.
    let onLateData = (): void => undefined
    child.stdout.on('data', (chunk: Buffer) => {
      stdout.push(chunk)
      log.push(chunk)
      onLateData()
    })
    child.stderr.on('data', (chunk: Buffer) => {
      stderr.push(chunk)
      log.push(chunk)
      onLateData()
    })
    let timedOut = false
    const timer = setTimeout(() => {
      timedOut = true
      killGroup(child.pid)
    }, options.timeoutMs)
    child.on('error', (error) => {
      clearTimeout(timer)
      reject(error)
    })
    let settled = false
    let grace: NodeJS.Timeout | undefined
    const finish = (
      code: number | null,
      signal: NodeJS.Signals | null
    ): void => {
      if (settled) return
      settled = true
      clearTimeout(timer)
      clearTimeout(grace)
      let errText = Buffer.concat(stderr).toString('utf8')
      let logText = Buffer.concat(log).toString('utf8')
      if (timedOut) {
        const note = `[runner-harness] step ${options.script} killed after ${options.timeoutMs} ms (time limit)\n`
        errText += note
        logText += note
      }
      const outText = Buffer.concat(stdout).toString('utf8')
      resolve({
        exitCode: code ?? 1,
        stdout: outText,
        stderr: errText,
        log: logText,
        annotations: parseAnnotations(outText),
        durationMs: Date.now() - started,
        timedOut,
        signal
      })
    }
    child.on('close', finish)
    child.on('exit', (code, signal) => {
      // The runner ends a step when its process exits. A background process
      // the step started may still hold the pipes open (on the runner it
      // keeps running until the job ends), so stop reading once the pipes
      // have been quiet for a while; output that still arrives is kept.
      const stop = (): void => {
        child.stdout.destroy()
        child.stderr.destroy()
        finish(code, signal)
      }
      grace = setTimeout(stop, STDIO_QUIET_MS)
      onLateData = () => {
        clearTimeout(grace)
        grace = setTimeout(stop, STDIO_QUIET_MS)
      }
    })
  })
}

/** How long the pipes must stay quiet after the step's process has exited. */
const STDIO_QUIET_MS = 5000

function killGroup(pid: number | undefined): void {
  if (pid === undefined) return
  try {
    process.kill(-pid, 'SIGKILL')
  } catch {
    // The group is already gone.
  }
}
