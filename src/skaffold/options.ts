import type { Inputs } from '../inputs.js'
import { NODE_PATHS, POD_PATHS, VOLUME_NAMES } from '../cache/paths.js'
import { PatchOptionsError } from './errors.js'

/** One Go cache: the module cache or the build cache. */
export type CacheName = 'mod' | 'build'

/** Where the cache volumes come from. */
export type VolumeSource =
  | {
      kind: 'hostPath'
      /** Directories inside the kind node (the extraMounts containerPath). */
      paths: { mod: string; build: string }
      /** hostPath `type`; '' leaves it out, which makes Kubernetes check nothing. */
      type: string
    }
  | {
      kind: 'persistentVolumeClaim'
      /** An existing ReadWriteMany claim. */
      claim: string
      /**
       * One volume for the claim, mounted twice with a subPath per cache: the
       * pod references the claim once and the two caches stay apart in it.
       */
      volumeName: string
      subPaths: { mod: string; build: string }
    }

/** Everything the patcher adds, and the profiles the build will use. */
export interface PatchOptions {
  /** Paths inside the kaniko pod; also the GOMODCACHE/GOCACHE values. */
  mountPaths: { mod: string; build: string }
  /** Volume names for the hostPath volumes. */
  volumeNames: { mod: string; build: string }
  volumeSource: VolumeSource
  /** GOPROXY build arg; '' adds none. */
  goProxy: string
  /** GOPRIVATE and GONOSUMDB build args; '' adds none. */
  goPrivate: string
  /** GOFLAGS build arg; '' adds none. */
  goFlags: string
  /** Extra build args, in order. */
  buildArgs: [string, string][]
  /** kaniko `registryMirror`; '' adds none. */
  registryMirror: string
  /** kaniko `image` (executor pin); '' adds none. */
  kanikoImage: string
  /** kaniko `initImage` (the pod's init container); '' adds none. */
  initImage: string
  /** Adds `whitelistVarRun: true`, which only repeats kaniko's default and breaks kaniko v1.7.0 (docs/upstream-behaviour.md#whitelistvarrun). */
  whitelistVarRun: boolean
  /**
   * kaniko `ignorePaths` (v4beta2+ only). kind's node image copies
   * /kind/product_uuid and /kind/product_name into every container's root
   * and bind-mounts them over the DMI files (kubernetes-sigs/kind
   * images/base/files/kind/bin/mount-product-files.sh); kaniko's wipe
   * between stages then fails on /product_uuid (kaniko issue 2164). Both
   * are ignored: an ignored path that does not exist is skipped (kaniko
   * pkg/util/fs_util.go DeleteFilesystem).
   */
  ignorePaths: string[]
  /**
   * kaniko `snapshotMode` for every kaniko artifact that sets none; '' adds
   * none. `redo` decides what changed from each file's mtime, size, mode,
   * uid and gid instead of hashing its content as the default `full` does
   * (kaniko v1.19.2 pkg/executor/build.go getHasher, pkg/util/util.go
   * RedoHasher; README "Flag --snapshot-mode"), so a snapshot does not read
   * every file again. `time` looks at mtime alone and can miss what a RUN
   * changed (kaniko README "mtime and snapshotting"), so it is never chosen.
   */
  snapshotMode: string
  /** kaniko `insecureRegistry` entries (a plain-HTTP local registry). */
  insecureRegistries: string[]
  /** Profiles the build activates (`-p`); each must exist in some config. */
  profiles: string[]
  /**
   * `namespace` for every cluster block we patch that names none, so the
   * kaniko pods run where the action created the namespace; a block's own
   * namespace wins. '' leaves the blocks alone (skaffold then uses the kube
   * context's namespace).
   */
  defaultNamespace: string
  /**
   * `cluster.dockerConfig` for every cluster block we patch that has no
   * `pullSecretName`, `pullSecretPath` or `dockerConfig` of its own: skaffold
   * reads the file at `path` on the runner into a secret `secretName` in the
   * block's namespace for the build and deletes it after a build where every
   * artifact built (skaffold v2.24.0 pkg/skaffold/build/cluster/secret.go
   * setupDockerConfigSecret; build/builder_mux.go Build), and mounts
   * that secret at /kaniko/.docker in the kaniko pod, where kaniko reads
   * config.json for registry credentials (pkg/skaffold/build/cluster/pod.go
   * kanikoPodSpec, kaniko.DefaultDockerConfigPath). Absent: no block gets one.
   */
  dockerConfig?: { path: string; secretName: string }
  /**
   * `kaniko.dockerfile` to write for some artifacts (the Dockerfile copy),
   * keyed by artifactKey(); the report keeps the original Dockerfile.
   */
  dockerfileOverrides?: Record<string, string>
}

