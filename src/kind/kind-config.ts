/**
 * The kind cluster config: the cache extraMounts (runner dir -> node dir) on
 * every node, merged into the user's own kind config when there is one (their
 * nodes, mounts, patches, networking and comments kept), plus the containerd
 * setting the local registry needs. Pure.
 *
 * Facts: ../shared/notes/anchors.md section 4 (extraMounts fields, the
 * registry recipe of kind and helm/kind-action).
 */

import {
  Document,
  isMap,
  isScalar,
  isSeq,
  LineCounter,
  parseAllDocuments,
  Scalar,
  YAMLMap,
  YAMLSeq,
  type Node
} from 'yaml'
import { NODE_PATHS } from '../plan.js'
import { KIND_API_VERSION, validateKindConfig } from './validate.js'

/** One bind mount from the runner into every kind node. */
export interface KindMount {
  hostPath: string
  containerPath: string
}

/**
 * The containerd patch that makes it read per-registry hosts.toml files from
 * /etc/containerd/certs.d. kind's recipe says node images from v0.27.0 no
 * longer need it, but containerd 2.x still defaults config_path to '' there
 * (kubernetes-sigs/kind#3918), so helm/kind-action keeps it, and so do we.
 */
export const REGISTRY_CONTAINERD_PATCH =
  '[plugins."io.containerd.grpc.v1.cri".registry]\n  config_path = "/etc/containerd/certs.d"'

/** Where containerd looks for hosts.toml files (the patch above). */
export const CONTAINERD_CERTS_DIR = '/etc/containerd/certs.d'

/** A user error in the kind config: names the file, the line(s) and the fix. */
export class KindConfigError extends Error {
  constructor(
    readonly file: string,
    readonly problems: string[]
  ) {
    super(
      problems.length === 1
        ? `kind-config ${file}: ${problems[0]}`
        : `kind-config ${file} has ${problems.length} problems:\n${problems.map((p) => `  - ${p}`).join('\n')}`
    )
    this.name = 'KindConfigError'
  }
}

/** What renderKindConfig needs. */
export interface KindConfigRequest {
  /** The cache mounts; see cacheMounts(). */
  mounts: KindMount[]
  /** The user's kind-config file (its text and its path, for messages). */
  user?: { text: string; file: string }
  /** Add the containerd registry setting for the local registry. */
  registry: boolean
  /** The node-image input; '' or undefined for kind's default. */
  nodeImage?: string
  /** The cluster name (kind's --name wins over a name in the file). */
  clusterName?: string
}

/** The config to write, and what the caller must pass to kind. */
export interface KindConfigResult {
  /** The YAML to hand to `kind create cluster --config`. */
  text: string
  /** The value of `--image`, when the node-image input is set. */
  imageFlag?: string
  /** Roles of the nodes in order, to predict node names. */
  roles: ('control-plane' | 'worker')[]
  /** What was merged or overridden, for the log. */
  notes: string[]
}

/**
 * The two cache mounts: the runner dirs of cacheDirs() onto NODE_PATHS, the
 * dirs the kaniko pod's hostPath volumes name.
 */
export function cacheMounts(runnerDirs: {
  mod: string
  build: string
}): KindMount[] {
  return [
    { hostPath: runnerDirs.mod, containerPath: NODE_PATHS.mod },
    { hostPath: runnerDirs.build, containerPath: NODE_PATHS.build }
  ]
}

/**
 * Builds the kind config: a fresh one-node config, or the user's config with
 * the cache mounts added to every node and the registry setting added once.
 * @throws KindConfigError for a YAML error, an invalid config (unknown key,
 * wrong kind/apiVersion, bad value) or a mount clash, naming file and line.
 */
