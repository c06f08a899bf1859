/**
 * The cluster adapter against a scripted @actions/exec: the exact argument
 * arrays of the command contract, retry-once, reuse mode, registry, Athens
 * and clean-up. The cluster double exercises the same code for real elsewhere.
 */
import {
  afterEach,
  beforeEach,
  describe,
  expect,
  it,
  jest
} from '@jest/globals'
import type { ExecOptions, ExecOutput } from '@actions/exec'
import { existsSync } from 'node:fs'
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { clusterManifest } from '../../src/kind/objects.js'

interface Call {
  argv: string[]
  ignoreReturnCode: boolean
  input?: string
  silent?: boolean
  env?: Record<string, string>
}
type Reply = Partial<ExecOutput> | Error

const calls: Call[] = []
let replies: ((argv: string[]) => Reply | undefined)[] = []

/** Scripts the reply to the next call whose argv starts with `prefix`. */
function on(prefix: string[], reply: Reply, times = 1): void {
  let left = times
  replies.push((argv) => {
    if (left === 0 || !prefix.every((p, i) => argv[i] === p)) return undefined
    left -= 1
    return reply
  })
}

const getExecOutput = jest.fn(
  (
    command: string,
    args: string[] = [],
    options: ExecOptions = {}
  ): Promise<ExecOutput> => {
    const argv = [command, ...args]
    calls.push({
      argv,
      ignoreReturnCode: options.ignoreReturnCode === true,
      ...(options.input === undefined
        ? {}
        : { input: options.input.toString() }),
      ...(options.silent === undefined ? {} : { silent: options.silent }),
      ...(options.env === undefined ? {} : { env: options.env })
    })
    for (const reply of replies) {
      const r = reply(argv)
      if (r instanceof Error) return Promise.reject(r)
      if (r !== undefined) {
        return Promise.resolve({ exitCode: 0, stdout: '', stderr: '', ...r })
      }
    }
    return Promise.resolve({ exitCode: 0, stdout: '', stderr: '' })
  }
)
jest.unstable_mockModule('@actions/exec', () => ({
  getExecOutput,
  exec: jest.fn()
}))
const setSecret = jest.fn()
const warning = jest.fn()
const info = jest.fn()
// The adapters write the runner's commands through workflow-commands.ts
// and use only these three.
jest.unstable_mockModule('../../src/adapters/workflow-commands.js', () => ({
  setSecret,
  warning,
  info
}))

const cluster = {
  ...(await import('../../src/adapters/cluster.js')),
  ...(await import('../../src/adapters/registry.js')),
  ...(await import('../../src/adapters/athens.js'))
}

// The command forms the cluster double implements: every call any test
// makes must match one of them. Positional arguments come after `--` where
// the tool accepts it.
const CONTRACT: RegExp[] = [
  /^kind create cluster --name \S+ --config \S+ --wait \S+( --image \S+)?( --retain)?$/,
  /^kind get clusters$/,
  /^kind delete cluster --name \S+$/,
  /^kind export logs --name \S+ -- \S+$/,
  /^docker info --format \{\{\.ServerVersion\}\}$/,
  /^docker ps -a --filter label=io\.x-k8s\.kind\.cluster=\S+ --format \{\{\.Names\}\}\t\{\{\.Label "io\.x-k8s\.kind\.role"\}\}$/,
  /^docker ps -a --filter label=io\.skaffold-kaniko-cache\.run=\S+ --format \{\{\.Names\}\}$/,
  /^docker exec -- \S+ mkdir -p \S+$/,
  /^docker exec -i -- \S+ install -D -m 0644 \/dev\/stdin \S+$/,
  /^docker cp -- \S+ \S+:\S+$/,
  /^docker cp -- \S+:\S+ \S+$/,
  /^docker run -d --restart=always --name \S+( --label \S+)*( --network \S+)?( -p 127\.0\.0\.1:\d+:\d+)?( -e [A-Z_]+(=[^ ]*( [^ -][^ ]*)*)?)*( -v \S+:\S+)* -- \S+$/,
  /^docker network connect -- \S+ \S+$/,
  /^docker inspect --type container --format \{\{json \.State\.Running\}\} \{\{json \.Config\.Labels\}\} -- \S+$/,
  /^docker rm -f --( \S+)+$/,
  /^kubectl --context kind-\S+ wait --for=condition=Ready --all --timeout=\S+ -- nodes$/,
  /^kubectl --context kind-\S+ apply -f -$/,
  /^sudo -n tee -a -- \S+$/
]

