/**
 * The skaffold patcher: every kaniko artifact that runs on the cluster builder
 * gets the Go cache mounts and build args, every cluster block they use gets
 * the volumes (skaffold appends cluster.volumes to the kaniko pod and
 * kaniko.volumeMounts to its containers: pkg/skaffold/build/cluster/pod.go
 * kanikoPodSpec). Pure: text in,
 * text and a report out. Edits go through the `yaml` Document API so
 * comments, key order, quoting, anchors and `{{.TEMPLATES}}` survive; a file
 * with nothing to add is returned byte for byte.
 */
import {
  Document,
  isAlias,
  isMap,
  isScalar,
  isSeq,
  LineCounter,
  parseAllDocuments,
  YAMLMap,
  YAMLSeq,
  type Node,
  type Pair,
  type ParsedNode,
  type Scalar
} from 'yaml'
import { isDeepStrictEqual } from 'node:util'
import { describeApiVersion, type ApiVersionInfo } from './api-version.js'
import { SkaffoldConfigError } from './errors.js'
import { spliceEdits } from './splice.js'
import {
  artifactKey,
  DEFAULT_PATCH_OPTIONS,
  isDnsLabel,
  listOurBuildArgs,
  normalizePath,
  RESERVED_VOLUME_NAMES,
  validatePatchOptions,
  type PatchOptions
} from './options.js'
import type {
  ArtifactPlace,
  ArtifactReport,
  KeptValue,
  PatchReport
} from './report.js'
import {
  copyPathFor,
  findRequiredFile,
  listLocalRequires,
  relativeRequirePath
} from './requires.js'

/** One config file as read. */
export interface ConfigFile {
  path: string
  text: string
}

/** One config file after patching. */
export interface PatchedFile {
  path: string
  /** Where the patched copy goes (beside the original). */
  copyPath: string
  /** The patched text (the original text when nothing changed). */
  text: string
  /** True when the copy must be written and used instead of the original. */
  needsCopy: boolean
}

/** What patchSkaffoldConfigs returns. */
export interface PatchResult {
  /** The file to pass to `skaffold -f`: the root's copy, or the root itself. */
  rootPath: string
  files: PatchedFile[]
  report: PatchReport
}

/**
 * Patches the root config (files[0]) and the local configs it requires.
 * @throws SkaffoldConfigError for a config that cannot be patched (syntax,
 *   not a mapping, unknown or too old apiVersion, kaniko with no cluster
 *   builder, a requires cycle or missing file, an unresolvable collision).
 * @throws PatchOptionsError for a bad option.
 */
export function patchSkaffoldConfigs(
  files: ConfigFile[],
  options: PatchOptions = DEFAULT_PATCH_OPTIONS
): PatchResult {
  validatePatchOptions(options)
  if (files.length === 0) throw new Error('patchSkaffoldConfigs: no files')
  const report: PatchReport = {
    documents: [],
    artifacts: [],
    clusters: [],
    warnings: [],
    collisions: []
  }
  const paths = files.map((f) => f.path)
  const states = files.map((file) => patchFile(file, options, report))
  const edges = files.map((file) => linkRequires(file, paths, report))
  checkCycles(files, edges)
  checkProfiles(files[0].path, states, options.profiles)

  const needsCopy = new Map<number, boolean>()
  const decide = (i: number): boolean => {
    const known = needsCopy.get(i)
    if (known !== undefined) return known
    const value = states[i].changed || edges[i].some((e) => decide(e.target))
    needsCopy.set(i, value)
    return value
  }
  const out = files.map((file, i): PatchedFile => {
    const copy = decide(i)
    if (copy) {
      for (const edge of edges[i]) {
        if (!decide(edge.target)) continue
        const doc = states[i].docs[edge.document]
        const item = (doc.contents as YAMLMap).get('requires') as YAMLSeq
        const entry = item.items[edge.index] as YAMLMap
        const scalar = entry.get('path', true) as Scalar
        scalar.value = relativeRequirePath(
          file.path,
          copyPathFor(files[edge.target].path),
          edge.rawPath
        )
        states[i].editedScalars.add(scalar)
        states[i].changed = true
      }
    }
    return {
      path: file.path,
      copyPath: copyPathFor(file.path),
      text: states[i].changed ? renderFile(states[i]) : file.text,
      needsCopy: copy
    }
  })
  return {
    rootPath: out[0].needsCopy ? out[0].copyPath : out[0].path,
    files: out,
    report
  }
}

/** Patches a single file that has no local `requires` (tests, the CLI check). */
export function patchSkaffoldText(
  file: ConfigFile,
  options: PatchOptions = DEFAULT_PATCH_OPTIONS
): { text: string; report: PatchReport } {
  const result = patchSkaffoldConfigs([file], options)
  return { text: result.files[0].text, report: result.report }
}

interface FileState {
  file: ConfigFile
  docs: Document.Parsed[]
  lineCounter: LineCounter
  changed: boolean
  indentSeq: boolean
  profiles: string[]
  /** For the minimal-diff splice: pairs whose value node was replaced. */
  replacedValues: WeakMap<Pair, [number, number]>
  editedScalars: WeakSet<Scalar>
}

interface Edge {
  document: number
  index: number
  rawPath: string
  target: number
  line: number
}

function parseFile(file: ConfigFile): {
  docs: Document.Parsed[]
  lineCounter: LineCounter
} {
  const lineCounter = new LineCounter()
  const docs = parseAllDocuments(file.text, {
    lineCounter,
    merge: true,
    uniqueKeys: true
  })
  for (const doc of docs) {
    const error = doc.errors[0]
    if (error) {
      const [line, col] = error.linePos?.[0]
        ? [error.linePos[0].line, error.linePos[0].col]
        : [0, 0]
      throw new SkaffoldConfigError(
        file.path,
        line,
        col,
        `YAML syntax error: ${error.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '')}`
      )
    }
  }
  return { docs, lineCounter }
}

const RENDER = { lineWidth: 0, flowCollectionPadding: false }

