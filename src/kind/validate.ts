/**
 * Validates a kind config against the kind.x-k8s.io/v1alpha4 Cluster fields
 * of kind v0.32.0 (kubernetes-sigs/kind pkg/apis/config/v1alpha4/types.go:
 * Cluster, Node, Networking, Mount, PortMapping, PatchJSON6902). kind decodes
 * its config strictly (pkg/internal/apis/config/encoding/load.go,
 * yamlUnmarshalStrict), so an unknown key is an error there too; reporting it
 * here names the file and line before a cluster is half created. Pure.
 */

import {
  isMap,
  isScalar,
  isSeq,
  type Document,
  type LineCounter,
  type Node,
  type Pair,
  type YAMLMap
} from 'yaml'

/** The only Cluster apiVersion kind v0.32 accepts. */
export const KIND_API_VERSION = 'kind.x-k8s.io/v1alpha4'

/** One problem found in a kind config. */
export interface KindConfigIssue {
  /** 1-based line, when known. */
  line?: number
  /** Where in the config, e.g. `nodes[1].extraMounts[0]`. */
  at: string
  message: string
}

type FieldType =
  | 'string'
  | 'boolean'
  | 'integer'
  | 'stringList'
  | 'stringMap'
  | 'booleanMap'
  | { enum: readonly string[] }
  | { list: Fields }
  | { map: Fields }

type Fields = Readonly<Record<string, FieldType>>

const MOUNT: Fields = {
  containerPath: 'string',
  hostPath: 'string',
  readOnly: 'boolean',
  selinuxRelabel: 'boolean',
  propagation: { enum: ['None', 'HostToContainer', 'Bidirectional'] }
}

const PORT_MAPPING: Fields = {
  containerPort: 'integer',
  hostPort: 'integer',
  listenAddress: 'string',
  protocol: { enum: ['TCP', 'UDP', 'SCTP'] }
}

const JSON6902: Fields = {
  group: 'string',
  version: 'string',
  kind: 'string',
  patch: 'string'
}

const NODE: Fields = {
  role: { enum: ['control-plane', 'worker'] },
  image: 'string',
  labels: 'stringMap',
  extraMounts: { list: MOUNT },
  extraPortMappings: { list: PORT_MAPPING },
  kubeadmConfigPatches: 'stringList',
  kubeadmConfigPatchesJSON6902: { list: JSON6902 }
}

const NETWORKING: Fields = {
  ipFamily: { enum: ['ipv4', 'ipv6', 'dual'] },
  apiServerPort: 'integer',
  apiServerAddress: 'string',
  podSubnet: 'string',
  serviceSubnet: 'string',
  disableDefaultCNI: 'boolean',
  kubeProxyMode: { enum: ['iptables', 'ipvs', 'nftables', 'none'] },
  dnsSearch: 'stringList'
}

const CLUSTER: Fields = {
  kind: { enum: ['Cluster'] },
  apiVersion: { enum: [KIND_API_VERSION] },
  name: 'string',
  nodes: { list: NODE },
  networking: { map: NETWORKING },
  featureGates: 'booleanMap',
  runtimeConfig: 'stringMap',
  kubeadmConfigPatches: 'stringList',
  kubeadmConfigPatchesJSON6902: { list: JSON6902 },
  containerdConfigPatches: 'stringList',
  containerdConfigPatchesJSON6902: 'stringList'
}

/**
 * Checks a parsed kind config document: kind and apiVersion, every key of the
 * Cluster, its nodes, mounts, port mappings and networking, value types and
 * enums, and that there is a control-plane node.
 * @returns every issue found, in document order (empty when valid).
 */
