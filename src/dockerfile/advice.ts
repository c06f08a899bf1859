/**
 * Advice about kaniko's own cost, read from a Dockerfile: which base image
 * the Go build stage unpacks on every build, and whether a cheaper one
 * exists. kaniko extracts a stage's base image whenever one of its commands
 * needs the filesystem, as RUN does, warm or cold (kaniko v1.19.2
 * pkg/executor/build.go stageBuilder.build, "FS Unpacking"); its base-image
 * cache skips only the download (pkg/cache/cache.go LocalSource), so the
 * build stage's base size is paid on every warm build. Advice never changes
 * a file or a setting. Pure: Dockerfile text in, advice out.
 */
import { DockerfileParser, type Instruction } from 'dockerfile-ast'
import { GO_COMMAND, runText, splitStages, type Stage } from './check.js'
import { adviceLines } from '../skaffold/advice.js'
import { artifactKey } from '../skaffold/options.js'
import type { PatchReport } from '../skaffold/report.js'
import type { ArtifactDockerfile } from './patch.js'

/** One hint: what the build pays for and what would pay less. */
export interface DockerfileAdvice {
  file: string
  /** 1-based line of the FROM that names the base image. */
  line: number
  /**
   * build-stage-base: the base image of the stage that runs `go build`;
   * final-stage-base: a large final base re-tarred by `reproducible`.
   */
  kind: 'build-stage-base' | 'final-stage-base'
  /** The base image as written (build args resolved from their defaults). */
  image: string
  /** The golang image's variant; 'other' when it is not a golang image we can place. */
  variant: 'debian' | 'alpine' | 'other'
  /** The `-alpine` image to build on instead ('' when there is none to suggest). */
  alpine: string
  message: string
}

/** What the advice needs besides the check's input. */
export interface DockerfileAdviceInput {
  file: string
  text: string
  /** kaniko `target` ('' builds the last stage). */
  target: string
  /**
   * The artifact's kaniko `reproducible` as the user wrote it; undefined
   * when unknown (then no final-base hint).
   */
  reproducible?: boolean
}

/**
 * Unpacked sizes of the official Go images, as `docker images` reports them:
 * golang:1.19-bullseye 993 MB, golang:1.19-alpine 354 MB
 * (https://csang.dev/tags/docker, "Alpine Linux Containers").
 */
export const GOLANG_IMAGE_MB = { debian: 993, alpine: 354 } as const

/**
 * Seconds kaniko takes to unpack 100 MB of base image, measured by this
 * project with real kaniko v1.19.2 (built from its tag): ≈1.9 s + 1.78 s per
 * 100 MB unpacked, single-threaded (sha256, gunzip, file creation); a 949 MB
 * Debian Go image took ~18 s, a 295 MB one ~8 s.
 */
export const UNPACK_SECONDS_PER_100MB = 1.8

/**
 * Seconds `reproducible` adds per 100 MB of final base image, measured the
 * same way: kaniko re-tars every final-image layer, the base's included.
 */
export const REPRODUCIBLE_SECONDS_PER_100MB = 5

/** Debian releases the official golang image is built on (docker-library/golang). */
const DEBIAN_SUFFIX = /^(bookworm|bullseye|buster|stretch|trixie|jessie)$/

/** The official Go image, under the names docker resolves to it. */
const GOLANG_REF =
  /^(?:(?:docker\.io|index\.docker\.io|mirror\.gcr\.io)\/)?(?:library\/)?golang(?::([^@\s]+))?(?:@sha256:[0-9a-f]{64})?$/i

/** A golang image's variant and the `-alpine` tag of the same Go version. */
export function golangVariant(image: string): {
  variant: DockerfileAdvice['variant']
  alpine: string
} {
  const match = GOLANG_REF.exec(image)
  if (!match) return { variant: 'other', alpine: '' }
  const tag = match[1] ?? 'latest'
  const repo = image.replace(/[:@].*$/, '')
  if (/(^|-)alpine[0-9.]*$/.test(tag)) return { variant: 'alpine', alpine: '' }
  // Tags are <version>, <version>-<debian release>, or the release alone.
  const [version, ...rest] = tag.split('-')
  const suffix = rest.join('-')
  const versionOnly = /^(latest|[0-9][0-9a-z.]*)$/.test(version)
  if (DEBIAN_SUFFIX.test(tag) && rest.length === 0) {
    return { variant: 'debian', alpine: `${repo}:alpine` }
  }
  if (!versionOnly || (suffix !== '' && !DEBIAN_SUFFIX.test(suffix))) {
    // windowsservercore, nanoserver and tags we cannot place.
    return { variant: 'other', alpine: '' }
  }
  return {
    variant: 'debian',
    alpine:
      version === 'latest' ? `${repo}:alpine` : `${repo}:${version}-alpine`
  }
}