/**
 * Renders an edited file: the original text with only our additions spliced
 * in, or, when the splice cannot reproduce the edited documents exactly, the
 * whole file re-printed by yaml (comments and key order kept, spacing
 * normalised).
 */
function renderFile(state: FileState): string {
  const spliced = spliceEdits({
    source: state.file.text,
    docs: state.docs,
    lineCounter: state.lineCounter,
    indentSeq: state.indentSeq,
    replacedValues: state.replacedValues,
    editedScalars: state.editedScalars
  })
  if (spliced !== null && sameDocuments(spliced, state.docs)) return spliced
  return state.docs
    .map((doc) => doc.toString({ ...RENDER, indentSeq: state.indentSeq }))
    .join('')
}

function sameDocuments(text: string, docs: Document.Parsed[]): boolean {
  const reparsed = parseAllDocuments(text, { merge: true, uniqueKeys: true })
  if (reparsed.length !== docs.length) return false
  return reparsed.every(
    (doc, i) =>
      doc.errors.length === 0 &&
      isDeepStrictEqual(
        doc.toJS({ maxAliasCount: 1000 }),
        docs[i].toJS({ maxAliasCount: 1000 })
      )
  )
}

/**
 * yaml re-indents block sequences one way for the whole file; pick the way
 * that changes fewer lines of this file, so the diff stays small.
 */
function chooseIndentSeq(text: string): boolean {
  const lines = text.split('\n')
  const cost = (indentSeq: boolean): number => {
    const { docs } = parseFile({ path: '', text })
    const out = docs
      .map((d) => d.toString({ ...RENDER, indentSeq }))
      .join('')
      .split('\n')
    let diff = 0
    for (let i = 0; i < Math.max(lines.length, out.length); i++) {
      if (lines[i] !== out[i]) diff++
    }
    return diff
  }
  return cost(true) <= cost(false)
}

function patchFile(
  file: ConfigFile,
  options: PatchOptions,
  report: PatchReport
): FileState {
  const { docs, lineCounter } = parseFile(file)
  const state: FileState = {
    file,
    docs,
    lineCounter,
    changed: false,
    indentSeq: true,
    profiles: [],
    replacedValues: new WeakMap(),
    editedScalars: new WeakSet()
  }
  docs.forEach((doc, index) => {
    const patcher = new DocumentPatcher(state, doc, index, options, report)
    patcher.run()
    if (patcher.changed) state.changed = true
    state.profiles.push(...patcher.profileNames)
  })
  if (state.changed) state.indentSeq = chooseIndentSeq(file.text)
  return state
}

function linkRequires(
  file: ConfigFile,
  paths: string[],
  report: PatchReport
): Edge[] {
  const { local, remote } = listLocalRequires(file)
  for (const r of remote) {
    report.warnings.push({
      file: file.path,
      line: r.line,
      message: `requires[${r.index}] comes from ${r.kind}: skaffold fetches it at build time, so it cannot be patched here and its kaniko artifacts build without the Go caches`
    })
  }
  return local.map((r) => {
    const target = findRequiredFile(r.resolved, paths)
    if (target === undefined) {
      throw new SkaffoldConfigError(
        file.path,
        r.line,
        r.column,
        `requires[${r.index}].path "${r.rawPath}" names a config that was not found (${r.resolved}); add the file or remove the entry`
      )
    }
    return {
      document: r.document,
      index: r.index,
      rawPath: r.rawPath,
      target: paths.indexOf(target),
      line: r.line
    }
  })
}

function checkCycles(files: ConfigFile[], edges: Edge[][]): void {
  const color = files.map(() => 0)
  const visit = (i: number): void => {
    color[i] = 1
    for (const edge of edges[i]) {
      if (color[edge.target] === 1) {
        throw new SkaffoldConfigError(
          files[i].path,
          edge.line,
          0,
          `requires cycle: "${edge.rawPath}" leads back to ${files[edge.target].path}; remove one of the requires entries`
        )
      }
      if (color[edge.target] === 0) visit(edge.target)
    }
    color[i] = 2
  }
  files.forEach((_, i) => {
    if (color[i] === 0) visit(i)
  })
}

function checkProfiles(
  root: string,
  states: FileState[],
  profiles: string[]
): void {
  const defined = new Set(states.flatMap((s) => s.profiles))
  for (const raw of profiles) {
    // `-p -name` deactivates an auto-activated profile; it need not match.
    if (raw.startsWith('-')) continue
    if (!defined.has(raw)) {
      throw new SkaffoldConfigError(
        root,
        0,
        0,
        `profile "${raw}" is not defined in this config or the configs it requires (defined: ${[...defined].sort().join(', ') || 'none'}); skaffold would stop with "did not find profile"`
      )
    }
  }
}

type Builder = 'cluster' | 'googleCloudBuild' | 'local'

interface Section {
  place: ArtifactPlace
  /** Path from the document root to this section's `build` map. */
  buildPath: (string | number)[]
  /** Own builder, if the section sets one. */
  builder: Builder | null
  /** Own artifacts, if the section sets a non-empty list. */
  artifacts: unknown[] | null
  /**
   * Whether this section can take part in the build: the base always; a
   * profile when named in the options or auto-activated by `activation`.
   */
  active: boolean
}

const BUILDER_KEYS = [
  'docker',
  'bazel',
  'jib',
  'kaniko',
  'buildpacks',
  'custom',
  'ko'
]

type Json = Record<string, unknown>

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** Finds a key case-insensitively (volumes and mounts are decoded that way from v2beta11). */
function getLoose(obj: Json, key: string): unknown {
  const lower = key.toLowerCase()
  const found = Object.keys(obj).find((k) => k.toLowerCase() === lower)
  return found === undefined ? undefined : obj[found]
}

function mountPathOf(mount: Json): string {
  const path = getLoose(mount, 'mountpath')
  return typeof path === 'string' ? path : ''
}

