/**
 * Which artifacts of one skaffold document the patcher takes, and the builder
 * each runs under, for the profiles the build activates. Pure: plain values
 * in (the document as `toJS` reads it), decisions out; nothing is edited here.
 */
import type { ArtifactPlace } from './report.js'
import { isObject, type Json, type YamlPath } from './yaml-edit.js'

/** skaffold's three builders (the `build` oneOf). */
export type Builder = 'cluster' | 'googleCloudBuild' | 'local'

/** The base `build` section or one profile's `build` section. */
export interface Section {
  place: ArtifactPlace
  /** Path from the document root to this section's `build` map. */
  buildPath: YamlPath
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

/** One artifact and what the patcher does with it. */
export interface ArtifactPlan {
  section: Section
  index: number
  /** Path from the document root to the artifact. */
  path: YamlPath
  artifact: Json
  /** No builder key: skaffold picks kaniko under cluster, docker otherwise. */
  implicit: boolean
  /** Why it is not patched; '' when it is. */
  skipReason: string
  /** kaniko, kaniko-implicit, docker-implicit, docker, custom... */
  builderName: string
}

/** A message tied to a place in the document. */
export interface Finding {
  path: YamlPath
  message: string
}

/** What classifyArtifacts decided. */
export interface Classification {
  plans: ArtifactPlan[]
  warnings: Finding[]
  /** A config skaffold itself would refuse; the patcher stops there. */
  error: Finding | null
}

/** The artifact builder keys of the skaffold schema (one per artifact). */
const BUILDER_KEYS = [
  'docker',
  'bazel',
  'jib',
  'kaniko',
  'buildpacks',
  'custom',
  'ko'
]

/** skaffold's oneOf: the first non-nil of local, googleCloudBuild, cluster. */
function builderOf(build: Json): Builder | null {
  for (const key of ['local', 'googleCloudBuild', 'cluster'] as const) {
    if (build[key] !== undefined && build[key] !== null) return key
  }
  return null
}

function ownArtifacts(build: Json): unknown[] | null {
  return Array.isArray(build.artifacts) && build.artifacts.length > 0
    ? build.artifacts
    : null
}

/** The base section first, then every profile that has a `build`. */
export function listSections(js: Json, profiles: string[]): Section[] {
  const build = js.build
  const sections: Section[] = [
    {
      place: { kind: 'base' },
      buildPath: ['build'],
      builder: isObject(build) ? builderOf(build) : null,
      artifacts: isObject(build) ? ownArtifacts(build) : null,
      active: true
    }
  ]
  if (!Array.isArray(js.profiles)) return sections
  js.profiles.forEach((p, i) => {
    if (!isObject(p) || !isObject(p.build)) return
    const name = String(p.name)
    const auto = Array.isArray(p.activation) && p.activation.length > 0
    sections.push({
      place: { kind: 'profile', name },
      buildPath: ['profiles', i, 'build'],
      builder: builderOf(p.build),
      artifacts: ownArtifacts(p.build),
      active:
        profiles.includes(name) || (auto && !profiles.includes(`-${name}`))
    })
  })
  return sections
}

/** The base `build.artifacts` list, empty included (null when absent). */
function baseArtifacts(js: Json): unknown[] | null {
  const build = js.build
  if (!isObject(build) || !Array.isArray(build.artifacts)) return null
  return build.artifacts as unknown[]
}

/** A section seen from the build it takes part in. */
interface Context {
  section: Section
  builder: Builder
  /** The section whose artifact list this one builds. */
  artifactOwner: Section
  /** The section whose cluster block this one uses. */
  clusterOwner: Section
}

function contextsOf(sections: Section[]): Context[] {
  const base = sections[0]
  return sections.map((s) => ({
    section: s,
    builder: s.builder ?? base.builder ?? 'local',
    artifactOwner: s.artifacts !== null ? s : base,
    clusterOwner: s.builder !== null ? s : base
  }))
}

/**
 * The builder and the artifact list the build ends up with. skaffold
 * applies the auto-activated profiles first, then the `-p` ones in order
 * (skaffold pkg/skaffold/schema/profiles.go activatedProfiles, ApplyProfiles);
 * a profile's builder replaces the one before it and a non-empty artifact
 * list replaces the list before it (overlayProfileField). A value set only
 * by a profile that may auto-activate is unknown here (null).
 */
function effectiveBuild(
  sections: Section[],
  profiles: string[]
): { builder: Builder | null; artifactOwner: Section | null } {
  const base = sections[0]
  const others = sections.slice(1)
  const named = profiles
    .filter((p) => !p.startsWith('-'))
    .map((name) =>
      others.find((s) => s.place.kind === 'profile' && s.place.name === name)
    )
    .filter((s): s is Section => s !== undefined)
  const auto = others.filter((s) => s.active && !named.includes(s))
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

/**
 * Decides, for every artifact of every section, whether it is a kaniko
 * artifact on the cluster builder (patched) or why not.
 */
export function classifyArtifacts(
  js: Json,
  sections: Section[],
  profiles: string[]
): Classification {
  const out: Classification = { plans: [], warnings: [], error: null }
  if (sections.length === 0) return out
  const contexts = contextsOf(sections)
  const effective = effectiveBuild(sections, profiles)
  for (const section of sections) {
    const artifacts =
      section.artifacts ?? (section === sections[0] ? baseArtifacts(js) : null)
    if (artifacts === null) continue
    const using = contexts.filter((c) => c.artifactOwner === section)
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
    const scope: Scope = {
      builders: new Set(using.map((c) => c.builder)),
      activeBuilders,
      anyActive: activeUsing.length > 0
    }
    for (let index = 0; index < artifacts.length; index++) {
      const plan = classifyOne(section, index, artifacts[index], scope, out)
      if (out.error !== null) return out
      out.plans.push(plan)
    }
  }
  return out
}

/** The builders one section's artifact list runs under. */
interface Scope {
  /** Under every section that builds the list. */
  builders: Set<Builder>
  /** Under the sections this build activates. */
  activeBuilders: Set<Builder>
  anyActive: boolean
}

function classifyOne(
  section: Section,
  index: number,
  raw: unknown,
  scope: Scope,
  out: Classification
): ArtifactPlan {
  const artifact = isObject(raw) ? raw : {}
  const builderKey = BUILDER_KEYS.find((k) => k in artifact) ?? ''
  const path = [...section.buildPath, 'artifacts', index]
  const plan: ArtifactPlan = {
    section,
    index,
    path,
    artifact,
    implicit: builderKey === '',
    skipReason: '',
    builderName: builderKey === '' ? 'none' : builderKey
  }
  const image = String(artifact.image)
  if (builderKey === 'kaniko') {
    if (scope.builders.has('cluster')) return plan
    if (scope.builders.has('googleCloudBuild')) {
      plan.skipReason =
        'kaniko under googleCloudBuild runs as a Cloud Build step: cluster volumes do not apply'
    } else if (!scope.anyActive) {
      // skaffold checks only the profiles it activates.
      plan.skipReason = `kaniko with no cluster builder in a profile this build does not activate`
      out.warnings.push({
        path,
        message: `artifact "${image}" uses kaniko but its profile has no cluster builder; skaffold refuses it if the profile is activated`
      })
    } else {
      out.error = {
        path,
        message: `artifact "${image}" uses kaniko but its build has no cluster builder; add a build.cluster block (kaniko runs as a pod in the cluster)`
      }
    }
  } else if (builderKey === '') {
    const active = scope.activeBuilders
    plan.builderName = active.has('cluster')
      ? 'kaniko-implicit'
      : 'docker-implicit'
    if (!active.has('cluster')) {
      plan.skipReason = `no builder key under the ${[...active].join('/')} builder: skaffold builds it with docker`
    } else if (active.size > 1) {
      plan.skipReason = `no builder key: kaniko under cluster but docker under ${[...active].filter((b) => b !== 'cluster').join('/')} (active profiles); write an explicit kaniko: block to have it patched`
      out.warnings.push({
        path,
        message: `artifact "${image}" has no builder key and runs under several builders; it is not patched`
      })
    }
  } else {
    plan.skipReason = `${builderKey} builder (only kaniko artifacts are patched)`
  }
  return plan
}

/** The sections whose cluster blocks the patched artifacts run under, in document order. */
export function clusterOwners(
  sections: Section[],
  plans: ArtifactPlan[]
): Section[] {
  const owners = new Set<Section>()
  for (const c of contextsOf(sections)) {
    if (c.builder !== 'cluster') continue
    const patched = plans.some(
      (p) => p.section === c.artifactOwner && p.skipReason === ''
    )
    if (patched) owners.add(c.clusterOwner)
  }
  return sections.filter((s) => owners.has(s))
}

/**
 * Profile `patches` (JSON patches skaffold applies to the config) that can
 * undo the patcher's additions: they run after the copy is written.
 */
export function profilePatchWarnings(js: Json): Finding[] {
  const findings: Finding[] = []
  if (!Array.isArray(js.profiles)) return findings
  js.profiles.forEach((p, i) => {
    if (!isObject(p) || !Array.isArray(p.patches)) return
    p.patches.forEach((patch, j) => {
      if (!isObject(patch) || typeof patch.path !== 'string') return
      const op = typeof patch.op === 'string' ? patch.op : 'replace'
      if (op === 'test') return
      const problem = patchProblem(op, patch.path)
      if (problem === '') return
      findings.push({
        path: ['profiles', i, 'patches', j],
        message: `profile "${String(p.name)}" patch ${j} (${op} ${patch.path}) ${problem}`
      })
    })
  })
  return findings
}

function patchProblem(op: string, path: string): string {
  if (/^\/build\/?$/.test(path)) {
    return 'replaces the whole build section: its artifacts and cluster get no cache mounts or volumes'
  }
  if (/^\/build\/artifacts(\/[^/]+)?\/?$/.test(path)) {
    return op !== 'remove'
      ? 'adds or replaces an artifact: it gets no cache mounts or build args'
      : ''
  }
  if (
    /^\/build\/artifacts\/[^/]+\/kaniko(\/(buildArgs|volumeMounts)(\/.*)?)?\/?$/.test(
      path
    )
  ) {
    return op !== 'add' ||
      /\/kaniko\/?$|\/(buildArgs|volumeMounts)\/?$/.test(path)
      ? 'may overwrite the cache build args or volume mounts'
      : ''
  }
  if (/^\/build\/cluster(\/volumes(\/.*)?)?\/?$/.test(path)) {
    return op !== 'add' || /\/cluster\/?$|\/volumes\/?$/.test(path)
      ? 'may replace the cache volumes of the cluster block'
      : ''
  }
  return ''
}
