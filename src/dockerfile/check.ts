/**
 * Dockerfile check (docs/design.md#the-dockerfile-check): a build arg reaches a `RUN` step only when
 * that stage declares `ARG NAME` after its `FROM` (kaniko filters the others
 * out, as docker does). One missing `ARG GOCACHE` and the build silently runs
 * cold. Pure: Dockerfile text in, findings out.
 */
import { DockerfileParser, type Instruction } from 'dockerfile-ast'

/** One thing to fix, with the exact line to add when there is one. */
export interface DockerfileFinding {
  file: string
  /** 1-based line the finding points at (0 when there is no line). */
  line: number
  kind:
    | 'missing-arg'
    | 'env-overrides-arg'
    | 'cache-mount-ignored'
    | 'target-not-found'
    | 'no-go-stage'
    | 'whitelist-var-run-v1.7.0'
    | 'dockerfile-missing'
    | 'product-files-not-ignored'
    | 'go-stage-user'
  message: string
  /** The line to add, e.g. `ARG GOCACHE` (empty when the fix is not a line). */
  fix: string
}

/** What one artifact builds: its Dockerfile and the build args the action passes. */
export interface DockerfileCheckInput {
  /** Path used in the findings. */
  file: string
  text: string
  /** kaniko `target` ('' builds the last stage). */
  target: string
  /** Names of the build args the action passes (GOMODCACHE, GOCACHE, ...). */
  buildArgs: string[]
}

/**
 * docker's predefined args reach RUN without an ARG line (moby
 * builder/dockerfile/buildargs.go builtinAllowedBuildArgs).
 */
const PREDEFINED_ARGS = new Set(
  ['HTTP_PROXY', 'HTTPS_PROXY', 'FTP_PROXY', 'NO_PROXY', 'ALL_PROXY'].flatMap(
    (name) => [name, name.toLowerCase()]
  )
)