const LABELS = [
  'io.skaffold-kaniko-cache.cluster=ci',
  'io.skaffold-kaniko-cache.run=7-1-build'
]
const present = (running: boolean, cluster?: string): Reply => ({
  stdout: `${running} ${cluster === undefined ? 'null' : JSON.stringify({ 'io.skaffold-kaniko-cache.cluster': cluster })}\n`
})
const conflict = (name: string): Reply => ({
  exitCode: 125,
  stderr: `docker: Error response from daemon: Conflict. The container name "/${name}" is already in use by container "0123abcd". You have to remove (or rename) that container to be able to reuse that name.`
})
const NODES_PS = [
  'docker',
  'ps',
  '-a',
  '--filter',
  'label=io.x-k8s.kind.cluster=ci',
  '--format',
  '{{.Names}}\t{{.Label "io.x-k8s.kind.role"}}'
]
const inspect = (name: string): string[] => [
  'docker',
  'inspect',
  '--type',
  'container',
  '--format',
  '{{json .State.Running}} {{json .Config.Labels}}',
  '--',
  name
]

let work: string

beforeEach(async () => {
  calls.length = 0
  replies = []
  work = await mkdtemp(join(tmpdir(), 'cluster-test-'))
})

// A hook may not call expect (jest/no-standalone-expect), so a drift from
// the contract, or a call that would throw on a non-zero exit, fails the
// test by throwing here.
afterEach(async () => {
  await rm(work, { recursive: true, force: true })
  const outside = calls
    .map((c) => c.argv.join(' '))
    .filter((line) => !CONTRACT.some((re) => re.test(line)))
  if (outside.length > 0) {
    throw new Error(`commands outside the contract:\n${outside.join('\n')}`)
  }
  if (calls.some((c) => !c.ignoreReturnCode)) {
    throw new Error('a command ran without ignoreReturnCode')
  }
})

function argvs(): string[][] {
  return calls.map((c) => c.argv)
}

