/**
 * Parsers for what an action step leaves behind: the runner's file commands
 * (GITHUB_OUTPUT, GITHUB_STATE, GITHUB_ENV, GITHUB_PATH) and the workflow
 * commands (::error::, ::warning::, ::notice::) it prints on stdout.
 * Formats: https://docs.github.com/en/actions/reference/workflows-and-actions/workflow-commands
 */

/** One `NAME=VALUE` or `NAME<<DELIM … DELIM` record, in file order. */
export interface FileCommandRecord {
  name: string
  value: string
}

/**
 * Parses a GITHUB_OUTPUT / GITHUB_STATE / GITHUB_ENV file: a line
 * `NAME<<DELIM` starts a block that runs until a line equal to `DELIM`;
 * any other non-empty line is `NAME=VALUE`.
 * @throws Error when a block is never closed or a line has neither form.
 */
export function parseFileCommandRecords(text: string): FileCommandRecord[] {
  const lines = text.split(/\r?\n/)
  const records: FileCommandRecord[] = []
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]
    if (line === '') continue
    const heredoc = /^([^=]+?)<<(.+)$/.exec(line)
    if (heredoc) {
      const [, name, delimiter] = heredoc
      const body: string[] = []
      let closed = false
      for (i++; i < lines.length; i++) {
        if (lines[i] === delimiter) {
          closed = true
          break
        }
        body.push(lines[i])
      }
      if (!closed) {
        throw new Error(
          `file command '${name}' opened with delimiter ${delimiter} is never closed`
        )
      }
      records.push({ name, value: body.join('\n') })
      continue
    }
    const eq = line.indexOf('=')
    if (eq <= 0) {
      throw new Error(
        `file command line is neither NAME=VALUE nor NAME<<DELIM: ${line}`
      )
    }
    records.push({ name: line.slice(0, eq), value: line.slice(eq + 1) })
  }
  return records
}

/** Parses a file-command file into a map; a later record of a name wins, as on the runner. */
export function parseFileCommands(text: string): Record<string, string> {
  const result: Record<string, string> = {}
  for (const { name, value } of parseFileCommandRecords(text)) {
    result[name] = value
  }
  return result
}

/** Parses a GITHUB_PATH file: one directory a line, in the order they were added. */
export function parsePathFile(text: string): string[] {
  return text.split(/\r?\n/).filter((line) => line.trim() !== '')
}

/** An annotation the step printed with ::error::, ::warning:: or ::notice::. */
export interface Annotation {
  level: 'error' | 'warning' | 'notice'
  message: string
  /** Properties such as file, line, col, title, decoded. */
  properties: Record<string, string>
}

// Escapes @actions/core applies: https://github.com/actions/toolkit/blob/main/packages/core/src/command.ts
function unescapeData(value: string): string {
  return value.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%25/g, '%')
}

function unescapeProperty(value: string): string {
  return unescapeData(value).replace(/%3A/g, ':').replace(/%2C/g, ',')
}

/** Finds every ::error/::warning/::notice command line in a step's output. */
export function parseAnnotations(log: string): Annotation[] {
  const annotations: Annotation[] = []
  for (const line of log.split(/\r?\n/)) {
    const match = /^::(error|warning|notice)( [^:]*)?::(.*)$/.exec(line)
    if (!match) continue
    const properties: Record<string, string> = {}
    for (const pair of (match[2] ?? '').trim().split(',')) {
      const eq = pair.indexOf('=')
      if (eq > 0) {
        properties[pair.slice(0, eq).trim()] = unescapeProperty(
          pair.slice(eq + 1)
        )
      }
    }
    annotations.push({
      level: match[1] as Annotation['level'],
      message: unescapeData(match[3]),
      properties
    })
  }
  return annotations
}
