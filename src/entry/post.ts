import { inPhase } from '../adapters/waits.js'
import { warning } from '../adapters/workflow-commands.js'
import { runPost } from '../post.js'

try {
  await inPhase('post', runPost)
} catch (error) {
  // The post step warns, never fails the job.
  warning(
    `post step: ${String(error instanceof Error ? error.message : error)}`
  )
}
// Exit once the work is done: a dangling HTTP retry inside the cache client
// can keep Node alive for minutes (actions/setup-node#878, actions/cache#1217).
// Flush stdout first, since a pipe is written asynchronously.
process.stdout.write('', () => process.exit(0))
