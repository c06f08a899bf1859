/**
 * Entry of the double executables: `cli.ts <tool> [args...]`. Kept to the
 * client's imports only, so each command starts fast.
 */
import { runClient } from './client.js'
import type { ToolName } from './protocol.js'

const [tool, ...args] = process.argv.slice(2)
process.exitCode = await runClient(tool as ToolName, args)
