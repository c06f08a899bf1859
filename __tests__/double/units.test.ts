/** Pure parts of the double and the module proxy, table-driven. */
import { describe, expect, it } from '@jest/globals'
import { spawnSync } from 'node:child_process'
import {
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  parseKindConfig,
  nodeNames
} from '../../test-support/cluster-double/kind-config.js'
import { mapNodePath } from '../../test-support/cluster-double/node-paths.js'
import {
  mapPodPath,
  rewriteCommand
} from '../../test-support/cluster-double/skaffold/build.js'
import {
  substituteDefaultRepo,
  expandTemplate
} from '../../test-support/cluster-double/skaffold/command.js'
import {
  parseDockerfile,
  parseEnv,
  substitute,
  isGolangImage
} from '../../test-support/cluster-double/skaffold/dockerfile.js'
import {
  goStages,
  resolveMounts,
  usesLegacyVolumeDecoding,
  type PodMount
} from '../../test-support/cluster-double/skaffold/links.js'
import {
  loadConfigs,
  selectModules
} from '../../test-support/cluster-double/skaffold/config.js'
import {
  applyPatches,
  applyProfiles,
  overlayBuild
} from '../../test-support/cluster-double/skaffold/profiles.js'
import { SCHEMAS, itWithData } from '../../test-support/test-data/index.js'
import {
  escapeModulePath,
  listModuleFiles,
  writeProxyLayout
} from '../../test-support/module-proxy/index.js'

const itSchemas = itWithData(SCHEMAS)

describe('kind config', () => {
  it('names nodes as kind does', () => {
    expect(
      nodeNames('c', ['control-plane', 'worker', 'worker', 'control-plane'])
    ).toEqual(['c-control-plane', 'c-worker', 'c-worker2', 'c-control-plane2'])
  })

  it('defaults to one control-plane node and keeps mounts', () => {
    expect(
      parseKindConfig('kind: Cluster\napiVersion: kind.x-k8s.io/v1alpha4\n')
        .nodes
    ).toEqual([{ role: 'control-plane', image: undefined, extraMounts: [] }])
    const config = parseKindConfig(
      'kind: Cluster\napiVersion: kind.x-k8s.io/v1alpha4\nname: x\nnetworking:\n  apiServerPort: 6443\ncontainerdConfigPatches:\n  - |\n    [plugins]\nnodes:\n  - role: control-plane\n    extraMounts:\n      - {hostPath: /a, containerPath: /b, readOnly: true}\n'
    )
    expect(config).toEqual({
      name: 'x',
      containerdConfigPatches: ['[plugins]\n'],
      nodes: [
        {
          role: 'control-plane',
          image: undefined,
          extraMounts: [{ hostPath: '/a', containerPath: '/b', readOnly: true }]
        }
      ]
    })
  })

  it.each([
    [
      'kind: Cluster\napiVersion: kind.x-k8s.io/v1alpha4\nnetworking:\n  podCIDR: x\n',
      'unknown field "podCIDR" in networking'
    ],
    [
      'kind: Cluster\napiVersion: kind.x-k8s.io/v1alpha4\nnodes:\n  - role: master\n',
      'nodes[0].role must be'
    ],
    [
      'kind: Cluster\napiVersion: kind.x-k8s.io/v1alpha4\nnodes:\n  - extraMounts:\n      - {containerPath: /b}\n',
      'nodes[0].extraMounts[0].hostPath is required'
    ],
    [
      'kind: Cluster\napiVersion: kind.x-k8s.io/v1alpha4\nnodes:\n  - extraMounts:\n      - {hostPath: /a, containerPath: /b}\n      - {hostPath: /c, containerPath: /b}\n',
      'mounts containerPath /b twice'
    ],
    [
      'kind: Config\napiVersion: kind.x-k8s.io/v1alpha4\n',
      'kind must be "Cluster"'
    ]
  ])('rejects %j', (text, message) => {
    expect(() => parseKindConfig(text)).toThrow(message)
  })
})