/** Go commands that read the module and build caches. */
export const GO_COMMAND =
  /(^|[\s;&|()`])go\s+(build|install|mod\s+download|test|run|generate|vet|get|list)\b/

/** One stage of a Dockerfile: its FROM and the instructions after it. */
export interface Stage {
  index: number
  name: string
  /** The FROM image or stage name. */
  from: string
  fromLine: number
  instructions: Instruction[]
}

/** The stages of a Dockerfile, and the instructions before the first FROM. */
export function splitStages(instructions: Instruction[]): {
  stages: Stage[]
  globals: Instruction[]
} {
  const stages: Stage[] = []
  const globals: Instruction[] = []
  for (const instruction of instructions) {
    const keyword = instruction.getKeyword().toUpperCase()
    if (keyword === 'FROM') {
      const args = (instruction.getArgumentsContent() ?? '').trim()
      const match = /\s+as\s+(\S+)\s*$/i.exec(args)
      const image = args
        .split(/\s+/)
        .filter((word) => !word.startsWith('--'))[0]
      stages.push({
        index: stages.length,
        name: match ? match[1] : '',
        from: image ?? '',
        fromLine: instruction.getRange().start.line + 1,
        instructions: []
      })
    } else if (stages.length === 0) {
      globals.push(instruction)
    } else {
      stages[stages.length - 1].instructions.push(instruction)
    }
  }
  return { stages, globals }
}

/** Names an ARG line declares (`ARG A B=2` declares two). */
function argNames(instruction: Instruction): string[] {
  const content = (instruction.getArgumentsContent() ?? '').trim()
  return content
    .split(/\s+/)
    .map((token) => token.split('=')[0])
    .filter((name) => name !== '')
}

/** The command text of a RUN, in shell, exec (JSON) or heredoc form. */
export function runText(instruction: Instruction): string {
  return (instruction.getArgumentsContent() ?? '').replace(/[[\]",]/g, ' ')
}

function envNames(instruction: Instruction): string[] {
  const content = (instruction.getArgumentsContent() ?? '').trim()
  // `ENV KEY value` (legacy form) or `ENV K1=v1 K2=v2`.
  if (!content.includes('=') || /^\S+\s/.test(content.split('=')[0])) {
    return [content.split(/\s+/)[0]]
  }
  return [...content.matchAll(/(?:^|\s)([A-Za-z_][A-Za-z0-9_]*)=/g)].map(
    (m) => m[1]
  )
}

/** True for a USER that is root: `root`, `0`, with or without a group. */
function isRootUser(user: string): boolean {
  const name = user.split(':')[0]
  return name === '' || name === 'root' || name === '0'
}

/**
 * The USER a stage's instructions before `line` leave in effect, following
 * `FROM <earlier stage>` (a stage starts with its parent's config).
 */
function userBefore(
  stage: Stage,
  line: number,
  stages: Stage[]
): { user: string; line: number } | undefined {
  let found: { user: string; line: number } | undefined
  const parent = stages.find(
    (s) =>
      s.index < stage.index &&
      s.name !== '' &&
      s.name.toLowerCase() === stage.from.toLowerCase()
  )
  if (parent) found = userBefore(parent, Infinity, stages)
  for (const instruction of stage.instructions) {
    const at = instruction.getRange().start.line + 1
    if (at >= line) break
    if (instruction.getKeyword().toUpperCase() === 'USER') {
      found = {
        user: (instruction.getArgumentsContent() ?? '').trim(),
        line: at
      }
    }
  }
  return found
}

function stageLabel(stage: Stage): string {
  return stage.name ? `stage "${stage.name}"` : `stage ${stage.index}`
}

/**
 * Checks one Dockerfile for the build args the action passes.
 * @returns findings in line order; empty when every Go stage declares them.
 */
export function checkDockerfile(
  input: DockerfileCheckInput
): DockerfileFinding[] {
  const findings: DockerfileFinding[] = []
  const dockerfile = DockerfileParser.parse(input.text)
  const { stages, globals } = splitStages(dockerfile.getInstructions())
  if (stages.length === 0) return findings
  let last = stages.length - 1
  if (input.target !== '') {
    const found = stages.find(
      (s) => s.name.toLowerCase() === input.target.toLowerCase()
    )
    if (!found) {
      findings.push({
        file: input.file,
        line: 0,
        kind: 'target-not-found',
        message: `target "${input.target}" is not a stage of this Dockerfile (stages: ${stages.map((s) => s.name || String(s.index)).join(', ')})`,
        fix: ''
      })
      return findings
    }
    last = found.index
  }
  const globalArgs = new Set(
    globals
      .filter((i) => i.getKeyword().toUpperCase() === 'ARG')
      .flatMap(argNames)
  )
  const wanted = input.buildArgs.filter((a) => !PREDEFINED_ARGS.has(a))
  let goStages = 0
  // kaniko builds every stage up to the target (without skipUnusedStages).
  for (const stage of stages.slice(0, last + 1)) {
    for (const run of stage.instructions) {
      if (run.getKeyword().toUpperCase() !== 'RUN') continue
      const flags = (
        run as Instruction & {
          getFlags?: () => { getName(): string; getValue(): string | null }[]
        }
      ).getFlags?.()
      const cacheMount = (flags ?? []).some(
        (f) =>
          f.getName() === 'mount' &&
          /(^|,)type=cache(,|$)/.test(f.getValue() ?? '')
      )
      if (cacheMount) {
        findings.push({
          file: input.file,
          line: run.getRange().start.line + 1,
          kind: 'cache-mount-ignored',
          message: `RUN --mount=type=cache is ignored by kaniko (no cache is mounted there); the action's GOMODCACHE/GOCACHE mounts and build args take its place`,
          fix: ''
        })
      }
    }
    const firstGo = stage.instructions.find(
      (i) =>
        i.getKeyword().toUpperCase() === 'RUN' && GO_COMMAND.test(runText(i))
    )
    if (!firstGo) continue
    goStages++
    const goLine = firstGo.getRange().start.line + 1
    // kaniko runs RUN as the stage's USER (kaniko pkg/commands/run.go,
    // runCommandInExec), and the cache dirs belong to the runner user.
    const user = userBefore(stage, goLine, stages)
    if (user && !isRootUser(user.user)) {
      findings.push({
        file: input.file,
        line: user.line,
        kind: 'go-stage-user',
        message: `${stageLabel(stage)} runs Go at line ${goLine} as USER ${user.user} (line ${user.line}): kaniko runs RUN as that user, so it must be able to write the Go caches`,
        fix: ''
      })
    }
    const before = stage.instructions.filter(
      (i) => i.getRange().start.line + 1 < goLine
    )
    const declared = new Set(
      before
        .filter((i) => i.getKeyword().toUpperCase() === 'ARG')
        .flatMap(argNames)
    )
    for (const name of wanted) {
      if (declared.has(name)) continue
      const global = globalArgs.has(name)
        ? ` (the ARG ${name} before the first FROM does not reach the stage)`
        : ''
      findings.push({
        file: input.file,
        line: stage.fromLine,
        kind: 'missing-arg',
        message: `${stageLabel(stage)} runs Go at line ${goLine} but does not declare ARG ${name} after its FROM${global}; kaniko passes the build arg only to stages that declare it. Add "ARG ${name}" after line ${stage.fromLine}`,
        fix: `ARG ${name}`
      })
    }
    for (const env of before.filter(
      (i) => i.getKeyword().toUpperCase() === 'ENV'
    )) {
      for (const name of envNames(env)) {
        if (name === 'GOCACHE' || name === 'GOMODCACHE') {
          if (!wanted.includes(name)) continue
          findings.push({
            file: input.file,
            line: env.getRange().start.line + 1,
            kind: 'env-overrides-arg',
            message: `ENV ${name} overrides the ${name} build arg, so Go does not use the mounted cache; remove it or write ENV ${name}=$${name}`,
            fix: ''
          })
        }
      }
    }
  }
  if (goStages === 0 && wanted.length > 0) {
    findings.push({
      file: input.file,
      line: 0,
      kind: 'no-go-stage',
      message: `no stage up to ${input.target ? `target "${input.target}"` : 'the last one'} runs go build, go install, go mod download or go test: the Go caches are not used by this image`,
      fix: ''
    })
  }
  return findings.sort((a, b) => a.line - b.line)
}

/**
 * kaniko v1.7.0 rejects `--whitelist-var-run` (kaniko PR #1956 fixed it in
 * v1.8.0), so `whitelistVarRun: true` with that pin fails every build.
 */
export function checkKanikoFlags(input: {
  file: string
  line: number
  image: string
  kanikoImage: string
  whitelistVarRun: boolean
}): DockerfileFinding[] {
  if (!input.whitelistVarRun || !/:v1\.7\.0(@|$)/.test(input.kanikoImage)) {
    return []
  }
  return [
    {
      file: input.file,
      line: input.line,
      kind: 'whitelist-var-run-v1.7.0',
      message: `artifact "${input.image}" pins kaniko ${input.kanikoImage} with whitelistVarRun: true; kaniko v1.7.0 fails with "unknown flag: --whitelist-var-run". Drop whitelistVarRun (newer kaniko ignores /var/run by default) or use kaniko v1.8.0 or newer`,
      fix: ''
    }
  ]
}
