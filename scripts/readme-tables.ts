/**
 * The README's inputs and outputs tables, made from action.yml so the two
 * cannot drift apart, and the check that holds action.yml, src/inputs/names.ts and
 * the README equal (used by __tests__/action-metadata.test.ts).
 *
 *   npx tsx scripts/readme-tables.ts           print both tables
 *   npx tsx scripts/readme-tables.ts --write   rewrite them in README.md
 *   npx tsx scripts/readme-tables.ts --check   exit 1 and list what differs
 */
import { readFileSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import * as prettier from 'prettier'
import { parse } from 'yaml'
import { INPUT_DEFAULTS, INPUT_NAMES } from '../src/inputs.js'

/** One input or output as action.yml declares it. */
export interface ActionField {
  name: string
  description: string
  /** Inputs only; '' when action.yml gives none. */
  default: string
}

/** action.yml's inputs, outputs and runs block. */
export interface ActionMetadata {
  inputs: ActionField[]
  outputs: ActionField[]
  runs: Record<string, unknown>
}

/** Markers around the generated tables in README.md. */
export const MARKERS = {
  inputs: ['<!-- inputs:start -->', '<!-- inputs:end -->'],
  outputs: ['<!-- outputs:start -->', '<!-- outputs:end -->']
} as const

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..')

// The runner reads every default as a string; an unquoted `true` or `5000`
// in action.yml means the same text.
function scalarText(value: unknown): string {
  if (value === undefined || value === null) return ''
  if (typeof value === 'string') return value
  if (typeof value === 'number' || typeof value === 'boolean') {
    return String(value)
  }
  return JSON.stringify(value)
}

/** Parses action.yml text into its inputs, outputs and runs block. */
export function parseActionMetadata(text: string): ActionMetadata {
  const doc = (parse(text) ?? {}) as {
    inputs?: Record<string, { description?: unknown; default?: unknown }>
    outputs?: Record<string, { description?: unknown }>
    runs?: Record<string, unknown>
  }
  const field = (
    name: string,
    spec: { description?: unknown; default?: unknown } | null
  ): ActionField => ({
    name,
    description:
      typeof spec?.description === 'string' ? spec.description.trim() : '',
    default: scalarText(spec?.default)
  })
  return {
    inputs: Object.entries(doc.inputs ?? {}).map(([n, s]) => field(n, s)),
    outputs: Object.entries(doc.outputs ?? {}).map(([n, s]) => field(n, s)),
    runs: doc.runs ?? {}
  }
}

function cell(text: string): string {
  return text.replace(/\r?\n/g, ' ').replace(/\|/g, '\\|')
}

function code(text: string): string {
  return text === '' ? '' : `\`${text}\``
}

/** The inputs table: `| Input | Default | Description |`, names and defaults in backticks. */
export function renderInputsTable(metadata: ActionMetadata): string {
  return [
    '| Input | Default | Description |',
    '| --- | --- | --- |',
    ...metadata.inputs.map(
      (i) =>
        `| ${code(i.name)} | ${code(cell(i.default))} | ${cell(i.description)} |`
    )
  ].join('\n')
}

/** The outputs table: `| Output | Description |`. */
export function renderOutputsTable(metadata: ActionMetadata): string {
  return [
    '| Output | Description |',
    '| --- | --- |',
    ...metadata.outputs.map(
      (o) => `| ${code(o.name)} | ${cell(o.description)} |`
    )
  ].join('\n')
}

/** A row of a README table, cells unescaped and backticks removed. */
export type TableRow = string[]

/** Reads the table between a pair of markers; undefined when the markers are missing. */
export function readTable(
  readme: string,
  [start, end]: readonly [string, string]
): TableRow[] | undefined {
  const from = readme.indexOf(start)
  const to = readme.indexOf(end)
  if (from < 0 || to < from) return undefined
  return readme
    .slice(from + start.length, to)
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.startsWith('|'))
    .slice(2) // header and separator
    .map((line) =>
      line
        .slice(1, line.endsWith('|') ? -1 : undefined)
        .split(/(?<!\\)\|/)
        .map((c) =>
          c
            .trim()
            .replace(/\\\|/g, '|')
            .replace(/^`(.*)`$/, '$1')
        )
    )
}

/** Replaces the text between each pair of markers with the generated tables. */
export function writeTables(readme: string, metadata: ActionMetadata): string {
  let text = readme
  const tables: [keyof typeof MARKERS, string][] = [
    ['inputs', renderInputsTable(metadata)],
    ['outputs', renderOutputsTable(metadata)]
  ]
  for (const [which, table] of tables) {
    const [start, end] = MARKERS[which]
    const from = text.indexOf(start)
    const to = text.indexOf(end)
    if (from < 0 || to < from) {
      throw new Error(`README.md has no ${start} ... ${end} block`)
    }
    text = `${text.slice(0, from + start.length)}\n\n${table}\n\n${text.slice(to)}`
  }
  return text
}

/** What the contract check compares. */
export interface ContractSources {
  actionYml: string
  readme: string
  inputNames: readonly string[]
  inputDefaults: Readonly<Record<string, string>>
}

