/**
 * The runner's command protocol, written directly: workflow commands on
 * stdout (`::warning file=…::message`) and file commands (GITHUB_OUTPUT,
 * GITHUB_STATE, GITHUB_PATH, GITHUB_STEP_SUMMARY), as documented in
 * https://docs.github.com/en/actions/reference/workflows-and-actions/workflow-commands
 * and encoded byte for byte as @actions/core does (actions/toolkit
 * packages/core/src/command.ts issueCommand, file-command.ts
 * prepareKeyValueMessage, core.ts getInput/getState/setFailed).
 *
 * Why not @actions/core itself: importing it loads its OIDC client's HTTP
 * stack (@actions/http-client and undici) at start, which roughly doubled
 * each step's time to its first log line (bench/startup.ts). The action
 * needs none of that to log; the cache and tool clients still load
 * @actions/core, and with it that stack, when they are first used.
 */
import { randomUUID } from 'node:crypto'
import { appendFileSync, constants, existsSync } from 'node:fs'
import { access, appendFile } from 'node:fs/promises'
import { EOL } from 'node:os'
import { delimiter as PATH_DELIMITER } from 'node:path'

/** Where an annotation points (the runner's `file`, `line`, `title`). */
export interface CommandProperties {
  file?: string
  line?: number
  title?: string
}

function escapeData(value: string): string {
  return value.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A')
}

function escapeProperty(value: string): string {
  return escapeData(value).replace(/:/g, '%3A').replace(/,/g, '%2C')
}

/** `::name key=value,…::message` on stdout; empty properties are left out. */
function formatCommand(
  name: string,
  properties: Record<string, string | number | undefined>,
  message: string
): string {
  const pairs = Object.entries(properties)
    .filter(([, value]) => value !== undefined && value !== '')
    .map(([key, value]) => `${key}=${escapeProperty(String(value))}`)
  const props = pairs.length > 0 ? ` ${pairs.join(',')}` : ''
  return `::${name}${props}::${escapeData(message)}`
}

function issue(
  name: string,
  message = '',
  properties: Record<string, string | number | undefined> = {}
): void {
  process.stdout.write(formatCommand(name, properties, message) + EOL)
}

/**
 * `name<<delimiter` … `delimiter`, with a delimiter that cannot occur in
 * the value (the runner reads everything up to the delimiter line).
 */
export function formatKeyValue(
  name: string,
  value: string,
  delimiter = `ghadelimiter_${randomUUID()}`
): string {
  if (name.includes(delimiter) || value.includes(delimiter)) {
    throw new Error(
      `file command ${name}: the name or value contains the delimiter ${delimiter}`
    )
  }
  return `${name}<<${delimiter}${EOL}${value}${EOL}${delimiter}`
}

/** Appends one record to the file GITHUB_<command> names; false when unset. */
function appendFileCommand(command: string, record: string): boolean {
  const file = process.env[`GITHUB_${command}`]
  if (!file) return false
  if (!existsSync(file)) throw new Error(`Missing file at path: ${file}`)
  appendFileSync(file, `${record}${EOL}`, { encoding: 'utf8' })
  return true
}

/** An input as the runner passes it (INPUT_<NAME>), trimmed. */
export function getInput(name: string): string {
  const variable = `INPUT_${name.replace(/ /g, '_').toUpperCase()}`
  return (process.env[variable] ?? '').trim()
}

export function setOutput(name: string, value: string): void {
  if (appendFileCommand('OUTPUT', formatKeyValue(name, value))) return
  // Outside a runner that has file commands: the older stdout form.
  process.stdout.write(EOL)
  issue('set-output', value, { name })
}

export function saveState(name: string, value: string): void {
  if (appendFileCommand('STATE', formatKeyValue(name, value))) return
  issue('save-state', value, { name })
}

/** What main saved under name, which the runner passes to post as STATE_<name>. */
export function getState(name: string): string {
  return process.env[`STATE_${name}`] ?? ''
}

/** Prepends dir to PATH for this step and every later one. */
export function addPath(dir: string): void {
  if (!appendFileCommand('PATH', dir)) issue('add-path', dir)
  process.env.PATH = `${dir}${PATH_DELIMITER}${process.env.PATH ?? ''}`
}

export function info(message: string): void {
  process.stdout.write(message + EOL)
}

export function debug(message: string): void {
  issue('debug', message)
}

// In @actions/core's order (toCommandProperties): title, file, line.
const annotation = (
  where: CommandProperties
): Record<string, string | number | undefined> => ({
  title: where.title,
  file: where.file,
  line: where.line
})

export function warning(message: string, where: CommandProperties = {}): void {
  issue('warning', message, annotation(where))
}

export function error(message: string, where: CommandProperties = {}): void {
  issue('error', message, annotation(where))
}

/** Masks value in every later line of the job's log. */
export function setSecret(value: string): void {
  issue('add-mask', value)
}

/** Fails the step: exit code 1 and an error annotation. */
export function setFailed(message: string): void {
  process.exitCode = 1
  error(message)
}

/** Runs fn inside a collapsible `::group::`. */
export async function group<T>(name: string, fn: () => Promise<T>): Promise<T> {
  issue('group', name)
  try {
    return await fn()
  } finally {
    issue('endgroup')
  }
}

/** Appends to the job summary file (GITHUB_STEP_SUMMARY). */
export async function appendStepSummary(text: string): Promise<void> {
  const file = process.env.GITHUB_STEP_SUMMARY
  if (!file) {
    throw new Error(
      'Unable to find environment variable for $GITHUB_STEP_SUMMARY. Check if your runtime environment supports job summaries.'
    )
  }
  try {
    await access(file, constants.R_OK | constants.W_OK)
  } catch {
    throw new Error(
      `Unable to access summary file: '${file}'. Check if the file has correct read/write permissions.`
    )
  }
  await appendFile(file, text + EOL, { encoding: 'utf8' })
}
