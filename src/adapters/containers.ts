/**
 * Docker containers the action runs beside a kind cluster: what is there
 * under a name, and the removal of what this run started.
 */
import { LABELS, type ExistingContainer } from '../kind/containers.js'
import { ClusterError } from './cluster-error.js'
import { commandOutput, firstLine, lines, run } from './exec.js'

// The state and labels in one line: `true {"k":"v"}` (`null` without labels).
const INSPECT_FORMAT = '{{json .State.Running}} {{json .Config.Labels}}'

/**
 * The container of that name, or undefined when there is none.
 * @throws ClusterError when docker fails otherwise.
 */
export async function inspectContainer(
  name: string
): Promise<ExistingContainer | undefined> {
  const result = await run('docker', [
    'inspect',
    '--type',
    'container',
    '--format',
    INSPECT_FORMAT,
    '--',
    name
  ])
  if (result.exitCode !== 0) {
    if (/No such (object|container)/i.test(commandOutput(result))) {
      return undefined
    }
    throw new ClusterError(
      `docker inspect ${name} failed (exit ${result.exitCode}): ${firstLine(result)}`,
      commandOutput(result)
    )
  }
  const line = result.stdout.trim()
  const match = /^(true|false) (null|\{.*\})$/.exec(line)
  if (match === null) {
    throw new ClusterError(
      `docker inspect ${name} printed ${JSON.stringify(line)}, not "<running> <labels as JSON>"`
    )
  }
  const labels = JSON.parse(match[2]) as Record<string, string> | null
  return { running: match[1] === 'true', labels: labels ?? {} }
}

/**
 * Removes those of `names` that carry this run's label (`docker ps -a
 * --filter label=...`, then `docker rm -f`), so a container of the same
 * name that another job started is left alone. Never throws.
 */
export async function removeRunContainers(
  names: readonly string[],
  runLabel: string
): Promise<{ removed: string[]; warnings: string[] }> {
  if (names.length === 0) return { removed: [], warnings: [] }
  const listed = await run('docker', [
    'ps',
    '-a',
    '--filter',
    `label=${LABELS.run}=${runLabel}`,
    '--format',
    '{{.Names}}'
  ])
  if (listed.exitCode !== 0) {
    return {
      removed: [],
      warnings: [
        `docker ps -a --filter label=${LABELS.run}=${runLabel} failed (exit ${listed.exitCode}): ${firstLine(listed)}; not removing ${names.join(', ')}`
      ]
    }
  }
  const ours = new Set(lines(listed.stdout))
  const targets = names.filter((name) => ours.has(name))
  if (targets.length === 0) return { removed: [], warnings: [] }
  // With -f, a container that went meanwhile is not an error: docker/cli
  // before v29.7 prints "No such container" on stderr and exits 0, later
  // versions print nothing (docker/cli cli/command/container/rm.go, runRm).
  const result = await run('docker', ['rm', '-f', '--', ...targets])
  if (result.exitCode !== 0) {
    return {
      removed: [],
      warnings: [
        `docker rm -f ${targets.join(' ')} failed (exit ${result.exitCode}): ${firstLine(result)}`
      ]
    }
  }
  const printed = new Set(lines(result.stdout))
  return { removed: targets.filter((n) => printed.has(n)), warnings: [] }
}
