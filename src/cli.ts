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
import {
  DEFAULT_PATCH_OPTIONS,
  listOurBuildArgs,
  PVC_VOLUME_NAME,
  type PatchOptions
} from './skaffold/options.js'
import { NODE_PATHS, VOLUME_NAMES } from './cache/paths.js'
import { patchSkaffoldConfigs, type PatchResult } from './skaffold/patch.js'
import type { PatchReport } from './skaffold/report.js'

/** Where the CLI writes, and the directory it runs in (injectable for tests). */
export interface CliIo {
  stdout: (text: string) => void
  stderr: (text: string) => void
  cwd: string
}

/** Exit codes: 0 success, 2 bad input, 1 anything unexpected. */
export const EXIT = { ok: 0, internal: 1, badInput: 2 } as const

const HELP = `Usage:
  skaffold-kaniko-cache patch [options] FILE
  skaffold-kaniko-cache check [options] FILE

patch   Prints FILE with every kaniko artifact patched for the Go caches
        (stdout) and a report of what was found and done (stderr). When FILE
        requires other local configs, each patched file is printed after a
        "# file: <original> -> <copy>" line, the copy being where the action
        writes it. With nothing to patch, FILE is printed unchanged and the
        reason goes to stderr. A Dockerfile whose Go stage lacks the cache
        ARG lines is printed the same way, as the copy the action builds
        from (--patch-dockerfile auto, the default).
check   Prints the Dockerfile findings (missing ARG lines, ignored
        RUN --mount=type=cache, kaniko v1.7.0 with whitelistVarRun). FILE is a
        skaffold config (every patched artifact's Dockerfile is checked) or a
        Dockerfile (checked for the build args the options imply). "note:"
        lines name the Go build stage's base image, which kaniko unpacks on
        every build, what an -alpine one would save, and kaniko settings
        that only add work (stderr with --json).

Options (as the action's inputs):
  --profile NAME            profile the build activates (repeatable, or a,b)
  --mod-cache-path PATH     module cache mount path in the kaniko pod
                            (default ${DEFAULT_PATCH_OPTIONS.mountPaths.mod})
  --build-cache-path PATH   build cache mount path in the kaniko pod
                            (default ${DEFAULT_PATCH_OPTIONS.mountPaths.build})
  --mod-volume-name NAME    module cache volume name (default ${DEFAULT_PATCH_OPTIONS.volumeNames.mod})
  --build-volume-name NAME  build cache volume name (default ${DEFAULT_PATCH_OPTIONS.volumeNames.build})
  --mod-node-path PATH      hostPath of the module cache on the node
                            (default ${NODE_PATHS.mod})
  --build-node-path PATH    hostPath of the build cache on the node
                            (default ${NODE_PATHS.build})
  --hostpath-type TYPE      hostPath type (default DirectoryOrCreate; "" omits it)
  --pvc CLAIM               use an existing ReadWriteMany claim instead of
                            hostPath: one volume, two mounts with subPath
  --go-proxy URL            GOPROXY build arg
  --go-private PATTERNS     GOPRIVATE and GONOSUMDB build args
  --go-flags FLAGS          GOFLAGS build arg
  --build-arg KEY=VALUE     extra build arg (repeatable)
  --registry-mirror HOST    kaniko registryMirror
  --kaniko-image IMAGE      kaniko executor image
  --init-image IMAGE        kaniko initImage (the pod's init container)
                            (the action sets these three by default: a
                            mirror.gcr.io mirror and both images pinned by
                            digest; here they are added only when given)
  --whitelist-var-run       kaniko whitelistVarRun: true
  --insecure-registry HOST  kaniko insecureRegistry entry (repeatable), e.g.
                            kind-registry:5000 for the local plain-HTTP registry
  --no-ignore-paths         do not add ignorePaths: [/product_uuid, /product_name] (v4beta2+)
  --namespace NAME          namespace of the kaniko pods: added to every patched
                            cluster block that names none (a block's own
                            namespace is kept); without it the blocks keep
                            skaffold's default, the kube context's namespace.
                            The action's input is empty by default: the same
  --patch-dockerfile MODE   patch: auto (default) adds the missing ARG lines
                            to a Dockerfile copy and points the artifact at
                            it; never leaves the Dockerfiles alone
  --json                    print the report as JSON (on stderr for patch)
  --context DIR             patch, check: directory skaffold runs in (default: FILE's
                            directory); for a Dockerfile, unused
  --target STAGE            check of a Dockerfile: the stage built
  -h, --help                this help

Exit status: 0 success (also with nothing to patch, and with findings),
2 bad input (one line: file:line: what is wrong), 1 unexpected error.
`