describe('createCluster', () => {
  const request = () => ({
    name: 'ci',
    configText: 'kind: Cluster\napiVersion: kind.x-k8s.io/v1alpha4\n',
    runnerTemp: work,
    hostDirs: [
      join(work, 'cache', 'gomodcache'),
      join(work, 'cache', 'gobuildcache')
    ],
    image: 'kindest/node:v1.36.1'
  })
  const configPath = () => join(work, 'skaffold-kaniko-cache-kind-ci.yaml')
  const create = () => [
    'kind',
    'create',
    'cluster',
    '--name',
    'ci',
    '--config',
    configPath(),
    '--wait',
    '120s',
    '--image',
    'kindest/node:v1.36.1',
    '--retain'
  ]

  it('writes the config, creates the mount dirs and creates the cluster once', async () => {
    on(['kind', 'create'], {
      stderr:
        ' ✓ Waiting ≤ 2m0s for control-plane = Ready ⏳\n • Ready after 19s 💚\n'
    })
    const result = await cluster.createCluster(request())
    // No listing first: the caller has checked the name is free.
    expect(argvs()).toEqual([create()])
    expect(result).toMatchObject({
      configPath: configPath(),
      attempts: 1,
      controlPlaneReady: true
    })
    expect(result.firstFailure).toBeUndefined()
    expect(await readFile(configPath(), 'utf8')).toBe(request().configText)
    expect((await stat(configPath())).mode & 0o777).toBe(0o600)
    for (const dir of request().hostDirs) expect(existsSync(dir)).toBe(true)
  })

  it('omits --image when no node image is asked', async () => {
    const noImage: Parameters<typeof cluster.createCluster>[0] = request()
    delete noImage.image
    await cluster.createCluster({ ...noImage, wait: '5m' })
    expect(argvs()[0]).toEqual([
      'kind',
      'create',
      'cluster',
      '--name',
      'ci',
      '--config',
      configPath(),
      '--wait',
      '5m',
      '--retain'
    ])
  })

  it('retries once, exporting logs and deleting the failed cluster first', async () => {
    on(['kind', 'create'], {
      exitCode: 1,
      stderr:
        'ERROR: failed to create cluster: failed to init node with kubeadm'
    })
    const result = await cluster.createCluster(request())
    const logs = join(work, 'kind-logs-ci-attempt1')
    expect(argvs()).toEqual([
      create(),
      ['kind', 'export', 'logs', '--name', 'ci', '--', logs],
      ['kind', 'delete', 'cluster', '--name', 'ci'],
      create()
    ])
    expect(result.attempts).toBe(2)
    expect(result.firstFailure).toEqual({
      exitCode: 1,
      output:
        'ERROR: failed to create cluster: failed to init node with kubeadm',
      logsDir: logs
    })
    expect(warning).toHaveBeenCalledWith(
      expect.stringContaining(
        'kind create cluster ci failed (exit 1); retrying once.'
      )
    )
  })

  it('fails after the second attempt, keeping the first failure', async () => {
    on(['kind', 'create'], {
      exitCode: 1,
      stderr: 'first: port 6443 is in use'
    })
    on(['kind', 'create'], {
      exitCode: 1,
      stderr: 'second: no space left on device'
    })
    on(['kind', 'export'], { exitCode: 1, stderr: 'no nodes found' }, 1)
    const error = await cluster
      .createCluster(request())
      .catch((e: unknown) => e)
    expect(error).toBeInstanceOf(cluster.ClusterCreateError)
    const e = error as InstanceType<typeof cluster.ClusterCreateError>
    expect(e.failures.map((f) => f.output)).toEqual([
      'first: port 6443 is in use',
      'second: no space left on device'
    ])
    // The first export failed, so only the second attempt's logs are named.
    expect(e.failures.map((f) => f.logsDir)).toEqual([
      '',
      join(work, 'kind-logs-ci-attempt2')
    ])
    expect(e.message).toContain('First attempt: first: port 6443 is in use.')
    expect(e.message).toContain(
      'Second attempt: second: no space left on device.'
    )
    expect(e.log).toBe(
      '--- attempt 1 ---\nfirst: port 6443 is in use\n--- attempt 2 ---\nsecond: no space left on device'
    )
    expect(argvs().map((a) => a.slice(0, 2).join(' '))).toEqual([
      'kind create',
      'kind export',
      'kind delete',
      'kind create',
      'kind export',
      'kind delete'
    ])
  })

  it('says when kind ran out of time waiting for the control plane, which it only warns about', async () => {
    on(['kind', 'create'], {
      stderr:
        ' ✗ Waiting ≤ 2m0s for control-plane = Ready ⏳\n • WARNING: Timed out waiting for Ready ⚠️\n'
    })
    const result = await cluster.createCluster(request())
    expect(result.controlPlaneReady).toBe(false)
  })
})

