/**
 * The kind cluster config: the cache extraMounts (runner dir -> node dir) on
 * every node, merged into the user's own kind config when there is one (their
 * nodes, mounts, patches, networking and comments kept), plus the containerd
 * setting the local registry needs (kind's local-registry recipe,
 * kind.sigs.k8s.io/docs/user/local-registry, as helm/kind-action applies it).
 * Pure. One room (about 400 lines) because the merge rules for nodes, mounts
 * and containerd patches read each other: splitting them would scatter one rule.
 */

import { UserFixableError } from '../errors.js'
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
import { NODE_PATHS } from '../cache/paths.js'
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
export class KindConfigError extends UserFixableError {
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
  /** What the user should know and fix (logged as warnings). */
  warnings: string[]
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
  const warnings: string[] = []
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

  addRegistryPatch(root, file, lineCounter, request.registry, notes, warnings)

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
    notes,
    warnings
  }
}

/**
 * The names kind gives the node containers of a cluster, in config order:
 * `<name>-<role>`, then `<name>-<role>2`, `<name>-<role>3`, ... per role
 * (kubernetes-sigs/kind pkg/cluster/internal/providers/common/namer.go,
 * MakeNodeNamer, called once per node in config order by
 * pkg/cluster/internal/providers/docker/provision.go, planCreation).
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

/** A registry setting found in one containerd config patch. */
interface PatchSetting {
  /** The patch's scalar node (for its line). */
  node: Node
  /** 1-based line inside the patch text. */
  lineInPatch: number
  /** `config_path` value, for a config_path setting. */
  value?: string
}

/**
 * Adds the registry's config_path patch, unless the user's patches set
 * registry mirrors: containerd's CRI plugin refuses `mirrors` together with
 * `config_path` (containerd internal/cri/config/config.go ValidateImageConfig,
 * "`mirrors` cannot be set when `config_path` is provided", v2.3.1 as in the
 * kind v0.32.0 node image), so the nodes would come up without a container
 * runtime and kind create would fail.
 */
function addRegistryPatch(
  root: YAMLMap,
  file: string,
  lineCounter: LineCounter,
  registry: boolean,
  notes: string[],
  warnings: string[]
): void {
  const existing = root.get('containerdConfigPatches', true)
  const items = isSeq(existing) ? existing.items : []
  const mirrors: PatchSetting[] = []
  const configPaths: PatchSetting[] = []
  for (const item of items) {
    if (!isScalar(item) || typeof item.value !== 'string') continue
    for (const found of findRegistrySettings(item.value)) {
      const setting = { node: item as Node, ...found }
      if (found.value === undefined) mirrors.push(setting)
      else configPaths.push(setting)
    }
  }
  const where = (s: PatchSetting): string =>
    `${lineText(s.node, lineCounter, s.lineInPatch)}containerdConfigPatches`
  // A later merge patch overrides an earlier config_path.
  const ownPath = configPaths.at(-1)
  if (mirrors.length > 0 && ownPath !== undefined && ownPath.value !== '') {
    throw new KindConfigError(file, [
      `${where(mirrors[0])} sets registry mirrors and ${lineText(ownPath.node, lineCounter, ownPath.lineInPatch).replace(/: $/, '')} sets config_path = "${ownPath.value}": containerd refuses both together ("\`mirrors\` cannot be set when \`config_path\` is provided") and kind create fails. Move the mirrors to hosts.toml files under the config_path directory, or remove the config_path line`
    ])
  }
  if (!registry) return
  if (mirrors.length > 0) {
    warnings.push(
      `${file}: ${where(mirrors[0])} sets registry mirrors, which containerd refuses together with the config_path = "${CONTAINERD_CERTS_DIR}" the local registry needs ("\`mirrors\` cannot be set when \`config_path\` is provided"), so the action leaves that setting out: kaniko still pushes to the local registry, but the cluster's nodes cannot pull the built images from it. To have both, move the mirrors to hosts.toml files under ${CONTAINERD_CERTS_DIR} (containerd's docs/hosts.md); to silence this, set registry: false`
    )
    return
  }
  if (ownPath !== undefined) {
    if (ownPath.value === CONTAINERD_CERTS_DIR) {
      notes.push(
        `${file} already sets containerd's config_path to ${CONTAINERD_CERTS_DIR}`
      )
      return
    }
    throw new KindConfigError(file, [
      `${where(ownPath)} sets config_path = "${ownPath.value}", but the local registry's hosts.toml goes to ${CONTAINERD_CERTS_DIR}. Set config_path = "${CONTAINERD_CERTS_DIR}", or set registry: false`
    ])
  }
  const patches = ensureSeq(root, 'containerdConfigPatches')
  const patch = new Scalar(REGISTRY_CONTAINERD_PATCH)
  patch.type = Scalar.BLOCK_LITERAL
  patches.items.push(patch)
}