describe('node and pod path mapping', () => {
  const node = {
    name: 'n-control-plane',
    role: 'control-plane' as const,
    image: 'i',
    mounts: [
      {
        hostPath: '/runner/mod',
        containerPath: '/var/lib/c/mod',
        readOnly: false
      }
    ]
  }
  it.each([
    ['/var/lib/c/mod', '/runner/mod', true],
    ['/var/lib/c/mod/cache/download', '/runner/mod/cache/download', true],
    [
      '/var/lib/c/modx',
      '/home/nodes/n-control-plane/rootfs/var/lib/c/modx',
      false
    ],
    ['/var/lib/c', '/home/nodes/n-control-plane/rootfs/var/lib/c', false]
  ])('%s -> %s', (path, runnerPath, mounted) => {
    const mapped = mapNodePath('/home', node, path)
    expect(mapped.runnerPath).toBe(runnerPath)
    expect(mapped.mount !== undefined).toBe(mounted)
  })

  const mounts: PodMount[] = [
    {
      volume: 'b',
      mountPath: '/var/run/gobuildcache',
      runnerPath: '/runner/build',
      backing: 'runner'
    }
  ]
  it.each([
    ['/var/run/gobuildcache/ab/cd', '/runner/build/ab/cd'],
    ['/usr/local/go/bin/go', '/goroot/bin/go'],
    ['/dev/null', '/dev/null'],
    ['/bin/app', '/scratch/bin/app'],
    ['/root/.cache/go-build', '/scratch/root/.cache/go-build']
  ])('pod path %s -> %s', (path, expected) => {
    expect(mapPodPath(path, '/scratch', mounts, '/goroot')).toBe(expected)
  })

  it('rewrites absolute paths in RUN text but not URLs', () => {
    const map = (p: string): string => `/S${p}`
    expect(
      rewriteCommand(
        "go build -trimpath -ldflags='-s -w' -o /bin/app . && cp /bin/app /out/",
        map
      )
    ).toBe(
      "go build -trimpath -ldflags='-s -w' -o /S/bin/app . && cp /S/bin/app /S/out/"
    )
    expect(
      rewriteCommand(
        'GOFLAGS=-mod=mod go env -w GOPROXY=https://proxy.golang.org',
        map
      )
    ).toBe('GOFLAGS=-mod=mod go env -w GOPROXY=https://proxy.golang.org')
    expect(rewriteCommand('go build -o=/bin/x "/a b"', map)).toBe(
      'go build -o=/S/bin/x "/S/a b"'
    )
  })
})

describe('Dockerfile reading', () => {
  const text =
    'ARG BASE=golang:1.19\nFROM ${BASE} AS build\n# comment\nARG GOCACHE=/root/.cache/go-build\nENV A=1 B="two words"\nRUN go build \\\n  -o /bin/x .\nFROM build AS test\nRUN go test ./...\nFROM gcr.io/distroless/static\nCOPY --from=build /bin/x /x\n'
  it('splits stages with lines, joined continuations and global args', () => {
    const df = parseDockerfile(text)
    expect(df.globalArgs.map((a) => a.args)).toEqual(['BASE=golang:1.19'])
    expect(df.stages.map((s) => [s.name, s.from, s.line])).toEqual([
      ['build', '${BASE}', 2],
      ['test', 'build', 8],
      [undefined, 'gcr.io/distroless/static', 10]
    ])
    expect(df.stages[0].instructions.map((i) => [i.keyword, i.line])).toEqual([
      ['ARG', 4],
      ['ENV', 5],
      ['RUN', 6]
    ])
    expect(df.stages[0].instructions[2].args).toBe('go build  -o /bin/x .')
  })

  it('finds Go stages by the golang image and by inheritance', () => {
    const df = parseDockerfile(
      'FROM golang:1.19-alpine AS a\nFROM a AS b\nFROM alpine AS c\n'
    )
    expect(goStages(df).map((s) => s.name)).toEqual(['a', 'b'])
    expect(
      [
        'golang',
        'golang:1.19',
        'docker.io/library/golang:1.19@sha256:ab',
        'mygolang:1',
        'gcr.io/x/golang:1'
      ].map(isGolangImage)
    ).toEqual([true, true, true, false, false])
  })

  it('parses ENV forms and substitutes variables', () => {
    expect(parseEnv('A=1 B="two words" C=')).toEqual([
      ['A', '1'],
      ['B', 'two words'],
      ['C', '']
    ])
    expect(parseEnv('GOPATH /go')).toEqual([['GOPATH', '/go']])
    expect(
      substitute('$A/${B}/${C:-dflt}/${A:+set}/${C:+no}', { A: 'a', B: 'b' })
    ).toBe('a/b/dflt/set/')
  })
})

