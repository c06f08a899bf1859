import { describe, expect, it } from '@jest/globals'
import { LineCounter, parse, parseDocument } from 'yaml'
import {
  cacheMounts,
  findRegistrySettings,
  KindConfigError,
  kindNodeNames,
  REGISTRY_CONTAINERD_PATCH,
  renderKindConfig
} from '../../src/kind/kind-config.js'
import { validateKindConfig } from '../../src/kind/validate.js'
import { cacheDirs, NODE_PATHS } from '../../src/cache/paths.js'

const dirs = cacheDirs('ci', {
  home: '/home/runner',
  runnerTemp: '/home/runner/work/_temp',
  workspace: '/home/runner/work/app/app'
})
const mounts = cacheMounts(dirs.runnerDirs)
const OURS = [
  { hostPath: dirs.runnerDirs.mod, containerPath: NODE_PATHS.mod },
  { hostPath: dirs.runnerDirs.build, containerPath: NODE_PATHS.build }
]

interface Mount {
  hostPath: string
  containerPath: string
  readOnly?: boolean
}
interface ParsedNode {
  role?: string
  image?: string
  extraMounts?: Mount[]
  [key: string]: unknown
}
interface ParsedCluster {
  nodes: ParsedNode[]
  containerdConfigPatches?: string[]
  [key: string]: unknown
}

function render(
  text: string | undefined,
  extra: Partial<Parameters<typeof renderKindConfig>[0]> = {}
) {
  return renderKindConfig({
    mounts,
    registry: true,
    ...(text === undefined ? {} : { user: { text, file: 'ci/kind.yaml' } }),
    ...extra
  })
}

// Real-looking user configs, as people write them for kind + ingress,
// multi-node tests, registries and CNIs.
const MULTI_NODE = `# three nodes: one control plane, two workers
kind: Cluster
apiVersion: kind.x-k8s.io/v1alpha4
nodes:
  - role: control-plane
    kubeadmConfigPatches:
      - |
        kind: InitConfiguration
        nodeRegistration:
          kubeletExtraArgs:
            node-labels: "ingress-ready=true"
    extraPortMappings:
      - containerPort: 80
        hostPort: 80
        protocol: TCP
  - role: worker # builds land here
    labels:
      tier: build
  - role: worker
`

const EXISTING_MOUNTS = `kind: Cluster
apiVersion: kind.x-k8s.io/v1alpha4
nodes:
- role: control-plane
  extraMounts:
  - hostPath: /var/run/docker.sock
    containerPath: /var/run/docker.sock
  - hostPath: ./testdata
    containerPath: /testdata
    readOnly: true
    propagation: HostToContainer
`

const MIRROR_PATCH = `kind: Cluster
apiVersion: kind.x-k8s.io/v1alpha4
containerdConfigPatches:
- |-
  [plugins."io.containerd.grpc.v1.cri".registry.mirrors."docker.io"]
    endpoint = ["https://mirror.gcr.io"]
`

const NETWORKING = `kind: Cluster
apiVersion: kind.x-k8s.io/v1alpha4
name: ci-cluster
networking:
  ipFamily: dual
  disableDefaultCNI: true   # calico is installed later
  kubeProxyMode: ipvs
  podSubnet: "10.244.0.0/16"
  apiServerAddress: 127.0.0.1
  apiServerPort: 6443
featureGates:
  InPlacePodVerticalScaling: true
runtimeConfig:
  "api/alpha": "false"
`

