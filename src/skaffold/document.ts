/**
 * Patching one YAML document of a skaffold config: check its apiVersion,
 * classify its artifacts, name the cache volumes, patch each kaniko artifact
 * and the cluster blocks they run under, and report it. Pure.
 */
import type { Document, LineCounter, Node } from 'yaml'
import { isMap, isScalar, type YAMLMap } from 'yaml'
import { describeApiVersion, type ApiVersionInfo } from './api-version.js'
import {
  artifactReport,
  overrideDockerfile,
  patchArtifact,
  type ArtifactEdits
} from './artifact.js'
import { patchClusterBlock } from './cluster-block.js'
import { warnAt, type DocumentContext } from './context.js'
import { SkaffoldConfigError } from './errors.js'
import type { PatchOptions } from './options.js'
import type { ArtifactReport, DocumentReport, PatchReport } from './report.js'
import {
  classifyArtifacts,
  clusterOwners,
  listSections,
  profilePatchWarnings,
  type ArtifactPlan,
  type Finding
} from './sections.js'
import { chooseVolumes } from './volumes.js'
import { isObject, YamlEditor, type EditTrace, type Json } from './yaml-edit.js'

/** One document to patch and where it comes from. */
export interface DocumentInput {
  file: string
  index: number
  doc: Document.Parsed
  lineCounter: LineCounter
  trace: EditTrace
}

/** What patching one document did. */
export interface DocumentOutcome {
  changed: boolean
  /** Names of the document's profiles (for the `-p` check across files). */
  profileNames: string[]
}

/**
 * Patches one document in place and appends its lines to the report.
 * @throws SkaffoldConfigError for a document the patcher cannot patch.
 */
export function patchDocument(
  input: DocumentInput,
  options: PatchOptions,
  report: PatchReport
): DocumentOutcome {
  const { file, index } = input
  const addDocument = (
    apiVersion: string,
    name: string,
    status: DocumentReport['status'],
    reason: string
  ): void => {
    report.documents.push({
      file,
      document: index,
      apiVersion,
      name,
      status,
      reason
    })
  }
  const edit: YamlEditor = new YamlEditor(
    input.doc,
    input.lineCounter,
    input.trace,
    (l, c, r) => {
      throw new SkaffoldConfigError(file, l, c, r)
    }
  )
  const root = readRoot(edit, index)
  if (root === null) {
    addDocument('', '', 'skipped', 'empty document')
    return { changed: false, profileNames: [] }
  }
  const js = edit.jsAt([]) as Json
  const { apiVersion, info } = checkApiVersion(edit, js, index, root)
  const { name, profileNames } = namesOf(js)
  if (info.tooOld) {
    refuseOld(edit, js, apiVersion, root.get('apiVersion', true) ?? root)
    addDocument(
      apiVersion,
      name,
      'nothing-to-patch',
      'an old apiVersion with no kaniko artifact or cluster builder'
    )
    return { changed: false, profileNames }
  }
  const ctx: DocumentContext = { file, index, edit, options, info, report }
  const before = report.artifacts.length
  patchSections(ctx, js)
  const mine = report.artifacts.slice(before)
  const [status, reason] = documentStatus(edit.changed, mine)
  addDocument(apiVersion, name, status, reason)
  return { changed: edit.changed, profileNames }
}

/**
 * The document's root mapping, read into the editor's plain-value view.
 * @returns null for an empty document.
 */
function readRoot(edit: YamlEditor, index: number): YAMLMap | null {
  const root = edit.doc.contents
  if (root === null || (isScalar(root) && root.value === null)) return null
  if (!isMap(root)) {
    edit.failAtNode(
      root,
      `document ${index + 1} is not a mapping: a skaffold config is a mapping with apiVersion, kind, build...`
    )
  }
  try {
    edit.refresh()
  } catch (error) {
    edit.failAtNode(
      root,
      `cannot read document ${index + 1}: ${(error as Error).message}`
    )
  }
  return root
}

/** The document's metadata.name ('' for none) and its profiles' names. */
function namesOf(js: Json): { name: string; profileNames: string[] } {
  const name =
    isObject(js.metadata) && typeof js.metadata.name === 'string'
      ? js.metadata.name
      : ''
  const profileNames = (Array.isArray(js.profiles) ? js.profiles : [])
    .filter((p) => isObject(p) && typeof p.name === 'string')
    .map((p) => (p as Json).name as string)
  return { name, profileNames }
}

