import { runPost } from '../post.js'

await runPost()
// Exit once the work is done: a dangling HTTP retry inside the cache client
// can keep Node alive for minutes (actions/setup-node#878, actions/cache#1217).
// Flush stdout first, since a pipe is written asynchronously.
process.stdout.write('', () => process.exit(0))