/** Names one artifact of one document across patch runs. */
export function artifactKey(artifact: {
  file: string
  document: number
  index: number
  place: { kind: 'base' } | { kind: 'profile'; name: string }
}): string {
  const place =
    artifact.place.kind === 'profile'
      ? `profile:${artifact.place.name}`
      : 'base'
  return `${artifact.file}#${artifact.document}#${place}#${artifact.index}`
}

/** The defaults: the data path's names from src/cache/paths.ts. */
export const DEFAULT_PATCH_OPTIONS: PatchOptions = {
  mountPaths: { ...POD_PATHS },
  volumeNames: { ...VOLUME_NAMES },
  volumeSource: {
    kind: 'hostPath',
    paths: { ...NODE_PATHS },
    type: 'DirectoryOrCreate'
  },
  goProxy: '',
  goPrivate: '',
  goFlags: '',
  buildArgs: [],
  registryMirror: '',
  kanikoImage: '',
  initImage: '',
  whitelistVarRun: false,
  snapshotMode: 'redo',
  ignorePaths: ['/product_uuid', '/product_name'],
  insecureRegistries: [],
  profiles: [],
  defaultNamespace: ''
}

/** Volume names skaffold gives its own kaniko pod volumes (skaffold v2.24.0 pkg/skaffold/build/kaniko/types.go, used by pkg/skaffold/build/cluster/pod.go kanikoPodSpec; docs/upstream-behaviour.md#the-kaniko-pod). */
export const RESERVED_VOLUME_NAMES = [
  'kaniko-emptydir',
  'kaniko-secret',
  'kaniko-cache',
  'docker-cfg'
]

/** Mount paths skaffold and kaniko use themselves (skaffold v2.24.0 pkg/skaffold/build/kaniko/types.go, used by pkg/skaffold/build/cluster/pod.go kanikoPodSpec; docs/upstream-behaviour.md#the-kaniko-pod). */
export const RESERVED_MOUNT_PATHS = [
  '/kaniko/buildcontext',
  '/secret',
  '/cache',
  '/kaniko/.docker'
]

/** The build args the action passes, in the order they are added. */
export function listOurBuildArgs(options: PatchOptions): [string, string][] {
  const args: [string, string][] = [
    ['GOMODCACHE', options.mountPaths.mod],
    ['GOCACHE', options.mountPaths.build]
  ]
  if (options.goProxy !== '') args.push(['GOPROXY', options.goProxy])
  if (options.goPrivate !== '') {
    args.push(['GOPRIVATE', options.goPrivate])
    // Private modules are not in the public checksum database either.
    args.push(['GONOSUMDB', options.goPrivate])
  }
  if (options.goFlags !== '') args.push(['GOFLAGS', options.goFlags])
  for (const [key, value] of options.buildArgs) {
    if (!args.some(([k]) => k === key)) args.push([key, value])
  }
  return args
}

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/

/**
 * Whether a name is a DNS-1123 label, the rule for namespace and volume names:
 * https://kubernetes.io/docs/concepts/overview/working-with-objects/names/#dns-label-names
 */
export function isDnsLabel(name: string): boolean {
  return DNS_LABEL.test(name)
}
const BUILD_ARG_KEY = /^[A-Za-z_][A-Za-z0-9_]*$/

/**
 * Checks the options before any file is touched.
 * @throws PatchOptionsError naming the option and the fix.
 */
export function validatePatchOptions(options: PatchOptions): void {
  validateMountPaths(options)
  validateVolumes(options)
  // Namespace names are DNS-1123 labels:
  // https://kubernetes.io/docs/concepts/overview/working-with-objects/names/#dns-label-names
  if (
    options.defaultNamespace !== '' &&
    !DNS_LABEL.test(options.defaultNamespace)
  ) {
    throw new PatchOptionsError(
      'namespace',
      `"${options.defaultNamespace}" is not a valid Kubernetes namespace name (lowercase letters, digits and "-", at most 63 characters)`
    )
  }
  validateDockerConfig(options.dockerConfig)
  for (const [key] of options.buildArgs) {
    if (!BUILD_ARG_KEY.test(key)) {
      throw new PatchOptionsError(
        'build-arg',
        `"${key}" is not a build arg name (letters, digits and "_")`
      )
    }
  }
}