describe('waiting, reuse and namespaces', () => {
  it('waits for every node with the kind context', async () => {
    await cluster.waitForNodes('ci', '90s')
    expect(argvs()).toEqual([
      [
        'kubectl',
        '--context',
        'kind-ci',
        'wait',
        '--for=condition=Ready',
        '--all',
        '--timeout=90s',
        '--',
        'nodes'
      ]
    ])
  })

  it('fails with kubectl output when nodes stay NotReady', async () => {
    on(['kubectl'], {
      exitCode: 1,
      stderr:
        'error: timed out waiting for the condition on nodes/ci-control-plane'
    })
    await expect(cluster.waitForNodes('ci')).rejects.toThrow(
      'The nodes of kind cluster ci did not become Ready within 120s: error: timed out waiting'
    )
  })

  it('accepts an existing cluster for create-cluster: false', async () => {
    on(['kind', 'get', 'clusters'], { stdout: 'other\nci\n' })
    await expect(cluster.requireCluster('ci')).resolves.toBeUndefined()
    expect(argvs()).toEqual([['kind', 'get', 'clusters']])
  })

  it.each([
    [{ stdout: 'other\n' }, 'found: other'],
    [{ stderr: 'No kind clusters found.\n' }, 'found: none']
  ])('refuses a missing cluster (%j)', async (reply, found) => {
    on(['kind', 'get', 'clusters'], reply)
    await expect(cluster.requireCluster('ci')).rejects.toThrow(
      `Input 'create-cluster' is false, but there is no kind cluster named ci (${found}). Set cluster-name to an existing cluster, or set create-cluster: true`
    )
  })

  it('lists the Kubernetes nodes by their kind role, control-plane first', async () => {
    // As docker lists a multi-control-plane cluster: the load balancer has
    // the cluster label too, and the order is docker's.
    on(['docker', 'ps'], {
      stdout:
        'ci-worker\tworker\nci-external-load-balancer\texternal-load-balancer\nci-control-plane2\tcontrol-plane\nci-control-plane\tcontrol-plane\n'
    })
    expect(await cluster.nodeNames('ci')).toEqual([
      'ci-control-plane',
      'ci-control-plane2',
      'ci-worker'
    ])
    expect(argvs()).toEqual([NODES_PS])
  })

  it('copies the caches into and out of a reused node with docker cp', async () => {
    const dirs = [
      {
        runnerDir: join(work, 'gomodcache'),
        nodePath: '/var/lib/skc/gomodcache'
      },
      {
        runnerDir: join(work, 'gobuildcache'),
        nodePath: '/var/lib/skc/gobuildcache'
      }
    ]
    await cluster.copyCachesIntoNode('ci-control-plane', dirs)
    await cluster.copyCachesFromNode('ci-control-plane', dirs)
    expect(argvs()).toEqual([
      [
        'docker',
        'exec',
        '--',
        'ci-control-plane',
        'mkdir',
        '-p',
        '/var/lib/skc/gomodcache'
      ],
      [
        'docker',
        'cp',
        '--',
        `${dirs[0].runnerDir}/.`,
        'ci-control-plane:/var/lib/skc/gomodcache'
      ],
      [
        'docker',
        'exec',
        '--',
        'ci-control-plane',
        'mkdir',
        '-p',
        '/var/lib/skc/gobuildcache'
      ],
      [
        'docker',
        'cp',
        '--',
        `${dirs[1].runnerDir}/.`,
        'ci-control-plane:/var/lib/skc/gobuildcache'
      ],
      [
        'docker',
        'cp',
        '--',
        'ci-control-plane:/var/lib/skc/gomodcache/.',
        dirs[0].runnerDir
      ],
      [
        'docker',
        'cp',
        '--',
        'ci-control-plane:/var/lib/skc/gobuildcache/.',
        dirs[1].runnerDir
      ]
    ])
  })

  it('fails a copy with docker output', async () => {
    on(['docker', 'cp'], {
      exitCode: 1,
      stderr: 'Error: No such container: ci-control-plane'
    })
    await expect(
      cluster.copyCachesFromNode('ci-control-plane', [
        { runnerDir: join(work, 'm'), nodePath: '/n' }
      ])
    ).rejects.toThrow(
      `docker cp -- ci-control-plane:/n/. ${join(work, 'm')} failed (exit 1): Error: No such container: ci-control-plane`
    )
  })

  it('applies the cluster objects in one kubectl apply, names only in the manifest', async () => {
    on(['kubectl'], {
      stdout:
        'namespace/builds created\nconfigmap/local-registry-hosting unchanged\n'
    })
    const manifest = clusterManifest({
      namespaces: ['builds'],
      registryHost: 'ci-registry:5000'
    })
    expect(await cluster.applyObjects('ci', manifest)).toEqual({
      lines: [
        'namespace/builds created',
        'configmap/local-registry-hosting unchanged'
      ]
    })
    expect(argvs()).toEqual([
      ['kubectl', '--context', 'kind-ci', 'apply', '-f', '-']
    ])
    expect(calls[0].input).toBe(manifest)
  })

  it('fails with kubectl output when the apply fails', async () => {
    on(['kubectl'], {
      exitCode: 1,
      stderr: 'The connection to the server 127.0.0.1:6443 was refused'
    })
    await expect(
      cluster.applyObjects('ci', clusterManifest({ namespaces: ['builds'] }))
    ).rejects.toThrow(
      'kubectl apply in kind-ci failed (exit 1): The connection to the server'
    )
    expect(calls).toHaveLength(1)
  })
})