export function validateKindConfig(
  doc: Document,
  lineCounter?: LineCounter
): KindConfigIssue[] {
  const issues: KindConfigIssue[] = []
  const lineOf = (node: Node | null | undefined): number | undefined =>
    node?.range && lineCounter
      ? lineCounter.linePos(node.range[0]).line
      : undefined
  const add = (node: Node | null | undefined, at: string, message: string) => {
    const line = lineOf(node)
    issues.push({ ...(line === undefined ? {} : { line }), at, message })
  }

  const root = doc.contents
  if (!isMap(root)) {
    add(root, '(top level)', 'expected a mapping with kind: Cluster')
    return issues
  }
  for (const key of ['kind', 'apiVersion']) {
    if (!root.has(key)) {
      add(
        root,
        '(top level)',
        `missing ${key}: ${key === 'kind' ? 'Cluster' : KIND_API_VERSION}`
      )
    }
  }
  checkMap(root, CLUSTER, '', add)

  const nodes = root.get('nodes', true)
  if (isSeq(nodes)) {
    const roles = nodes.items.map((item) =>
      isMap(item) ? (item.get('role') ?? 'control-plane') : undefined
    )
    // An invalid role is reported above; counting control planes then would
    // only repeat it.
    const valid = roles.every((r) => r === 'control-plane' || r === 'worker')
    if (valid && nodes.items.length > 0 && !roles.includes('control-plane')) {
      add(
        nodes,
        'nodes',
        'needs at least one node with role: control-plane (a node without a role is a control-plane)'
      )
    }
  }
  return issues
}

type Add = (node: Node | null | undefined, at: string, message: string) => void

function checkMap(map: YAMLMap, fields: Fields, at: string, add: Add): void {
  for (const pair of map.items as Pair<Node, Node | null>[]) {
    const key = isScalar(pair.key) ? String(pair.key.value) : String(pair.key)
    const where = at === '' ? key : `${at}.${key}`
    const type = fields[key]
    if (type === undefined) {
      add(
        pair.key,
        at === '' ? '(top level)' : at,
        `unknown key ${JSON.stringify(key)}; kind's v1alpha4 ${at === '' ? 'Cluster' : describePlace(at)} accepts ${Object.keys(fields).join(', ')}`
      )
      continue
    }
    checkValue(pair.value, type, where, add)
  }
}

function describePlace(at: string): string {
  const last =
    at
      .replace(/\[\d+\]$/, '')
      .split('.')
      .pop() ?? at
  return (
    {
      nodes: 'node',
      extraMounts: 'extraMount',
      extraPortMappings: 'extraPortMapping',
      networking: 'networking',
      kubeadmConfigPatchesJSON6902: 'JSON 6902 patch',
      containerdConfigPatchesJSON6902: 'JSON 6902 patch'
    }[last] ?? last
  )
}

function checkValue(
  value: Node | null,
  type: FieldType,
  at: string,
  add: Add
): void {
  if (typeof type === 'object' && 'list' in type) {
    if (!isSeq(value)) return add(value, at, 'expected a list')
    value.items.forEach((item, index) => {
      const where = `${at}[${index}]`
      if (!isMap(item)) return add(item as Node, where, 'expected a mapping')
      checkMap(item, type.list, where, add)
    })
    return
  }
  if (typeof type === 'object' && 'map' in type) {
    if (!isMap(value)) return add(value, at, 'expected a mapping')
    return checkMap(value, type.map, at, add)
  }
  if (type === 'stringList') {
    if (!isSeq(value)) return add(value, at, 'expected a list of strings')
    value.items.forEach((item, index) => {
      if (!isScalar(item) || typeof item.value !== 'string') {
        add(item as Node, `${at}[${index}]`, 'expected a string')
      }
    })
    return
  }
  if (type === 'stringMap' || type === 'booleanMap') {
    if (!isMap(value)) return add(value, at, 'expected a mapping')
    for (const pair of value.items as Pair<Node, Node | null>[]) {
      const v = isScalar(pair.value) ? pair.value.value : undefined
      const ok =
        type === 'booleanMap' ? typeof v === 'boolean' : typeof v === 'string'
      if (!ok) {
        add(
          pair.value ?? pair.key,
          `${at}.${isScalar(pair.key) ? String(pair.key.value) : ''}`,
          type === 'booleanMap'
            ? 'expected true or false'
            : 'expected a string (quote numbers and booleans)'
        )
      }
    }
    return
  }
  const scalar = isScalar(value) ? value.value : undefined
  if (typeof type === 'object') {
    if (typeof scalar !== 'string' || !type.enum.includes(scalar)) {
      add(
        value,
        at,
        `${JSON.stringify(scalar ?? null)} is not one of ${type.enum.join(', ')}`
      )
    }
    return
  }
  const ok =
    type === 'string'
      ? typeof scalar === 'string'
      : type === 'boolean'
        ? typeof scalar === 'boolean'
        : typeof scalar === 'number' && Number.isInteger(scalar)
  if (!ok) {
    add(
      value,
      at,
      `expected ${type === 'integer' ? 'an integer' : `a ${type}`}`
    )
  }
}
