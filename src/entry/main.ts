import { runMain } from '../main.js'

await runMain()
// Exit once the work is done, keeping the exit code runMain set: a cache
// call stopped at its deadline or a keep-alive socket of the cache client
// must not keep Node, and so the step, alive. Flush stdout first, since a
// pipe is written asynchronously.
process.stdout.write('', () => process.exit())