describe('startRegistry', () => {
  const hostsToml = '[host."http://ci-registry:5000"]\n'
  const request = (hostsFile: string, port = 5000) => ({
    cluster: 'ci',
    nodes: ['ci-control-plane', 'ci-worker'],
    name: 'ci-registry',
    labels: LABELS,
    port,
    hostsFile
  })
  const install = (node: string, host = 'ci-registry:5000') => [
    'docker',
    'exec',
    '-i',
    '--',
    node,
    'install',
    '-D',
    '-m',
    '0644',
    '/dev/stdin',
    `/etc/containerd/certs.d/${host}/hosts.toml`
  ]

  it('runs the registry on the kind network and gives every node its hosts.toml, one command each', async () => {
    const hostsFile = join(work, 'hosts')
    await writeFile(hostsFile, '127.0.0.1 localhost')
    const result = await cluster.startRegistry(request(hostsFile))

    expect(argvs()).toEqual([
      [
        'docker',
        'run',
        '-d',
        '--restart=always',
        '--name',
        'ci-registry',
        '--label',
        LABELS[0],
        '--label',
        LABELS[1],
        '--network',
        'kind',
        '-p',
        '127.0.0.1:5000:5000',
        '-e',
        'REGISTRY_HTTP_ADDR=0.0.0.0:5000',
        '--',
        'registry:2@sha256:a3d8aaa63ed8681a604f1dea0aa03f100d5895b6a58ace528858a7b332415373'
      ],
      install('ci-control-plane'),
      install('ci-worker')
    ])
    expect(calls.slice(1).map((c) => c.input)).toEqual([hostsToml, hostsToml])
    expect(await readFile(hostsFile, 'utf8')).toBe(
      '127.0.0.1 localhost\n127.0.0.1 ci-registry\n'
    )
    expect(result).toMatchObject({
      name: 'ci-registry',
      host: 'ci-registry:5000',
      reused: false,
      hostsFile: 'added',
      warnings: []
    })
  })

  it('keeps a running registry of this cluster, an existing network link and hosts line', async () => {
    const hostsFile = join(work, 'hosts')
    await writeFile(
      hostsFile,
      '127.0.0.1 localhost\n127.0.0.1   ci-registry # added earlier\n'
    )
    on(['docker', 'run'], conflict('ci-registry'))
    on(['docker', 'inspect'], present(true, 'ci'))
    on(['docker', 'network'], {
      exitCode: 1,
      stderr:
        'Error response from daemon: endpoint with name ci-registry already exists in network kind'
    })
    const result = await cluster.startRegistry(request(hostsFile))
    expect(argvs().slice(0, 3)).toEqual([
      expect.arrayContaining(['run']),
      inspect('ci-registry'),
      ['docker', 'network', 'connect', '--', 'kind', 'ci-registry']
    ])
    expect(argvs().filter((a) => a[1] === 'run' || a[1] === 'rm')).toHaveLength(
      1
    )
    expect(result).toMatchObject({ reused: true, hostsFile: 'present' })
    expect(await readFile(hostsFile, 'utf8')).toBe(
      '127.0.0.1 localhost\n127.0.0.1   ci-registry # added earlier\n'
    )
  })

  it('replaces a stopped registry this action made for the cluster, and uses the asked port', async () => {
    on(['docker', 'run'], conflict('ci-registry'))
    on(['docker', 'inspect'], present(false, 'ci'))
    const result = await cluster.startRegistry(
      request(join(work, 'hosts'), 5001)
    )
    expect(argvs()[1]).toEqual(inspect('ci-registry'))
    expect(argvs()[2]).toEqual(['docker', 'rm', '-f', '--', 'ci-registry'])
    expect(argvs()[3]).toContain('127.0.0.1:5001:5001')
    expect(argvs()[3]).toContain('REGISTRY_HTTP_ADDR=0.0.0.0:5001')
    expect(argvs()[4]).toEqual(install('ci-control-plane', 'ci-registry:5001'))
    expect(result.host).toBe('ci-registry:5001')
    expect(calls[4].input).toBe('[host."http://ci-registry:5001"]\n')
  })

  it.each([
    ['stopped, no labels', present(false)],
    ['stopped, another cluster', present(false, 'other')],
    ['running, no labels', present(true)]
  ])(
    'never removes or uses a container of that name it did not make (%s)',
    async (_what, reply) => {
      on(['docker', 'run'], conflict('ci-registry'))
      on(['docker', 'inspect'], reply)
      await expect(
        cluster.startRegistry(request(join(work, 'hosts')))
      ).rejects.toThrow(
        'A container named ci-registry exists and was not started by skaffold-kaniko-cache for kind cluster ci. Remove it (docker rm -f ci-registry) or choose another cluster-name'
      )
      expect(argvs().map((a) => a[1])).toEqual(['run', 'inspect'])
    }
  )

  it('fails with docker output when docker run fails otherwise', async () => {
    on(['docker', 'run'], {
      exitCode: 125,
      stderr: 'docker: Error response from daemon: network kind not found.'
    })
    await expect(
      cluster.startRegistry(request(join(work, 'h')))
    ).rejects.toThrow(
      /^docker run -d .* failed \(exit 125\): docker: Error response from daemon: network kind not found\.$/
    )
    expect(calls).toHaveLength(1)
  })

  it('warns, without failing, when the hosts file is not writable, naming what degrades', async () => {
    on(['sudo'], { exitCode: 1, stderr: 'sudo: a password is required' })
    const hostsFile = join(work, 'no-such-dir', 'hosts')
    const result = await cluster.startRegistry(request(hostsFile))
    expect(result.hostsFile).toBe('not-writable')
    expect(result.warnings).toEqual([
      `Cannot add "127.0.0.1 ci-registry" to ${hostsFile} (not writable): skaffold on the runner cannot reach ci-registry:5000, so it cannot find images built by earlier runs there and builds every artifact again. The build, the push (from the kaniko pod) and the image digests (skaffold reads them from the kaniko pod's termination message) are not affected`
    ])
  })

  it('appends the hosts line through sudo -n where the file is root-owned', async () => {
    const hostsFile = join(work, 'no-such-dir', 'hosts')
    const result = await cluster.startRegistry(request(hostsFile))
    const sudo = calls.find((c) => c.argv[0] === 'sudo')
    expect(sudo?.argv).toEqual(['sudo', '-n', 'tee', '-a', '--', hostsFile])
    expect(sudo?.input).toBe('127.0.0.1 ci-registry\n')
    expect(result.hostsFile).toBe('added')
    expect(result.warnings).toEqual([])
  })

  it('fails when a kept registry cannot join the kind network', async () => {
    on(['docker', 'run'], conflict('ci-registry'))
    on(['docker', 'inspect'], present(true, 'ci'))
    on(['docker', 'network'], {
      exitCode: 1,
      stderr: 'Error response from daemon: network kind not found'
    })
    await expect(
      cluster.startRegistry(request(join(work, 'h')))
    ).rejects.toThrow(
      'Cannot connect the registry ci-registry to the kind network: Error response from daemon: network kind not found'
    )
  })
})

