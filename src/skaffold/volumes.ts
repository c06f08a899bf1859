/**
 * The Go cache volumes and mounts the patcher adds: their names (free of the
 * document's own volumes and skaffold's reserved ones) and their YAML shape
 * per apiVersion. Pure.
 */
import {
  normalizePath,
  RESERVED_VOLUME_NAMES,
  type PatchOptions
} from './options.js'
import { getLoose, isObject, type Json } from './yaml-edit.js'

/** One cache volume with the name chosen for it and where it is mounted. */
export interface OurVolume {
  wanted: string
  name: string
  source: { hostPath?: string; claim?: string }
  mounts: { path: string; subPath: string }[]
}

/** A volume name we wanted that was taken. */
export interface Renamed {
  wanted: string
  chosen: string
  reason: string
}

/** The volumes the options ask for, names not yet chosen. */
function wantedVolumes(o: PatchOptions): OurVolume[] {
  const source = o.volumeSource
  if (source.kind === 'persistentVolumeClaim') {
    return [
      {
        wanted: source.volumeName,
        name: '',
        source: { claim: source.claim },
        mounts: (['mod', 'build'] as const).map((cache) => ({
          path: normalizePath(o.mountPaths[cache]),
          subPath: source.subPaths[cache]
        }))
      }
    ]
  }
  return (['mod', 'build'] as const).map((cache) => ({
    wanted: o.volumeNames[cache],
    name: '',
    source: { hostPath: normalizePath(source.paths[cache]) },
    mounts: [{ path: normalizePath(o.mountPaths[cache]), subPath: '' }]
  }))
}

/**
 * Names the cache volumes: the wanted name, or `<name>-2`... when the
 * document already uses it for another source or mount, or skaffold reserves it.
 * @param builds every `build` section of the document (plain values).
 * @returns the volumes and the renames, or the reason no name was free.
 */
export function chooseVolumes(
  options: PatchOptions,
  builds: unknown[]
): { volumes: OurVolume[]; renamed: Renamed[] } | { error: string } {
  const wanted = wantedVolumes(options)
  const { volumes, mounts } = collectVolumes(builds)
  const taken = new Set<string>()
  const renamed: Renamed[] = []
  for (const v of wanted) {
    let chosen = ''
    const why: string[] = []
    for (let n = 1; n <= 100 && chosen === ''; n++) {
      const candidate = n === 1 ? v.wanted : `${v.wanted}-${n}`
      if (taken.has(candidate)) continue
      const problem = nameProblem(candidate, v, volumes, mounts)
      if (problem === '') chosen = candidate
      else why.push(problem)
    }
    if (chosen === '') {
      return {
        error: `no free volume name for the Go cache (${why.join('; ')})`
      }
    }
    taken.add(chosen)
    v.name = chosen
    if (chosen !== v.wanted) {
      renamed.push({ wanted: v.wanted, chosen, reason: why.join('; ') })
    }
  }
  return { volumes: wanted, renamed }
}

/** Every volume and mount of the document, wherever it is. */
function collectVolumes(builds: unknown[]): {
  volumes: Json[]
  mounts: Json[]
} {
  const volumes: Json[] = []
  const mounts: Json[] = []
  for (const build of builds) {
    if (!isObject(build)) continue
    if (isObject(build.cluster) && Array.isArray(build.cluster.volumes)) {
      volumes.push(...build.cluster.volumes.filter(isObject))
    }
    if (!Array.isArray(build.artifacts)) continue
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
  return { volumes, mounts }
}

/** Why a candidate name cannot be ours; '' when it can. */
function nameProblem(
  candidate: string,
  v: OurVolume,
  volumes: Json[],
  mounts: Json[]
): string {
  if (RESERVED_VOLUME_NAMES.includes(candidate)) {
    return `"${candidate}" is reserved by skaffold`
  }
  const clash = volumes.find(
    (vol) =>
      vol.name === candidate && !sameSource(volumeSourceOf(vol), v.source)
  )
  if (clash) return `a volume "${candidate}" already exists with another source`
  const mountClash = mounts.find(
    (m) =>
      m.name === candidate &&
      !v.mounts.some((ours) => normalizePath(mountPathOf(m)) === ours.path)
  )
  if (mountClash) {
    return `volume "${candidate}" is already mounted at ${String(getLoose(mountClash, 'mountpath'))}`
  }
  return ''
}

/** A mount's path; keys are read case-insensitively, as skaffold decodes them from v2beta11. */
export function mountPathOf(mount: Json): string {
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

/**
 * A kaniko volume mount; `lower` writes the lowercased keys v2beta9 and
 * v2beta10 decode (see ApiVersionInfo.lowercaseVolumes).
 */
export function mountNode(
  name: string,
  path: string,
  subPath: string,
  lower: boolean
): Json {
  const node: Json = { name, [lower ? 'mountpath' : 'mountPath']: path }
  if (subPath) node[lower ? 'subpath' : 'subPath'] = subPath
  return node
}

/** A cluster volume for one of our cache volumes (see mountNode for `lower`). */
export function volumeNode(
  v: OurVolume,
  options: PatchOptions,
  lower: boolean
): Json {
  const vs = options.volumeSource
  let source: Json
  if (vs.kind === 'persistentVolumeClaim') {
    source = lower
      ? { persistentvolumeclaim: { claimname: vs.claim } }
      : { persistentVolumeClaim: { claimName: vs.claim } }
  } else {
    const host: Json = { path: v.source.hostPath }
    if (vs.type) host.type = vs.type
    source = lower ? { hostpath: host } : { hostPath: host }
  }
  return lower
    ? { name: v.name, volumesource: source }
    : { name: v.name, ...source }
}
