/**
 * The one way the action runs a command, in the manner of actions/checkout's
 * git command manager (src/git-command-manager.ts, execGit): an argument
 * array, never a shell; the output collected into a typed result; a minimal
 * environment (src/tool-env.ts); and output that is shown in the log is
 * fenced with `::stop-commands::`, so a line a tool prints cannot act as a
 * workflow command.
 *
 * Every command is recorded as a wait (src/adapters/waits.ts): the time
 * the action spends on a tool process is not its own work.
 *
 * `run` never throws (a missing executable is exit 127 with the reason in
 * stderr), `mustRun` throws a CommandError with the command's last lines,
 * `tryRun` answers whether the command succeeded.
 */
import { UserFixableError } from '../errors.js'
import * as core from './workflow-commands.js'
import * as exec from '@actions/exec'
import { randomUUID } from 'node:crypto'
import { toolEnvironment } from '../tool-env.js'
import { recordWait } from './waits.js'

/** The outcome of one command. */
export interface CommandResult {
  exitCode: number
  stdout: string
  stderr: string
}

export interface RunOptions {
  /** Written to the command's stdin. */
  input?: string
  /** Variables for this command only, on top of the minimal environment (values that must stay out of argv). */
  env?: Record<string, string>
  /**
   * The command line or its output carries a secret: nothing is shown in
   * the log, and a failure message names only the tool and its verb.
   */
  secret?: boolean
  cwd?: string
  /** Show the command line and its output in the log (fenced, see above). */
  log?: boolean
  /** Receives every output line (stdout and stderr) as it arrives. */
  onLine?: (line: string) => void
}

/** A command that had to succeed did not; the message has its last lines. */
export class CommandError extends UserFixableError {
  constructor(
    message: string,
    readonly exitCode: number,
    /** stderr then stdout, trimmed. */
    readonly output: string
  ) {
    super(message)
    this.name = 'CommandError'
  }
}

let passNames: readonly string[] = []

/**
 * Names of further variables the tools may see (the pass-env input). Set
 * once by the orchestrator; variables that are never passed stay out anyway.
 */
export function passEnvironment(names: readonly string[]): void {
  passNames = [...names]
}

/** The environment a command gets (exported for the tests). */
export function commandEnvironment(
  extra: Record<string, string> = {}
): Record<string, string> {
  return { ...toolEnvironment(process.env, passNames), ...extra }
}

/** Runs a command; never throws. */
export async function run(
  command: string,
  args: readonly string[],
  options: RunOptions = {}
): Promise<CommandResult> {
  const shown = options.log === true && options.secret !== true
  const lineListener = (line: string): void => {
    if (shown) core.info(line)
    options.onLine?.(line)
  }
  const execute = async (): Promise<CommandResult> => {
    if (shown) core.info(`[command]${[command, ...args].join(' ')}`)
    const started = Date.now()
    try {
      const result = await exec.getExecOutput(command, [...args], {
        ignoreReturnCode: true,
        silent: true,
        env: commandEnvironment(options.env),
        listeners: { stdline: lineListener, errline: lineListener },
        ...(options.cwd === undefined ? {} : { cwd: options.cwd }),
        ...(options.input === undefined
          ? {}
          : { input: Buffer.from(options.input) })
      })
      recordWait(command, started, Date.now())
      return result
    } catch (error) {
      // Not started (no such executable): no process to wait on.
      return {
        exitCode: 127,
        stdout: '',
        stderr: error instanceof Error ? error.message : String(error)
      }
    }
  }
  return shown ? withWorkflowCommandsStopped(core.info, execute) : execute()
}

/**
 * Runs a command that must succeed.
 * @throws CommandError naming the command (only its tool and verb when
 * secret) with its exit code and last lines.
 */
export async function mustRun(
  command: string,
  args: readonly string[],
  options: RunOptions = {}
): Promise<CommandResult> {
  const result = await run(command, args, options)
  if (result.exitCode !== 0) {
    const shown = options.secret
      ? `${command} ${args[0] ?? ''}`.trim()
      : [command, ...args].join(' ')
    throw new CommandError(
      `${shown} failed (exit ${result.exitCode}): ${lastLines(commandOutput(result), 3)}`,
      result.exitCode,
      commandOutput(result)
    )
  }
  return result
}

/** Runs a command whose failure is not an error; true when it succeeded. */
export async function tryRun(
  command: string,
  args: readonly string[],
  options: RunOptions = {}
): Promise<boolean> {
  return (await run(command, args, options)).exitCode === 0
}

/**
 * Runs fn between `::stop-commands::<token>` and `::<token>::`, so the lines
 * fn writes are shown as they are and never processed as workflow commands
 * (actions/runner src/Runner.Worker/ActionCommandManager.cs,
 * TryProcessCommand: while a stop token is set, only the command named by
 * the token resumes processing). The token is random per call, so the
 * output cannot guess it; the runner masks tokens longer than 6 characters.
 */
export async function withWorkflowCommandsStopped<T>(
  write: (line: string) => void,
  fn: () => Promise<T>
): Promise<T> {
  const token = randomUUID()
  write(`::stop-commands::${token}`)
  try {
    return await fn()
  } finally {
    write(`::${token}::`)
  }
}

/** stderr then stdout, trimmed, without empty parts. */
export function commandOutput(result: CommandResult): string {
  return [result.stderr.trim(), result.stdout.trim()]
    .filter((s) => s !== '')
    .join('\n')
}

/** The first line of what the command printed. */
export function firstLine(result: CommandResult): string {
  return commandOutput(result).split('\n')[0] ?? ''
}

/** The last non-empty lines of a text, joined with " | ". */
export function lastLines(text: string, count: number): string {
  const all = text
    .trim()
    .split('\n')
    .filter((l) => l.trim() !== '')
  return all.slice(-count).join(' | ') || 'no output'
}

/** The non-empty lines of a text, trimmed. */
export function lines(text: string): string[] {
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '')
}

/** Seconds since `started` (epoch ms), to the hundredth. */
export function elapsed(started: number): number {
  return Math.round((Date.now() - started) / 10) / 100
}
