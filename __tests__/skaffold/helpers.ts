/** Test support for the skaffold patcher tests: shared data, ajv, invariants. */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import AjvModule, { type ValidateFunction } from 'ajv'
import { parseAllDocuments } from 'yaml'
import type {
  ArtifactReport,
  ClusterReport
} from '../../src/skaffold/report.js'

import { CORPUS, SCHEMAS } from '../../test-support/test-data/index.js'

export {
  CORPUS,
  SCHEMAS,
  SEED_DOC,
  describeWithData,
  itWithData,
  listCorpus,
  readSeedDoc
} from '../../test-support/test-data/index.js'

/** Reads one corpus file (a path relative to the corpus folder). */
export function readCorpus(name: string): string {
  return readFileSync(join(CORPUS.path, name), 'utf8')
}

// ajv is CommonJS: its default export sits on .default under NodeNext.
const Ajv = ((AjvModule as unknown as { default?: unknown }).default ??
  AjvModule) as typeof AjvModule.default
const ajv = new Ajv({ allErrors: true, strict: false })
const compiled = new Map<string, ValidateFunction | null>()

/** The compiled schema of an apiVersion (lazily, cached); null when there is none. */
export function schemaFor(apiVersion: string): ValidateFunction | null {
  const version = apiVersion.replace(/^skaffold\//, '')
  if (!SCHEMAS.present) {
    // Callers run under itWithData(SCHEMAS); reaching here is a test bug.
    throw new Error(
      `no skaffold schemas at ${SCHEMAS.path} (set SKAFFOLD_SCHEMAS_DIR)`
    )
  }
  if (!compiled.has(version)) {
    let validate: ValidateFunction | null
    try {
      const schema = JSON.parse(
        readFileSync(join(SCHEMAS.path, `${version}.json`), 'utf8')
      ) as object
      validate = ajv.compile(schema)
    } catch {
      validate = null
    }
    compiled.set(version, validate)
  }
  return compiled.get(version) ?? null
}

type Json = Record<string, unknown>

/** Parses every document to JS (merge keys as skaffold reads them). */
export function toDocs(text: string): unknown[] {
  return parseAllDocuments(text, { merge: true }).map(
    (d) => d.toJS({ maxAliasCount: 1000 }) as unknown
  )
}

/** ajv errors of one document as stable strings. */
export function schemaErrors(doc: unknown): string[] | null {
  if (typeof doc !== 'object' || doc === null) return []
  const apiVersion = (doc as Json).apiVersion
  if (typeof apiVersion !== 'string') return null
  const validate = schemaFor(apiVersion)
  if (validate === null) return null
  validate(doc)
  return (validate.errors ?? []).map(
    (e) => `${e.instancePath} ${e.keyword} ${JSON.stringify(e.params)}`
  )
}

/**
 * Output documents are valid against their apiVersion's schema, or have no
 * error the matching input document did not already have.
 * @returns the new errors (empty when fine).
 */
export function newSchemaErrors(input: string, output: string): string[] {
  const before = toDocs(input)
  const after = toDocs(output)
  const problems: string[] = []
  after.forEach((doc, i) => {
    const errors = schemaErrors(doc)
    if (errors === null) return
    const old = new Set(schemaErrors(before[i]) ?? [])
    for (const e of errors) if (!old.has(e)) problems.push(`doc ${i}: ${e}`)
  })
  return problems
}

export function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function getLoose(obj: Json, key: string): unknown {
  const k = Object.keys(obj).find((x) => x.toLowerCase() === key.toLowerCase())
  return k === undefined ? undefined : obj[k]
}

/**
 * Checks the invariants on one output document: every patched kaniko
 * artifact (listed by the report) mounts both caches under a volume that its
 * cluster block declares, and the build args equal the mount paths.
 * @returns the violations (empty when fine).
 */
export function checkMounts(
  doc: Json,
  artifactPath: (string | number)[],
  clusterPath: (string | number)[],
  mountPaths: { mod: string; build: string }
): string[] {
  const at = (path: (string | number)[]): unknown =>
    path.reduce<unknown>(
      (v, k) =>
        v === null || v === undefined
          ? undefined
          : (v as Record<string | number, unknown>)[k],
      doc
    )
  const problems: string[] = []
  const artifact = at(artifactPath)
  const kaniko = isObject(artifact) ? artifact.kaniko : undefined
  if (!isObject(kaniko)) return [`${artifactPath.join('/')}: no kaniko map`]
  const mounts = Array.isArray(kaniko.volumeMounts)
    ? kaniko.volumeMounts.filter(isObject)
    : []
  const cluster = at(clusterPath)
  const volumes =
    isObject(cluster) && Array.isArray(cluster.volumes)
      ? cluster.volumes.filter(isObject).map((v) => v.name)
      : []
  for (const path of [mountPaths.mod, mountPaths.build]) {
    const mount = mounts.find((m) => getLoose(m, 'mountpath') === path)
    if (!mount) {
      problems.push(`${artifactPath.join('/')}: no mount at ${path}`)
      continue
    }
    if (!volumes.includes(mount.name)) {
      problems.push(
        `${clusterPath.join('/')}: no volume ${String(mount.name)} for ${path}`
      )
    }
  }
  return problems
}

/** Comment lines of a YAML text (trimmed), to check they survive. */
export function commentLines(text: string): string[] {
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l.startsWith('#'))
}