/** The two cache mount paths: absolute, apart, and not skaffold's or kaniko's own. */
function validateMountPaths(options: PatchOptions): void {
  const paths: [string, string][] = [
    ['mod-cache-path', options.mountPaths.mod],
    ['build-cache-path', options.mountPaths.build]
  ]
  for (const [name, path] of paths) {
    if (!path.startsWith('/')) {
      throw new PatchOptionsError(name, `"${path}" must be an absolute path`)
    }
    const normal = normalizePath(path)
    if (
      RESERVED_MOUNT_PATHS.includes(normal) ||
      normal === '/kaniko' ||
      normal.startsWith('/kaniko/')
    ) {
      throw new PatchOptionsError(
        name,
        `"${path}" is used by skaffold or kaniko itself; pick a path under /var/run`
      )
    }
  }
  if (
    normalizePath(options.mountPaths.mod) ===
    normalizePath(options.mountPaths.build)
  ) {
    throw new PatchOptionsError(
      'mod-cache-path',
      'the module cache and the build cache need two different paths'
    )
  }
}

/** The cache volumes: valid and distinct names, a claim or absolute node paths. */
function validateVolumes(options: PatchOptions): void {
  const names =
    options.volumeSource.kind === 'persistentVolumeClaim'
      ? [options.volumeSource.volumeName]
      : [options.volumeNames.mod, options.volumeNames.build]
  for (const name of names) {
    if (!DNS_LABEL.test(name)) {
      throw new PatchOptionsError(
        'volume name',
        `"${name}" is not a valid Kubernetes volume name (lowercase letters, digits and "-")`
      )
    }
  }
  if (names.length === 2 && names[0] === names[1]) {
    throw new PatchOptionsError(
      'volume name',
      'the two cache volumes need two different names'
    )
  }
  if (options.volumeSource.kind === 'persistentVolumeClaim') {
    if (options.volumeSource.claim === '') {
      throw new PatchOptionsError('pvc', 'the claim name is empty')
    }
  } else {
    for (const path of Object.values(options.volumeSource.paths)) {
      if (!path.startsWith('/')) {
        throw new PatchOptionsError(
          'node path',
          `"${path}" must be an absolute path on the node`
        )
      }
    }
  }
}

/** A Kubernetes object name such as a Secret's (DNS-1123 subdomain). */
const DNS_SUBDOMAIN =
  /^(?=.{1,253}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/

function validateDockerConfig(
  dockerConfig: PatchOptions['dockerConfig']
): void {
  if (dockerConfig === undefined) return
  if (!dockerConfig.path.startsWith('/')) {
    throw new PatchOptionsError(
      'docker config',
      `"${dockerConfig.path}" must be an absolute path to a docker config.json on the runner`
    )
  }
  // skaffold names a Secret after it: https://kubernetes.io/docs/concepts/overview/working-with-objects/names/#dns-subdomain-names
  if (!DNS_SUBDOMAIN.test(dockerConfig.secretName)) {
    throw new PatchOptionsError(
      'docker config',
      `secret name "${dockerConfig.secretName}" is not a Kubernetes object name (lowercase letters, digits, "-" and ".")`
    )
  }
}

/** Drops trailing slashes so `/cache/` and `/cache` compare equal. */
export function normalizePath(path: string): string {
  const trimmed = path.replace(/\/+$/, '')
  return trimmed === '' ? '/' : trimmed
}

/**
 * The patch options for the action's inputs (the data path's names from
 * src/cache/paths.ts). `insecureRegistries` names the plain-HTTP local registry
 * (e.g. `kind-registry:5000`) when the action runs one. The `namespace`
 * input becomes `defaultNamespace`: the action creates it, so the cluster
 * blocks that name none run their kaniko pods there.
 */
export function patchOptionsFromInputs(
  inputs: Pick<
    Inputs,
    | 'goProxy'
    | 'goPrivate'
    | 'buildArgs'
    | 'registryMirror'
    | 'kanikoImage'
    | 'initImage'
    | 'whitelistVarRun'
    | 'profiles'
    | 'cacheVolume'
    | 'namespace'
  >,
  insecureRegistries: string[] = []
): PatchOptions {
  return {
    ...DEFAULT_PATCH_OPTIONS,
    volumeSource:
      inputs.cacheVolume.kind === 'pvc'
        ? {
            kind: 'persistentVolumeClaim',
            claim: inputs.cacheVolume.claim,
            volumeName: PVC_VOLUME_NAME,
            subPaths: { ...VOLUME_NAMES }
          }
        : DEFAULT_PATCH_OPTIONS.volumeSource,
    goProxy: inputs.goProxy,
    goPrivate: inputs.goPrivate,
    buildArgs: inputs.buildArgs,
    registryMirror: inputs.registryMirror,
    kanikoImage: inputs.kanikoImage,
    initImage: inputs.initImage,
    whitelistVarRun: inputs.whitelistVarRun,
    insecureRegistries,
    profiles: inputs.profiles,
    defaultNamespace: inputs.namespace
  }
}

/** The one volume that carries a ReadWriteMany claim (both caches, by subPath). */
export const PVC_VOLUME_NAME = 'go-caches'
