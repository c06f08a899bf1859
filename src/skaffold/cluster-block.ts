/**
 * Patching one `build.cluster` block the patched artifacts run under: the
 * cache volumes (skaffold appends cluster.volumes to the kaniko pod:
 * pkg/skaffold/build/cluster/pod.go kanikoPodSpec) and the namespace. Pure.
 */
import type { DocumentContext } from './context.js'
import { isDnsLabel, normalizePath } from './options.js'
import type { ClusterReport, DockerConfigReport, KeptValue } from './report.js'
import type { Section } from './sections.js'
import { volumeNode, type OurVolume } from './volumes.js'
import { isObject, type YamlPath } from './yaml-edit.js'

/** Adds the cache volumes and the namespace to the cluster block of owner. */
export function patchClusterBlock(
  ctx: DocumentContext,
  owner: Section,
  ours: OurVolume[]
): ClusterReport {
  const clusterPath = [...owner.buildPath, 'cluster']
  checkPullSecretPath(ctx, clusterPath, ours)
  const added: string[] = []
  const kept: KeptValue[] = []
  const namespace = patchNamespace(ctx, clusterPath, added, kept)
  const volumes = ctx.edit.jsAt([...clusterPath, 'volumes'])
  if (volumes !== undefined && volumes !== null && !Array.isArray(volumes)) {
    ctx.edit.failAt(
      [...clusterPath, 'volumes'],
      'cluster.volumes must be a list'
    )
  }
  const have = (Array.isArray(volumes) ? volumes : []).filter(isObject)
  const add = ours.filter((v) => !have.some((h) => h.name === v.name))
  ctx.edit.append(
    [...clusterPath, 'volumes'],
    add.map((v) => volumeNode(v, ctx.options, ctx.info.lowercaseVolumes))
  )
  added.push(...add.map((v) => `volumes[${v.name}]`))
  const dockerConfig = patchDockerConfig(ctx, clusterPath)
  if (dockerConfig?.status === 'added') added.push('dockerConfig')
  return {
    file: ctx.file,
    document: ctx.index,
    place: owner.place,
    line: ctx.edit.lineOf(clusterPath),
    added,
    kept,
    namespace,
    ...(dockerConfig ? { dockerConfig } : {})
  }
}

/**
 * The keys that give a cluster block its own registry credentials. A
 * `pullSecretPath` alone names the secret `kaniko-secret` (skaffold v2.24.0
 * pkg/skaffold/schema/defaults/defaults.go setDefaultClusterPullSecret).
 */
const OWN_CREDENTIALS = ['dockerConfig', 'pullSecretName', 'pullSecretPath']

/**
 * Gives a cluster block with no credentials of its own the runner's docker
 * config (see PatchOptions.dockerConfig for what skaffold does with it).
 * @returns the decision, or undefined when the options ask for none.
 */
function patchDockerConfig(
  ctx: DocumentContext,
  clusterPath: YamlPath
): DockerConfigReport | undefined {
  const ours = ctx.options.dockerConfig
  if (ours === undefined) return undefined
  const cluster = ctx.edit.jsAt(clusterPath)
  const block = isObject(cluster) ? cluster : {}
  // skaffold treats an empty name or path and a null dockerConfig as unset.
  const own = OWN_CREDENTIALS.find(
    (key) =>
      block[key] !== undefined && block[key] !== null && block[key] !== ''
  )
  if (own !== undefined) {
    return {
      status: 'kept',
      key: own,
      secretName: '',
      message: `cluster block has its own ${own}: the runner's docker config is not added`
    }
  }
  if (!ctx.info.hasClusterDockerConfig) {
    return {
      status: 'unsupported',
      key: 'dockerConfig',
      secretName: '',
      message: `skaffold/${ctx.info.version} has no cluster.dockerConfig: the runner's docker config could not be set; run \`skaffold fix --overwrite\` to move to a newer apiVersion`
    }
  }
  ctx.edit.replaceValue(clusterPath, 'dockerConfig', {
    path: ours.path,
    secretName: ours.secretName
  })
  return {
    status: 'added',
    key: 'dockerConfig',
    secretName: ours.secretName,
    message: `kaniko pushes with the runner's docker config (secret ${ours.secretName}, mounted at /kaniko/.docker)`
  }
}

/** skaffold mounts the pull secret at pullSecretMountPath in the same pod: it must not be a cache path. */
function checkPullSecretPath(
  ctx: DocumentContext,
  clusterPath: YamlPath,
  ours: OurVolume[]
): void {
  const cluster = ctx.edit.jsAt(clusterPath)
  const secretPath = isObject(cluster) ? cluster.pullSecretMountPath : undefined
  if (
    typeof secretPath === 'string' &&
    ours.some((v) => v.mounts.some((m) => m.path === normalizePath(secretPath)))
  ) {
    ctx.edit.failAt(
      [...clusterPath, 'pullSecretMountPath'],
      `cluster.pullSecretMountPath ${secretPath} is where the action mounts a Go cache; choose another cache path (--mod-cache-path / --build-cache-path)`
    )
  }
}

/**
 * Gives a cluster block that names no namespace the action's one: skaffold
 * creates the kaniko pod in `cluster.namespace`, or in the kube context's
 * namespace when it is empty, and the pod fails when that namespace does
 * not exist (skaffold pkg/skaffold/build/cluster/pod.go kanikoPodSpec,
 * ObjectMeta.Namespace). The block's own namespace wins.
 * @returns the namespace the block ends up with ('' for none).
 */
function patchNamespace(
  ctx: DocumentContext,
  clusterPath: YamlPath,
  added: string[],
  kept: KeptValue[]
): string {
  const ours = ctx.options.defaultNamespace
  const cluster = ctx.edit.jsAt(clusterPath)
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
    ctx.edit.failAt(
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
  // `namespace:` or `namespace: ""` in the source: the value is replaced.
  ctx.edit.replaceValue(clusterPath, 'namespace', ours)
  added.push('namespace')
  return ours
}