describe('skaffold semantics', () => {
  it('overlays a profile build: artifacts and the cluster block replace, scalars override when set', () => {
    const base = {
      artifacts: [{ image: 'a' }],
      cluster: { namespace: 'x', volumes: [{ name: 'v' }] },
      tagPolicy: { gitCommit: {} }
    }
    expect(overlayBuild(base, { cluster: { namespace: 'y' } })).toEqual({
      artifacts: [{ image: 'a' }],
      cluster: { namespace: 'y' },
      tagPolicy: { gitCommit: {} }
    })
    expect(overlayBuild(base, { artifacts: [] }).artifacts).toEqual([
      { image: 'a' }
    ])
    expect(overlayBuild(base, { local: { push: false } })).toEqual({
      artifacts: [{ image: 'a' }],
      local: { push: false },
      tagPolicy: { gitCommit: {} }
    })
  })

  it('applies JSON patches with key=value segments, append and default replace', () => {
    const doc = {
      build: {
        artifacts: [
          { image: 'a', kaniko: {} },
          { image: 'b', kaniko: { buildArgs: { X: '1' } } }
        ]
      }
    }
    applyPatches(
      doc,
      [
        {
          op: 'add',
          path: '/build/artifacts/image=a/kaniko/buildArgs',
          value: { Y: '2' }
        },
        { path: '/build/artifacts/1/kaniko/buildArgs/X', value: '3' },
        { op: 'add', path: '/build/artifacts/-', value: { image: 'c' } },
        { op: 'remove', path: '/build/artifacts/image=c' }
      ],
      'p'
    )
    expect(doc.build.artifacts).toEqual([
      { image: 'a', kaniko: { buildArgs: { Y: '2' } } },
      { image: 'b', kaniko: { buildArgs: { X: '3' } } }
    ])
    expect(() =>
      applyPatches(
        doc,
        [
          {
            op: 'replace',
            path: '/build/artifacts/7/docker/dockerfile',
            value: 'x'
          }
        ],
        'debug'
      )
    ).toThrow(
      'applying profile "debug": invalid path: /build/artifacts/7/docker/dockerfile'
    )
  })

  it('applies only the named profiles, in order', () => {
    const config = {
      build: { artifacts: [{ image: 'a' }] },
      profiles: [
        { name: 'p', build: { artifacts: [{ image: 'b' }] } },
        {
          name: 'q',
          patches: [
            { op: 'add', path: '/build/artifacts/0/context', value: 'x' }
          ]
        }
      ]
    }
    expect(
      (applyProfiles(config, ['p', 'q']).build as { artifacts: unknown[] })
        .artifacts
    ).toEqual([{ image: 'b', context: 'x' }])
    expect(applyProfiles(config, []).build).toEqual({
      artifacts: [{ image: 'a' }]
    })
  })

  it.each([
    ['skaffold/v2beta10', true],
    ['skaffold/v2beta11', false],
    ['skaffold/v1beta13', true],
    ['skaffold/v4beta14', false],
    ['skaffold/v3', false]
  ])('%s decodes volumes the legacy way: %s', (apiVersion, legacy) => {
    expect(usesLegacyVolumeDecoding(apiVersion)).toBe(legacy)
  })

  it('substitutes the default repo and expands build-arg templates', () => {
    expect(substituteDefaultRepo('feed-agg', 'kind-registry:5000')).toBe(
      'kind-registry:5000/feed-agg'
    )
    expect(
      substituteDefaultRepo(
        'gcr.io/k8s-skaffold/leeroy-web',
        'gcr.io/myproject'
      )
    ).toBe('gcr.io/myproject/gcr_io_k8s-skaffold_leeroy-web')
    expect(substituteDefaultRepo('x', undefined)).toBe('x')
    expect(expandTemplate('{{.GOPROXY}},direct', { GOPROXY: 'http://a' })).toBe(
      'http://a,direct'
    )
    expect(expandTemplate('{{.MISSING}}', {})).toBe('<no value>')
  })
})

