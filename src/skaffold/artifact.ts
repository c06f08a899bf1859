/**
 * Patching one kaniko artifact: the Go cache build args and volume mounts,
 * the kaniko scalars and lists the options ask for, the Dockerfile copy, and
 * the artifact's line of the report. The user's own values always win and
 * are reported. Pure.
 */
import { kanikoAdvice } from './advice.js'
import { warnAt, type DocumentContext } from './context.js'
import {
  artifactKey,
  listOurBuildArgs,
  normalizePath,
  type PatchOptions
} from './options.js'
import type { ArtifactReport, KeptValue } from './report.js'
import type { ArtifactPlan } from './sections.js'
import { mountNode, mountPathOf, type OurVolume } from './volumes.js'
import { isObject, type Json, type YamlPath } from './yaml-edit.js'

/** What patching one artifact added and kept, and the build args it ends up with. */
export interface ArtifactEdits {
  added: string[]
  kept: KeptValue[]
  args: Record<string, string>
}

/** Adds what is missing to one kaniko artifact. */
export function patchArtifact(
  ctx: DocumentContext,
  plan: ArtifactPlan,
  ours: OurVolume[]
): ArtifactEdits {
  const kanikoPath = [...plan.path, 'kaniko']
  const edits: ArtifactEdits = { added: [], kept: [], args: {} }
  const kanikoRaw = ctx.edit.jsAt(kanikoPath)
  if (kanikoRaw !== undefined && kanikoRaw !== null && !isObject(kanikoRaw)) {
    ctx.edit.failAt(kanikoPath, 'kaniko must be a mapping')
  }
  if (plan.implicit) {
    // Make skaffold's implicit kaniko explicit so it can carry the mounts.
    ctx.edit.writeMap(kanikoPath)
    edits.added.push('kaniko')
  }
  patchBuildArgs(ctx, kanikoPath, plan, edits)
  patchVolumeMounts(ctx, kanikoPath, plan, ours, edits)
  patchKanikoScalars(ctx, kanikoPath, edits)
  patchKanikoLists(ctx, kanikoPath, edits)
  return edits
}

/** The artifact's kaniko map as it is now (empty when absent). */
function kanikoOf(ctx: DocumentContext, kanikoPath: YamlPath): Json {
  const value = ctx.edit.jsAt(kanikoPath)
  return isObject(value) ? value : {}
}

/** The Go build args: the user's own values win and are reported. */
function patchBuildArgs(
  ctx: DocumentContext,
  kanikoPath: YamlPath,
  plan: ArtifactPlan,
  edits: ArtifactEdits
): void {
  const userArgs = kanikoOf(ctx, kanikoPath).buildArgs
  if (userArgs !== undefined && userArgs !== null && !isObject(userArgs)) {
    ctx.edit.failAt([...kanikoPath, 'buildArgs'], 'buildArgs must be a mapping')
  }
  const existing = isObject(userArgs) ? userArgs : {}
  const missing: [string, string][] = []
  for (const [key, value] of listOurBuildArgs(ctx.options)) {
    if (!Object.prototype.hasOwnProperty.call(existing, key)) {
      missing.push([key, value])
      edits.args[key] = value
      continue
    }
    const user = existing[key]
    edits.args[key] =
      user === null
        ? ''
        : typeof user === 'string'
          ? user
          : JSON.stringify(user)
    if (user === value) continue
    edits.kept.push({
      key: `buildArgs.${key}`,
      userValue: user,
      ourValue: value
    })
    if (key === 'GOMODCACHE' || key === 'GOCACHE') {
      warnAt(
        ctx,
        [...kanikoPath, 'buildArgs', key],
        `artifact "${String(plan.artifact.image)}" sets ${key}=${JSON.stringify(user)}, not the cache mount ${value}: that cache will not be used; remove the build arg to let the action set it`
      )
    }
  }
  if (missing.length === 0) return
  const map = ctx.edit.writeMap([...kanikoPath, 'buildArgs'])
  for (const [key, value] of missing) {
    map.set(ctx.edit.createNode(key), ctx.edit.createNode(value))
    ctx.edit.touch()
    edits.added.push(`buildArgs.${key}`)
  }
}

/** The cache mounts: never a second mount at our path. */
function patchVolumeMounts(
  ctx: DocumentContext,
  kanikoPath: YamlPath,
  plan: ArtifactPlan,
  ours: OurVolume[],
  edits: ArtifactEdits
): void {
  const userMounts = kanikoOf(ctx, kanikoPath).volumeMounts
  if (
    userMounts !== undefined &&
    userMounts !== null &&
    !Array.isArray(userMounts)
  ) {
    ctx.edit.failAt(
      [...kanikoPath, 'volumeMounts'],
      'volumeMounts must be a list'
    )
  }
  const mountList = (Array.isArray(userMounts) ? userMounts : []).filter(
    isObject
  )
  const newMounts: Json[] = []
  for (const v of ours) {
    for (const m of v.mounts) {
      const at = mountList.find(
        (um) => normalizePath(mountPathOf(um)) === m.path
      )
      if (at) {
        if (at.name !== v.name) {
          ctx.edit.failAt(
            [...kanikoPath, 'volumeMounts'],
            `artifact "${String(plan.artifact.image)}" already mounts volume "${String(at.name)}" at ${m.path}, where the action mounts its Go cache; remove that mount or choose another cache path (--mod-cache-path / --build-cache-path)`
          )
        }
        continue
      }
      newMounts.push(
        mountNode(v.name, m.path, m.subPath, ctx.info.lowercaseVolumes)
      )
      edits.added.push(`volumeMounts[${v.name}:${m.path}]`)
    }
  }
  ctx.edit.append([...kanikoPath, 'volumeMounts'], newMounts)
}