function volumeSourceOf(volume: Json): { hostPath?: string; claim?: string } {
  const wrapper = getLoose(volume, 'volumesource')
  const source = isObject(wrapper) ? wrapper : volume
  const hostPath = getLoose(source, 'hostpath')
  if (isObject(hostPath)) {
    const path = getLoose(hostPath, 'path')
    return { hostPath: typeof path === 'string' ? normalizePath(path) : '' }
  }
  const pvc = getLoose(source, 'persistentvolumeclaim')
  if (isObject(pvc)) {
    const claim = getLoose(pvc, 'claimname')
    return { claim: typeof claim === 'string' ? claim : '' }
  }
  return {}
}

interface OurVolume {
  wanted: string
  name: string
  source: { hostPath?: string; claim?: string }
  mounts: { path: string; subPath: string }[]
}

class DocumentPatcher {
  changed = false
  profileNames: string[] = []
  private dirty = false
  private js: Json = {}
  private info!: ApiVersionInfo
  private readonly file: string

  constructor(
    private readonly state: FileState,
    private readonly doc: Document.Parsed,
    private readonly index: number,
    private readonly options: PatchOptions,
    private readonly report: PatchReport
  ) {
    this.file = state.file.path
  }

  run(): void {
    const root = this.doc.contents
    if (root === null || (isScalar(root) && root.value === null)) {
      this.addDocument('', '', 'skipped', 'empty document')
      return
    }
    if (!isMap(root)) {
      this.fail(
        root,
        `document ${this.index + 1} is not a mapping: a skaffold config is a mapping with apiVersion, kind, build...`
      )
    }
    this.refresh()
    const apiVersion = this.js.apiVersion
    if (apiVersion === undefined) {
      this.fail(
        root,
        `document ${this.index + 1} has no apiVersion; add e.g. "apiVersion: skaffold/v4beta14"`
      )
    }
    const apiNode = root.get('apiVersion', true) as Node | undefined
    const info =
      typeof apiVersion === 'string' ? describeApiVersion(apiVersion) : null
    if (info === null) {
      this.fail(
        apiNode ?? root,
        `unknown apiVersion ${JSON.stringify(apiVersion)}; expected skaffold/<version> such as skaffold/v4beta14`
      )
    }
    this.info = info
    const name = this.metadataName()
    this.collectProfileNames()
    if (this.profilesHaveBuild() || isObject(this.js.build)) {
      if (info.tooOld) this.refuseOld(apiVersion as string, apiNode ?? root)
    }
    if (info.tooOld) {
      this.addDocument(
        apiVersion as string,
        name,
        'nothing-to-patch',
        'an old apiVersion with no kaniko artifact or cluster builder'
      )
      return
    }
    const before = this.report.artifacts.length
    this.patchDocument()
    const mine = this.report.artifacts.slice(before)
    const patched = mine.filter((a) => a.status !== 'skipped')
    let status: 'patched' | 'unchanged' | 'nothing-to-patch'
    let reason: string
    if (this.changed) {
      status = 'patched'
      reason = `${patched.length} kaniko artifact(s) patched`
    } else if (patched.length > 0) {
      status = 'unchanged'
      reason = 'every kaniko artifact already has the cache mounts and args'
    } else {
      status = 'nothing-to-patch'
      reason =
        mine.length === 0
          ? 'no artifacts'
          : `no kaniko artifact on the cluster builder (${[...new Set(mine.map((a) => a.reason ?? ''))].join('; ')})`
    }
    this.addDocument(apiVersion as string, name, status, reason)
  }

  private addDocument(
    apiVersion: string,
    name: string,
    status: 'patched' | 'unchanged' | 'nothing-to-patch' | 'skipped',
    reason: string
  ): void {
    this.report.documents.push({
      file: this.file,
      document: this.index,
      apiVersion,
      name,
      status,
      reason
    })
  }

  private metadataName(): string {
    const metadata = this.js.metadata
    return isObject(metadata) && typeof metadata.name === 'string'
      ? metadata.name
      : ''
  }

  private collectProfileNames(): void {
    const profiles = this.js.profiles
    if (!Array.isArray(profiles)) return
    for (const p of profiles) {
      if (isObject(p) && typeof p.name === 'string') {
        this.profileNames.push(p.name)
      }
    }
  }

  private profilesHaveBuild(): boolean {
    const profiles = this.js.profiles
    return (
      Array.isArray(profiles) &&
      profiles.some((p) => isObject(p) && isObject(p.build))
    )
  }

  private refuseOld(apiVersion: string, node: Node): void {
    // An old config with nothing kaniko in it is left alone.
    const text = JSON.stringify([this.js.build ?? {}, this.js.profiles ?? []])
    if (text.includes('"kaniko"') || text.includes('"cluster"')) {
      this.fail(
        node,
        `apiVersion ${apiVersion} is too old for kaniko volume mounts and build args (they need skaffold/v2beta9 or newer); run \`skaffold fix --overwrite\` first`
      )
    }
  }

