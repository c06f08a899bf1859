/**
 * The command forms the double implements (docs/design.md#command-forms): kind config
 * validation, missing extraMount dirs, unsupported forms, no daemon, and the
 * docker/kind/kubectl state the action's adapters rely on.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readFileSync,
  writeFileSync
} from 'node:fs'
import { join } from 'node:path'
import { NODE_PATHS } from '../../src/cache/paths.js'
import { spawnDockerDaemon } from '../../test-support/cluster-double/index.js'
import { kindConfig, startDoubleStack, type DoubleStack } from './stack.js'

let stack: DoubleStack
let runnerMod: string

beforeAll(async () => {
  stack = await startDoubleStack()
  runnerMod = join(stack.root, 'runner/gomodcache')
  mkdirSync(runnerMod, { recursive: true })
})

afterAll(async () => {
  await stack?.stop()
})

function writeConfig(name: string, text: string): string {
  const path = join(stack.root, name)
  writeFileSync(path, text)
  return path
}

async function create(
  name: string,
  config: string,
  env: NodeJS.ProcessEnv = {},
  extra: string[] = []
) {
  return stack.run(
    'kind',
    [
      'create',
      'cluster',
      '--name',
      name,
      '--config',
      config,
      '--wait',
      '60s',
      ...extra
    ],
    { env }
  )
}

describe('cluster double: kind create cluster validates the config', () => {
  it.each([
    [
      'an unknown node field',
      'kind: Cluster\napiVersion: kind.x-k8s.io/v1alpha4\nnodes:\n  - role: control-plane\n    extraMount: []\n',
      'unknown field "extraMount" in nodes[0]'
    ],
    [
      'an old apiVersion',
      'kind: Cluster\napiVersion: kind.sigs.k8s.io/v1alpha3\n',
      'unsupported apiVersion "kind.sigs.k8s.io/v1alpha3"'
    ],
    [
      'no control-plane node',
      'kind: Cluster\napiVersion: kind.x-k8s.io/v1alpha4\nnodes:\n  - role: worker\n',
      'at least one node with role "control-plane"'
    ],
    [
      'a relative containerPath',
      'kind: Cluster\napiVersion: kind.x-k8s.io/v1alpha4\nnodes:\n  - role: control-plane\n    extraMounts:\n      - hostPath: /tmp\n        containerPath: var/x\n',
      'nodes[0].extraMounts[0].containerPath must be an absolute path'
    ],
    [
      'a bad propagation',
      'kind: Cluster\napiVersion: kind.x-k8s.io/v1alpha4\nnodes:\n  - role: control-plane\n    extraMounts:\n      - hostPath: /tmp\n        containerPath: /x\n        propagation: Shared\n',
      'propagation must be None, HostToContainer or Bidirectional'
    ]
  ])('refuses %s', async (_name, text, message) => {
    const result = await create('bad', writeConfig('bad.yaml', text))
    expect(result.code).toBe(1)
    expect(result.stderr).toContain('ERROR: failed to create cluster:')
    expect(result.stderr).toContain(message)
    expect((await stack.run('kind', ['get', 'clusters'])).stderr).toBe(
      'No kind clusters found.\n'
    )
  })

  it('refuses an extraMount whose host dir does not exist, naming it', async () => {
    const missing = join(stack.root, 'runner/not-created')
    const result = await create(
      'nomount',
      writeConfig(
        'nomount.yaml',
        kindConfig([{ hostPath: missing, containerPath: NODE_PATHS.build }])
      )
    )
    expect(result.code).toBe(1)
    expect(result.stderr).toContain(
      `bind source path does not exist: ${missing}`
    )
    expect(result.stderr).toContain('nodes[0].extraMounts[0].hostPath')
  })

  // containerd internal/cri/config/config.go ValidateImageConfig refuses
  // registry mirrors together with config_path; kubeadm init then fails.
  it('fails creation when containerd patches set registry mirrors and config_path', async () => {
    const mirrors =
      '  - |\n    [plugins."io.containerd.grpc.v1.cri".registry.mirrors."docker.io"]\n      endpoint = ["https://mirror.gcr.io"]\n'
    const configPath =
      '  - |\n    [plugins."io.containerd.grpc.v1.cri".registry]\n      config_path = "/etc/containerd/certs.d"\n'
    const head =
      'kind: Cluster\napiVersion: kind.x-k8s.io/v1alpha4\ncontainerdConfigPatches:\n'
    for (const attempt of [1, 2]) {
      const result = await create(
        'mirrors',
        writeConfig('mirrors.yaml', head + mirrors + configPath)
      )
      expect({ attempt, code: result.code }).toEqual({ attempt, code: 1 })
      expect(result.stderr).toContain(
        'ERROR: failed to create cluster: failed to init node with kubeadm'
      )
      expect(result.stderr).toContain(
        '`mirrors` cannot be set when `config_path` is provided'
      )
    }
    const alone = await create(
      'mirrors',
      writeConfig('mirrors-only.yaml', head + mirrors)
    )
    expect(alone.code).toBe(0)
    await stack.run('kind', ['delete', 'cluster', '--name', 'mirrors'])
  }, 120_000)

  it('refuses a second cluster with the same name', async () => {
    const config = writeConfig('dup.yaml', kindConfig([]))
    expect((await create('dup', config)).code).toBe(0)
    const again = await create('dup', config)
    expect(again.code).toBe(1)
    expect(again.stderr).toContain(
      'node(s) already exist for a cluster with the name "dup"'
    )
    await stack.run('kind', ['delete', 'cluster', '--name', 'dup'])
  })

  it('fails creation CLUSTER_DOUBLE_FAIL_CREATE times, keeps the nodes for export logs with --retain, then succeeds', async () => {
    const config = writeConfig('flaky.yaml', kindConfig([]))
    const failed = await create(
      'flaky',
      config,
      { CLUSTER_DOUBLE_FAIL_CREATE: '1' },
      ['--retain']
    )
    expect(failed.code).toBe(1)
    expect(failed.stderr).toContain('failed to init node with kubeadm')
    const logs = join(stack.root, 'flaky-logs')
    const exported = await stack.run('kind', [
      'export',
      'logs',
      logs,
      '--name',
      'flaky'
    ])
    expect(exported.code).toBe(0)
    expect(
      readFileSync(join(logs, 'flaky-control-plane/kubelet.log'), 'utf8')
    ).toContain('failed to init node with kubeadm')
    await stack.run('kind', ['delete', 'cluster', '--name', 'flaky'])
    const retried = await create('flaky', config, {
      CLUSTER_DOUBLE_FAIL_CREATE: '1'
    })
    expect(retried.code).toBe(0)
    await stack.run('kind', ['delete', 'cluster', '--name', 'flaky'])
  })
})

describe('cluster double: strict command forms', () => {
  it.each([
    ['docker', ['version']],
    ['docker', ['ps']],
    ['docker', ['exec', 'x', 'rm', '-rf', '/']],
    ['docker', ['run', '--name', 'r', 'registry:2']],
    ['kind', ['load', 'docker-image', 'x']],
    ['kind', ['create', 'cluster', '--name', 'x']],
    ['kubectl', ['get', 'pods']],
    ['kubectl', ['--context', 'kind-x', 'delete', 'namespace', 'y']],
    ['skaffold', ['dev']],
    ['skaffold', ['build', '-f', 'skaffold.yaml']],
    [
      'skaffold',
      [
        'build',
        '-f',
        's.yaml',
        '--file-output',
        'o.json',
        '--kube-context',
        'kind-x',
        '--cache-file',
        'c'
      ]
    ]
  ])('%s %j exits 2 naming the command', async (tool, args) => {
    const result = await stack.run(tool, args)
    expect(result.code).toBe(2)
    expect(result.stderr).toBe(
      `cluster double: unsupported command: ${[tool, ...args].join(' ')}\n`
    )
  })

  it('answers version commands without a daemon', async () => {
    const env = { DOCKER_HOST: `unix://${join(stack.root, 'none.sock')}` }
    expect((await stack.run('kind', ['version'], { env })).stdout).toMatch(
      /^kind v0\.32\.0 /
    )
    expect((await stack.run('skaffold', ['version'], { env })).stdout).toBe(
      'v2.24.0\n'
    )
    expect(
      (await stack.run('kubectl', ['version', '--client'], { env })).stdout
    ).toContain('Client Version: v1.36.1')
  })

  it('fails like the docker client when no daemon listens', async () => {
    const socket = join(stack.root, 'none.sock')
    const result = await stack.run(
      'docker',
      ['info', '--format', '{{.ServerVersion}}'],
      { env: { DOCKER_HOST: `unix://${socket}` } }
    )
    expect(result.code).toBe(1)
    expect(result.stderr).toBe(
      `Cannot connect to the Docker daemon at unix://${socket}. Is the docker daemon running?\n`
    )
    const kind = await stack.run('kind', ['get', 'clusters'], {
      env: { DOCKER_HOST: `unix://${socket}` }
    })
    expect(kind.code).toBe(1)
    expect(kind.stderr).toContain('Is the docker daemon running?')
  })

  it('serves clients from a child-process daemon, and stops it', async () => {
    const child = await spawnDockerDaemon({
      home: join(stack.root, 'child-home')
    })
    const env = { ...child.env }
    expect(
      await stack.run('docker', ['info', '--format', '{{.ServerVersion}}'], {
        env
      })
    ).toEqual({ code: 0, stdout: '27.5.1\n', stderr: '' })
    expect((await stack.run('kind', ['get', 'clusters'], { env })).stderr).toBe(
      'No kind clusters found.\n'
    )
    await child.stop()
    expect(
      (
        await stack.run('docker', ['info', '--format', '{{.ServerVersion}}'], {
          env
        })
      ).code
    ).toBe(1)
  })

  it('works as a single executable file copied to another directory', async () => {
    const other = join(stack.root, 'elsewhere')
    mkdirSync(other)
    copyFileSync(join(stack.binDir, 'docker'), join(other, 'docker'))
    const result = await stack.run(
      join(other, 'docker'),
      ['info', '--format', '{{.ServerVersion}}'],
      { cwd: other }
    )
    expect(result).toEqual({ code: 0, stdout: '27.5.1\n', stderr: '' })
  })
})

describe('cluster double: node dirs, containers and cluster objects', () => {
  beforeAll(async () => {
    const config = writeConfig(
      'main.yaml',
      kindConfig([{ hostPath: runnerMod, containerPath: NODE_PATHS.mod }])
    )
    const created = await create('main', config)
    if (created.code !== 0) throw new Error(created.stderr)
  })

  it('lists clusters and nodes and waits for nodes', async () => {
    expect((await stack.run('kind', ['get', 'clusters'])).stdout).toBe('main\n')
    expect(
      (await stack.run('kind', ['get', 'nodes', '--name', 'main'])).stdout
    ).toBe('main-control-plane\n')
    const wait = await stack.run('kubectl', [
      '--context',
      'kind-main',
      'wait',
      '--for=condition=Ready',
      'nodes',
      '--all',
      '--timeout=60s'
    ])
    expect(wait.stdout).toBe('node/main-control-plane condition met\n')
    const unknown = await stack.run('kubectl', [
      '--context',
      'kind-nope',
      'get',
      'namespace',
      'x'
    ])
    expect(unknown).toMatchObject({
      code: 1,
      stderr: 'error: context "kind-nope" does not exist\n'
    })
  })

  it('maps node paths through the extraMounts, else into the node (lost on delete)', async () => {
    const node = 'main-control-plane'
    expect(
      (
        await stack.run('docker', [
          'exec',
          node,
          'mkdir',
          '-p',
          `${NODE_PATHS.mod}/cache/download`
        ])
      ).code
    ).toBe(0)
    expect(existsSync(join(runnerMod, 'cache/download'))).toBe(true)
    const put = await stack.run(
      'docker',
      [
        'exec',
        '-i',
        node,
        'install',
        '-D',
        '-m',
        '0644',
        '/dev/stdin',
        `${NODE_PATHS.mod}/new/dir/marker`
      ],
      { input: 'from stdin' }
    )
    expect(put.code).toBe(0)
    // -D made the missing leading dirs.
    expect(readFileSync(join(runnerMod, 'new/dir/marker'), 'utf8')).toBe(
      'from stdin'
    )
    const uid = process.getuid?.() ?? 0
    const chown = await stack.run('docker', [
      'exec',
      node,
      'chown',
      '-R',
      `${uid}:${uid}`,
      NODE_PATHS.mod
    ])
    expect(chown.code).toBe(0)
    const missing = await stack.run('docker', [
      'exec',
      node,
      'chown',
      '-R',
      '0:0',
      '/var/lib/nothing'
    ])
    expect(missing).toMatchObject({
      code: 1,
      stderr:
        "chown: cannot access '/var/lib/nothing': No such file or directory\n"
    })

    // docker cp in and out of a path with no extraMount: it lives in the node only.
    const local = join(stack.root, 'payload')
    mkdirSync(local)
    writeFileSync(join(local, 'a.txt'), 'A')
    expect(
      (
        await stack.run('docker', [
          'exec',
          node,
          'mkdir',
          '-p',
          '/var/lib/private'
        ])
      ).code
    ).toBe(0)
    expect(
      (await stack.run('docker', ['cp', local, `${node}:/var/lib/private`]))
        .code
    ).toBe(0)
    const back = join(stack.root, 'back')
    const out = await stack.run('docker', [
      'cp',
      `${node}:/var/lib/private/payload`,
      back
    ])
    expect(out.code).toBe(0)
    expect(readFileSync(join(back, 'a.txt'), 'utf8')).toBe('A')
    const gone = await stack.run('docker', [
      'cp',
      `${node}:/var/lib/absent`,
      back
    ])
    expect(gone).toMatchObject({
      code: 1,
      stderr: `Error response from daemon: Could not find the file /var/lib/absent in container ${node}\n`
    })
  })

  it('docker: labels and label filters as docker has them, rm -f of a missing container exits 0 naming it on stderr', async () => {
    const start = (name: string, ...labels: string[]) =>
      stack.run('docker', [
        'run',
        '-d',
        '--restart=always',
        '--name',
        name,
        ...labels.flatMap((l) => ['--label', l]),
        '--',
        'registry:2'
      ])
    expect((await start('labelled-a', 'run=1', 'cluster=x')).code).toBe(0)
    expect((await start('labelled-b', 'run=2', 'cluster=x')).code).toBe(0)
    const ps = (...filters: string[]) =>
      stack.run('docker', [
        'ps',
        '-a',
        ...filters.flatMap((f) => ['--filter', f]),
        '--format',
        '{{.Names}}'
      ])
    expect((await ps('label=cluster=x')).stdout.split('\n').sort()).toEqual([
      '',
      'labelled-a',
      'labelled-b'
    ])
    // Every label filter must match.
    expect((await ps('label=cluster=x', 'label=run=2')).stdout).toBe(
      'labelled-b\n'
    )
    expect((await ps('label=run')).stdout.split('\n').length).toBe(3)
    expect(
      await stack.run('docker', ['rm', '-f', '--', 'labelled-a', 'no-such'])
    ).toMatchObject({
      code: 0,
      stdout: 'labelled-a\n',
      stderr: 'Error response from daemon: No such container: no-such\n'
    })
    expect((await stack.run('docker', ['rm', '-f', 'labelled-b'])).code).toBe(0)
  })

  it('records containers, networks, namespaces and ConfigMaps', async () => {
    const run = await stack.run('docker', [
      'run',
      '-d',
      '--restart=always',
      '--name',
      'kind-registry',
      '-p',
      '5001:5000',
      'registry:2'
    ])
    expect(run.stdout).toMatch(/^[0-9a-f]{64}\n$/)
    const clash = await stack.run('docker', [
      'run',
      '-d',
      '--restart=always',
      '--name',
      'kind-registry',
      'registry:2'
    ])
    expect(clash.code).toBe(125)
    expect(
      (
        await stack.run('docker', [
          'network',
          'connect',
          'kind',
          'kind-registry'
        ])
      ).code
    ).toBe(0)
    expect(
      (
        await stack.run('docker', [
          'network',
          'connect',
          'kind',
          'kind-registry'
        ])
      ).stderr
    ).toContain('already exists in network kind')
    expect(
      (
        await stack.run('docker', [
          'inspect',
          '-f',
          '{{.State.Running}}',
          'kind-registry'
        ])
      ).stdout
    ).toBe('true\n')
    expect(
      (await stack.run('docker', ['rm', '-f', 'kind-registry'])).code
    ).toBe(0)
    expect(
      await stack.run('docker', [
        'inspect',
        '-f',
        '{{.State.Running}}',
        'kind-registry'
      ])
    ).toMatchObject({
      code: 1,
      stderr: 'Error: No such object: kind-registry\n'
    })

    const ctx = ['--context', 'kind-main']
    expect(
      (await stack.run('kubectl', [...ctx, 'get', 'namespace', 'skaffold']))
        .stderr
    ).toBe('Error from server (NotFound): namespaces "skaffold" not found\n')
    expect(
      (await stack.run('kubectl', [...ctx, 'create', 'namespace', 'skaffold']))
        .stdout
    ).toBe('namespace/skaffold created\n')
    expect(
      (await stack.run('kubectl', [...ctx, 'get', 'namespace', 'skaffold']))
        .code
    ).toBe(0)
    const manifest =
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: local-registry-hosting\n  namespace: kube-public\ndata:\n  localRegistryHosting.v1: |\n    host: "kind-registry:5001"\n'
    expect(
      (
        await stack.run('kubectl', [...ctx, 'apply', '-f', '-'], {
          input: manifest
        })
      ).stdout
    ).toBe('configmap/local-registry-hosting created\n')
    expect(
      (
        await stack.run('kubectl', [...ctx, 'apply', '-f', '-'], {
          input: manifest
        })
      ).stdout
    ).toBe('configmap/local-registry-hosting unchanged\n')
  })

  it('deletes the cluster and the node-only files with it', async () => {
    const del = await stack.run('kind', ['delete', 'cluster', '--name', 'main'])
    expect(del.stderr).toContain('Deleted nodes: ["main-control-plane"]')
    expect(
      existsSync(
        join(stack.daemon.env.CLUSTER_DOUBLE_HOME, 'nodes/main-control-plane')
      )
    ).toBe(false)
    expect(existsSync(join(runnerMod, 'new/dir/marker'))).toBe(true)
    expect((await stack.run('kind', ['get', 'clusters'])).stderr).toBe(
      'No kind clusters found.\n'
    )
  })
})
