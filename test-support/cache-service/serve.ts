/**
 * Runs the local cache service as a standalone process for the demo:
 *
 *   npx tsx test-support/cache-service/serve.ts [--port N] [--write-env PATH]
 *
 * Prints the URL and the env snippet for the client, then serves until
 * SIGINT or SIGTERM.
 */
import { startCacheService, writeEnvFile } from './server.js'

const args = process.argv.slice(2)
const option = (name: string): string | undefined => {
  const i = args.indexOf(name)
  return i >= 0 ? args[i + 1] : undefined
}

const service = await startCacheService({
  port: Number(option('--port') ?? 0)
})
const envFile = option('--write-env')
if (envFile) await writeEnvFile(service, envFile)
process.stdout.write(`cache service listening on ${service.url}\n`)
for (const [k, v] of Object.entries(service.env)) {
  process.stdout.write(`${k}=${v}\n`)
}

const shutdown = (): void => {
  void service.stop().then(() => process.exit(0))
}
process.on('SIGINT', shutdown)
process.on('SIGTERM', shutdown)