/** The cluster blocks a reported artifact is built with. */
export function clusterPaths(
  doc: Record<string, unknown>,
  a: ArtifactReport
): (string | number)[][] {
  const profiles = Array.isArray(doc.profiles) ? doc.profiles : []
  const own = (i: number): Record<string, unknown> => {
    const p: unknown = profiles[i]
    return isObject(p) && isObject(p.build) ? p.build : {}
  }
  if (a.place.kind === 'profile') {
    const name = a.place.name
    const i = profiles.findIndex((p) => isObject(p) && p.name === name)
    return [
      own(i).cluster
        ? ['profiles', i, 'build', 'cluster']
        : ['build', 'cluster']
    ]
  }
  const paths: (string | number)[][] = []
  const build = isObject(doc.build) ? doc.build : {}
  if (build.cluster) paths.push(['build', 'cluster'])
  profiles.forEach((_, i) => {
    const pb = own(i)
    const arts = Array.isArray(pb.artifacts) ? pb.artifacts : []
    if (pb.cluster && arts.length === 0)
      paths.push(['profiles', i, 'build', 'cluster'])
  })
  return paths
}

/** Path of a reported artifact inside its document. */
export function artifactPath(
  doc: Record<string, unknown>,
  a: ArtifactReport
): (string | number)[] {
  if (a.place.kind === 'base') return ['build', 'artifacts', a.index]
  const name = a.place.name
  const profiles = Array.isArray(doc.profiles) ? doc.profiles : []
  const i = profiles.findIndex((p) => isObject(p) && p.name === name)
  return ['profiles', i, 'build', 'artifacts', a.index]
}

/** Path of a reported cluster block inside its document. */
export function clusterReportPath(
  doc: Record<string, unknown>,
  c: ClusterReport
): (string | number)[] {
  if (c.place.kind === 'base') return ['build', 'cluster']
  const name = c.place.name
  const profiles = Array.isArray(doc.profiles) ? doc.profiles : []
  const i = profiles.findIndex((p) => isObject(p) && p.name === name)
  return ['profiles', i, 'build', 'cluster']
}

/**
 * Checks the namespace invariants of a patch run: each reported cluster
 * block's namespace is the one in the output, and with a default namespace
 * no reported block is left without one.
 * @returns the violations (empty when fine).
 */
export function checkNamespaces(
  docs: unknown[],
  clusters: ClusterReport[],
  defaultNamespace: string
): string[] {
  const problems: string[] = []
  for (const c of clusters) {
    const doc = docs[c.document] as Record<string, unknown>
    const path = clusterReportPath(doc, c)
    const cluster = path.reduce<unknown>(
      (v, k) => (v as Record<string | number, unknown> | undefined)?.[k],
      doc
    )
    const actual = isObject(cluster) ? cluster.namespace : undefined
    const where = `doc ${c.document} ${path.join('/')}`
    if ((actual ?? '') !== c.namespace) {
      problems.push(
        `${where}: reported namespace "${c.namespace}", output has ${JSON.stringify(actual)}`
      )
    }
    if (defaultNamespace !== '' && c.namespace === '') {
      problems.push(`${where}: no namespace although the default is set`)
    }
  }
  return problems
}
