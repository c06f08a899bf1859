/**
 * The Dockerfile copy: the missing `ARG` lines inserted right after the
 * `FROM` of each Go stage the check flags, so the build args the action
 * passes reach that stage's `RUN` steps. Everything else keeps its bytes:
 * parser directives, comments, heredocs and line continuations. Pure: text
 * in, text out.
 */
import { posix } from 'node:path'
import { DockerfileParser } from 'dockerfile-ast'
import { COPY_PREFIX } from '../skaffold/requires.js'
import { checkDockerfile, type DockerfileCheckInput } from './check.js'

/** ARG lines inserted after one stage's FROM instruction. */
export interface DockerfileInsertion {
  /** 1-based line of the FROM instruction in the original. */
  fromLine: number
  /** 1-based last line of that FROM (continuation lines included). */
  afterLine: number
  /** The lines inserted, e.g. `ARG GOCACHE`. */
  lines: string[]
}

/** The patched text and what was inserted (empty: no copy is needed). */
export interface DockerfilePatch {
  text: string
  insertions: DockerfileInsertion[]
}

/**
 * Inserts the `ARG` lines the check finds missing after each Go stage's
 * `FROM` (after its last continuation line). The `ARG` carries no default:
 * the build arg the action passes gives it its value.
 */
export function patchDockerfile(input: DockerfileCheckInput): DockerfilePatch {
  const missing = new Map<number, string[]>()
  for (const finding of checkDockerfile(input)) {
    if (finding.kind !== 'missing-arg' || finding.fix === '') continue
    const lines = missing.get(finding.line) ?? []
    if (!lines.includes(finding.fix)) lines.push(finding.fix)
    missing.set(finding.line, lines)
  }
  if (missing.size === 0) return { text: input.text, insertions: [] }
  const insertions: DockerfileInsertion[] = []
  for (const instruction of DockerfileParser.parse(
    input.text
  ).getInstructions()) {
    if (instruction.getKeyword().toUpperCase() !== 'FROM') continue
    const range = instruction.getRange()
    const lines = missing.get(range.start.line + 1)
    if (lines === undefined) continue
    insertions.push({
      fromLine: range.start.line + 1,
      afterLine: range.end.line + 1,
      lines
    })
  }
  const eol = input.text.includes('\r\n') ? '\r\n' : '\n'
  // Split keeping each line's own ending, so untouched lines keep their bytes.
  const original = input.text.match(/[^\n]*\n|[^\n]+$/g) ?? []
  const out: string[] = []
  original.forEach((line, i) => {
    out.push(line)
    const insertion = insertions.find((x) => x.afterLine === i + 1)
    if (insertion === undefined) return
    if (!line.endsWith('\n')) out.push(eol)
    for (const added of insertion.lines) out.push(added + eol)
  })
  return { text: out.join(''), insertions }
}

/**
 * The copy's `kaniko.dockerfile` value: the original's, with the copy's name
 * in the same directory (skaffold resolves it against the artifact context,
 * as it does the original).
 */
export function dockerfileCopyValue(dockerfile: string): string {
  return posix.join(
    posix.dirname(dockerfile),
    COPY_PREFIX + posix.basename(dockerfile)
  )
}

/** One patched artifact's Dockerfile, as read by the adapter. */
export interface ArtifactDockerfile {
  /** artifactKey() of the artifact (the patcher's override key). */
  key: string
  image: string
  /** Absolute path of the original Dockerfile. */
  path: string
  /** `kaniko.dockerfile` as the artifact writes it (relative to its context). */
  dockerfile: string
  target: string
  buildArgs: string[]
  text: string
}

/** One Dockerfile copy to write beside its original. */
export interface DockerfileCopy {
  original: string
  copyPath: string
  text: string
  insertions: DockerfileInsertion[]
  images: string[]
}

/** What the build uses: the copies, and the `kaniko.dockerfile` values that point at them. */
export interface DockerfileCopyPlan {
  copies: DockerfileCopy[]
  /** artifactKey() → the copy's `kaniko.dockerfile` value. */
  overrides: Record<string, string>
  /** Artifacts left on their original (their warnings stay), with the reason. */
  skipped: { image: string; path: string; reason: string }[]
}

/**
 * Decides the Dockerfile copies: one per Dockerfile that misses ARG lines.
 * Two artifacts sharing a Dockerfile with different targets or build args
 * that would need different copies: the first one gets the copy, the other
 * keeps the original (and its warnings).
 */
export function planDockerfileCopies(
  artifacts: ArtifactDockerfile[]
): DockerfileCopyPlan {
  const plan: DockerfileCopyPlan = { copies: [], overrides: {}, skipped: [] }
  for (const artifact of artifacts) {
    const patched = patchDockerfile({
      file: artifact.path,
      text: artifact.text,
      target: artifact.target,
      buildArgs: artifact.buildArgs
    })
    if (patched.insertions.length === 0) continue
    const copyPath = posix.join(
      posix.dirname(artifact.path),
      COPY_PREFIX + posix.basename(artifact.path)
    )
    const existing = plan.copies.find((c) => c.copyPath === copyPath)
    if (existing !== undefined && existing.text !== patched.text) {
      plan.skipped.push({
        image: artifact.image,
        path: artifact.path,
        reason: `another artifact (${existing.images.join(', ')}) builds ${artifact.path} with a different target or build args; this one keeps the original`
      })
      continue
    }
    if (existing === undefined) {
      plan.copies.push({
        original: artifact.path,
        copyPath,
        text: patched.text,
        insertions: patched.insertions,
        images: [artifact.image]
      })
    } else {
      existing.images.push(artifact.image)
    }
    plan.overrides[artifact.key] = dockerfileCopyValue(artifact.dockerfile)
  }
  return plan
}