  private patchDocument(): void {
    if (this.info.tooOld) {
      return
    }
    const sections = this.sections()
    if (sections.length === 0) return
    const base = sections[0]
    const contexts = sections.map((s) => ({
      section: s,
      builder: s.builder ?? base.builder ?? 'local',
      artifactOwner: s.artifacts !== null ? s : base,
      clusterOwner: s.builder !== null ? s : base
    }))
    const effective = this.effectiveBuild(sections)
    // Decide which artifacts we patch.
    const decisions = new Map<string, { artifactPath: (string | number)[] }>()
    const plans: {
      section: Section
      index: number
      artifact: Json
      implicit: boolean
      skipReason: string
      builderName: string
      line: number
    }[] = []
    for (const section of sections) {
      const artifacts =
        section.artifacts ?? (section === base ? this.baseArtifacts() : null)
      if (artifacts === null) continue
      const using = contexts.filter((c) => c.artifactOwner === section)
      const builders = new Set(using.map((c) => c.builder))
      // An implicit artifact becomes kaniko only under cluster; writing
      // `kaniko:` would break a profile that switches it to the local
      // builder, so only the sections this build can use decide.
      const activeUsing = using.filter((c) => c.section.active)
      // The copy runs only with the given profiles: when they settle which
      // builder these artifacts get, that builder alone decides.
      const activeBuilders = new Set(
        effective.artifactOwner === section && effective.builder !== null
          ? [effective.builder]
          : (activeUsing.length > 0 ? activeUsing : using).map((c) => c.builder)
      )
      artifacts.forEach((raw, index) => {
        const artifact = isObject(raw) ? raw : {}
        const builderKey = BUILDER_KEYS.find((k) => k in artifact) ?? ''
        const plan = {
          section,
          index,
          artifact,
          implicit: builderKey === '',
          skipReason: '',
          builderName: builderKey === '' ? 'none' : builderKey,
          line: this.lineOf([...section.buildPath, 'artifacts', index])
        }
        if (builderKey === 'kaniko') {
          if (!builders.has('cluster')) {
            if (builders.has('googleCloudBuild')) {
              plan.skipReason =
                'kaniko under googleCloudBuild runs as a Cloud Build step: cluster volumes do not apply'
            } else if (activeUsing.length === 0) {
              // skaffold checks only the profiles it activates.
              plan.skipReason = `kaniko with no cluster builder in a profile this build does not activate`
              this.warn(
                [...section.buildPath, 'artifacts', index],
                `artifact "${String(artifact.image)}" uses kaniko but its profile has no cluster builder; skaffold refuses it if the profile is activated`
              )
            } else {
              this.failAt(
                [...section.buildPath, 'artifacts', index],
                `artifact "${String(artifact.image)}" uses kaniko but its build has no cluster builder; add a build.cluster block (kaniko runs as a pod in the cluster)`
              )
            }
          }
        } else if (builderKey === '') {
          plan.builderName = activeBuilders.has('cluster')
            ? 'kaniko-implicit'
            : 'docker-implicit'
          if (!activeBuilders.has('cluster')) {
            plan.skipReason = `no builder key under the ${[...activeBuilders].join('/')} builder: skaffold builds it with docker`
          } else if (activeBuilders.size > 1) {
            plan.skipReason = `no builder key: kaniko under cluster but docker under ${[...activeBuilders].filter((b) => b !== 'cluster').join('/')} (active profiles); write an explicit kaniko: block to have it patched`
            this.warn(
              [...section.buildPath, 'artifacts', index],
              `artifact "${String(artifact.image)}" has no builder key and runs under several builders; it is not patched`
            )
          }
        } else {
          plan.skipReason = `${builderKey} builder (only kaniko artifacts are patched)`
        }
        plans.push(plan)
        if (plan.skipReason === '') {
          decisions.set(`${sectionKey(section)}#${index}`, {
            artifactPath: [...section.buildPath, 'artifacts', index]
          })
        }
      })
    }
    this.warnAboutPatches()
    if (decisions.size === 0) {
      for (const plan of plans) this.pushArtifact(plan, 'skipped', [], [], {})
      return
    }
    const ours = this.chooseVolumes(sections)
    // Patch artifacts.
    for (const plan of plans) {
      if (plan.skipReason !== '') {
        this.pushArtifact(plan, 'skipped', [], [], {})
        continue
      }
      const path = [...plan.section.buildPath, 'artifacts', plan.index]
      const { added, kept, args } = this.patchArtifact(path, plan, ours)
      const status =
        added.length === 0
          ? 'already-patched'
          : kept.length > 0
            ? 'merged'
            : 'patched'
      this.pushArtifact(plan, status, added, kept, args)
      this.overrideDockerfile(path, plan)
    }
    // Patch the cluster blocks the patched artifacts run under.
    const clusterOwners = new Set<Section>()
    for (const c of contexts) {
      if (c.builder !== 'cluster') continue
      const owner = c.artifactOwner
      const arts =
        owner.artifacts ?? (owner === base ? this.baseArtifacts() : null)
      if (arts === null) continue
      const any = arts.some((_, i) =>
        decisions.has(`${sectionKey(owner)}#${i}`)
      )
      if (any) clusterOwners.add(c.clusterOwner)
    }
    for (const owner of sections.filter((s) => clusterOwners.has(s))) {
      this.patchCluster(owner, ours)
    }
  }

  private pushArtifact(
    plan: {
      section: Section
      index: number
      artifact: Json
      skipReason: string
      builderName: string
      line: number
    },
    status: ArtifactReport['status'],
    added: string[],
    kept: KeptValue[],
    args: Record<string, string>
  ): void {
    const artifact = plan.artifact
    const path = [...plan.section.buildPath, 'artifacts', plan.index]
    // Read kaniko after patching: the image and whitelistVarRun may be ours.
    const current = this.jsAt([...path, 'kaniko'])
    const kaniko = isObject(current) ? current : {}
    this.report.artifacts.push({
      file: this.file,
      document: this.index,
      index: plan.index,
      image: typeof artifact.image === 'string' ? artifact.image : '',
      place: plan.section.place,
      line: plan.line,
      builder: plan.builderName,
      status,
      ...(plan.skipReason ? { reason: plan.skipReason } : {}),
      added,
      kept,
      context: typeof artifact.context === 'string' ? artifact.context : '.',
      dockerfile:
        typeof kaniko.dockerfile === 'string'
          ? kaniko.dockerfile
          : 'Dockerfile',
      target: typeof kaniko.target === 'string' ? kaniko.target : '',
      buildArgs: args,
      kanikoImage: typeof kaniko.image === 'string' ? kaniko.image : '',
      whitelistVarRun: kaniko.whitelistVarRun === true
    })
  }

  /** Points `kaniko.dockerfile` at the Dockerfile copy when one was made. */
  private overrideDockerfile(
    path: (string | number)[],
    plan: { section: Section; index: number }
  ): void {
    const value =
      this.options.dockerfileOverrides?.[
        artifactKey({
          file: this.file,
          document: this.index,
          index: plan.index,
          place: plan.section.place
        })
      ]
    if (value === undefined) return
    const kaniko = this.writeMap([...path, 'kaniko'])
    const own = kaniko.get('dockerfile', true)
    if (isScalar(own)) {
      // The user's own key: edit the scalar in place (a small diff).
      own.value = value
      this.state.editedScalars.add(own)
    } else {
      kaniko.set(this.doc.createNode('dockerfile'), this.doc.createNode(value))
    }
    this.touch()
  }