describe('startAthens', () => {
  const request = (extra: {
    storageDir: string
    githubToken?: string
    noSumPatterns?: string[]
  }) => ({ cluster: 'ci', name: 'ci-athens', labels: LABELS, ...extra })

  it('runs Athens on the kind network with disk storage, the public proxy upstream and the token, silently', async () => {
    const storageDir = cluster.athensStorageDir(
      join(work, 'gomodcache', 'cache', 'download')
    )
    on(['docker', 'inspect'], present(true, 'ci'))
    const result = await cluster.startAthens(
      request({
        storageDir,
        githubToken: 'ghs_secret123',
        noSumPatterns: ['github.com/acme/*', 'example.com/private']
      })
    )
    expect(storageDir).toBe(
      join(work, 'gomodcache', 'cache', 'download', '.athens')
    )
    expect(existsSync(storageDir)).toBe(true)
    expect(argvs()).toEqual([
      [
        'docker',
        'run',
        '-d',
        '--restart=always',
        '--name',
        'ci-athens',
        '--label',
        LABELS[0],
        '--label',
        LABELS[1],
        '--network',
        'kind',
        '-e',
        'ATHENS_STORAGE_TYPE=disk',
        '-e',
        'ATHENS_DISK_STORAGE_ROOT=/var/lib/athens',
        '-e',
        'ATHENS_GO_BINARY_ENV_VARS=GOPROXY=https://proxy.golang.org,direct; GOPRIVATE=github.com/acme/*,example.com/private',
        '-e',
        'ATHENS_GITHUB_TOKEN',
        '-e',
        'ATHENS_GONOSUM_PATTERNS=github.com/acme/*,example.com/private',
        '-v',
        `${storageDir}:/var/lib/athens`,
        '--',
        'gomods/athens:v0.18.0'
      ],
      inspect('ci-athens')
    ])
    // Nothing of the secret-bearing command reaches the log.
    expect(info.mock.calls.flat().join('\n')).not.toContain('ATHENS')
    // The value travels in docker's environment, never in its argv.
    expect(calls[0].env?.ATHENS_GITHUB_TOKEN).toBe('ghs_secret123')
    expect(calls.flatMap((c) => c.argv).join(' ')).not.toContain(
      'ghs_secret123'
    )
    expect(setSecret).toHaveBeenCalledWith('ghs_secret123')
    expect(result).toMatchObject({
      name: 'ci-athens',
      goproxy: 'http://ci-athens:3000',
      token: true,
      reused: false
    })
  })

  it('fetches public modules through the public proxy even without go-private', () => {
    // Athens' own default is GOPROXY=direct: every module cloned from its VCS.
    expect(cluster.athensGoBinaryEnv([])).toBe(
      'GOPROXY=https://proxy.golang.org,direct'
    )
  })

  it('runs without a token and replaces a stopped Athens it made for the cluster', async () => {
    on(['docker', 'run'], conflict('ci-athens'))
    on(['docker', 'inspect'], present(false, 'ci'))
    on(['docker', 'inspect'], present(true, 'ci'))
    const result = await cluster.startAthens(
      request({ storageDir: join(work, 'athens') })
    )
    expect(argvs().map((a) => a[1])).toEqual([
      'run',
      'inspect',
      'rm',
      'run',
      'inspect'
    ])
    expect(argvs()[2]).toEqual(['docker', 'rm', '-f', '--', 'ci-athens'])
    expect(argvs()[3].join(' ')).not.toContain('ATHENS_GITHUB_TOKEN')
    expect(result.token).toBe(false)
    expect(setSecret).not.toHaveBeenCalled()
  })

  it('uses a running Athens of that name as it is, giving it no token', async () => {
    on(['docker', 'run'], conflict('ci-athens'))
    on(['docker', 'inspect'], present(true, 'ci'))
    const result = await cluster.startAthens(
      request({ storageDir: join(work, 'a'), githubToken: 'ghs_secret123' })
    )
    expect(argvs().map((a) => a[1])).toEqual(['run', 'inspect'])
    expect(result).toMatchObject({ reused: true, token: false })
  })

  it('fails without repeating the token when docker run fails', async () => {
    on(['docker', 'run'], {
      exitCode: 125,
      stderr: 'docker: network kind not found.'
    })
    const error = (await cluster
      .startAthens(
        request({ storageDir: join(work, 'a'), githubToken: 'ghs_secret123' })
      )
      .catch((e: unknown) => e)) as Error
    expect(error.message).toBe(
      'docker run failed (exit 125): docker: network kind not found.'
    )
    expect(error.message).not.toContain('ghs_secret123')
  })

  it('fails when the container does not stay up', async () => {
    on(['docker', 'inspect'], present(false, 'ci'))
    await expect(
      cluster.startAthens(request({ storageDir: join(work, 'a') }))
    ).rejects.toThrow(
      'The Athens container ci-athens is not running after docker run; see docker logs ci-athens'
    )
  })
})

