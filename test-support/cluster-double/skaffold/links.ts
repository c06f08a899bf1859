/**
 * The data-path links of one kaniko artifact (docs/design.md#every-link-must-agree), checked the
 * way the real stack would expose them, and resolved to runner paths:
 *
 *   volumeMount.name → cluster.volumes[].name → hostPath.path (node)
 *     → kind extraMount containerPath → hostPath (runner dir)
 *   GOCACHE/GOMODCACHE build arg == a volumeMount mountPath
 *   the Dockerfile's Go stage declares ARG GOCACHE/GOMODCACHE after FROM
 */
import { posix } from 'node:path'
import { CommandError } from '../io.js'
import { isWithin, mapNodePath } from '../node-paths.js'
import { scalarText } from '../values.js'
import type { NodeRecord } from '../state.js'
import {
  parseArg,
  type Dockerfile,
  type Stage,
  isGolangImage
} from './dockerfile.js'

/** A kaniko pod mount resolved to where its data lives on the runner. */
export interface PodMount {
  volume: string
  mountPath: string
  /** Where reads and writes land on the runner. */
  runnerPath: string
  /**
   * runner: hostPath backed by an extraMount (reaches the Actions cache);
   * node: hostPath with no extraMount (lives in the node container only);
   * pvc: a claim (kept in the double's home); ephemeral: emptyDir and others.
   */
  backing: 'runner' | 'node' | 'pvc' | 'ephemeral'
  nodePath?: string
}

