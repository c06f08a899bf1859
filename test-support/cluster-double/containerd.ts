/**
 * What containerd makes of the kind config's containerdConfigPatches, as far
 * as the double needs it: whether the CRI plugin refuses the registry
 * settings.
 *
 * kind merges every patch into the node's /etc/containerd/config.toml and
 * restarts containerd (kubernetes-sigs/kind v0.32.0
 * pkg/cluster/internal/create/actions/config/config.go, patch.ContainerdTOML),
 * so a later patch's key wins and keys of all patches add up. containerd's CRI
 * plugin then validates the registry block (containerd v2.3.1, the version in
 * kind v0.32.0's images/base/Dockerfile: internal/cri/config/config.go
 * ValidateImageConfig): `mirrors` together with a non-empty `config_path` is
 * an error ("`mirrors` cannot be set when `config_path` is provided"), while
 * `configs` there is only a deprecation warning. Without its CRI plugin the
 * node has no container runtime for the kubelet, so `kubeadm init` fails.
 */

/** The refusal, or undefined when containerd accepts the registry block. */
export function criRegistryRefusal(
  patches: readonly string[]
): string | undefined {
  let mirrors = false
  let configPath = ''
  for (const patch of patches) {
    let table: string[] = []
    for (const raw of patch.split('\n')) {
      const line = raw.trim()
      if (line === '' || line.startsWith('#')) continue
      const header = /^\[\[?(.*?)\]\]?\s*(#.*)?$/.exec(line)
      if (header !== null) {
        table = keyParts(header[1])
        if (underMirrors(table)) mirrors = true
        continue
      }
      const eq = /^((?:"(?:[^"\\]|\\.)*"|'[^']*'|[^=])+?)\s*=\s*(.*)$/.exec(
        line
      )
      if (eq === null) continue
      const path = [...table, ...keyParts(eq[1])]
      if (underMirrors(path)) mirrors = true
      else if (
        path.at(-1) === 'registry' &&
        /(^|[{,\s])mirrors\s*=/.test(eq[2])
      )
        mirrors = true
      else if (path.at(-1) === 'config_path' && path.at(-2) === 'registry') {
        const value = /^"((?:[^"\\]|\\.)*)"|^'([^']*)'/.exec(eq[2])
        configPath = value?.[1] ?? value?.[2] ?? ''
      }
    }
  }
  return mirrors && configPath !== ''
    ? 'containerd: failed to load plugin io.containerd.grpc.v1.cri: `mirrors` cannot be set when `config_path` is provided'
    : undefined
}

function keyParts(key: string): string[] {
  const parts: string[] = []
  const re = /\s*(?:"((?:[^"\\]|\\.)*)"|'([^']*)'|([A-Za-z0-9_-]+))\s*(?:\.|$)/y
  let match: RegExpExecArray | null
  while ((match = re.exec(key)) !== null && match[0] !== '') {
    parts.push(match[1] ?? match[2] ?? match[3])
  }
  return parts
}

function underMirrors(path: string[]): boolean {
  const at = path.indexOf('registry')
  return at >= 0 && path[at + 1] === 'mirrors'
}