  private baseArtifacts(): unknown[] | null {
    const build = this.js.build
    if (!isObject(build) || !Array.isArray(build.artifacts)) return null
    return build.artifacts as unknown[]
  }

  private sections(): Section[] {
    const sections: Section[] = []
    const build = this.js.build
    sections.push({
      place: { kind: 'base' },
      buildPath: ['build'],
      builder: isObject(build) ? builderOf(build) : null,
      artifacts:
        isObject(build) &&
        Array.isArray(build.artifacts) &&
        build.artifacts.length > 0
          ? build.artifacts
          : null,
      active: true
    })
    const profiles = this.js.profiles
    if (Array.isArray(profiles)) {
      profiles.forEach((p, i) => {
        if (!isObject(p) || !isObject(p.build)) return
        const pb = p.build
        const name = String(p.name)
        const named = this.options.profiles.includes(name)
        const off = this.options.profiles.includes(`-${name}`)
        const auto = Array.isArray(p.activation) && p.activation.length > 0
        sections.push({
          place: { kind: 'profile', name },
          buildPath: ['profiles', i, 'build'],
          builder: builderOf(pb),
          artifacts:
            Array.isArray(pb.artifacts) && pb.artifacts.length > 0
              ? pb.artifacts
              : null,
          active: named || (auto && !off)
        })
      })
    }
    return sections
  }

  /**
   * The builder and the artifact list the build ends up with. skaffold
   * applies the auto-activated profiles first, then the `-p` ones in order
   * (skaffold pkg/skaffold/schema/profiles.go activatedProfiles, ApplyProfiles);
   * a profile's builder replaces the one before it and a non-empty artifact
   * list replaces the list before it (overlayProfileField). A value set only
   * by a profile that may auto-activate is unknown here (null).
   */
  private effectiveBuild(sections: Section[]): {
    builder: Builder | null
    artifactOwner: Section | null
  } {
    const base = sections[0]
    const profiles = sections.slice(1)
    const named = this.options.profiles
      .filter((p) => !p.startsWith('-'))
      .map((name) =>
        profiles.find(
          (s) => s.place.kind === 'profile' && s.place.name === name
        )
      )
      .filter((s): s is Section => s !== undefined)
    const auto = profiles.filter((s) => s.active && !named.includes(s))
    const pick = <T>(own: (s: Section) => T | null, fallback: T): T | null => {
      const last = named.filter((s) => own(s) !== null).at(-1)
      if (last !== undefined) return own(last)
      return auto.some((s) => own(s) !== null) ? null : fallback
    }
    return {
      builder: pick((s) => s.builder, base.builder ?? 'local'),
      artifactOwner: pick((s) => (s.artifacts !== null ? s : null), base)
    }
  }

  private warnAboutPatches(): void {
    const profiles = this.js.profiles
    if (!Array.isArray(profiles)) return
    profiles.forEach((p, i) => {
      if (!isObject(p) || !Array.isArray(p.patches)) return
      p.patches.forEach((patch, j) => {
        if (!isObject(patch) || typeof patch.path !== 'string') return
        const op = typeof patch.op === 'string' ? patch.op : 'replace'
        if (op === 'test') return
        const path = patch.path
        const where = `profile "${String(p.name)}" patch ${j} (${op} ${path})`
        let problem = ''
        if (/^\/build\/?$/.test(path)) {
          problem =
            'replaces the whole build section: its artifacts and cluster get no cache mounts or volumes'
        } else if (/^\/build\/artifacts(\/[^/]+)?\/?$/.test(path)) {
          if (op !== 'remove') {
            problem =
              'adds or replaces an artifact: it gets no cache mounts or build args'
          }
        } else if (
          /^\/build\/artifacts\/[^/]+\/kaniko(\/(buildArgs|volumeMounts)(\/.*)?)?\/?$/.test(
            path
          )
        ) {
          if (
            op !== 'add' ||
            /\/kaniko\/?$|\/(buildArgs|volumeMounts)\/?$/.test(path)
          ) {
            problem = 'may overwrite the cache build args or volume mounts'
          }
        } else if (/^\/build\/cluster(\/volumes(\/.*)?)?\/?$/.test(path)) {
          if (op !== 'add' || /\/cluster\/?$|\/volumes\/?$/.test(path)) {
            problem = 'may replace the cache volumes of the cluster block'
          }
        }
        if (problem !== '') {
          this.warn(['profiles', i, 'patches', j], `${where} ${problem}`)
        }
      })
    })
  }

  private chooseVolumes(sections: Section[]): OurVolume[] {
    const o = this.options
    const wanted: OurVolume[] =
      o.volumeSource.kind === 'persistentVolumeClaim'
        ? [
            {
              wanted: o.volumeSource.volumeName,
              name: '',
              source: { claim: o.volumeSource.claim },
              mounts: [
                {
                  path: normalizePath(o.mountPaths.mod),
                  subPath: o.volumeSource.subPaths.mod
                },
                {
                  path: normalizePath(o.mountPaths.build),
                  subPath: o.volumeSource.subPaths.build
                }
              ]
            }
          ]
        : (['mod', 'build'] as const).map((cache) => ({
            wanted: o.volumeNames[cache],
            name: '',
            source: {
              hostPath: normalizePath(
                (o.volumeSource as { paths: Record<string, string> }).paths[
                  cache
                ]
              )
            },
            mounts: [{ path: normalizePath(o.mountPaths[cache]), subPath: '' }]
          }))
    // Every volume and mount of the document, wherever it is.
    const volumes: Json[] = []
    const mounts: Json[] = []
    for (const s of sections) {
      const build = this.jsAt(s.buildPath)
      if (!isObject(build)) continue
      if (isObject(build.cluster) && Array.isArray(build.cluster.volumes)) {
        volumes.push(...build.cluster.volumes.filter(isObject))
      }
      if (Array.isArray(build.artifacts)) {
        for (const a of build.artifacts) {
          if (
            isObject(a) &&
            isObject(a.kaniko) &&
            Array.isArray(a.kaniko.volumeMounts)
          ) {
            mounts.push(...a.kaniko.volumeMounts.filter(isObject))
          }
        }
      }
    }
    const taken = new Set<string>()
    for (const v of wanted) {
      let chosen = ''
      const why: string[] = []
      for (let n = 1; n <= 100 && chosen === ''; n++) {
        const candidate = n === 1 ? v.wanted : `${v.wanted}-${n}`
        if (taken.has(candidate)) continue
        if (RESERVED_VOLUME_NAMES.includes(candidate)) {
          why.push(`"${candidate}" is reserved by skaffold`)
          continue
        }
        const clash = volumes.find(
          (vol) =>
            vol.name === candidate && !sameSource(volumeSourceOf(vol), v.source)
        )
        if (clash) {
          why.push(`a volume "${candidate}" already exists with another source`)
          continue
        }
        const mountClash = mounts.find(
          (m) =>
            m.name === candidate &&
            !v.mounts.some(
              (ours) => normalizePath(mountPathOf(m)) === ours.path
            )
        )
        if (mountClash) {
          why.push(
            `volume "${candidate}" is already mounted at ${String(getLoose(mountClash, 'mountpath'))}`
          )
          continue
        }
        chosen = candidate
      }
      if (chosen === '') {
        this.fail(
          this.doc.contents as Node,
          `no free volume name for the Go cache (${why.join('; ')})`
        )
      }
      taken.add(chosen)
      v.name = chosen
      if (chosen !== v.wanted) {
        this.report.collisions.push({
          file: this.file,
          document: this.index,
          wanted: v.wanted,
          chosen,
          reason: why.join('; ')
        })
      }
    }
    return wanted
  }

