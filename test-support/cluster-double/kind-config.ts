/**
 * Validation of a kind cluster config (kind.x-k8s.io/v1alpha4), strict like
 * kind's own decoder: unknown fields are errors (kind v0.32.0
 * pkg/internal/apis/config/encoding/load.go yamlUnmarshalStrict). Fields from
 * pkg/apis/config/v1alpha4/types.go at kind v0.32.0 (Node has no `gpus`).
 */
import { parseDocument } from 'yaml'
import { scalarText } from './values.js'

/** One node of a validated config. */
export interface KindNodeConfig {
  role: 'control-plane' | 'worker'
  image?: string
  extraMounts: { hostPath: string; containerPath: string; readOnly: boolean }[]
}

/** A validated kind config. */
export interface KindConfig {
  name?: string
  nodes: KindNodeConfig[]
  /** TOML merge patches for the nodes' containerd config. */
  containerdConfigPatches: string[]
}

const TOP_FIELDS = new Set([
  'kind',
  'apiVersion',
  'name',
  'featureGates',
  'runtimeConfig',
  'networking',
  'nodes',
  'kubeadmConfigPatches',
  'kubeadmConfigPatchesJSON6902',
  'containerdConfigPatches',
  'containerdConfigPatchesJSON6902'
])
const NODE_FIELDS = new Set([
  'role',
  'image',
  'labels',
  'extraMounts',
  'extraPortMappings',
  'kubeadmConfigPatches',
  'kubeadmConfigPatchesJSON6902'
])
const MOUNT_FIELDS = new Set([
  'hostPath',
  'containerPath',
  'readOnly',
  'selinuxRelabel',
  'propagation'
])
const NETWORKING_FIELDS = new Set([
  'ipFamily',
  'apiServerPort',
  'apiServerAddress',
  'podSubnet',
  'serviceSubnet',
  'disableDefaultCNI',
  'kubeProxyMode',
  'dnsSearch'
])
const PROPAGATIONS = new Set(['None', 'HostToContainer', 'Bidirectional'])

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function checkFields(
  value: Record<string, unknown>,
  allowed: Set<string>,
  where: string
): void {
  for (const key of Object.keys(value)) {
    if (!allowed.has(key)) throw new Error(`unknown field "${key}" in ${where}`)
  }
}

function checkStringList(value: unknown, where: string): void {
  if (value === undefined) return
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) {
    throw new Error(`${where} must be a list of strings`)
  }
}

/** Parses and validates a kind config; throws with the field at fault. */
export function parseKindConfig(text: string): KindConfig {
  const doc = parseDocument(text)
  if (doc.errors.length > 0)
    throw new Error(`invalid YAML: ${doc.errors[0].message}`)
  const raw: unknown = doc.toJS()
  if (!isRecord(raw)) throw new Error('the config must be a YAML mapping')
  if (raw.kind !== 'Cluster')
    throw new Error(`kind must be "Cluster", got ${JSON.stringify(raw.kind)}`)
  if (raw.apiVersion !== 'kind.x-k8s.io/v1alpha4') {
    throw new Error(
      `unsupported apiVersion ${JSON.stringify(raw.apiVersion)} (want "kind.x-k8s.io/v1alpha4")`
    )
  }
  checkFields(raw, TOP_FIELDS, 'Cluster')
  if (raw.name !== undefined && typeof raw.name !== 'string')
    throw new Error('name must be a string')
  if (raw.networking !== undefined) {
    if (!isRecord(raw.networking))
      throw new Error('networking must be a mapping')
    checkFields(raw.networking, NETWORKING_FIELDS, 'networking')
  }
  checkStringList(raw.kubeadmConfigPatches, 'kubeadmConfigPatches')
  checkStringList(raw.containerdConfigPatches, 'containerdConfigPatches')
  const rawNodes = raw.nodes ?? [{ role: 'control-plane' }]
  if (!Array.isArray(rawNodes)) throw new Error('nodes must be a list')
  const nodes = rawNodes.map((n: unknown, i: number): KindNodeConfig => {
    const where = `nodes[${i}]`
    if (!isRecord(n)) throw new Error(`${where} must be a mapping`)
    checkFields(n, NODE_FIELDS, where)
    const role = n.role ?? 'control-plane'
    if (role !== 'control-plane' && role !== 'worker') {
      throw new Error(
        `${where}.role must be "control-plane" or "worker", got ${JSON.stringify(role)}`
      )
    }
    if (n.image !== undefined && typeof n.image !== 'string')
      throw new Error(`${where}.image must be a string`)
    checkStringList(n.kubeadmConfigPatches, `${where}.kubeadmConfigPatches`)
    const mounts = n.extraMounts ?? []
    if (!Array.isArray(mounts))
      throw new Error(`${where}.extraMounts must be a list`)
    return {
      role,
      image: n.image,
      extraMounts: mounts.map((m: unknown, j: number) => {
        const mw = `${where}.extraMounts[${j}]`
        if (!isRecord(m)) throw new Error(`${mw} must be a mapping`)
        checkFields(m, MOUNT_FIELDS, mw)
        if (typeof m.hostPath !== 'string' || m.hostPath === '')
          throw new Error(`${mw}.hostPath is required`)
        if (
          typeof m.containerPath !== 'string' ||
          !m.containerPath.startsWith('/')
        ) {
          throw new Error(`${mw}.containerPath must be an absolute path`)
        }
        if (m.readOnly !== undefined && typeof m.readOnly !== 'boolean') {
          throw new Error(`${mw}.readOnly must be a boolean`)
        }
        if (
          m.propagation !== undefined &&
          !PROPAGATIONS.has(scalarText(m.propagation))
        ) {
          throw new Error(
            `${mw}.propagation must be None, HostToContainer or Bidirectional`
          )
        }
        return {
          hostPath: m.hostPath,
          containerPath: m.containerPath,
          readOnly: m.readOnly === true
        }
      })
    }
  })
  if (!nodes.some((n) => n.role === 'control-plane')) {
    throw new Error(
      'a cluster needs at least one node with role "control-plane"'
    )
  }
  const seen = new Set<string>()
  nodes.forEach((n, i) =>
    n.extraMounts.forEach((m) => {
      const key = `${i}:${m.containerPath}`
      if (seen.has(key))
        throw new Error(
          `nodes[${i}] mounts containerPath ${m.containerPath} twice`
        )
      seen.add(key)
    })
  )
  return {
    name: raw.name,
    nodes,
    containerdConfigPatches: (raw.containerdConfigPatches ?? []) as string[]
  }
}

/** Node container names as kind assigns them: <n>-control-plane, <n>-control-plane2, <n>-worker, ... */
export function nodeNames(
  cluster: string,
  roles: readonly KindNodeConfig['role'][]
): string[] {
  const counts = { 'control-plane': 0, worker: 0 }
  return roles.map((role) => {
    counts[role] += 1
    return `${cluster}-${role}${counts[role] === 1 ? '' : counts[role]}`
  })
}
