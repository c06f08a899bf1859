/**
 * The daemon's log of the commands it is asked to run: one JSON line per
 * client process, `{"tool":"docker","args":[...]}`, in CLUSTER_DOUBLE_HOME's
 * `commands.jsonl`. It lets a test count the tool processes a run started.
 * Commands the client answers alone (`kind version`, `kubectl version
 * --client`, `skaffold version`) never reach the daemon and are not listed.
 */
import { appendFileSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { ToolName } from './protocol.js'

/** One logged command. */
export interface LoggedCommand {
  tool: ToolName
  args: string[]
}

const FILE = 'commands.jsonl'

/** Appends one command; synchronous, so the lines keep the arrival order. */
export function logCommand(home: string, command: LoggedCommand): void {
  appendFileSync(
    join(home, FILE),
    `${JSON.stringify({ tool: command.tool, args: command.args })}\n`
  )
}

/** The commands the daemon of that home was asked to run, oldest first. */
export async function readCommandLog(home: string): Promise<LoggedCommand[]> {
  const text = await readFile(join(home, FILE), 'utf8').catch(
    (error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return ''
      throw error
    }
  )
  return text
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as LoggedCommand)
}