describe('renderKindConfig: merge cases', () => {
  it('generates a one-node config with both mounts and the registry patch', () => {
    const result = render(undefined)
    const parsed = parse(result.text) as ParsedCluster
    expect(parsed.kind).toBe('Cluster')
    expect(parsed.apiVersion).toBe('kind.x-k8s.io/v1alpha4')
    expect(parsed.nodes).toEqual([{ role: 'control-plane', extraMounts: OURS }])
    expect(parsed.containerdConfigPatches).toEqual([REGISTRY_CONTAINERD_PATCH])
    expect(result.roles).toEqual(['control-plane'])
    expect(result.imageFlag).toBeUndefined()
  })

  it('leaves out the containerd patch when there is no registry', () => {
    const parsed = parse(
      render(undefined, { registry: false }).text
    ) as ParsedCluster
    expect(parsed.containerdConfigPatches).toBeUndefined()
  })

  it('adds the mounts to every node of a multi-node config and keeps the rest', () => {
    const result = render(MULTI_NODE)
    const parsed = parse(result.text) as ParsedCluster
    const original = parse(MULTI_NODE) as ParsedCluster
    expect(parsed.nodes).toHaveLength(3)
    parsed.nodes.forEach((node, i) => {
      expect(node.extraMounts).toEqual(OURS)
      const rest = { ...node }
      delete rest.extraMounts
      expect(rest).toEqual(original.nodes[i])
    })
    expect(result.roles).toEqual(['control-plane', 'worker', 'worker'])
    expect(result.text).toContain(
      '# three nodes: one control plane, two workers'
    )
    expect(result.text).toContain('- role: worker # builds land here')
  })

  it('keeps existing mounts first and appends the cache mounts', () => {
    const parsed = parse(render(EXISTING_MOUNTS).text) as ParsedCluster
    expect(parsed.nodes[0].extraMounts).toEqual([
      {
        hostPath: '/var/run/docker.sock',
        containerPath: '/var/run/docker.sock'
      },
      {
        hostPath: './testdata',
        containerPath: '/testdata',
        readOnly: true,
        propagation: 'HostToContainer'
      },
      ...OURS
    ])
  })

  it('does not duplicate a cache mount the user already has', () => {
    const text = `kind: Cluster
apiVersion: kind.x-k8s.io/v1alpha4
nodes:
  - role: control-plane
    extraMounts:
      - hostPath: ${dirs.runnerDirs.mod}
        containerPath: ${NODE_PATHS.mod}
`
    const result = render(text)
    const parsed = parse(result.text) as ParsedCluster
    expect(parsed.nodes[0].extraMounts).toEqual(OURS)
    expect(result.notes).toContain(
      `nodes[0] already mounts ${dirs.runnerDirs.mod} at ${NODE_PATHS.mod}`
    )
  })

  it('reports a clash: the same node path with another host dir', () => {
    const text = `kind: Cluster
apiVersion: kind.x-k8s.io/v1alpha4
nodes:
  - role: control-plane
  - role: worker
    extraMounts:
      - hostPath: /mnt/old-cache
        containerPath: ${NODE_PATHS.build}
`
    expect(() => render(text)).toThrow(KindConfigError)
    expect(() => render(text)).toThrow(
      `kind-config ci/kind.yaml: line 7: nodes[1] (worker) mounts "/mnt/old-cache" at ${NODE_PATHS.build}, where the action mounts its Go cache dir ${dirs.runnerDirs.build}. Remove that extraMount from your kind config`
    )
  })

  it('appends the registry patch after the user containerd patches', () => {
    const text = `kind: Cluster
apiVersion: kind.x-k8s.io/v1alpha4
containerdConfigPatches:
- |-
  [plugins."io.containerd.grpc.v1.cri".containerd]
    snapshotter = "overlayfs"
`
    const parsed = parse(render(text).text) as ParsedCluster
    expect(parsed.containerdConfigPatches).toEqual([
      '[plugins."io.containerd.grpc.v1.cri".containerd]\n  snapshotter = "overlayfs"',
      REGISTRY_CONTAINERD_PATCH
    ])
    expect(parsed.nodes).toEqual([{ role: 'control-plane', extraMounts: OURS }])
  })

  // containerd internal/cri/config/config.go ValidateImageConfig: "`mirrors`
  // cannot be set when `config_path` is provided"; kind create would fail.
  it('leaves out config_path, with a warning naming the line, when the user sets registry mirrors', () => {
    const result = render(MIRROR_PATCH)
    const parsed = parse(result.text) as ParsedCluster
    expect(parsed.containerdConfigPatches).toEqual([
      '[plugins."io.containerd.grpc.v1.cri".registry.mirrors."docker.io"]\n  endpoint = ["https://mirror.gcr.io"]'
    ])
    expect(result.text).not.toContain('config_path')
    expect(result.warnings).toHaveLength(1)
    expect(result.warnings[0]).toContain(
      'ci/kind.yaml: line 5: containerdConfigPatches sets registry mirrors'
    )
    expect(result.warnings[0]).toContain('set registry: false')
    expect(render(MIRROR_PATCH, { registry: false }).warnings).toEqual([])
  })

  it.each([
    [
      'a mirrors key under the registry table',
      '[plugins."io.containerd.grpc.v1.cri".registry]\n  [plugins."io.containerd.grpc.v1.cri".registry.mirrors]\n',
      2
    ],
    [
      'a dotted mirrors key',
      '[plugins."io.containerd.grpc.v1.cri".registry]\n  mirrors."docker.io".endpoint = ["https://m.example"]\n',
      2
    ],
    [
      'an inline mirrors table',
      "[plugins.'io.containerd.cri.v1.images']\nregistry = { mirrors = { 'docker.io' = { endpoint = ['https://m'] } } }\n",
      2
    ],
    [
      'containerd 2 config version 3 names',
      '[plugins."io.containerd.cri.v1.images".registry.mirrors."docker.io"]\nendpoint = ["https://m"]\n',
      1
    ]
  ])('finds %s', (_name, patch, line) => {
    expect(findRegistrySettings(patch)).toEqual([{ lineInPatch: line }])
  })

  it('does not take other mirrors-like keys for registry mirrors', () => {
    expect(
      findRegistrySettings(
        '[plugins."io.containerd.grpc.v1.cri".containerd]\n  mirrors_note = "x"\n# registry.mirrors in a comment\n'
      )
    ).toEqual([])
  })

  it('refuses mirrors together with the user own config_path, naming both lines', () => {
    const text = `kind: Cluster
apiVersion: kind.x-k8s.io/v1alpha4
containerdConfigPatches:
  - |
    [plugins."io.containerd.grpc.v1.cri".registry]
      config_path = "/etc/containerd/certs.d"
  - |
    [plugins."io.containerd.grpc.v1.cri".registry.mirrors."docker.io"]
      endpoint = ["https://mirror.gcr.io"]
`
    for (const registry of [true, false]) {
      expect(() => render(text, { registry })).toThrow(
        'kind-config ci/kind.yaml: line 8: containerdConfigPatches sets registry mirrors and line 6 sets config_path = "/etc/containerd/certs.d": containerd refuses both together'
      )
    }
  })

  it('does not repeat a config_path the user already set to certs.d', () => {
    const text = `kind: Cluster
apiVersion: kind.x-k8s.io/v1alpha4
containerdConfigPatches:
  - |
    [plugins."io.containerd.grpc.v1.cri".registry]
      config_path = "/etc/containerd/certs.d"
`
    const parsed = parse(render(text).text) as ParsedCluster
    expect(parsed.containerdConfigPatches).toHaveLength(1)
  })

  it('refuses a config_path elsewhere, which would hide the registry alias', () => {
    const text = `kind: Cluster
apiVersion: kind.x-k8s.io/v1alpha4
containerdConfigPatches:
  - |
    [plugins."io.containerd.grpc.v1.cri".registry]
      config_path = "/etc/containerd/registries"
`
    expect(() => render(text)).toThrow(
      'line 6: containerdConfigPatches sets config_path = "/etc/containerd/registries"'
    )
    expect(render(text, { registry: false }).text).toContain(
      '/etc/containerd/registries'
    )
  })

  it('keeps networking, feature gates, runtime config and comments', () => {
    const result = render(NETWORKING, { clusterName: 'skaffold-kaniko-cache' })
    const parsed = parse(result.text) as ParsedCluster
    const original = parse(NETWORKING) as ParsedCluster
    for (const key of ['name', 'networking', 'featureGates', 'runtimeConfig']) {
      expect(parsed[key]).toEqual(original[key])
    }
    expect(result.text).toContain(
      'disableDefaultCNI: true # calico is installed later'
    )
    expect(result.notes).toContain(
      'ci/kind.yaml names the cluster "ci-cluster"; kind uses cluster-name "skaffold-kaniko-cache" (--name wins)'
    )
  })

  it('passes node-image as --image and says it overrides per-node images', () => {
    const text = `kind: Cluster
apiVersion: kind.x-k8s.io/v1alpha4
nodes:
  - role: control-plane
    image: kindest/node:v1.34.0
  - role: worker
`
    const withInput = render(text, { nodeImage: 'kindest/node:v1.36.1' })
    expect(withInput.imageFlag).toBe('kindest/node:v1.36.1')
    expect(withInput.notes).toContain(
      'node-image kindest/node:v1.36.1 is passed as --image, which overrides the image of the 1 node(s) that set one in ci/kind.yaml'
    )
    const without = render(text)
    expect(without.imageFlag).toBeUndefined()
    expect((parse(without.text) as ParsedCluster).nodes[0].image).toBe(
      'kindest/node:v1.34.0'
    )
  })

  it.each([
    ['a multi-node config', MULTI_NODE],
    ['existing mounts', EXISTING_MOUNTS],
    ['containerd patches', MIRROR_PATCH],
    ['networking', NETWORKING],
    ['no user config', undefined]
  ])('is idempotent and valid for %s', (_name, text) => {
    const once = render(text).text
    const twice = render(once).text
    expect(twice).toBe(once)
    const lineCounter = new LineCounter()
    expect(
      validateKindConfig(parseDocument(once, { lineCounter }), lineCounter)
    ).toEqual([])
  })
})

