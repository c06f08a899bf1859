/**
 * skaffold apiVersions in release order, and what each one lets the patcher
 * write. Facts: docs/upstream-behaviour.md#schema-versions, #kaniko-fields-by-version and #volumes-and-mounts-decoding-by-apiversion.
 */

const ORDER: string[] = [
  ...range('v1alpha', 1, 5),
  ...range('v1beta', 1, 17),
  // skaffold 1.0 shipped `skaffold/v1` between v1beta17 and v2alpha1.
  'v1',
  ...range('v2alpha', 1, 4),
  ...range('v2beta', 1, 29),
  'v3alpha1',
  'v3',
  ...range('v4beta', 1, 14)
]

function range(prefix: string, from: number, to: number): string[] {
  const out: string[] = []
  for (let i = from; i <= to; i++) out.push(`${prefix}${i}`)
  return out
}

/** What the patcher knows about one apiVersion. */
export interface ApiVersionInfo {
  /** e.g. `v2beta16` */
  version: string
  /** Position in release order (higher is newer). */
  rank: number
  /**
   * Older than v2beta9: kaniko has no buildArgs/whitelistVarRun/registryMirror
   * fields there; the user must run `skaffold fix` first.
   */
  tooOld: boolean
  /**
   * v2beta9 and v2beta10 decode volumes and mounts with yaml.v3 and
   * lowercased Go field names: only `mountpath` and
   * `volumesource: {hostpath: {path}}` work (skaffold issues #4175, #4441).
   */
  lowercaseVolumes: boolean
  /** `kaniko.ignorePaths` exists from v4beta2 on. */
  hasIgnorePaths: boolean
  /** `kaniko.snapshotMode` exists from v2beta9 on (the schemas' KanikoArtifact). */
  hasSnapshotMode: boolean
  /** `cluster.dockerConfig` exists from v1beta7 on (the schemas' ClusterDetails). */
  hasClusterDockerConfig: boolean
}

/** The newest apiVersion this patcher knows. */
export const LATEST_API_VERSION = ORDER[ORDER.length - 1]

/**
 * Looks up `skaffold/<version>`.
 * @returns the facts, or null when the value is not a known skaffold apiVersion.
 */
export function describeApiVersion(apiVersion: string): ApiVersionInfo | null {
  const match = /^skaffold\/(v[0-9a-z]+)$/.exec(apiVersion)
  if (!match) return null
  const rank = ORDER.indexOf(match[1])
  if (rank < 0) return null
  return {
    version: match[1],
    rank,
    tooOld: rank < ORDER.indexOf('v2beta9'),
    lowercaseVolumes: rank <= ORDER.indexOf('v2beta10'),
    hasIgnorePaths: rank >= ORDER.indexOf('v4beta2'),
    hasSnapshotMode: rank >= ORDER.indexOf('v2beta9'),
    hasClusterDockerConfig: rank >= ORDER.indexOf('v1beta7')
  }
}
