/**
 * The skaffold patcher's driver: every kaniko artifact that runs on the
 * cluster builder gets the Go cache mounts and build args, every cluster
 * block they use gets the volumes (skaffold appends cluster.volumes to the
 * kaniko pod and kaniko.volumeMounts to its containers:
 * pkg/skaffold/build/cluster/pod.go kanikoPodSpec). This file parses the
 * files, patches each document (document.ts), follows local `requires`
 * (pointing a patched file's entries at the patched copies), refuses cycles
 * and unknown profiles, and renders. Pure: text in, text and a report out.
 * Edits go through the `yaml` Document API so comments, key order, quoting,
 * anchors and `{{.TEMPLATES}}` survive; a file with nothing to add is
 * returned byte for byte.
 */
import {
  LineCounter,
  parseAllDocuments,
  type Document,
  type Scalar,
  type YAMLMap,
  type YAMLSeq
} from 'yaml'
import { patchDocument } from './document.js'
import { SkaffoldConfigError } from './errors.js'
import {
  DEFAULT_PATCH_OPTIONS,
  validatePatchOptions,
  type PatchOptions
} from './options.js'
import type { PatchReport } from './report.js'
import {
  copyPathFor,
  findRequiredFile,
  listLocalRequires,
  relativeRequirePath
} from './requires.js'
import {
  chooseIndentSeq,
  renderEditedFile,
  type EditTrace
} from './yaml-edit.js'

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
      const copied = edges[i].filter((edge) => decide(edge.target))
      pointRequiresAtCopies(states[i], copied, files)
    }
    return {
      path: file.path,
      copyPath: copyPathFor(file.path),
      text: states[i].changed
        ? renderEditedFile({ ...states[i], source: file.text })
        : file.text,
      needsCopy: copy
    }
  })
  return {
    rootPath: out[0].needsCopy ? out[0].copyPath : out[0].path,
    files: out,
    report
  }
}

/** Points the `requires` entries of a copied file at the copies of the files they name. */
function pointRequiresAtCopies(
  state: FileState,
  edges: Edge[],
  files: ConfigFile[]
): void {
  for (const edge of edges) {
    const doc = state.docs[edge.document]
    const item = (doc.contents as YAMLMap).get('requires') as YAMLSeq
    const entry = item.items[edge.index] as YAMLMap
    const scalar = entry.get('path', true) as Scalar
    scalar.value = relativeRequirePath(
      state.file.path,
      copyPathFor(files[edge.target].path),
      edge.rawPath
    )
    state.trace.editedScalars.add(scalar)
    state.changed = true
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
  /** For the minimal-diff splice. */
  trace: EditTrace
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
    trace: { replacedValues: new WeakMap(), editedScalars: new WeakSet() }
  }
  docs.forEach((doc, index) => {
    const outcome = patchDocument(
      { file: file.path, index, doc, lineCounter, trace: state.trace },
      options,
      report
    )
    if (outcome.changed) state.changed = true
    state.profiles.push(...outcome.profileNames)
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
