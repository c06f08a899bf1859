import { fail, log, readRunnerEnv } from '../adapters/actions.js'
import { readInputs } from '../adapters/action-inputs.js'
import { startMain } from '../start.js'

// The rest of the action is loaded only once the inputs are known good.
if (startMain({ fail, log, readInputs, readRunnerEnv })) {
  const { runMain } = await import('../main.js')
  await runMain()
}
// Exit once the work is done, keeping the exit code runMain set: a cache
// call stopped at its deadline or a keep-alive socket of the cache client
// must not keep Node, and so the step, alive. Flush stdout first, since a
// pipe is written asynchronously.
process.stdout.write('', () => process.exit())