/** The kaniko scalars to set where the user set none. */
function wantedScalars(
  o: PatchOptions,
  hasSnapshotMode: boolean
): [string, string | boolean][] {
  const scalars: [string, string | boolean][] = []
  if (o.registryMirror) scalars.push(['registryMirror', o.registryMirror])
  if (o.kanikoImage) scalars.push(['image', o.kanikoImage])
  if (o.initImage) scalars.push(['initImage', o.initImage])
  if (o.whitelistVarRun) scalars.push(['whitelistVarRun', true])
  if (o.snapshotMode && hasSnapshotMode) {
    scalars.push(['snapshotMode', o.snapshotMode])
  }
  return scalars
}

/** Scalars: added when asked; the user's own value wins. */
function patchKanikoScalars(
  ctx: DocumentContext,
  kanikoPath: YamlPath,
  edits: ArtifactEdits
): void {
  const scalars = wantedScalars(ctx.options, ctx.info.hasSnapshotMode)
  for (const [key, value] of scalars) {
    const current = kanikoOf(ctx, kanikoPath)[key]
    if (current === undefined) {
      ctx.edit.writeMap(kanikoPath).set(key, ctx.edit.createNode(value))
      ctx.edit.touch()
      edits.added.push(key)
    } else if (current !== value) {
      edits.kept.push({ key, userValue: current, ourValue: value })
    }
  }
}

/** Lists: our entries the user does not have are appended. */
function patchKanikoLists(
  ctx: DocumentContext,
  kanikoPath: YamlPath,
  edits: ArtifactEdits
): void {
  const o = ctx.options
  const lists: [string, string[]][] = []
  if (ctx.info.hasIgnorePaths && o.ignorePaths.length > 0) {
    lists.push(['ignorePaths', o.ignorePaths])
  }
  if (o.insecureRegistries.length > 0) {
    lists.push(['insecureRegistry', o.insecureRegistries])
  }
  for (const [key, values] of lists) {
    const current = kanikoOf(ctx, kanikoPath)[key]
    if (current !== undefined && current !== null && !Array.isArray(current)) {
      edits.kept.push({ key, userValue: current, ourValue: values })
      continue
    }
    const have = Array.isArray(current) ? current : []
    const add = values.filter((v) => !have.includes(v))
    ctx.edit.append([...kanikoPath, key], add)
    edits.added.push(...add.map((v) => `${key}[${v}]`))
  }
}

/** Points `kaniko.dockerfile` at the Dockerfile copy when one was made. */
export function overrideDockerfile(
  ctx: DocumentContext,
  plan: ArtifactPlan
): void {
  const value =
    ctx.options.dockerfileOverrides?.[
      artifactKey({
        file: ctx.file,
        document: ctx.index,
        index: plan.index,
        place: plan.section.place
      })
    ]
  if (value === undefined) return
  ctx.edit.setScalar([...plan.path, 'kaniko'], 'dockerfile', value)
}

/**
 * The report line of one artifact, read after patching: the kaniko image
 * and whitelistVarRun may be ours.
 */
export function artifactReport(
  ctx: DocumentContext,
  plan: ArtifactPlan,
  line: number,
  status: ArtifactReport['status'],
  edits: ArtifactEdits
): ArtifactReport {
  const artifact = plan.artifact
  const current = ctx.edit.jsAt([...plan.path, 'kaniko'])
  const kaniko = isObject(current) ? current : {}
  return {
    file: ctx.file,
    document: ctx.index,
    index: plan.index,
    image: typeof artifact.image === 'string' ? artifact.image : '',
    place: plan.section.place,
    line,
    builder: plan.builderName,
    status,
    ...(plan.skipReason ? { reason: plan.skipReason } : {}),
    added: edits.added,
    kept: edits.kept,
    context: typeof artifact.context === 'string' ? artifact.context : '.',
    dockerfile:
      typeof kaniko.dockerfile === 'string' ? kaniko.dockerfile : 'Dockerfile',
    target: typeof kaniko.target === 'string' ? kaniko.target : '',
    buildArgs: edits.args,
    kanikoImage: typeof kaniko.image === 'string' ? kaniko.image : '',
    whitelistVarRun: kaniko.whitelistVarRun === true,
    snapshotMode:
      typeof kaniko.snapshotMode === 'string' ? kaniko.snapshotMode : '',
    advice: plan.skipReason === '' ? kanikoAdvice(kaniko) : []
  }
}