  private patchArtifact(
    path: (string | number)[],
    plan: { artifact: Json; implicit: boolean },
    ours: OurVolume[]
  ): { added: string[]; kept: KeptValue[]; args: Record<string, string> } {
    const o = this.options
    const kanikoPath = [...path, 'kaniko']
    const added: string[] = []
    const kept: KeptValue[] = []
    const args: Record<string, string> = {}
    const kanikoRaw = this.jsAt(kanikoPath)
    if (kanikoRaw !== undefined && kanikoRaw !== null && !isObject(kanikoRaw)) {
      this.failAt(kanikoPath, 'kaniko must be a mapping')
    }
    if (plan.implicit) {
      // Make skaffold's implicit kaniko explicit so it can carry the mounts.
      this.writeMap(kanikoPath)
      added.push('kaniko')
    }
    const kaniko = (): Json => {
      const value = this.jsAt(kanikoPath)
      return isObject(value) ? value : {}
    }
    // Build args: the user's own values win and are reported.
    const userArgs = kaniko().buildArgs
    if (userArgs !== undefined && userArgs !== null && !isObject(userArgs)) {
      this.failAt([...kanikoPath, 'buildArgs'], 'buildArgs must be a mapping')
    }
    const existing = isObject(userArgs) ? userArgs : {}
    const missing: [string, string][] = []
    for (const [key, value] of listOurBuildArgs(o)) {
      if (Object.prototype.hasOwnProperty.call(existing, key)) {
        const user = existing[key]
        args[key] =
          user === null
            ? ''
            : typeof user === 'string'
              ? user
              : JSON.stringify(user)
        if (user !== value) {
          kept.push({
            key: `buildArgs.${key}`,
            userValue: user,
            ourValue: value
          })
          if (key === 'GOMODCACHE' || key === 'GOCACHE') {
            this.warn(
              [...kanikoPath, 'buildArgs', key],
              `artifact "${String(plan.artifact.image)}" sets ${key}=${JSON.stringify(user)}, not the cache mount ${value}: that cache will not be used; remove the build arg to let the action set it`
            )
          }
        }
      } else {
        missing.push([key, value])
        args[key] = value
      }
    }
    if (missing.length > 0) {
      const map = this.writeMap([...kanikoPath, 'buildArgs'])
      for (const [key, value] of missing) {
        map.set(this.doc.createNode(key), this.doc.createNode(value))
        this.touch()
        added.push(`buildArgs.${key}`)
      }
    }
    // Volume mounts: never a second mount at our path.
    const userMounts = kaniko().volumeMounts
    if (
      userMounts !== undefined &&
      userMounts !== null &&
      !Array.isArray(userMounts)
    ) {
      this.failAt(
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
            this.failAt(
              [...kanikoPath, 'volumeMounts'],
              `artifact "${String(plan.artifact.image)}" already mounts volume "${String(at.name)}" at ${m.path}, where the action mounts its Go cache; remove that mount or choose another cache path (--mod-cache-path / --build-cache-path)`
            )
          }
          continue
        }
        newMounts.push(this.mountNode(v.name, m.path, m.subPath))
        added.push(`volumeMounts[${v.name}:${m.path}]`)
      }
    }
    if (newMounts.length > 0) {
      const seq = this.writeSeq([...kanikoPath, 'volumeMounts'])
      for (const m of newMounts) seq.add(this.doc.createNode(m))
      this.touch()
    }
    // Scalars: add when asked; the user's own value wins.
    const scalars: [string, string | boolean][] = []
    if (o.registryMirror) scalars.push(['registryMirror', o.registryMirror])
    if (o.kanikoImage) scalars.push(['image', o.kanikoImage])
    if (o.initImage) scalars.push(['initImage', o.initImage])
    if (o.whitelistVarRun) scalars.push(['whitelistVarRun', true])
    for (const [key, value] of scalars) {
      const current = kaniko()[key]
      if (current === undefined) {
        this.writeMap(kanikoPath).set(key, this.doc.createNode(value))
        this.touch()
        added.push(key)
      } else if (current !== value) {
        kept.push({ key, userValue: current, ourValue: value })
      }
    }
    // Lists: append our entries the user does not have.
    const lists: [string, string[]][] = []
    if (this.info.hasIgnorePaths && o.ignorePaths.length > 0) {
      lists.push(['ignorePaths', o.ignorePaths])
    }
    if (o.insecureRegistries.length > 0) {
      lists.push(['insecureRegistry', o.insecureRegistries])
    }
    for (const [key, values] of lists) {
      const current = kaniko()[key]
      if (
        current !== undefined &&
        current !== null &&
        !Array.isArray(current)
      ) {
        kept.push({ key, userValue: current, ourValue: values })
        continue
      }
      const have = Array.isArray(current) ? current : []
      const add = values.filter((v) => !have.includes(v))
      if (add.length === 0) continue
      const seq = this.writeSeq([...kanikoPath, key])
      for (const v of add) {
        seq.add(this.doc.createNode(v))
        this.touch()
        added.push(`${key}[${v}]`)
      }
    }
    return { added, kept, args }
  }

  private mountNode(name: string, path: string, subPath: string): Json {
    const lower = this.info.lowercaseVolumes
    const node: Json = { name, [lower ? 'mountpath' : 'mountPath']: path }
    if (subPath) node[lower ? 'subpath' : 'subPath'] = subPath
    return node
  }

  private volumeNode(v: OurVolume): Json {
    const o = this.options
    const lower = this.info.lowercaseVolumes
    let source: Json
    if (o.volumeSource.kind === 'persistentVolumeClaim') {
      source = lower
        ? { persistentvolumeclaim: { claimname: o.volumeSource.claim } }
        : { persistentVolumeClaim: { claimName: o.volumeSource.claim } }
    } else {
      const host: Json = { path: v.source.hostPath }
      if (o.volumeSource.type) host.type = o.volumeSource.type
      source = lower ? { hostpath: host } : { hostPath: host }
    }
    return lower
      ? { name: v.name, volumesource: source }
      : { name: v.name, ...source }
  }

  private patchCluster(owner: Section, ours: OurVolume[]): void {
    const clusterPath = [...owner.buildPath, 'cluster']
    const cluster = this.jsAt(clusterPath)
    // skaffold mounts the pull secret at pullSecretMountPath in the same pod.
    const secretPath = isObject(cluster)
      ? cluster.pullSecretMountPath
      : undefined
    if (
      typeof secretPath === 'string' &&
      ours.some((v) =>
        v.mounts.some((m) => m.path === normalizePath(secretPath))
      )
    ) {
      this.failAt(
        [...clusterPath, 'pullSecretMountPath'],
        `cluster.pullSecretMountPath ${secretPath} is where the action mounts a Go cache; choose another cache path (--mod-cache-path / --build-cache-path)`
      )
    }
    const added: string[] = []
    const kept: KeptValue[] = []
    const namespace = this.patchNamespace(clusterPath, added, kept)
    const volumes = this.jsAt([...clusterPath, 'volumes'])
    if (volumes !== undefined && volumes !== null && !Array.isArray(volumes)) {
      this.failAt([...clusterPath, 'volumes'], 'cluster.volumes must be a list')
    }
    const have = (Array.isArray(volumes) ? volumes : []).filter(isObject)
    const add = ours.filter((v) => !have.some((h) => h.name === v.name))
    if (add.length > 0) {
      const seq = this.writeSeq([...clusterPath, 'volumes'])
      for (const v of add) seq.add(this.doc.createNode(this.volumeNode(v)))
      this.touch()
    }
    added.push(...add.map((v) => `volumes[${v.name}]`))
    this.report.clusters.push({
      file: this.file,
      document: this.index,
      place: owner.place,
      line: this.lineOf(clusterPath),
      added,
      kept,
      namespace
    })
  }

  /**
   * Gives a cluster block that names no namespace the action's one: skaffold
   * creates the kaniko pod in `cluster.namespace`, or in the kube context's
   * namespace when it is empty, and the pod fails when that namespace does
   * not exist (skaffold pkg/skaffold/build/cluster/pod.go kanikoPodSpec,
   * ObjectMeta.Namespace). The block's own namespace wins.
   * @returns the namespace the block ends up with ('' for none).
   */
  private patchNamespace(
    clusterPath: (string | number)[],
    added: string[],
    kept: KeptValue[]
  ): string {
    const ours = this.options.defaultNamespace
    const cluster = this.jsAt(clusterPath)
    const current = isObject(cluster) ? cluster.namespace : undefined
    // skaffold reads an empty or null namespace as none.
    const own =
      current === undefined || current === null
        ? ''
        : typeof current === 'string'
          ? current
          : JSON.stringify(current)
    // The action hands this name to kubectl (it creates the namespace), and
    // skaffold to the API server as the kaniko pod's namespace
    // (pkg/skaffold/build/cluster/pod.go podTemplate): refuse anything that
    // is not a namespace name, such as "--kubeconfig=./evil".
    if (own !== '' && !isDnsLabel(own)) {
      this.failAt(
        [...clusterPath, 'namespace'],
        `cluster.namespace ${JSON.stringify(own)} is not a Kubernetes namespace name (lowercase letters, digits and "-", starting and ending with a letter or digit, at most 63 characters)`
      )
    }
    if (ours === '') return own
    if (own !== '') {
      if (own !== ours) {
        kept.push({ key: 'namespace', userValue: current, ourValue: ours })
      }
      return own
    }
    const map = this.writeMap(clusterPath)
    const pair = map.items.find(
      (p) => isScalar(p.key) && p.key.value === 'namespace'
    )
    if (pair) {
      // `namespace:` or `namespace: ""` in the source: replace the value.
      this.recordReplaced(pair)
      pair.value = this.doc.createNode(ours)
    } else {
      map.set(this.doc.createNode('namespace'), this.doc.createNode(ours))
    }
    this.touch()
    added.push('namespace')
    return ours
  }

  // ---- document access -------------------------------------------------

  private refresh(): void {
    try {
      const value: unknown = this.doc.toJS({ maxAliasCount: 1000 })
      this.js = isObject(value) ? value : {}
    } catch (error) {
      this.fail(
        this.doc.contents as Node,
        `cannot read document ${this.index + 1}: ${(error as Error).message}`
      )
    }
  }

  private jsAt(path: (string | number)[]): unknown {
    if (this.dirty) {
      this.dirty = false
      this.refresh()
    }
    let value: unknown = this.js
    for (const seg of path) {
      if (typeof seg === 'number') {
        if (!Array.isArray(value)) return undefined
        value = value[seg]
      } else {
        if (!isObject(value)) return undefined
        value = value[seg]
      }
    }
    return value
  }

  /** The node at path for writing: aliases and merge-key values become own copies. */
  private writeNode(path: (string | number)[], create: () => Node): Node {
    let node = this.doc.contents as Node
    for (let i = 0; i < path.length; i++) {
      const seg = path[i]
      const last = i === path.length - 1
      const make = last ? create : () => new YAMLMap()
      if (isSeq(node) && typeof seg === 'number') {
        let item = node.items[seg] as Node
        if (isAlias(item)) {
          item = this.copyOf(item.resolve(this.doc) as Node)
          node.items[seg] = item
          this.touch()
        }
        node = this.blockIfFlow(item)
      } else if (isMap(node) && typeof seg === 'string') {
        const pair = node.items.find(
          (p) => isScalar(p.key) && p.key.value === seg
        )
        let value = pair?.value as Node | null | undefined
        if (pair && isAlias(value)) {
          this.recordReplaced(pair)
          value = this.copyOf(value.resolve(this.doc) as Node)
          pair.value = value
          this.touch()
        } else if (!pair) {
          const merged = this.mergedValue(node, seg)
          if (merged !== undefined) {
            value = this.copyOf(merged)
            node.set(this.doc.createNode(seg), value)
            this.touch()
          }
        }
        if (
          value === undefined ||
          value === null ||
          (isScalar(value) && value.value === null)
        ) {
          const fresh = make()
          if (pair) this.recordReplaced(pair)
          if (pair) pair.value = fresh
          else node.set(this.doc.createNode(seg), fresh)
          value = fresh
          this.touch()
        }
        node = this.blockIfFlow(value)
      } else {
        this.failAt(
          path.slice(0, i),
          `expected a ${typeof seg === 'number' ? 'list' : 'mapping'} here`
        )
      }
    }
    return node
  }

  /** A flow collection we write into becomes a block one (readable output). */
  private blockIfFlow(node: Node): Node {
    if ((isMap(node) || isSeq(node)) && node.flow) {
      node.flow = false
      this.touch()
    }
    return node
  }

  private writeMap(path: (string | number)[]): YAMLMap {
    const node = this.writeNode(path, () => new YAMLMap())
    if (!isMap(node)) this.failAt(path, 'expected a mapping here')
    if (node.flow) node.flow = false
    return node
  }

  private writeSeq(path: (string | number)[]): YAMLSeq {
    const node = this.writeNode(path, () => new YAMLSeq())
    if (!isSeq(node)) this.failAt(path, 'expected a list here')
    if (node.flow) node.flow = false
    return node
  }

  private mergedValue(map: YAMLMap, key: string): Node | undefined {
    for (const pair of map.items) {
      if (!isScalar(pair.key) || !isMergeKey(pair.key.value)) continue
      const sources = isSeq(pair.value) ? pair.value.items : [pair.value]
      for (const s of sources) {
        const resolved = isAlias(s) ? s.resolve(this.doc) : s
        if (isMap(resolved)) {
          const found = resolved.get(key, true) as Node | undefined
          if (found !== undefined) {
            return isAlias(found) ? found.resolve(this.doc) : found
          }
        }
      }
    }
    return undefined
  }

  /**
   * A plain copy of an anchored node: editing the anchor itself would change
   * every other place that uses it.
   */
  private copyOf(node: Node): Node {
    return this.doc.createNode(
      node.toJS(this.doc, { maxAliasCount: 1000 })
    ) as Node
  }

  private recordReplaced(pair: Pair): void {
    const range = (pair.value as ParsedNode | null)?.range
    if (range) this.state.replacedValues.set(pair, [range[0], range[1]])
  }

  private touch(): void {
    this.changed = true
    this.dirty = true
  }

  private nodeAt(path: (string | number)[]): Node | undefined {
    let node: unknown = this.doc.contents
    for (const seg of path) {
      if (isAlias(node)) node = node.resolve(this.doc)
      if (isSeq(node) && typeof seg === 'number') node = node.items[seg]
      else if (isMap(node) && typeof seg === 'string')
        node = node.get(seg, true)
      else return undefined
    }
    return (node ?? undefined) as Node | undefined
  }

  private lineOf(path: (string | number)[]): number {
    for (let n = path.length; n >= 0; n--) {
      const node = this.nodeAt(path.slice(0, n))
      const start = (node as ParsedNode | undefined)?.range?.[0]
      if (start !== undefined) return this.state.lineCounter.linePos(start).line
    }
    return 0
  }

  private warn(path: (string | number)[], message: string): void {
    this.report.warnings.push({
      file: this.file,
      line: this.lineOf(path),
      message
    })
  }

  private failAt(path: (string | number)[], reason: string): never {
    const line = this.lineOf(path)
    throw new SkaffoldConfigError(this.file, line, 0, reason)
  }

  private fail(node: Node, reason: string): never {
    const start = (node as ParsedNode).range?.[0]
    const pos =
      start === undefined
        ? { line: 0, col: 0 }
        : this.state.lineCounter.linePos(start)
    throw new SkaffoldConfigError(this.file, pos.line, pos.col, reason)
  }
}

function isMergeKey(value: unknown): boolean {
  return (
    value === '<<' || (typeof value === 'symbol' && value.description === '<<')
  )
}

function sectionKey(section: Section): string {
  return section.buildPath.join('/')
}

/** skaffold's oneOf: the first non-nil of local, googleCloudBuild, cluster. */
function builderOf(build: Json): Builder | null {
  for (const key of ['local', 'googleCloudBuild', 'cluster'] as const) {
    if (build[key] !== undefined && build[key] !== null) return key
  }
  return null
}

function sameSource(
  a: { hostPath?: string; claim?: string },
  b: { hostPath?: string; claim?: string }
): boolean {
  if (a.hostPath !== undefined && b.hostPath !== undefined) {
    return a.hostPath === b.hostPath
  }
  if (a.claim !== undefined && b.claim !== undefined) return a.claim === b.claim
  return false
}
