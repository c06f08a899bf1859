/** Runs a process with an argument array (never a shell) and collects its output. */
import { spawn } from 'node:child_process'

/** The outcome of a finished process. */
export interface ProcessResult {
  code: number
  stdout: Buffer
  stderr: Buffer
}

/** Options for runProcess. */
export interface RunProcessOptions {
  cwd?: string
  env?: NodeJS.ProcessEnv
  input?: Buffer
  /** Run as this uid/gid (the daemon must be root). */
  uid?: number
  gid?: number
  /** Called with each chunk as it arrives (for streamed build logs). */
  onStdout?: (chunk: Buffer) => void
  onStderr?: (chunk: Buffer) => void
}

/** Runs `command args` and resolves with its exit code and output; rejects only if it cannot start. */
export function runProcess(
  command: string,
  args: readonly string[],
  options: RunProcessOptions = {}
): Promise<ProcessResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env,
      stdio: ['pipe', 'pipe', 'pipe'],
      ...(options.uid === undefined ? {} : { uid: options.uid }),
      ...(options.gid === undefined ? {} : { gid: options.gid })
    })
    const out: Buffer[] = []
    const err: Buffer[] = []
    child.stdout.on('data', (chunk: Buffer) => {
      out.push(chunk)
      options.onStdout?.(chunk)
    })
    child.stderr.on('data', (chunk: Buffer) => {
      err.push(chunk)
      options.onStderr?.(chunk)
    })
    child.on('error', reject)
    child.on('close', (code, signal) =>
      resolve({
        code: code ?? (signal ? 128 : 1),
        stdout: Buffer.concat(out),
        stderr: Buffer.concat(err)
      })
    )
    child.stdin.on('error', () => undefined)
    child.stdin.end(options.input ?? Buffer.alloc(0))
  })
}