describe('module proxy layout', () => {
  it('escapes upper case in module paths', () => {
    expect(escapeModulePath('github.com/BurntSushi/toml')).toBe(
      'github.com/!burnt!sushi/toml'
    )
  })

  it('writes a layout that the go command downloads and verifies', async () => {
    const go = spawnSync('go', ['version'])
    if (go.status !== 0)
      throw new Error(
        'this test needs Go on PATH (Debian: apt-get install -y golang-go)'
      )
    const root = mkdtempSync(join(tmpdir(), 'proxy-unit-'))
    try {
      const src = join(root, 'src')
      mkdirSync(join(src, 'vendor/x'), { recursive: true })
      mkdirSync(join(src, 'sub'), { recursive: true })
      mkdirSync(join(src, 'nested'), { recursive: true })
      writeFileSync(join(src, 'go.mod'), 'module example.com/Lib\n\ngo 1.19\n')
      writeFileSync(join(src, 'lib.go'), 'package lib\n\nconst Name = "lib"\n')
      writeFileSync(join(src, 'sub/sub.go'), 'package sub\n')
      writeFileSync(join(src, 'vendor/x/x.go'), 'package x\n')
      writeFileSync(
        join(src, 'nested/go.mod'),
        'module example.com/Lib/nested\n'
      )
      expect(await listModuleFiles(src)).toEqual([
        'go.mod',
        'lib.go',
        'sub/sub.go'
      ])
      await writeProxyLayout(
        [{ path: 'example.com/Lib', version: 'v1.2.3', dir: src }],
        join(root, 'proxy')
      )
      expect(
        readFileSync(join(root, 'proxy/example.com/!lib/@v/list'), 'utf8')
      ).toBe('v1.2.3\n')
      const dl = spawnSync(
        'go',
        ['mod', 'download', '-json', 'example.com/Lib@v1.2.3'],
        {
          cwd: root,
          env: {
            ...process.env,
            GOPROXY: `file://${join(root, 'proxy')}`,
            GOMODCACHE: join(root, 'modcache'),
            GOSUMDB: 'off',
            GOFLAGS: '-modcacherw',
            GO111MODULE: 'on'
          }
        }
      )
      const info = JSON.parse(dl.stdout.toString()) as {
        Sum?: string
        Dir?: string
        Error?: string
      }
      expect(info.Error).toBeUndefined()
      expect(info.Sum).toMatch(/^h1:/)
      expect(readFileSync(join(info.Dir ?? '', 'lib.go'), 'utf8')).toContain(
        'const Name'
      )
      expect(readFileSync(join(info.Dir ?? '', 'sub/sub.go'), 'utf8')).toBe(
        'package sub\n'
      )
    } finally {
      rmSync(root, { recursive: true, force: true })
    }
  })
})

