/** The structured report of one patch run (what was found and done). */

/** Where an artifact was found: the base `build` or a profile's `build`. */
export type ArtifactPlace = { kind: 'base' } | { kind: 'profile'; name: string }

/** A value the user already set and the patcher kept. */
export interface KeptValue {
  key: string
  userValue: unknown
  ourValue: unknown
}

/** One artifact of one document. */
export interface ArtifactReport {
  file: string
  /** 0-based document index in the file. */
  document: number
  /** 0-based index in its `artifacts` list. */
  index: number
  image: string
  place: ArtifactPlace
  line: number
  /** kaniko (explicit), kaniko-implicit (no builder key under cluster), docker, custom... */
  builder: string
  /**
   * patched: we added what was missing; merged: patched, and the user's own
   * values were kept (see `kept`); already-patched: nothing was missing;
   * skipped: not ours to patch (see `reason`).
   */
  status: 'patched' | 'merged' | 'already-patched' | 'skipped'
  reason?: string
  /** Keys added (buildArgs.GOCACHE, volumeMounts[gomodcache], ...). */
  added: string[]
  kept: KeptValue[]
  /** For the Dockerfile check: build context, Dockerfile, target. */
  context: string
  dockerfile: string
  target: string
  /** The build args the action passes (after the user's values won). */
  buildArgs: Record<string, string>
  kanikoImage: string
  whitelistVarRun: boolean
}

/** One `cluster` block that got (or already had) the cache volumes. */
export interface ClusterReport {
  file: string
  document: number
  place: ArtifactPlace
  line: number
  /** Keys added (namespace, volumes[gomodcache], ...). */
  added: string[]
  /** The block's own namespace when it differs from the action's. */
  kept: KeptValue[]
  /**
   * The namespace the block ends up with, where skaffold runs its kaniko
   * pods; '' when it names none (skaffold then uses the kube context's).
   */
  namespace: string
}

/** Something the user should know; never fatal. */
export interface PatchWarning {
  file: string
  line: number
  message: string
}

/** A name we wanted that was taken, and the one we chose instead. */
export interface Collision {
  file: string
  document: number
  wanted: string
  chosen: string
  reason: string
}

/** One YAML document. */
export interface DocumentReport {
  file: string
  document: number
  apiVersion: string
  name: string
  status: 'patched' | 'unchanged' | 'nothing-to-patch' | 'skipped'
  reason: string
}

/** Everything one run found and did. */
export interface PatchReport {
  documents: DocumentReport[]
  artifacts: ArtifactReport[]
  clusters: ClusterReport[]
  warnings: PatchWarning[]
  collisions: Collision[]
}