describe('renderKindConfig: invalid configs', () => {
  const cases: [string, string, string][] = [
    [
      'an unknown top-level key',
      'kind: Cluster\napiVersion: kind.x-k8s.io/v1alpha4\nnode:\n  - role: control-plane\n',
      'kind-config ci/kind.yaml: line 3: (top level): unknown key "node"; kind\'s v1alpha4 Cluster accepts kind, apiVersion, name, nodes,'
    ],
    [
      'an unknown node key',
      'kind: Cluster\napiVersion: kind.x-k8s.io/v1alpha4\nnodes:\n  - role: control-plane\n    extraMount:\n      - hostPath: /a\n',
      'line 5: nodes[0]: unknown key "extraMount"; kind\'s v1alpha4 node accepts role, image, labels, extraMounts,'
    ],
    [
      // kind v0.32.0 pkg/apis/config/v1alpha4/types.go: Node has no gpus field.
      'a gpus node field, which kind v0.32.0 does not have',
      'kind: Cluster\napiVersion: kind.x-k8s.io/v1alpha4\nnodes:\n  - role: control-plane\n    gpus: all\n',
      'line 5: nodes[0]: unknown key "gpus"'
    ],
    [
      'a misspelt mount key',
      'kind: Cluster\napiVersion: kind.x-k8s.io/v1alpha4\nnodes:\n  - extraMounts:\n      - hostpath: /a\n        containerPath: /a\n',
      'line 5: nodes[0].extraMounts[0]: unknown key "hostpath"; kind\'s v1alpha4 extraMount accepts containerPath, hostPath, readOnly, selinuxRelabel, propagation'
    ],
    [
      'a wrong kind',
      'kind: Config\napiVersion: kind.x-k8s.io/v1alpha4\n',
      'line 1: kind: "Config" is not one of Cluster'
    ],
    [
      'an old apiVersion',
      'kind: Cluster\napiVersion: kind.x-k8s.io/v1alpha3\n',
      'line 2: apiVersion: "kind.x-k8s.io/v1alpha3" is not one of kind.x-k8s.io/v1alpha4'
    ],
    [
      'a missing apiVersion',
      'kind: Cluster\nnodes:\n  - role: control-plane\n',
      'line 1: (top level): missing apiVersion: kind.x-k8s.io/v1alpha4'
    ],
    [
      'a role kind does not know',
      'kind: Cluster\napiVersion: kind.x-k8s.io/v1alpha4\nnodes:\n  - role: master\n',
      'line 4: nodes[0].role: "master" is not one of control-plane, worker'
    ],
    [
      'a bad propagation',
      'kind: Cluster\napiVersion: kind.x-k8s.io/v1alpha4\nnodes:\n  - extraMounts:\n      - hostPath: /a\n        containerPath: /a\n        propagation: rshared\n',
      'line 7: nodes[0].extraMounts[0].propagation: "rshared" is not one of None, HostToContainer, Bidirectional'
    ],
    [
      'a feature gate that is not a boolean',
      'kind: Cluster\napiVersion: kind.x-k8s.io/v1alpha4\nfeatureGates:\n  Foo: "yes"\n',
      'line 4: featureGates.Foo: expected true or false'
    ],
    [
      'only workers',
      'kind: Cluster\napiVersion: kind.x-k8s.io/v1alpha4\nnodes:\n  - role: worker\n',
      'line 4: nodes: needs at least one node with role: control-plane'
    ],
    [
      'an unknown networking key',
      'kind: Cluster\napiVersion: kind.x-k8s.io/v1alpha4\nnetworking:\n  podCIDR: 10.0.0.0/8\n',
      'line 4: networking: unknown key "podCIDR"'
    ],
    [
      'a YAML syntax error',
      'kind: Cluster\napiVersion: kind.x-k8s.io/v1alpha4\nnodes:\n  - role: [control-plane\n',
      'kind-config ci/kind.yaml: line 5:'
    ],
    [
      'two documents',
      'kind: Cluster\napiVersion: kind.x-k8s.io/v1alpha4\n---\nkind: Cluster\n',
      'has 2 YAML documents; kind reads exactly one Cluster'
    ],
    ['an empty file', '', 'the file is empty'],
    [
      'a list',
      '- kind: Cluster\n',
      'line 1: (top level): expected a mapping with kind: Cluster'
    ]
  ]

  it.each(cases)('rejects %s', (_name, text, message) => {
    expect(() => render(text)).toThrow(KindConfigError)
    expect(() => render(text)).toThrow(message)
  })

  it('lists every problem at once', () => {
    const text =
      'kind: Cluster\napiVersion: kind.x-k8s.io/v1alpha4\nnodes:\n  - role: boss\n    extraMount: []\nnetworkng: {}\n'
    const error = (() => {
      try {
        render(text)
      } catch (e) {
        return e as KindConfigError
      }
      throw new Error('no error')
    })()
    expect(error.problems).toHaveLength(3)
    expect(error.message).toContain('kind-config ci/kind.yaml has 3 problems:')
  })
})

describe('kindNodeNames', () => {
  it.each([
    [['control-plane'], ['c-control-plane']],
    [
      ['control-plane', 'worker', 'worker'],
      ['c-control-plane', 'c-worker', 'c-worker2']
    ],
    [
      ['control-plane', 'control-plane', 'worker'],
      ['c-control-plane', 'c-control-plane2', 'c-worker']
    ]
  ] as const)('%j -> %j', (roles, names) => {
    expect(kindNodeNames('c', roles)).toEqual(names)
  })
})