function checkApiVersion(
  edit: YamlEditor,
  js: Json,
  index: number,
  root: YAMLMap
): { apiVersion: string; info: ApiVersionInfo } {
  const apiVersion = js.apiVersion
  if (apiVersion === undefined) {
    edit.failAtNode(
      root,
      `document ${index + 1} has no apiVersion; add e.g. "apiVersion: skaffold/v4beta14"`
    )
  }
  const info =
    typeof apiVersion === 'string' ? describeApiVersion(apiVersion) : null
  if (info === null) {
    const apiNode = root.get('apiVersion', true) as Node | undefined
    edit.failAtNode(
      apiNode ?? root,
      `unknown apiVersion ${JSON.stringify(apiVersion)}; expected skaffold/<version> such as skaffold/v4beta14`
    )
  }
  return { apiVersion: apiVersion as string, info }
}

/** An old config with anything kaniko or cluster in its builds is refused; the rest is left alone. */
function refuseOld(
  edit: YamlEditor,
  js: Json,
  apiVersion: string,
  node: unknown
): void {
  const profilesHaveBuild =
    Array.isArray(js.profiles) &&
    js.profiles.some((p) => isObject(p) && isObject(p.build))
  if (!profilesHaveBuild && !isObject(js.build)) return
  const text = JSON.stringify([js.build ?? {}, js.profiles ?? []])
  if (text.includes('"kaniko"') || text.includes('"cluster"')) {
    edit.failAtNode(
      node as Node,
      `apiVersion ${apiVersion} is too old for kaniko volume mounts and build args (they need skaffold/v2beta9 or newer); run \`skaffold fix --overwrite\` first`
    )
  }
}

function documentStatus(
  changed: boolean,
  mine: PatchReport['artifacts']
): [DocumentReport['status'], string] {
  const patched = mine.filter((a) => a.status !== 'skipped')
  if (changed)
    return ['patched', `${patched.length} kaniko artifact(s) patched`]
  if (patched.length > 0) {
    return [
      'unchanged',
      'every kaniko artifact already has the cache mounts and args'
    ]
  }
  return [
    'nothing-to-patch',
    mine.length === 0
      ? 'no artifacts'
      : `no kaniko artifact on the cluster builder (${[...new Set(mine.map((a) => a.reason ?? ''))].join('; ')})`
  ]
}

/** Classifies, then patches the artifacts and the cluster blocks they use. */
function patchSections(ctx: DocumentContext, js: Json): void {
  const edit: YamlEditor = ctx.edit
  const { options, report } = ctx
  const sections = listSections(js, options.profiles)
  const found = classifyArtifacts(js, sections, options.profiles)
  if (found.error !== null) edit.failAt(found.error.path, found.error.message)
  // Lines are read before any edit: copied nodes have no source position.
  const lines = new Map(found.plans.map((p) => [p, edit.lineOf(p.path)]))
  const warn = (f: Finding): void => warnAt(ctx, f.path, f.message)
  found.warnings.forEach(warn)
  profilePatchWarnings(js).forEach(warn)
  const none: ArtifactEdits = { added: [], kept: [], args: {} }
  const push = (
    p: ArtifactPlan,
    status: ArtifactReport['status'],
    e: ArtifactEdits
  ): void => {
    report.artifacts.push(artifactReport(ctx, p, lines.get(p) ?? 0, status, e))
  }
  if (found.plans.every((p) => p.skipReason !== '')) {
    for (const plan of found.plans) push(plan, 'skipped', none)
    return
  }
  const chosen = chooseVolumes(
    options,
    sections.map((s) => edit.jsAt(s.buildPath))
  )
  if ('error' in chosen) {
    edit.failAtNode(edit.doc.contents as Node, chosen.error)
  }
  for (const r of chosen.renamed) {
    report.collisions.push({ file: ctx.file, document: ctx.index, ...r })
  }
  for (const plan of found.plans) {
    if (plan.skipReason !== '') {
      push(plan, 'skipped', none)
      continue
    }
    const edits = patchArtifact(ctx, plan, chosen.volumes)
    push(plan, artifactStatus(edits), edits)
    overrideDockerfile(ctx, plan)
  }
  for (const owner of clusterOwners(sections, found.plans)) {
    report.clusters.push(patchClusterBlock(ctx, owner, chosen.volumes))
  }
}

/** patched, merged (the user's values kept) or already-patched (nothing missing). */
function artifactStatus(edits: ArtifactEdits): ArtifactReport['status'] {
  if (edits.added.length === 0) return 'already-patched'
  return edits.kept.length > 0 ? 'merged' : 'patched'
}