const OPTIONS = {
  profile: { type: 'string', multiple: true },
  'mod-cache-path': { type: 'string' },
  'build-cache-path': { type: 'string' },
  'mod-volume-name': { type: 'string' },
  'build-volume-name': { type: 'string' },
  'mod-node-path': { type: 'string' },
  'build-node-path': { type: 'string' },
  'hostpath-type': { type: 'string' },
  pvc: { type: 'string' },
  'go-proxy': { type: 'string' },
  'go-private': { type: 'string' },
  'go-flags': { type: 'string' },
  'build-arg': { type: 'string', multiple: true },
  'registry-mirror': { type: 'string' },
  'kaniko-image': { type: 'string' },
  'init-image': { type: 'string' },
  'whitelist-var-run': { type: 'boolean' },
  'insecure-registry': { type: 'string', multiple: true },
  'no-ignore-paths': { type: 'boolean' },
  namespace: { type: 'string' },
  'patch-dockerfile': { type: 'string' },
  json: { type: 'boolean' },
  context: { type: 'string' },
  target: { type: 'string' },
  help: { type: 'boolean', short: 'h' }
} as const

/** Every option the CLI accepts (the help text documents each). */
export const CLI_OPTION_NAMES = Object.keys(OPTIONS)

type Values = ReturnType<
  typeof parseArgs<{ options: typeof OPTIONS }>
>['values']

class UsageError extends Error {}

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

function isParseArgsError(error: unknown): boolean {
  const code = (error as { code?: string }).code ?? ''
  return code.startsWith('ERR_PARSE_ARGS')
}

function toPatchOptions(values: Values): PatchOptions {
  const d = DEFAULT_PATCH_OPTIONS
  const buildArgs = (values['build-arg'] ?? []).map(
    (pair): [string, string] => {
      const eq = pair.indexOf('=')
      if (eq <= 0)
        throw new UsageError(`--build-arg "${pair}": expected KEY=VALUE`)
      return [pair.slice(0, eq), pair.slice(eq + 1)]
    }
  )
  const hostPath = d.volumeSource as Extract<
    PatchOptions['volumeSource'],
    { kind: 'hostPath' }
  >
  return {
    ...d,
    mountPaths: {
      mod: values['mod-cache-path'] ?? d.mountPaths.mod,
      build: values['build-cache-path'] ?? d.mountPaths.build
    },
    volumeNames: {
      mod: values['mod-volume-name'] ?? d.volumeNames.mod,
      build: values['build-volume-name'] ?? d.volumeNames.build
    },
    volumeSource:
      values.pvc !== undefined
        ? {
            kind: 'persistentVolumeClaim',
            claim: values.pvc,
            volumeName: PVC_VOLUME_NAME,
            subPaths: { ...VOLUME_NAMES }
          }
        : {
            kind: 'hostPath',
            paths: {
              mod: values['mod-node-path'] ?? hostPath.paths.mod,
              build: values['build-node-path'] ?? hostPath.paths.build
            },
            type: values['hostpath-type'] ?? hostPath.type
          },
    goProxy: values['go-proxy'] ?? '',
    goPrivate: values['go-private'] ?? '',
    goFlags: values['go-flags'] ?? '',
    buildArgs,
    registryMirror: values['registry-mirror'] ?? '',
    kanikoImage: values['kaniko-image'] ?? '',
    initImage: values['init-image'] ?? '',
    whitelistVarRun: values['whitelist-var-run'] ?? false,
    ignorePaths: values['no-ignore-paths'] ? [] : d.ignorePaths,
    insecureRegistries: values['insecure-registry'] ?? [],
    profiles: (values.profile ?? [])
      .flatMap((p) => p.split(','))
      .map((p) => p.trim())
      .filter((p) => p !== ''),
    defaultNamespace: values.namespace ?? d.defaultNamespace
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
  if (values.json) {
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
    if (values.json) out.stderr(note)
    else out.stdout(note)
  }
  out.stderr(
    checked === 0
      ? 'no kaniko artifact on the cluster builder: no Dockerfile to check\n'
      : findings.length === 0
        ? 'no findings: every Go stage declares the build args\n'
        : `${findings.length} finding(s)\n`
  )
  return EXIT.ok
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
