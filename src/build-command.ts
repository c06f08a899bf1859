/**
 * The `skaffold build` argument array, and the flags in it the action owns.
 * Pure: everything comes from the plan.
 * Flags the action owns come first; the user's extra args last, so a flag the
 * user repeats (skaffold takes the last value of most flags) is theirs. The
 * inputs parser already refuses extra args that would fight the owned ones.
 */

export interface BuildCommandPlan {
  /** The patched copy of the root config. */
  patchedFile: string
  /** Where skaffold writes {"builds":[...]} (skaffold build --file-output). */
  fileOutput: string
  /**
   * Explicit for kind clusters: skaffold v2 takes the context only from the
   * CLI or kubeconfig. '' (an existing cluster) uses the current context.
   */
  kubeContext: string
  defaultRepo: string
  /** Plain-HTTP registries kaniko may push to (the local registry). */
  insecureRegistries: string[]
  profiles: string[]
  modules: string[]
  extraArgs: string[]
}

/** Returns the argument array for `skaffold build` (without the command name). */
export function buildCommandArgs(plan: BuildCommandPlan): string[] {
  const args = [
    'build',
    '-f',
    plan.patchedFile,
    '--file-output',
    plan.fileOutput
  ]
  if (plan.kubeContext !== '') args.push('--kube-context', plan.kubeContext)
  if (plan.defaultRepo !== '') args.push('--default-repo', plan.defaultRepo)
  for (const registry of plan.insecureRegistries) {
    args.push('--insecure-registry', registry)
  }
  for (const profile of plan.profiles) args.push('-p', profile)
  for (const module of plan.modules) args.push('-m', module)
  args.push(...plan.extraArgs)
  return args
}

/**
 * Splits extra command-line arguments the way a POSIX shell splits words
 * (single and double quotes, backslash escapes), without expanding anything.
 * The result is an argument array: nothing here ever reaches a shell.
 */
export function splitArgs(value: string): string[] | { error: string } {
  const args: string[] = []
  let current = ''
  let inWord = false
  let quote: '"' | "'" | null = null
  for (let i = 0; i < value.length; i++) {
    const ch = value[i]
    if (quote === "'") {
      if (ch === "'") quote = null
      else current += ch
    } else if (quote === '"') {
      if (ch === '"') quote = null
      else if (
        ch === '\\' &&
        i + 1 < value.length &&
        '"\\$`'.includes(value[i + 1])
      )
        current += value[++i]
      else current += ch
    } else if (ch === "'" || ch === '"') {
      quote = ch
      inWord = true
    } else if (ch === '\\' && i + 1 < value.length) {
      current += value[++i]
      inWord = true
    } else if (/\s/.test(ch)) {
      if (inWord) args.push(current)
      current = ''
      inWord = false
    } else {
      current += ch
      inWord = true
    }
  }
  if (quote) return { error: `unterminated ${quote} quote` }
  if (inWord) args.push(current)
  return args
}

/**
 * The first flag among args (up to a `--`) that the action sets itself in
 * buildCommandArgs, or undefined.
 */
export function ownedFlagIn(args: string[]): string | undefined {
  return args
    .slice(0, endOfFlags(args))
    .map(ownedFlagOf)
    .find((flag) => flag !== undefined)
}

/** skaffold parses no flag after a `--` argument (spf13/pflag flag.go Parse). */
function endOfFlags(args: string[]): number {
  const end = args.indexOf('--')
  return end < 0 ? args.length : end
}

/**
 * The owned flag an argument sets, if any. Long flags as `--name` or
 * `--name=value`. A single-dash argument is a run of shorthands, parsed as
 * spf13/pflag does (flag.go parseSingleShortArg): a boolean shorthand lets
 * the next letter be another flag (`-qpprod` is `-q -p prod`); a shorthand
 * that takes a value takes the rest of the argument (`-fother.yaml`,
 * `-p=prod`), so the walk stops there.
 */
function ownedFlagOf(arg: string): string | undefined {
  if (arg.startsWith('--')) {
    const flag = arg.split('=')[0]
    return OWNED_FLAGS.includes(flag) ? flag : undefined
  }
  if (!arg.startsWith('-') || arg.length < 2) return undefined
  for (const letter of arg.slice(1)) {
    if (OWNED_FLAGS.includes(`-${letter}`)) return `-${letter}`
    if (!BOOLEAN_SHORTHANDS.includes(letter)) return undefined
  }
  return undefined
}

/** skaffold build flags the action sets itself from other inputs or its plan. */
const OWNED_FLAGS = [
  '-f',
  '--filename',
  '--file-output',
  '--kube-context',
  '-p',
  '--profile',
  '-m',
  '--module',
  '-d',
  '--default-repo'
]

/**
 * The shorthands of `skaffold build` that take no value: `-q` (--quiet,
 * skaffold cmd/skaffold/app/cmd/build.go NewCmdBuild) and `-h` (help, which
 * pflag handles itself). Every other shorthand takes a value.
 */
const BOOLEAN_SHORTHANDS = ['q', 'h']

export interface BuiltImage {
  imageName: string
  tag: string
}

/**
 * Parses skaffold's --file-output JSON. skaffold writes it even when the build
 * fails (builds may then be partial or null), with no trailing newline.
 */
export function parseBuildOutput(text: string): BuiltImage[] {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    return []
  }
  const builds = (value as { builds?: unknown } | null)?.builds
  if (!Array.isArray(builds)) return []
  return builds.flatMap((entry: unknown) => {
    const { imageName, tag } = (entry ?? {}) as Record<string, unknown>
    return typeof imageName === 'string' && typeof tag === 'string'
      ? [{ imageName, tag }]
      : []
  })
}
