/**
 * The kind product files and configs too old for `kaniko.ignorePaths`.
 * kind's node image copies /kind/product_uuid (and product_name) into every
 * container's root and bind-mounts them over the DMI files
 * (kubernetes-sigs/kind images/base/files/kind/bin/mount-product-files.sh).
 * kaniko wipes its root after every stage but the last it builds
 * (GoogleContainerTools/kaniko pkg/executor/build.go DoBuild) and cannot
 * remove /product_uuid: `unlinkat //product_uuid: device or resource busy`
 * (kaniko issue 2164). Only `--ignore-path` avoids it, and skaffold writes
 * that flag from `kaniko.ignorePaths`, which exists from skaffold/v4beta2 on.
 * So an older config whose Dockerfile has several stages fails on kind. Pure.
 */
import { DockerfileParser } from 'dockerfile-ast'
import type { DockerfileFinding } from '../dockerfile/check.js'
import { describeApiVersion } from './api-version.js'

/** One artifact to check. */
export interface ProductFilesInput {
  /** The skaffold config and the artifact's line in it. */
  file: string
  line: number
  image: string
  /** The apiVersion of the artifact's document. */
  apiVersion: string
  /** The Dockerfile's path (for the message) and text. */
  dockerfile: string
  text: string
  /** kaniko.target ('' for the last stage). */
  target: string
}

/**
 * @returns a finding when kaniko builds more than one stage and the config's
 * apiVersion cannot carry ignorePaths; empty otherwise.
 */
export function checkProductFiles(
  input: ProductFilesInput
): DockerfileFinding[] {
  const info = describeApiVersion(input.apiVersion)
  if (info === null || info.hasIgnorePaths) return []
  const stages = countStages(input.text, input.target)
  if (stages.upToTarget < 2) return []
  const unless =
    stages.needed < 2
      ? ' (unless kaniko.skipUnusedStages leaves only the one stage the target needs)'
      : ''
  return [
    {
      file: input.file,
      line: input.line,
      kind: 'product-files-not-ignored',
      message: `artifact "${input.image}": ${input.dockerfile} has ${stages.upToTarget} stages up to its target, and kaniko wipes its filesystem between stages, which fails on kind with "unlinkat //product_uuid: device or resource busy" (kaniko issue 2164)${unless}. The fix, kaniko.ignorePaths, needs skaffold/v4beta2 or newer, and this config is ${input.apiVersion}. Upgrade it with \`skaffold fix --overwrite -f ${input.file}\` (the action then adds ignorePaths: [/product_uuid, /product_name] to its copy), or use a single-stage Dockerfile.`,
      fix: ''
    }
  ]
}

/**
 * How many stages kaniko builds for the target: every stage up to it by
 * default, and at least the stages it depends on (FROM <stage>,
 * COPY --from=<stage>), all that skipUnusedStages builds.
 */
export function countStages(
  text: string,
  target: string
): { upToTarget: number; needed: number } {
  const stages: { name: string; from: string; copyFrom: string[] }[] = []
  for (const instruction of DockerfileParser.parse(text).getInstructions()) {
    const keyword = instruction.getKeyword().toUpperCase()
    // dockerfile-ast leaves flags (--platform, --from) out of the
    // arguments: read them from the instruction's text.
    const args = instruction.getTextContent().trim().split(/\s+/).slice(1)
    if (keyword === 'FROM') {
      const words = args.filter((a) => !a.startsWith('--'))
      const as = words.findIndex((w) => w.toLowerCase() === 'as')
      stages.push({
        name: as >= 0 ? (words[as + 1] ?? '').toLowerCase() : '',
        from: (words[0] ?? '').toLowerCase(),
        copyFrom: []
      })
    } else if (keyword === 'COPY' && stages.length > 0) {
      for (const a of args) {
        const m = /^--from=(.+)$/i.exec(a)
        if (m) stages[stages.length - 1].copyFrom.push(m[1].toLowerCase())
      }
    }
  }
  const indexOf = (ref: string): number => {
    const named = stages.findIndex((s) => s.name !== '' && s.name === ref)
    return named >= 0 ? named : /^\d+$/.test(ref) ? Number(ref) : -1
  }
  const targetIndex =
    target === '' ? stages.length - 1 : indexOf(target.toLowerCase())
  if (targetIndex < 0 || targetIndex >= stages.length)
    return { upToTarget: 0, needed: 0 }
  const needed = new Set<number>()
  const visit = (i: number): void => {
    if (i < 0 || i >= stages.length || needed.has(i)) return
    needed.add(i)
    const parent = indexOf(stages[i].from)
    if (parent < i) visit(parent)
    for (const ref of stages[i].copyFrom) {
      const dep = indexOf(ref)
      if (dep < i) visit(dep)
    }
  }
  visit(targetIndex)
  return { upToTarget: targetIndex + 1, needed: needed.size }
}