/** The Go cache build args the links are about. */
export const CACHE_ARGS = ['GOCACHE', 'GOMODCACHE'] as const

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** skaffold ≤ v2beta10 decodes volumes and mounts with yaml.v3 and lowercased Go field names (docs/upstream-behaviour.md#volumes-and-mounts-decoding-by-apiversion). */
export function usesLegacyVolumeDecoding(apiVersion: string): boolean {
  const m = /^skaffold\/v(\d+)(?:(alpha|beta)(\d+))?$/.exec(apiVersion)
  if (m === null) return false
  const major = Number(m[1])
  if (major < 2) return true
  return major === 2 && m[2] !== undefined && Number(m[3]) <= 10
}

/** Case-insensitive field lookup, as encoding/json decodes k8s types (≥ v2beta11). */
function field(
  obj: Record<string, unknown>,
  name: string,
  legacy: boolean
): unknown {
  if (legacy) return obj[name.toLowerCase()]
  const key = Object.keys(obj).find(
    (k) => k.toLowerCase() === name.toLowerCase()
  )
  return key === undefined ? undefined : obj[key]
}

function rejectCamelCase(
  obj: Record<string, unknown>,
  type: string,
  legacy: boolean
): void {
  if (!legacy) return
  const bad = Object.keys(obj).find((k) => k !== k.toLowerCase())
  if (bad !== undefined) {
    throw new CommandError(
      `parsing skaffold config: field ${bad} not found in type ${type} (apiVersion ≤ v2beta10 spells it ${bad.toLowerCase()})`
    )
  }
}

/** Inputs for resolveMounts. */
export interface MountInputs {
  home: string
  node: NodeRecord
  apiVersion: string
  volumes: unknown[]
  volumeMounts: unknown[]
  /** Per-build scratch dir for emptyDir volumes. */
  scratch: string
  image: string
  warn: (message: string) => void
  /**
   * The data dir of a PersistentVolumeClaim in the pod's namespace, or
   * undefined when the claim does not exist (then the pod cannot start).
   * When omitted, no claim exists.
   */
  claimDir?: (claim: string) => string | undefined
}

/** Resolves every kaniko volumeMount; a mount naming no volume fails like the API server. */
export function resolveMounts(input: MountInputs): PodMount[] {
  const legacy = usesLegacyVolumeDecoding(input.apiVersion)
  const volumes = new Map<string, Record<string, unknown>>()
  for (const v of input.volumes) {
    if (!isRecord(v)) continue
    rejectCamelCase(v, 'v1.Volume', legacy)
    const name = field(v, 'name', legacy)
    if (typeof name === 'string')
      volumes.set(name, legacy && isRecord(v.volumesource) ? v.volumesource : v)
  }
  return input.volumeMounts.map((m, i): PodMount => {
    if (!isRecord(m))
      throw new CommandError(
        `kaniko.volumeMounts[${i}] of ${input.image} is not a mapping`
      )
    rejectCamelCase(m, 'v1.VolumeMount', legacy)
    const name = scalarText(field(m, 'name', legacy))
    const mountPath = scalarText(field(m, 'mountPath', legacy))
    const subPath = scalarText(field(m, 'subPath', legacy))
    const volume = volumes.get(name)
    if (volume === undefined) {
      throw new CommandError(
        `creating kaniko pod: Pod "kaniko-" is invalid: spec.containers[0].volumeMounts[${i}].name: Not found: "${name}"\n` +
          `cluster double: link broken: ${input.image}: kaniko.volumeMounts[${i}].name "${name}" names no volume in build.cluster.volumes ` +
          `(volumes: ${[...volumes.keys()].join(', ') || 'none'}); the volume name must equal the volumeMount name`
      )
    }
    if (!mountPath.startsWith('/')) {
      throw new CommandError(
        `creating kaniko pod: spec.containers[0].volumeMounts[${i}].mountPath: Invalid value: "${mountPath}": must be an absolute path`
      )
    }
    // The API server refuses these; a subPath is joined under the volume root.
    if (subPath.startsWith('/'))
      throw new CommandError(
        `creating kaniko pod: spec.containers[0].volumeMounts[${i}].subPath: Invalid value: "${subPath}": must be a relative path`
      )
    if (subPath.split('/').includes('..'))
      throw new CommandError(
        `creating kaniko pod: spec.containers[0].volumeMounts[${i}].subPath: Invalid value: "${subPath}": must not contain '..'`
      )
    const hostPath = field(volume, 'hostPath', legacy)
    const pvc = field(volume, 'persistentVolumeClaim', legacy)
    if (isRecord(hostPath)) {
      const nodePath = posix.join(
        scalarText(field(hostPath, 'path', legacy)),
        subPath
      )
      if (!nodePath.startsWith('/'))
        throw new CommandError(
          `build.cluster.volumes "${name}": hostPath.path must be absolute`
        )
      const mapped = mapNodePath(input.home, input.node, nodePath)
      if (mapped.mount === undefined) {
        input.warn(
          `hostPath ${nodePath} is not backed by an extraMount: the cache will not reach the runner ` +
            `(link: kind extraMount containerPath must equal the hostPath path; node ${input.node.name} mounts ${input.node.mounts.map((x) => x.containerPath).join(', ') || 'nothing'})`
        )
      }
      return {
        volume: name,
        mountPath: posix.normalize(mountPath),
        runnerPath: mapped.runnerPath,
        backing: mapped.mount ? 'runner' : 'node',
        nodePath
      }
    }
    if (isRecord(pvc)) {
      const claim = scalarText(field(pvc, 'claimName', legacy))
      const dataDir = input.claimDir?.(claim)
      if (dataDir === undefined) {
        // The pod stays Pending; skaffold gives up waiting for it.
        throw new CommandError(
          `creating kaniko pod: waiting for pod to be running: 0/1 nodes are available: persistentvolumeclaim "${claim}" not found ` +
            `(build.cluster.volumes "${name}"; create the claim in the build's namespace first)`
        )
      }
      return {
        volume: name,
        mountPath: posix.normalize(mountPath),
        runnerPath: posix.join(dataDir, subPath),
        backing: 'pvc'
      }
    }
    return {
      volume: name,
      mountPath: posix.normalize(mountPath),
      runnerPath: posix.join(input.scratch, 'volumes', name, subPath),
      backing: 'ephemeral'
    }
  })
}

/** The mount a pod path falls in, if any (deepest mount wins). */
export function mountFor(
  mounts: readonly PodMount[],
  podPath: string
): PodMount | undefined {
  return mounts
    .filter((m) => isWithin(posix.normalize(podPath), m.mountPath))
    .sort((a, b) => b.mountPath.length - a.mountPath.length)[0]
}

/** Checks that each cache build arg points into a mounted path. */
export function checkCacheArgs(
  image: string,
  buildArgs: Record<string, string | undefined>,
  mounts: readonly PodMount[],
  warn: (m: string) => void
): void {
  for (const name of CACHE_ARGS) {
    const value = buildArgs[name]
    if (value === undefined) continue
    if (!value.startsWith('/') || mountFor(mounts, value) === undefined) {
      warn(
        `link broken: ${image}: kaniko.buildArgs.${name} "${value}" is not a kaniko.volumeMounts mountPath ` +
          `(mounts: ${mounts.map((m) => m.mountPath).join(', ') || 'none'}): ${name} stays inside the pod and the build is cold`
      )
    }
  }
}

/** Stages that build Go: FROM a golang image, or FROM a stage that is. */
export function goStages(dockerfile: Dockerfile): Stage[] {
  const golang = new Set<number>()
  for (const stage of dockerfile.stages) {
    const parent = dockerfile.stages.find(
      (s) =>
        s.index < stage.index &&
        s.name !== undefined &&
        s.name === stage.from.toLowerCase()
    )
    if (
      isGolangImage(stage.from) ||
      (parent !== undefined && golang.has(parent.index))
    )
      golang.add(stage.index)
  }
  return dockerfile.stages.filter((s) => golang.has(s.index))
}

/** Checks that every Go stage declares each cache/proxy build arg that is passed. */
export function checkDeclaredArgs(
  dockerfilePath: string,
  dockerfile: Dockerfile,
  image: string,
  passed: readonly string[],
  warn: (m: string) => void
): void {
  const stages = goStages(dockerfile)
  if (stages.length === 0) {
    warn(
      `${dockerfilePath}: no stage is FROM a golang image; the cluster double cannot check the ARG links of ${image}`
    )
    return
  }
  const globals = new Set(
    dockerfile.globalArgs.map((a) => parseArg(a.args).name)
  )
  for (const stage of stages) {
    const declared = new Set(
      stage.instructions
        .filter((i) => i.keyword === 'ARG')
        .map((i) => parseArg(i.args).name)
    )
    for (const name of passed) {
      if (declared.has(name)) continue
      const where = globals.has(name)
        ? ` (it is declared before FROM only, which scopes it to FROM lines)`
        : ''
      warn(
        `link broken: ${dockerfilePath}:${stage.line}: stage ${stage.name ?? stage.index} (FROM ${stage.from}) does not declare ARG ${name}${where}; ` +
          `kaniko passes --build-arg ${name} to RUN only when the stage declares it, so the build uses the image default (cold)`
      )
    }
  }
}
