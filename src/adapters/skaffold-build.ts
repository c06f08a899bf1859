/**
 * Runs `skaffold build`, streaming its output into the log line by line with
 * secrets redacted, and keeping the last lines for the failure message.
 */
import { promises as fs } from 'node:fs'
import { parseBuildOutput, type BuiltImage } from '../build-command.js'
import { run, withWorkflowCommandsStopped } from './exec.js'

export interface SkaffoldBuildResult {
  exitCode: number
  seconds: number
  startedAt: number
  images: BuiltImage[]
  /** The last lines skaffold printed (kaniko's log ends up there), redacted. */
  tail: string[]
}

const TAIL_LINES = 40

/**
 * Runs skaffold with args in cwd. Output goes to the log through redact(),
 * so a credential in a GOPROXY URL never reaches the log even where the
 * runner's own masking does not apply, and between stop-commands markers:
 * skaffold relays kaniko's output and so whatever a Dockerfile's RUN
 * prints, and a line such as `::add-mask::` or `::error::` must stay text.
 */
export async function runSkaffoldBuild(
  skaffold: string,
  args: string[],
  cwd: string,
  fileOutput: string,
  redact: (line: string) => string,
  writeLine: (line: string) => void
): Promise<SkaffoldBuildResult> {
  const tail: string[] = []
  const emit = (line: string): void => {
    const clean = redact(line)
    writeLine(clean)
    tail.push(clean)
    if (tail.length > TAIL_LINES) tail.shift()
  }
  await fs.rm(fileOutput, { force: true })
  const startedAt = Date.now()
  const { exitCode } = await withWorkflowCommandsStopped(writeLine, () =>
    run(skaffold, args, { cwd, onLine: emit })
  )
  const seconds = (Date.now() - startedAt) / 1000
  const output = await fs.readFile(fileOutput, 'utf8').catch(() => '')
  return {
    exitCode,
    seconds,
    startedAt,
    images: parseBuildOutput(output),
    tail
  }
}
