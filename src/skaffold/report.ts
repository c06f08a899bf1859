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
  /** kaniko `snapshotMode` after patching ('' when none: kaniko's `full`). */
  snapshotMode: string
  /** Costly kaniko settings the user wrote (never changed); empty for skipped artifacts. */
  advice: KanikoAdvice[]
}

/** A kaniko setting that costs time on every warm build, with one sentence about it. */
export interface KanikoAdvice {
  kind: 'use-new-run-with-single-snapshot' | 'reproducible'
  /** The kaniko keys involved. */
  keys: string[]
  message: string
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
  /** What became of the block's registry credentials; absent when the options asked for none. */
  dockerConfig?: DockerConfigReport
}

/** The `cluster.dockerConfig` decision for one cluster block. */
export interface DockerConfigReport {
  /**
   * added: ours was written; kept: the block brings its own credentials
   * (pullSecretName, pullSecretPath or dockerConfig) and was left alone;
   * unsupported: the block's apiVersion has no `cluster.dockerConfig`.
   */
  status: 'added' | 'kept' | 'unsupported'
  /** The key the block's own credentials use (kept), or 'dockerConfig'. */
  key: string
  /** The secret skaffold creates and mounts ('' when not ours). */
  secretName: string
  /** One sentence for the log. */
  message: string
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