describe('kaniko mounts and configs', () => {
  const node = {
    name: 'n',
    role: 'control-plane' as const,
    image: 'i',
    mounts: [
      { hostPath: '/runner/b', containerPath: '/node/b', readOnly: false }
    ]
  }
  const base = {
    home: '/home',
    node,
    scratch: '/scratch',
    image: 'img',
    warn: () => undefined
  }

  it('decodes v2beta10 volumes only in their lowercase spelling, as skaffold does', () => {
    const legacy = { ...base, apiVersion: 'skaffold/v2beta10' }
    const mounts = resolveMounts({
      ...legacy,
      volumes: [{ name: 'b', volumesource: { hostpath: { path: '/node/b' } } }],
      volumeMounts: [{ name: 'b', mountpath: '/var/run/b' }]
    })
    expect(mounts).toEqual([
      {
        volume: 'b',
        mountPath: '/var/run/b',
        runnerPath: '/runner/b',
        backing: 'runner',
        nodePath: '/node/b'
      }
    ])
    expect(() =>
      resolveMounts({
        ...legacy,
        volumes: [],
        volumeMounts: [{ name: 'b', mountPath: '/var/run/b' }]
      })
    ).toThrow('field mountPath not found in type v1.VolumeMount')
  })

  it('matches volume fields case-insensitively from v2beta11 on and keeps emptyDir ephemeral', () => {
    const modern = { ...base, apiVersion: 'skaffold/v4beta14' }
    const mounts = resolveMounts({
      ...modern,
      volumes: [
        { name: 'b', hostpath: { path: '/node/b' } },
        { name: 'e', emptyDir: {} }
      ],
      volumeMounts: [
        { name: 'b', mountpath: '/var/run/b' },
        { name: 'e', mountPath: '/tmp/e' }
      ]
    })
    expect(mounts.map((m) => [m.backing, m.runnerPath])).toEqual([
      ['runner', '/runner/b'],
      ['ephemeral', '/scratch/volumes/e']
    ])
  })

  itSchemas(
    'loads every document and local requires, validating each against its schema',
    async () => {
      const env = { SKAFFOLD_SCHEMAS_DIR: SCHEMAS.path }
      const root = mkdtempSync(join(tmpdir(), 'configs-'))
      try {
        mkdirSync(join(root, 'lib'))
        writeFileSync(
          join(root, 'skaffold.yaml'),
          'apiVersion: skaffold/v4beta14\nkind: Config\nmetadata:\n  name: app\nrequires:\n  - path: lib\n---\napiVersion: skaffold/v2beta16\nkind: Config\nmetadata:\n  name: other\n.anchors: &a {}\n'
        )
        writeFileSync(
          join(root, 'lib/skaffold.yaml'),
          'apiVersion: skaffold/v4beta14\nkind: Config\nmetadata:\n  name: lib\n'
        )
        const configs = await loadConfigs('skaffold.yaml', root, env)
        expect(configs.map((c) => [c.name, c.apiVersion, c.root])).toEqual([
          ['app', 'skaffold/v4beta14', true],
          ['lib', 'skaffold/v4beta14', false],
          ['other', 'skaffold/v2beta16', true]
        ])
        expect(selectModules(configs, ['app']).map((c) => c.name)).toEqual([
          'app',
          'lib'
        ])
        expect(() => selectModules(configs, ['nope'])).toThrow(
          'did not find any configs matching selection [nope]'
        )
        writeFileSync(
          join(root, 'bad.yaml'),
          'apiVersion: skaffold/v4beta14\nkind: Config\nbuild:\n  artifacts:\n    - image: a\n      kaniko:\n        volumeMount: []\n'
        )
        await expect(loadConfigs('bad.yaml', root, env)).rejects.toThrow(
          '/build/artifacts/0/kaniko: unknown field "volumeMount"'
        )
        writeFileSync(
          join(root, 'old.yaml'),
          'apiVersion: skaffold/v1\nkind: Config\n'
        )
        await expect(loadConfigs('old.yaml', root, env)).rejects.toThrow(
          'unknown api version: "skaffold/v1"'
        )
      } finally {
        rmSync(root, { recursive: true, force: true })
      }
    }
  )

  it('without any schema, loads the configs unvalidated and says so once', async () => {
    const root = mkdtempSync(join(tmpdir(), 'configs-'))
    try {
      mkdirSync(join(root, 'no-schemas'))
      writeFileSync(
        join(root, 'skaffold.yaml'),
        'apiVersion: skaffold/v4beta14\nkind: Config\nbuild:\n  artifacts:\n    - image: a\n---\napiVersion: skaffold/v4beta14\nkind: Config\n'
      )
      const notes: string[] = []
      const configs = await loadConfigs(
        'skaffold.yaml',
        root,
        { SKAFFOLD_SCHEMAS_DIR: join(root, 'no-schemas') },
        (m) => notes.push(m)
      )
      expect(configs).toHaveLength(2)
      expect(notes).toEqual([
        expect.stringMatching(/no skaffold JSON schema .*not validated/)
      ])
    } finally {
      rmSync(root, { recursive: true, force: true })
    }
  })
})
