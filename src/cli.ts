/**
 * Command-line preview (docs/design.md#the-command-line-preview): `patch` prints the patched skaffold
 * config, `check` prints the Dockerfile findings. Orchestrator: parses the
 * arguments, calls the adapter and the pure modules, prints.
 */
import { readFile } from 'node:fs/promises'
import { dirname, relative, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { parseAllDocuments } from 'yaml'
import {
  checkDockerfilesFor,
  readArtifactDockerfiles,
  readSkaffoldConfigs
} from './adapters/skaffold-files.js'
import {
  adviseArtifactDockerfiles,
  kanikoCostAdvice
} from './dockerfile/advice.js'
import { checkDockerfile, type DockerfileFinding } from './dockerfile/check.js'
import { planDockerfileCopies } from './dockerfile/patch.js'
import { PatchOptionsError, SkaffoldConfigError } from './skaffold/errors.js'
import { listOurBuildArgs, type PatchOptions } from './skaffold/options.js'
import { patchSkaffoldConfigs, type PatchResult } from './skaffold/patch.js'
import type { PatchReport } from './skaffold/report.js'
import {
  HELP,
  isParseArgsError,
  OPTIONS,
  toPatchOptions,
  UsageError,
  type Values
} from './cli/arguments.js'

export { CLI_OPTION_NAMES } from './cli/arguments.js'

/** Where the CLI writes, and the directory it runs in (injectable for tests). */
export interface CliIo {
  stdout: (text: string) => void
  stderr: (text: string) => void
  cwd: string
}

/** Exit codes: 0 success, 2 bad input, 1 anything unexpected. */
export const EXIT = { ok: 0, internal: 1, badInput: 2 } as const

/**
 * Runs the CLI with the arguments after the script name.
 * @returns the exit status.
 */
export async function runCli(
  argv: string[],
  io: Partial<CliIo> = {}
): Promise<number> {
  const out: CliIo = {
    stdout: io.stdout ?? ((t) => void process.stdout.write(t)),
    stderr: io.stderr ?? ((t) => void process.stderr.write(t)),
    cwd: io.cwd ?? process.cwd()
  }
  const show = (path: string): string => {
    const rel = relative(out.cwd, path)
    return rel !== '' && !rel.startsWith('..') ? rel : path
  }
  try {
    const { values, positionals } = parseArgs({
      args: argv,
      options: OPTIONS,
      allowPositionals: true,
      strict: true
    })
    if (values.help || positionals.length === 0) {
      out.stdout(HELP)
      return positionals.length === 0 && !values.help ? EXIT.badInput : EXIT.ok
    }
    const [command, file, ...rest] = positionals
    if (rest.length > 0)
      throw new UsageError(`unexpected argument "${rest[0]}"`)
    if (command !== 'patch' && command !== 'check') {
      throw new UsageError(`unknown command "${command}"; use patch or check`)
    }
    if (file === undefined) throw new UsageError(`${command} needs a FILE`)
    const options = toPatchOptions(values)
    const path = resolve(out.cwd, file)
    if (command === 'patch')
      return await runPatch(path, options, values, out, show)
    return await runCheck(path, options, values, out, show)
  } catch (error) {
    if (error instanceof SkaffoldConfigError) {
      const where =
        error.line > 0 ? `${show(error.file)}:${error.line}` : show(error.file)
      out.stderr(`${where}: ${error.reason}\n`)
      return EXIT.badInput
    }
    if (error instanceof PatchOptionsError) {
      out.stderr(`--${error.option.replace(/ /g, '-')}: ${error.reason}\n`)
      return EXIT.badInput
    }
    if (error instanceof UsageError || isParseArgsError(error)) {
      out.stderr(
        `${(error as Error).message.replace(/\s*\n\s*/g, ' ')} (see --help)\n`
      )
      return EXIT.badInput
    }
    out.stderr(`internal error: ${(error as Error).stack ?? String(error)}\n`)
    return EXIT.internal
  }
}

async function patchFrom(
  path: string,
  options: PatchOptions
): Promise<PatchResult> {
  const files = await readSkaffoldConfigs(path)
  return patchSkaffoldConfigs(files, options)
}

async function runPatch(
  path: string,
  options: PatchOptions,
  values: Values,
  out: CliIo,
  show: (p: string) => string
): Promise<number> {
  const mode = values['patch-dockerfile'] ?? 'auto'
  if (mode !== 'auto' && mode !== 'never') {
    throw new UsageError(`--patch-dockerfile "${mode}": expected auto or never`)
  }
  let result = await patchFrom(path, options)
  const workingDir = values.context
    ? resolve(out.cwd, values.context)
    : dirname(path)
  const plan =
    mode === 'auto'
      ? planDockerfileCopies(
          await readArtifactDockerfiles(result.report, path, workingDir)
        )
      : { copies: [], overrides: {} }
  const dockerfiles = plan.copies
  if (dockerfiles.length > 0) {
    // Again, with each artifact's kaniko.dockerfile pointing at its copy.
    result = await patchFrom(path, {
      ...options,
      dockerfileOverrides: plan.overrides
    })
  }
  const copies = result.files.filter((f) => f.needsCopy)
  printPatchedFiles(result, copies, dockerfiles, out, show)
  if (values.json) {
    out.stderr(JSON.stringify(result.report, null, 2) + '\n')
  } else {
    out.stderr(renderReport(result.report, show))
    if (copies.length === 0) {
      out.stderr(
        'nothing to patch: the config is printed unchanged (see the reasons above)\n'
      )
    }
  }
  return EXIT.ok
}

/**
 * Prints the patched files on stdout (the config alone when it is the only
 * file, else each with a "# file:" header) and the Dockerfile insertions on stderr.
 */
function printPatchedFiles(
  result: PatchResult,
  copies: PatchResult['files'],
  dockerfiles: ReturnType<typeof planDockerfileCopies>['copies'],
  out: CliIo,
  show: (p: string) => string
): void {
  const printed = [
    ...copies.map((f) => ({
      path: f.path,
      copyPath: f.copyPath,
      text: f.text
    })),
    ...dockerfiles.map((d) => ({
      path: d.original,
      copyPath: d.copyPath,
      text: d.text
    }))
  ]
  if (
    copies.length === 0 ||
    (printed.length === 1 && result.files.length === 1)
  ) {
    out.stdout(result.files[0].text)
  } else {
    for (const f of printed) {
      out.stdout(`# file: ${show(f.path)} -> ${show(f.copyPath)}\n${f.text}`)
      if (!f.text.endsWith('\n')) out.stdout('\n')
    }
  }
  for (const d of dockerfiles) {
    for (const i of d.insertions) {
      out.stderr(
        `dockerfile ${show(d.original)}: the copy adds ${i.lines.join(', ')} after line ${i.afterLine}\n`
      )
    }
  }
}

async function runCheck(
  path: string,
  options: PatchOptions,
  values: Values,
  out: CliIo,
  show: (p: string) => string
): Promise<number> {
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch (error) {
    throw new SkaffoldConfigError(
      path,
      0,
      0,
      `cannot read: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`
    )
  }
  let findings: DockerfileFinding[]
  let advice: string[]
  let checked = 1
  if (looksLikeSkaffold(text)) {
    const result = await patchFrom(path, options)
    const workingDir = values.context
      ? resolve(out.cwd, values.context)
      : dirname(path)
    findings = await checkDockerfilesFor(result.report, path, workingDir)
    advice = kanikoCostAdvice(
      result.report,
      await readArtifactDockerfiles(result.report, path, workingDir),
      show
    )
    checked = result.report.artifacts.filter(
      (a) => a.status !== 'skipped'
    ).length
  } else {
    const input = { file: path, text, target: values.target ?? '' }
    findings = checkDockerfile({
      ...input,
      buildArgs: listOurBuildArgs(options).map(([k]) => k)
    })
    advice = adviseArtifactDockerfiles([{ ...input, key: '', path }], show)
  }
  printFindings(findings, advice, values.json ?? false, out, show)
  out.stderr(
    checked === 0
      ? 'no kaniko artifact on the cluster builder: no Dockerfile to check\n'
      : findings.length === 0
        ? 'no findings: every Go stage declares the build args\n'
        : `${findings.length} finding(s)\n`
  )
  return EXIT.ok
}

/** Prints the Dockerfile findings and the cost notes (as JSON with --json). */
function printFindings(
  findings: DockerfileFinding[],
  advice: string[],
  json: boolean,
  out: CliIo,
  show: (p: string) => string
): void {
  if (json) {
    out.stdout(JSON.stringify(findings, null, 2) + '\n')
  } else {
    for (const f of findings) {
      const where = f.line > 0 ? `${show(f.file)}:${f.line}` : show(f.file)
      out.stdout(`${where}: ${f.message}\n`)
      if (f.fix) out.stdout(`  add: ${f.fix}\n`)
    }
  }
  // Hints, not findings: on stdout beside the findings, on stderr beside JSON.
  for (const line of advice) {
    const note = `note: ${line}\n`
    if (json) out.stderr(note)
    else out.stdout(note)
  }
}

function looksLikeSkaffold(text: string): boolean {
  try {
    return parseAllDocuments(text).some((doc) => {
      const value = doc.contents?.toJSON() as unknown
      return (
        typeof value === 'object' &&
        value !== null &&
        typeof (value as { apiVersion?: unknown }).apiVersion === 'string' &&
        (value as { apiVersion: string }).apiVersion.startsWith('skaffold/')
      )
    })
  } catch {
    return false
  }
}

/** The human-readable report printed on stderr. */
export function renderReport(
  report: PatchReport,
  show: (path: string) => string = (p) => p
): string {
  const lines: string[] = []
  for (const d of report.documents) {
    const label = [d.name, d.apiVersion].filter((x) => x).join(', ')
    lines.push(
      `${show(d.file)} document ${d.document}${label ? ` (${label})` : ''}: ${d.status}: ${d.reason}`
    )
    for (const a of report.artifacts.filter(
      (x) => x.file === d.file && x.document === d.document
    )) {
      const place =
        a.place.kind === 'base' ? 'build' : `profile ${a.place.name}`
      const detail =
        a.status === 'skipped'
          ? (a.reason ?? '')
          : a.added.length > 0
            ? `added ${a.added.join(', ')}`
            : 'nothing missing'
      lines.push(
        `  artifact ${a.image || '(no image)'} [${place}, line ${a.line}]: ${a.status}: ${detail}`
      )
      for (const k of a.kept) {
        lines.push(
          `    kept the config's ${k.key}=${JSON.stringify(k.userValue)} (the action's value: ${JSON.stringify(k.ourValue)})`
        )
      }
    }
    for (const c of report.clusters.filter(
      (x) => x.file === d.file && x.document === d.document
    )) {
      const place =
        c.place.kind === 'base' ? 'build' : `profile ${c.place.name}`
      const namespace =
        c.namespace === '' ? "the kube context's namespace" : c.namespace
      lines.push(
        `  cluster [${place}, line ${c.line}] (kaniko pods in ${namespace}): ${c.added.length > 0 ? `added ${c.added.join(', ')}` : 'nothing missing'}`
      )
      for (const k of c.kept) {
        lines.push(
          `    kept the config's ${k.key}=${JSON.stringify(k.userValue)} (the action's value: ${JSON.stringify(k.ourValue)})`
        )
      }
    }
  }
  for (const c of report.collisions) {
    lines.push(
      `collision: ${show(c.file)} document ${c.document}: volume name "${c.wanted}" is taken (${c.reason}); using "${c.chosen}"`
    )
  }
  for (const w of report.warnings) {
    lines.push(
      `warning: ${show(w.file)}${w.line > 0 ? `:${w.line}` : ''}: ${w.message}`
    )
  }
  return lines.map((l) => l + '\n').join('')
}
