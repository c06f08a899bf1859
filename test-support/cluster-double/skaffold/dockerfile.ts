/**
 * A small Dockerfile reader: instructions with line numbers, stages, and
 * variable substitution ($VAR, ${VAR}, ${VAR:-default}, ${VAR:+alt}).
 */

/** One instruction with its 1-based starting line. */
export interface Instruction {
  keyword: string
  /** The text after the keyword, continuation lines joined. */
  args: string
  line: number
}

/** A build stage: its FROM line and its instructions. */
export interface Stage {
  index: number
  name?: string
  /** The FROM image, before substitution. */
  from: string
  line: number
  instructions: Instruction[]
}

/** A parsed Dockerfile. */
export interface Dockerfile {
  /** ARG instructions before the first FROM. */
  globalArgs: Instruction[]
  stages: Stage[]
}

/** Parses Dockerfile text; throws with the line on an instruction outside a stage. */
export function parseDockerfile(text: string): Dockerfile {
  const lines = text.split(/\r?\n/)
  const instructions: Instruction[] = []
  let pending = ''
  let start = 0
  for (const [i, raw] of lines.entries()) {
    const trimmed = raw.trim()
    if (pending === '' && (trimmed === '' || trimmed.startsWith('#'))) continue
    if (pending !== '' && trimmed.startsWith('#')) continue
    if (pending === '') start = i + 1
    if (trimmed.endsWith('\\')) {
      pending += trimmed.slice(0, -1) + ' '
      continue
    }
    const full = (pending + trimmed).trim()
    pending = ''
    const match = /^(\S+)\s*(.*)$/.exec(full)
    if (match)
      instructions.push({
        keyword: match[1].toUpperCase(),
        args: match[2],
        line: start
      })
  }
  const dockerfile: Dockerfile = { globalArgs: [], stages: [] }
  for (const ins of instructions) {
    if (ins.keyword === 'FROM') {
      const words = ins.args
        .split(/\s+/)
        .filter((w) => !w.startsWith('--platform'))
      const asIndex = words.findIndex((w) => w.toUpperCase() === 'AS')
      dockerfile.stages.push({
        index: dockerfile.stages.length,
        name: asIndex > 0 ? words[asIndex + 1]?.toLowerCase() : undefined,
        from: words[0] ?? '',
        line: ins.line,
        instructions: []
      })
    } else if (dockerfile.stages.length === 0) {
      if (ins.keyword !== 'ARG')
        throw new Error(
          `line ${ins.line}: ${ins.keyword} before the first FROM`
        )
      dockerfile.globalArgs.push(ins)
    } else {
      dockerfile.stages[dockerfile.stages.length - 1].instructions.push(ins)
    }
  }
  if (dockerfile.stages.length === 0) throw new Error('no FROM instruction')
  return dockerfile
}

/** Splits `ARG NAME[=default]`. */
export function parseArg(args: string): { name: string; value?: string } {
  const eq = args.indexOf('=')
  if (eq < 0) return { name: args.trim() }
  return {
    name: args.slice(0, eq).trim(),
    value: unquote(args.slice(eq + 1).trim())
  }
}

/** Splits `ENV K=V K2="V 2"` or the legacy `ENV K V` form. */
export function parseEnv(args: string): [string, string][] {
  if (!/^[^\s=]+=/.test(args)) {
    const match = /^(\S+)\s+(.*)$/.exec(args)
    return match ? [[match[1], match[2]]] : []
  }
  const pairs: [string, string][] = []
  const re = /([^\s=]+)=("(?:[^"\\]|\\.)*"|'[^']*'|\S*)/g
  for (let m = re.exec(args); m !== null; m = re.exec(args))
    pairs.push([m[1], unquote(m[2])])
  return pairs
}

function unquote(value: string): string {
  if (
    value.length >= 2 &&
    ((value.startsWith('"') && value.endsWith('"')) ||
      (value.startsWith("'") && value.endsWith("'")))
  ) {
    return value.slice(1, -1)
  }
  return value
}

/** Substitutes $VAR, ${VAR}, ${VAR:-x}, ${VAR:+x} from `vars` (unset → empty). */
export function substitute(
  text: string,
  vars: Record<string, string | undefined>
): string {
  return text.replace(
    /\$(?:\{([A-Za-z_][A-Za-z0-9_]*)(?::([-+])([^}]*))?\}|([A-Za-z_][A-Za-z0-9_]*))/g,
    (
      _m,
      braced: string | undefined,
      op: string | undefined,
      word: string | undefined,
      bare: string | undefined
    ) => {
      const value = vars[braced ?? bare ?? '']
      if (op === '-')
        return value === undefined || value === '' ? (word ?? '') : value
      if (op === '+')
        return value === undefined || value === '' ? '' : (word ?? '')
      return value ?? ''
    }
  )
}

/** Splits `--flag=value` options off the front of COPY/ADD arguments. */
export function splitFlags(args: string): {
  flags: Record<string, string>
  rest: string
} {
  const flags: Record<string, string> = {}
  let rest = args.trim()
  for (
    let m = /^--([a-z-]+)(?:=(\S*))?\s+/.exec(rest);
    m !== null;
    m = /^--([a-z-]+)(?:=(\S*))?\s+/.exec(rest)
  ) {
    flags[m[1]] = m[2] ?? 'true'
    rest = rest.slice(m[0].length)
  }
  return { flags, rest }
}

/** Words of a shell-form line, or the array of an exec-form (JSON) line. */
export function splitWords(args: string): string[] {
  const trimmed = args.trim()
  if (trimmed.startsWith('[')) {
    try {
      const parsed: unknown = JSON.parse(trimmed)
      if (Array.isArray(parsed)) return parsed.map(String)
    } catch {
      // not JSON: shell form
    }
  }
  return trimmed.split(/\s+/).filter((w) => w !== '')
}

/** True when an image is the official Go builder image (golang:<tag>, docker.io/library/golang...). */
export function isGolangImage(image: string): boolean {
  return /^(?:(?:docker\.io|index\.docker\.io)\/)?(?:library\/)?golang(?::[^@]*)?(?:@sha256:[0-9a-f]+)?$/.test(
    image
  )
}