/** Default values of the ARGs before the first FROM (they may name the base). */
function globalDefaults(globals: Instruction[]): Map<string, string> {
  const values = new Map<string, string>()
  for (const instruction of globals) {
    if (instruction.getKeyword().toUpperCase() !== 'ARG') continue
    const content = (instruction.getArgumentsContent() ?? '').trim()
    for (const token of content.split(/\s+/)) {
      const eq = token.indexOf('=')
      // ARG V="1.22" and ARG V='1.22' set 1.22 (buildkit's shell lexer).
      if (eq > 0)
        values.set(
          token.slice(0, eq),
          token.slice(eq + 1).replace(/^(["'])(.*)\1$/, '$2')
        )
    }
  }
  return values
}

/** `$NAME` and `${NAME}` replaced by their defaults; unknown ones are kept. */
function resolveArgs(text: string, values: Map<string, string>): string {
  return text.replace(
    /\$(?:\{([A-Za-z_][A-Za-z0-9_]*)\}|([A-Za-z_][A-Za-z0-9_]*))/g,
    (whole, braced?: string, bare?: string) =>
      values.get(braced ?? bare ?? '') ?? whole
  )
}

/** The image a stage ends up on, following `FROM <earlier stage>`. */
function rootStage(stage: Stage, stages: Stage[]): Stage {
  const parent = stages.find(
    (s) =>
      s.index < stage.index &&
      s.name !== '' &&
      s.name.toLowerCase() === stage.from.toLowerCase()
  )
  return parent ? rootStage(parent, stages) : stage
}

function label(stage: Stage): string {
  return stage.name ? `stage "${stage.name}"` : `stage ${stage.index}`
}

/** "about 11 s" from the cited sizes and the measured unpack rate. */
function alpineSaving(): number {
  const mb = GOLANG_IMAGE_MB.debian - GOLANG_IMAGE_MB.alpine
  return Math.round((mb / 100) * UNPACK_SECONDS_PER_100MB)
}

function buildStageMessage(
  stage: Stage,
  image: string,
  variant: { variant: DockerfileAdvice['variant']; alpine: string }
): string {
  const base = `${label(stage)} builds Go on ${image}`
  const rate = `kaniko unpacks it on every build, warm or cold, at ≈${UNPACK_SECONDS_PER_100MB} s per 100 MB unpacked (measured with kaniko v1.19.2)`
  if (variant.variant !== 'debian') return `${base}: ${rate}`
  return (
    `${base}, a Debian-based Go image: ${rate}. ` +
    `FROM ${variant.alpine} would save about ${alpineSaving()} s per warm build ` +
    `(golang:1.19-bullseye is ${GOLANG_IMAGE_MB.debian} MB unpacked, golang:1.19-alpine ${GOLANG_IMAGE_MB.alpine} MB). ` +
    `Alpine has no gcc or git: build with CGO_ENABLED=0, and with -buildvcs=false if the context holds .git`
  )
}

/**
 * The advice for one Dockerfile: the base image of each stage that runs
 * `go build` or `go install` (once per base), with the saving of an
 * `-alpine` build stage for a Debian golang image; and, when `reproducible`
 * is on, a final stage on a golang image (hundreds of MB re-tarred).
 */
export function adviseDockerfile(
  input: DockerfileAdviceInput
): DockerfileAdvice[] {
  const { stages, globals } = splitStages(
    DockerfileParser.parse(input.text).getInstructions()
  )
  if (stages.length === 0) return []
  const last =
    input.target === ''
      ? stages.length - 1
      : stages.findIndex(
          (s) => s.name.toLowerCase() === input.target.toLowerCase()
        )
  // An unknown target is the check's finding; there is nothing to advise.
  if (last < 0) return []
  const defaults = globalDefaults(globals)
  const advice: DockerfileAdvice[] = []
  const seen = new Set<number>()
  for (const stage of stages.slice(0, last + 1)) {
    const builds = stage.instructions.some(
      (i) =>
        i.getKeyword().toUpperCase() === 'RUN' &&
        GO_COMMAND.test(runText(i)) &&
        /\bgo\s+(build|install)\b/.test(runText(i))
    )
    if (!builds) continue
    const root = rootStage(stage, stages)
    if (seen.has(root.index)) continue
    seen.add(root.index)
    const image = resolveArgs(root.from, defaults)
    const variant = golangVariant(image)
    advice.push({
      file: input.file,
      line: root.fromLine,
      kind: 'build-stage-base',
      image,
      ...variant,
      message: buildStageMessage(stage, image, variant)
    })
  }
  const final = rootStage(stages[last], stages)
  const finalImage = resolveArgs(final.from, defaults)
  if (input.reproducible === true && GOLANG_REF.test(finalImage)) {
    advice.push({
      file: input.file,
      line: final.fromLine,
      kind: 'final-stage-base',
      image: finalImage,
      ...golangVariant(finalImage),
      message:
        `the final image is built on ${finalImage}, a Go toolchain image (golang:1.19-alpine is ${GOLANG_IMAGE_MB.alpine} MB unpacked, golang:1.19-bullseye ${GOLANG_IMAGE_MB.debian} MB), and kaniko.reproducible is on: ` +
        `kaniko re-tars every final-image layer, the base's included (≈${REPRODUCIBLE_SECONDS_PER_100MB} s per 100 MB, measured with kaniko v1.19.2), and pushes the rewritten base layers again. ` +
        'Copy the binary into a small final stage (distroless, scratch) instead'
    })
  }
  return advice.sort((a, b) => a.line - b.line)
}

/** One artifact's Dockerfile, as the copy planner reads it. */
export type AdvisedDockerfile = Pick<
  ArtifactDockerfile,
  'key' | 'path' | 'target' | 'text'
>

/**
 * The advice for every artifact's Dockerfile, one `file:line: message` line
 * each, a Dockerfile and target advised once.
 * @param show how a path is printed (relative to the workspace).
 * @param reproducible the artifact's kaniko `reproducible` by artifact key,
 * undefined when unknown.
 */
export function adviseArtifactDockerfiles(
  dockerfiles: AdvisedDockerfile[],
  show: (path: string) => string,
  reproducible: (key: string) => boolean | undefined = () => undefined
): string[] {
  const lines: string[] = []
  for (const dockerfile of dockerfiles) {
    for (const advice of adviseDockerfile({
      file: dockerfile.path,
      text: dockerfile.text,
      target: dockerfile.target,
      reproducible: reproducible(dockerfile.key)
    })) {
      const line = `${show(advice.file)}:${advice.line}: ${advice.message}`
      if (!lines.includes(line)) lines.push(line)
    }
  }
  return lines
}

/**
 * Every hint about kaniko's own cost for the job summary: the kaniko settings
 * the patch report flags (useNewRun with singleSnapshot), then the
 * Dockerfile advice. `reproducible` is reported only with a final stage on a
 * Go toolchain image, where it costs seconds; with a small final base it
 * costs a fraction of a second and is not worth a hint.
 */
export function kanikoCostAdvice(
  report: PatchReport,
  dockerfiles: AdvisedDockerfile[],
  show: (path: string) => string
): string[] {
  const reproducible = new Map(
    report.artifacts.map((a) => [
      artifactKey(a),
      a.advice.some((item) => item.kind === 'reproducible')
    ])
  )
  const flags = adviceLines({
    ...report,
    artifacts: report.artifacts.map((a) => ({
      ...a,
      file: show(a.file),
      advice: a.advice.filter((item) => item.kind !== 'reproducible')
    }))
  })
  return [
    ...flags,
    ...adviseArtifactDockerfiles(dockerfiles, show, (key) =>
      reproducible.get(key)
    )
  ]
}