export function renderKindConfig(request: KindConfigRequest): KindConfigResult {
  const notes: string[] = []
  const file = request.user?.file ?? '(generated)'
  const lineCounter = new LineCounter()
  const doc =
    request.user === undefined
      ? freshDocument()
      : parseUserDocument(request.user.text, file, lineCounter)

  const issues = validateKindConfig(doc, lineCounter)
  if (issues.length > 0) {
    throw new KindConfigError(
      file,
      issues.map(
        (i) =>
          `${i.line === undefined ? '' : `line ${i.line}: `}${i.at}: ${i.message}`
      )
    )
  }

  const root = doc.contents as YAMLMap
  let nodes = root.get('nodes', true) as YAMLSeq | undefined
  if (nodes === undefined || nodes.items.length === 0) {
    // kind's default: one control-plane node.
    nodes = new YAMLSeq()
    nodes.items.push(doc.createNode({ role: 'control-plane' }))
    root.set('nodes', nodes)
  }

  const problems: string[] = []
  const roles: KindConfigResult['roles'] = []
  nodes.items.forEach((item, index) => {
    const node = item as YAMLMap
    const role = (node.get('role') as string | undefined) ?? 'control-plane'
    roles.push(role as 'control-plane' | 'worker')
    const mounts = ensureSeq(node, 'extraMounts')
    for (const mount of request.mounts) {
      const existing = mounts.items.find(
        (m) => isMap(m) && m.get('containerPath') === mount.containerPath
      ) as YAMLMap | undefined
      if (existing === undefined) {
        mounts.items.push(doc.createNode({ ...mount }))
        continue
      }
      const theirs = existing.get('hostPath')
      if (theirs !== mount.hostPath) {
        problems.push(
          `${lineText(existing, lineCounter)}nodes[${index}] (${role}) mounts ${JSON.stringify(theirs)} at ${mount.containerPath}, where the action mounts its Go cache dir ${mount.hostPath}. Remove that extraMount from your kind config: the action adds this mount itself`
        )
      } else {
        notes.push(
          `nodes[${index}] already mounts ${mount.hostPath} at ${mount.containerPath}`
        )
      }
    }
  })
  if (problems.length > 0) throw new KindConfigError(file, problems)

  if (request.registry) {
    addRegistryPatch(root, file, lineCounter, notes)
  }

  const imageFlag = request.nodeImage ? request.nodeImage : undefined
  if (imageFlag !== undefined) {
    const perNode = nodes.items.filter((n) => isMap(n) && n.has('image')).length
    if (perNode > 0) {
      notes.push(
        `node-image ${imageFlag} is passed as --image, which overrides the image of the ${perNode} node(s) that set one in ${file}`
      )
    }
  }
  const name = root.get('name')
  if (
    request.clusterName !== undefined &&
    typeof name === 'string' &&
    name !== request.clusterName
  ) {
    notes.push(
      `${file} names the cluster ${JSON.stringify(name)}; kind uses cluster-name ${JSON.stringify(request.clusterName)} (--name wins)`
    )
  }

  return {
    text: doc.toString({ lineWidth: 0 }),
    ...(imageFlag === undefined ? {} : { imageFlag }),
    roles,
    notes
  }
}

/**
 * The names kind gives the node containers of a cluster, in order:
 * `<name>-control-plane`, `<name>-control-plane2`, ..., `<name>-worker`, `<name>-worker2`, ...
 * (kind pkg/cluster/internal/create/actions/config; the cluster double uses the same scheme).
 */
export function kindNodeNames(
  clusterName: string,
  roles: readonly ('control-plane' | 'worker')[]
): string[] {
  const counts = { 'control-plane': 0, worker: 0 }
  return roles.map((role) => {
    counts[role] += 1
    return `${clusterName}-${role}${counts[role] === 1 ? '' : counts[role]}`
  })
}

function freshDocument(): Document {
  const doc = new Document({ kind: 'Cluster', apiVersion: KIND_API_VERSION })
  doc.commentBefore =
    ' Generated by skaffold-kaniko-cache: the Go cache dirs are mounted into the\n node, where the kaniko pod mounts them as hostPath volumes.'
  return doc
}

function parseUserDocument(
  text: string,
  file: string,
  lineCounter: LineCounter
): Document {
  const parsed = parseAllDocuments(text, { lineCounter })
  // An empty (or comments-only) file is an EmptyStream or a null document.
  const docs = Array.isArray(parsed) ? parsed : []
  if (docs.length === 0 || (docs.length === 1 && docs[0].contents === null)) {
    throw new KindConfigError(file, [
      `the file is empty; it needs kind: Cluster and apiVersion: ${KIND_API_VERSION}`
    ])
  }
  if (docs.length !== 1) {
    throw new KindConfigError(file, [
      `has ${docs.length} YAML documents; kind reads exactly one Cluster`
    ])
  }
  const doc = docs[0]
  if (doc.errors.length > 0) {
    throw new KindConfigError(
      file,
      doc.errors.map(
        (e) => `line ${e.linePos?.[0].line ?? '?'}: ${e.message.split('\n')[0]}`
      )
    )
  }
  return doc
}

function ensureSeq(map: YAMLMap, key: string): YAMLSeq {
  const existing = map.get(key, true)
  if (isSeq(existing)) {
    // A flow list (`extraMounts: []`) would get our mounts in flow style too.
    existing.flow = false
    return existing
  }
  const seq = new YAMLSeq()
  map.set(key, seq)
  return seq
}

function addRegistryPatch(
  root: YAMLMap,
  file: string,
  lineCounter: LineCounter,
  notes: string[]
): void {
  const patches = ensureSeq(root, 'containerdConfigPatches')
  for (const item of patches.items) {
    const text = isScalar(item) ? String(item.value) : ''
    const match = /config_path\s*=\s*"([^"]*)"/.exec(text)
    if (match === null) continue
    if (match[1] === CONTAINERD_CERTS_DIR) {
      notes.push(
        `${file} already sets containerd's config_path to ${CONTAINERD_CERTS_DIR}`
      )
      return
    }
    throw new KindConfigError(file, [
      `${lineText(item as Node, lineCounter)}containerdConfigPatches sets config_path = "${match[1]}", but the local registry's hosts.toml goes to ${CONTAINERD_CERTS_DIR}. Set config_path = "${CONTAINERD_CERTS_DIR}", or set registry: false`
    ])
  }
  const patch = new Scalar(REGISTRY_CONTAINERD_PATCH)
  patch.type = Scalar.BLOCK_LITERAL
  patches.items.push(patch)
}

function lineText(node: Node, lineCounter: LineCounter): string {
  return node.range && lineCounter.lineStarts.length > 0
    ? `line ${lineCounter.linePos(node.range[0]).line}: `
    : ''
}