function difference(a: Iterable<string>, b: Iterable<string>): string[] {
  const other = new Set(b)
  return [...a].filter((x) => !other.has(x))
}

/**
 * Holds action.yml, the inputs parser (INPUT_NAMES, INPUT_DEFAULTS) and the
 * README tables equal.
 * @returns One sentence per disagreement; empty when all agree.
 */
export function checkContract(sources: ContractSources): string[] {
  const problems: string[] = []
  const metadata = parseActionMetadata(sources.actionYml)
  const declared = metadata.inputs.map((i) => i.name)
  const compareSets = (
    aName: string,
    a: readonly string[],
    bName: string,
    b: readonly string[]
  ): void => {
    for (const name of difference(a, b)) {
      problems.push(`input '${name}' is in ${aName} but not in ${bName}`)
    }
  }

  compareSets(
    'action.yml',
    declared,
    'INPUT_NAMES (src/inputs/names.ts)',
    sources.inputNames
  )
  compareSets(
    'INPUT_NAMES (src/inputs/names.ts)',
    sources.inputNames,
    'action.yml',
    declared
  )
  for (const input of metadata.inputs) {
    const parserDefault = sources.inputDefaults[input.name]
    if (parserDefault !== undefined && parserDefault !== input.default) {
      problems.push(
        `input '${input.name}' defaults to ${JSON.stringify(input.default)} in action.yml but ${JSON.stringify(parserDefault)} in INPUT_DEFAULTS (src/inputs/names.ts)`
      )
    }
    if (input.description === '') {
      problems.push(`input '${input.name}' has no description in action.yml`)
    }
  }

  const inputRows = readTable(sources.readme, MARKERS.inputs)
  if (inputRows === undefined) {
    problems.push(
      `README.md has no inputs table between ${MARKERS.inputs.join(' and ')}`
    )
  } else {
    const readmeNames = inputRows.map((row) => row[0])
    compareSets('action.yml', declared, 'the README inputs table', readmeNames)
    compareSets('the README inputs table', readmeNames, 'action.yml', declared)
    for (const row of inputRows) {
      const input = metadata.inputs.find((i) => i.name === row[0])
      if (input && input.default !== (row[1] ?? '')) {
        problems.push(
          `input '${input.name}' defaults to ${JSON.stringify(input.default)} in action.yml but ${JSON.stringify(row[1] ?? '')} in the README inputs table`
        )
      }
    }
  }

  const outputNames = metadata.outputs.map((o) => o.name)
  for (const output of metadata.outputs) {
    if (output.description === '') {
      problems.push(`output '${output.name}' has no description in action.yml`)
    }
  }
  const outputRows = readTable(sources.readme, MARKERS.outputs)
  if (outputRows === undefined) {
    problems.push(
      `README.md has no outputs table between ${MARKERS.outputs.join(' and ')}`
    )
  } else {
    const readmeOutputs = outputRows.map((row) => row[0])
    for (const name of difference(outputNames, readmeOutputs)) {
      problems.push(
        `output '${name}' is in action.yml but not in the README outputs table`
      )
    }
    for (const name of difference(readmeOutputs, outputNames)) {
      problems.push(
        `output '${name}' is in the README outputs table but not in action.yml`
      )
    }
  }
  if (problems.length > 0) {
    problems.push(
      'Fix: declare the input in action.yml and src/inputs/names.ts, parse it in src/inputs.ts, then run `npx tsx scripts/readme-tables.ts --write`.'
    )
  }
  return problems
}

/** Reads the committed sources of the contract from the repository. */
export function readContractSources(root = ROOT): ContractSources {
  return {
    actionYml: readFileSync(join(root, 'action.yml'), 'utf8'),
    readme: readFileSync(join(root, 'README.md'), 'utf8'),
    inputNames: INPUT_NAMES,
    inputDefaults: INPUT_DEFAULTS
  }
}

async function runCli(args: string[]): Promise<number> {
  const metadata = parseActionMetadata(
    readFileSync(join(ROOT, 'action.yml'), 'utf8')
  )
  if (args.includes('--write')) {
    const file = join(ROOT, 'README.md')
    const text = writeTables(readFileSync(file, 'utf8'), metadata)
    // Formatted as `npm run format:check` expects (prettier pads tables).
    const options = (await prettier.resolveConfig(file)) ?? {}
    writeFileSync(
      file,
      await prettier.format(text, { ...options, filepath: file })
    )
    return 0
  }
  if (args.includes('--check')) {
    const problems = checkContract(readContractSources())
    for (const problem of problems) process.stderr.write(`${problem}\n`)
    return problems.length === 0 ? 0 : 1
  }
  process.stdout.write(
    `${renderInputsTable(metadata)}\n\n${renderOutputsTable(metadata)}\n`
  )
  return 0
}

if (
  process.argv[1] !== undefined &&
  import.meta.url === pathToFileURL(process.argv[1]).href
) {
  process.exitCode = await runCli(process.argv.slice(2))
}
