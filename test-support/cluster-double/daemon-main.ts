/**
 * Child-process entry of the daemon:
 *   node --import tsx daemon-main.ts --home <dir> [--socket <path>] [--module-proxy <url>] [--node-platform linux/arm64] [--registries <json>]
 * Prints "ready" once it listens; stops on SIGTERM or SIGINT.
 */
import type { RegistryEndpoint } from '../registry/index.js'
import { startDockerDaemon } from './daemon.js'

function flag(name: string): string | undefined {
  const i = process.argv.indexOf(name)
  return i < 0 ? undefined : process.argv[i + 1]
}

/** --registries: JSON of host → { url, ca?, servername? } (StartDaemonOptions.registries). */
function registriesFlag(): Record<string, RegistryEndpoint> | undefined {
  const text = flag('--registries')
  return text === undefined
    ? undefined
    : (JSON.parse(text) as Record<string, RegistryEndpoint>)
}

const home = flag('--home') ?? process.env.CLUSTER_DOUBLE_HOME
if (home === undefined) {
  process.stderr.write(
    'cluster double daemon: --home <dir> (or CLUSTER_DOUBLE_HOME) is required\n'
  )
  process.exit(2)
}
const daemon = await startDockerDaemon({
  home,
  socketPath: flag('--socket'),
  moduleProxyUrl:
    flag('--module-proxy') ?? process.env.CLUSTER_DOUBLE_MODULE_PROXY,
  nodePlatform: flag('--node-platform'),
  registries: registriesFlag()
})
const stop = (): void => {
  void daemon.stop().then(() => process.exit(0))
}
process.on('SIGTERM', stop)
process.on('SIGINT', stop)
process.stdout.write(`listening on ${daemon.socketPath}\nready\n`)