/**
 * The CRI registry settings in one containerd TOML patch: `mirrors` tables or
 * keys (any plugin id: io.containerd.grpc.v1.cri for config version 2,
 * io.containerd.cri.v1.images for version 3) and `config_path` values. A
 * line-level reading of TOML: table headers, dotted keys and inline tables
 * on one line, which is how these patches are written.
 */
export function findRegistrySettings(
  text: string
): { lineInPatch: number; value?: string }[] {
  const found: { lineInPatch: number; value?: string }[] = []
  let table: string[] = []
  text.split('\n').forEach((raw, i) => {
    const line = raw.trim()
    if (line === '' || line.startsWith('#')) return
    const header = /^\[\[?(.*?)\]\]?\s*(#.*)?$/.exec(line)
    if (header !== null) {
      table = splitKey(header[1])
      if (isMirrorsPath(table)) found.push({ lineInPatch: i + 1 })
      return
    }
    const eq = /^((?:"(?:[^"\\]|\\.)*"|'[^']*'|[^=])+?)\s*=\s*(.*)$/.exec(line)
    if (eq === null) return
    const path = [...table, ...splitKey(eq[1])]
    // Keys inside a mirrors table were counted with its header.
    if (isMirrorsPath(table)) return
    if (isMirrorsPath(path)) {
      found.push({ lineInPatch: i + 1 })
    } else if (
      path.at(-1) === 'registry' &&
      /(^|[{,\s])mirrors\s*=/.test(eq[2])
    ) {
      found.push({ lineInPatch: i + 1 })
    } else if (path.at(-1) === 'config_path' && path.at(-2) === 'registry') {
      const value = /^"((?:[^"\\]|\\.)*)"|^'([^']*)'/.exec(eq[2])
      found.push({ lineInPatch: i + 1, value: value?.[1] ?? value?.[2] ?? '' })
    }
  })
  return found
}

function splitKey(key: string): string[] {
  const parts: string[] = []
  const re =
    /\s*(?:"((?:[^"\\]|\\.)*)"|'([^']*)'|([A-Za-z0-9_-]+))\s*(?:\.|$)/gy
  let match: RegExpExecArray | null
  while ((match = re.exec(key)) !== null && match[0] !== '') {
    parts.push(match[1] ?? match[2] ?? match[3])
  }
  return parts
}

function isMirrorsPath(path: string[]): boolean {
  const at = path.indexOf('registry')
  return at >= 0 && path[at + 1] === 'mirrors'
}

/**
 * `line N: ` for a node, or for a line inside a block scalar (its text starts
 * on the line after the `|` indicator).
 */
function lineText(
  node: Node,
  lineCounter: LineCounter,
  lineInPatch?: number
): string {
  if (!node.range || lineCounter.lineStarts.length === 0) return ''
  const start = lineCounter.linePos(node.range[0]).line
  const block =
    isScalar(node) &&
    (node.type === Scalar.BLOCK_LITERAL || node.type === Scalar.BLOCK_FOLDED)
  return `line ${lineInPatch !== undefined && block ? start + lineInPatch : start}: `
}