describe('docker and clean-up', () => {
  it('checks the docker daemon', async () => {
    on(['docker', 'info'], { stdout: '28.3.1\n' })
    expect(await cluster.checkDocker()).toEqual({ serverVersion: '28.3.1' })
    expect(argvs()).toEqual([
      ['docker', 'info', '--format', '{{.ServerVersion}}']
    ])
  })

  it.each([
    [
      {
        exitCode: 1,
        stderr:
          'Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?'
      },
      'Docker is not reachable (docker info exited 1): Cannot connect to the Docker daemon'
    ],
    [
      new Error(
        'Unable to locate executable file: docker. Please verify either the file path exists'
      ),
      'Docker is not reachable (docker info exited 127): Unable to locate executable file: docker.'
    ]
  ])('explains an unreachable docker (%#)', async (reply, message) => {
    on(['docker', 'info'], reply)
    await expect(cluster.checkDocker()).rejects.toThrow(message)
  })

  const RUN_PS = [
    'docker',
    'ps',
    '-a',
    '--filter',
    'label=io.skaffold-kaniko-cache.run=7-1-build',
    '--format',
    '{{.Names}}'
  ]

  it('deletes the cluster, and the registry and Athens this run started', async () => {
    on(['docker', 'ps'], { stdout: 'ci-athens\nci-registry\n' })
    on(['docker', 'rm'], { stdout: 'ci-registry\nci-athens\n' })
    const result = await cluster.cleanupCluster({
      cluster: 'ci',
      containers: ['ci-registry', 'ci-athens'],
      run: '7-1-build'
    })
    expect(argvs()).toEqual([
      ['kind', 'delete', 'cluster', '--name', 'ci'],
      RUN_PS,
      ['docker', 'rm', '-f', '--', 'ci-registry', 'ci-athens']
    ])
    expect(result).toMatchObject({
      clusterDeleted: true,
      containersRemoved: ['ci-registry', 'ci-athens'],
      warnings: []
    })
  })

  it('leaves a container of that name that another run started', async () => {
    // Another job's registry took the name after this run's went.
    on(['docker', 'ps'], { stdout: 'ci-athens\n' })
    on(['docker', 'rm'], { stdout: 'ci-athens\n' })
    const result = await cluster.cleanupCluster({
      containers: ['ci-registry', 'ci-athens'],
      run: '7-1-build'
    })
    expect(argvs()).toEqual([RUN_PS, ['docker', 'rm', '-f', '--', 'ci-athens']])
    expect(result.containersRemoved).toEqual(['ci-athens'])
  })

  it('treats a container that went meanwhile as gone, and warns on real failures', async () => {
    on(['docker', 'ps'], { stdout: 'ci-registry\nci-athens\n' })
    // docker/cli before v29.7: the daemon's message on stderr, exit 0.
    on(['docker', 'rm'], {
      stdout: 'ci-registry\n',
      stderr: 'Error response from daemon: No such container: ci-athens\n'
    })
    const partial = await cluster.cleanupCluster({
      containers: ['ci-registry', 'ci-athens'],
      run: '7-1-build'
    })
    expect(partial).toMatchObject({
      containersRemoved: ['ci-registry'],
      warnings: []
    })

    on(['kind', 'delete'], {
      exitCode: 1,
      stderr: 'ERROR: failed to delete cluster "ci"'
    })
    on(['docker', 'ps'], {
      exitCode: 1,
      stderr:
        'Cannot connect to the Docker daemon at unix:///var/run/docker.sock.'
    })
    const failed = await cluster.cleanupCluster({
      cluster: 'ci',
      containers: ['ci-registry'],
      run: '7-1-build'
    })
    expect(failed.clusterDeleted).toBe(false)
    expect(failed.containersRemoved).toEqual([])
    expect(failed.warnings).toEqual([
      'kind delete cluster --name ci failed (exit 1): ERROR: failed to delete cluster "ci"',
      'docker ps -a --filter label=io.skaffold-kaniko-cache.run=7-1-build failed (exit 1): Cannot connect to the Docker daemon at unix:///var/run/docker.sock.; not removing ci-registry'
    ])
  })
})
