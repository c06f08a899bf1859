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
// cluster.ts imports core as a namespace and uses only these two.
jest.unstable_mockModule('@actions/core', () => ({ setSecret, warning }))

const cluster = {
  ...(await import('../../src/adapters/cluster.js')),
  ...(await import('../../src/adapters/registry.js')),
  ...(await import('../../src/adapters/athens.js'))
}

// The command forms of the contract (/work/main/.tmp/commands.md) that this
// adapter may use. Every call any test makes must match one of them.
const CONTRACT: RegExp[] = [
  /^kind create cluster --name \S+ --config \S+ --wait \S+( --image \S+)?( --retain)?$/,
  /^kind get clusters$/,
  /^kind get nodes --name \S+$/,
  /^kind delete cluster --name \S+$/,
  /^kind export logs \S+ --name \S+$/,
  /^docker info --format \{\{\.ServerVersion\}\}$/,
  /^docker exec \S+ mkdir -p \S+$/,
  /^docker exec -i \S+ cp \/dev\/stdin \S+$/,
  /^docker cp \S+ \S+:\S+$/,
  /^docker cp \S+:\S+ \S+$/,
  /^docker run -d --restart=always --name \S+( --network \S+)?( -p 127\.0\.0\.1:\d+:\d+)?( -e [A-Z_]+(=\S*)?)*( -v \S+:\S+)* \S+$/,
  /^docker network connect \S+ \S+$/,
  /^docker inspect -f \{\{\.State\.Running\}\} \S+$/,
  /^docker rm -f( \S+)+$/,
  /^kubectl --context kind-\S+ wait --for=condition=Ready nodes --all --timeout=\S+$/,
  /^kubectl --context kind-\S+ get namespace \S+$/,
  /^kubectl --context kind-\S+ create namespace \S+$/,
  /^kubectl --context kind-\S+ apply -f -$/,
  /^sudo -n tee -a \S+$/
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
    on(['kind', 'get', 'clusters'], { stderr: 'No kind clusters found.\n' })
    const result = await cluster.createCluster(request())
    expect(argvs()).toEqual([['kind', 'get', 'clusters'], create()])
    expect(result).toMatchObject({ configPath: configPath(), attempts: 1 })
    expect(result.firstFailure).toBeUndefined()
    expect(await readFile(configPath(), 'utf8')).toBe(request().configText)
    expect((await stat(configPath())).mode & 0o777).toBe(0o600)
    for (const dir of request().hostDirs) expect(existsSync(dir)).toBe(true)
  })

  it('omits --image when no node image is asked', async () => {
    const noImage: Parameters<typeof cluster.createCluster>[0] = request()
    delete noImage.image
    await cluster.createCluster({ ...noImage, wait: '5m' })
    expect(argvs()[1]).toEqual([
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
      ['kind', 'get', 'clusters'],
      create(),
      ['kind', 'export', 'logs', logs, '--name', 'ci'],
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
      'kind get',
      'kind create',
      'kind export',
      'kind delete',
      'kind create',
      'kind export',
      'kind delete'
    ])
  })

  it('refuses to create over an existing cluster of that name', async () => {
    on(['kind', 'get', 'clusters'], { stdout: 'ci\n' })
    await expect(cluster.createCluster(request())).rejects.toThrow(
      'A kind cluster named ci already exists. Set create-cluster: false to build on it, choose another cluster-name, or delete it first (kind delete cluster --name ci)'
    )
    expect(argvs()).toEqual([['kind', 'get', 'clusters']])
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
        'nodes',
        '--all',
        '--timeout=90s'
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

  it('lists node names', async () => {
    on(['kind', 'get', 'nodes'], { stdout: 'ci-control-plane\nci-worker\n' })
    expect(await cluster.nodeNames('ci')).toEqual([
      'ci-control-plane',
      'ci-worker'
    ])
    expect(argvs()).toEqual([['kind', 'get', 'nodes', '--name', 'ci']])
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
        'ci-control-plane',
        'mkdir',
        '-p',
        '/var/lib/skc/gomodcache'
      ],
      [
        'docker',
        'cp',
        `${dirs[0].runnerDir}/.`,
        'ci-control-plane:/var/lib/skc/gomodcache'
      ],
      [
        'docker',
        'exec',
        'ci-control-plane',
        'mkdir',
        '-p',
        '/var/lib/skc/gobuildcache'
      ],
      [
        'docker',
        'cp',
        `${dirs[1].runnerDir}/.`,
        'ci-control-plane:/var/lib/skc/gobuildcache'
      ],
      [
        'docker',
        'cp',
        'ci-control-plane:/var/lib/skc/gomodcache/.',
        dirs[0].runnerDir
      ],
      [
        'docker',
        'cp',
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
      `docker cp ci-control-plane:/n/. ${join(work, 'm')} failed (exit 1): Error: No such container: ci-control-plane`
    )
  })

  it('keeps an existing namespace', async () => {
    expect(await cluster.ensureNamespace('ci', 'builds')).toEqual({
      created: false
    })
    expect(argvs()).toEqual([
      ['kubectl', '--context', 'kind-ci', 'get', 'namespace', 'builds']
    ])
  })

  it('creates a missing namespace', async () => {
    on(['kubectl', '--context', 'kind-ci', 'get'], {
      exitCode: 1,
      stderr: 'Error from server (NotFound): namespaces "builds" not found'
    })
    expect(await cluster.ensureNamespace('ci', 'builds')).toEqual({
      created: true
    })
    expect(argvs()).toEqual([
      ['kubectl', '--context', 'kind-ci', 'get', 'namespace', 'builds'],
      ['kubectl', '--context', 'kind-ci', 'create', 'namespace', 'builds']
    ])
  })

  it('does not create a namespace when the lookup fails for another reason', async () => {
    on(['kubectl'], {
      exitCode: 1,
      stderr: 'The connection to the server 127.0.0.1:6443 was refused'
    })
    await expect(cluster.ensureNamespace('ci', 'builds')).rejects.toThrow(
      'Cannot look up namespace builds in kind-ci: The connection to the server'
    )
    expect(calls).toHaveLength(1)
  })
})

describe('startRegistry', () => {
  const hostsToml = '[host."http://kind-registry:5000"]\n'

  it('runs, connects and announces the registry the helm/kind-action way', async () => {
    const hostsFile = join(work, 'hosts')
    await writeFile(hostsFile, '127.0.0.1 localhost')
    on(['docker', 'inspect'], {
      exitCode: 1,
      stderr: 'Error: No such object: kind-registry'
    })
    on(['kind', 'get', 'nodes'], { stdout: 'ci-control-plane\nci-worker\n' })
    const result = await cluster.startRegistry({
      cluster: 'ci',
      port: 5000,
      hostsFile
    })

    expect(argvs()).toEqual([
      ['docker', 'inspect', '-f', '{{.State.Running}}', 'kind-registry'],
      [
        'docker',
        'run',
        '-d',
        '--restart=always',
        '--name',
        'kind-registry',
        '--network',
        'bridge',
        '-p',
        '127.0.0.1:5000:5000',
        '-e',
        'REGISTRY_HTTP_ADDR=0.0.0.0:5000',
        'registry:2@sha256:a3d8aaa63ed8681a604f1dea0aa03f100d5895b6a58ace528858a7b332415373'
      ],
      ['docker', 'network', 'connect', 'kind', 'kind-registry'],
      ['kind', 'get', 'nodes', '--name', 'ci'],
      [
        'docker',
        'exec',
        'ci-control-plane',
        'mkdir',
        '-p',
        '/etc/containerd/certs.d/kind-registry:5000'
      ],
      [
        'docker',
        'exec',
        '-i',
        'ci-control-plane',
        'cp',
        '/dev/stdin',
        '/etc/containerd/certs.d/kind-registry:5000/hosts.toml'
      ],
      [
        'docker',
        'exec',
        'ci-worker',
        'mkdir',
        '-p',
        '/etc/containerd/certs.d/kind-registry:5000'
      ],
      [
        'docker',
        'exec',
        '-i',
        'ci-worker',
        'cp',
        '/dev/stdin',
        '/etc/containerd/certs.d/kind-registry:5000/hosts.toml'
      ],
      ['kubectl', '--context', 'kind-ci', 'apply', '-f', '-']
    ])
    expect(
      calls.filter((c) => c.argv.includes('/dev/stdin')).map((c) => c.input)
    ).toEqual([hostsToml, hostsToml])
    expect(calls[calls.length - 1].input).toBe(
      cluster.localRegistryHostingManifest('kind-registry:5000')
    )
    expect(calls[calls.length - 1].input).toContain(
      '  namespace: kube-public\n'
    )
    expect(await readFile(hostsFile, 'utf8')).toBe(
      '127.0.0.1 localhost\n127.0.0.1 kind-registry\n'
    )
    expect(result).toMatchObject({
      name: 'kind-registry',
      host: 'kind-registry:5000',
      reused: false,
      hostsFile: 'added',
      warnings: []
    })
  })

  it('keeps a running registry, an existing network link and hosts line', async () => {
    const hostsFile = join(work, 'hosts')
    await writeFile(
      hostsFile,
      '127.0.0.1 localhost\n127.0.0.1   kind-registry # added earlier\n'
    )
    on(['docker', 'inspect'], { stdout: 'true\n' })
    on(['docker', 'network'], {
      exitCode: 1,
      stderr:
        'Error response from daemon: endpoint with name kind-registry already exists in network kind'
    })
    on(['kind', 'get', 'nodes'], { stdout: 'ci-control-plane\n' })
    const result = await cluster.startRegistry({
      cluster: 'ci',
      port: 5000,
      hostsFile
    })
    expect(argvs().some((a) => a[1] === 'run')).toBe(false)
    expect(result).toMatchObject({ reused: true, hostsFile: 'present' })
    expect(await readFile(hostsFile, 'utf8')).toBe(
      '127.0.0.1 localhost\n127.0.0.1   kind-registry # added earlier\n'
    )
  })

  it('replaces a stopped registry container and uses the asked port', async () => {
    on(['docker', 'inspect'], { stdout: 'false\n' })
    on(['kind', 'get', 'nodes'], { stdout: 'ci-control-plane\n' })
    const result = await cluster.startRegistry({
      cluster: 'ci',
      port: 5001,
      hostsFile: join(work, 'hosts')
    })
    expect(argvs()[1]).toEqual(['docker', 'rm', '-f', 'kind-registry'])
    expect(argvs()[2]).toContain('127.0.0.1:5001:5001')
    expect(argvs()[2]).toContain('REGISTRY_HTTP_ADDR=0.0.0.0:5001')
    expect(result.host).toBe('kind-registry:5001')
    expect(calls.find((c) => c.argv.includes('/dev/stdin'))?.input).toBe(
      '[host."http://kind-registry:5001"]\n'
    )
  })

  it('warns, without failing, when the hosts file is not writable', async () => {
    on(['docker', 'inspect'], {
      exitCode: 1,
      stderr: 'Error: No such object: kind-registry'
    })
    on(['kind', 'get', 'nodes'], { stdout: 'ci-control-plane\n' })
    on(['sudo'], { exitCode: 1, stderr: 'sudo: a password is required' })
    const hostsFile = join(work, 'no-such-dir', 'hosts')
    const result = await cluster.startRegistry({
      cluster: 'ci',
      port: 5000,
      hostsFile
    })
    expect(result.hostsFile).toBe('not-writable')
    expect(result.warnings).toEqual([
      `Cannot add "127.0.0.1 kind-registry" to ${hostsFile} (not writable): skaffold's artifact-cache lookups on the runner cannot reach kind-registry:5000, so every artifact is built again. The build itself pushes from the kaniko pod and is not affected`
    ])
  })

  it('appends the hosts line through sudo -n where the file is root-owned', async () => {
    on(['docker', 'inspect'], {
      exitCode: 1,
      stderr: 'Error: No such object: kind-registry'
    })
    on(['kind', 'get', 'nodes'], { stdout: 'ci-control-plane\n' })
    const hostsFile = join(work, 'no-such-dir', 'hosts')
    const result = await cluster.startRegistry({
      cluster: 'ci',
      port: 5000,
      hostsFile
    })
    const sudo = calls.find((c) => c.argv[0] === 'sudo')
    expect(sudo?.argv).toEqual(['sudo', '-n', 'tee', '-a', hostsFile])
    expect(sudo?.input).toBe('127.0.0.1 kind-registry\n')
    expect(result.hostsFile).toBe('added')
    expect(result.warnings).toEqual([])
  })

  it('fails when the registry cannot join the kind network', async () => {
    on(['docker', 'inspect'], {
      exitCode: 1,
      stderr: 'Error: No such object: kind-registry'
    })
    on(['docker', 'network'], {
      exitCode: 1,
      stderr: 'Error response from daemon: network kind not found'
    })
    await expect(
      cluster.startRegistry({
        cluster: 'ci',
        port: 5000,
        hostsFile: join(work, 'h')
      })
    ).rejects.toThrow(
      'Cannot connect the registry kind-registry to the kind network: Error response from daemon: network kind not found'
    )
  })
})

describe('startAthens', () => {
  it('runs Athens on the kind network with disk storage and the token, silently', async () => {
    const storageDir = cluster.athensStorageDir(
      join(work, 'gomodcache', 'cache', 'download')
    )
    on(['docker', 'inspect'], {
      exitCode: 1,
      stderr: 'Error: No such object: athens'
    })
    on(['docker', 'inspect'], { stdout: 'true\n' })
    const result = await cluster.startAthens({
      storageDir,
      githubToken: 'ghs_secret123',
      noSumPatterns: ['github.com/acme/*', 'example.com/private']
    })
    expect(storageDir).toBe(
      join(work, 'gomodcache', 'cache', 'download', '.athens')
    )
    expect(existsSync(storageDir)).toBe(true)
    expect(argvs()).toEqual([
      ['docker', 'inspect', '-f', '{{.State.Running}}', 'athens'],
      [
        'docker',
        'run',
        '-d',
        '--restart=always',
        '--name',
        'athens',
        '--network',
        'kind',
        '-e',
        'ATHENS_STORAGE_TYPE=disk',
        '-e',
        'ATHENS_DISK_STORAGE_ROOT=/var/lib/athens',
        '-e',
        'ATHENS_GITHUB_TOKEN',
        '-e',
        'ATHENS_GONOSUM_PATTERNS=github.com/acme/*,example.com/private',
        '-v',
        `${storageDir}:/var/lib/athens`,
        'gomods/athens:v0.18.0'
      ],
      ['docker', 'inspect', '-f', '{{.State.Running}}', 'athens']
    ])
    expect(calls[1].silent).toBe(true)
    // The value travels in docker's environment, never in its argv.
    expect(calls[1].env?.ATHENS_GITHUB_TOKEN).toBe('ghs_secret123')
    expect(calls.flatMap((c) => c.argv).join(' ')).not.toContain(
      'ghs_secret123'
    )
    expect(setSecret).toHaveBeenCalledWith('ghs_secret123')
    expect(result).toMatchObject({
      name: 'athens',
      goproxy: 'http://athens:3000',
      token: true
    })
  })

  it('runs without a token and replaces an old container', async () => {
    on(['docker', 'inspect'], { stdout: 'false\n' })
    on(['docker', 'inspect'], { stdout: 'true\n' })
    const result = await cluster.startAthens({
      storageDir: join(work, 'athens')
    })
    expect(argvs()[1]).toEqual(['docker', 'rm', '-f', 'athens'])
    expect(argvs()[2].join(' ')).not.toContain('ATHENS_GITHUB_TOKEN')
    expect(result.token).toBe(false)
    expect(setSecret).not.toHaveBeenCalled()
  })

  it('fails without repeating the token when docker run fails', async () => {
    on(['docker', 'inspect'], {
      exitCode: 1,
      stderr: 'Error: No such object: athens'
    })
    on(['docker', 'run'], {
      exitCode: 125,
      stderr: 'docker: network kind not found.'
    })
    const error = (await cluster
      .startAthens({
        storageDir: join(work, 'a'),
        githubToken: 'ghs_secret123'
      })
      .catch((e: unknown) => e)) as Error
    expect(error.message).toBe(
      'docker run failed (exit 125): docker: network kind not found.'
    )
    expect(error.message).not.toContain('ghs_secret123')
  })

  it('fails when the container does not stay up', async () => {
    on(['docker', 'inspect'], {
      exitCode: 1,
      stderr: 'Error: No such object: athens'
    })
    on(['docker', 'inspect'], { stdout: 'false\n' })
    await expect(
      cluster.startAthens({ storageDir: join(work, 'a') })
    ).rejects.toThrow(
      'The Athens container athens is not running after docker run; see docker logs athens'
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

  it('deletes the cluster, the registry and Athens', async () => {
    const result = await cluster.cleanupCluster({
      cluster: 'ci',
      containers: ['kind-registry', 'athens']
    })
    expect(argvs()).toEqual([
      ['kind', 'delete', 'cluster', '--name', 'ci'],
      ['docker', 'rm', '-f', 'kind-registry', 'athens']
    ])
    expect(result).toMatchObject({
      clusterDeleted: true,
      containersRemoved: ['kind-registry', 'athens'],
      warnings: []
    })
  })

  it('treats an already-missing container as gone, and warns on real failures', async () => {
    on(['docker', 'rm'], {
      exitCode: 1,
      stderr: 'Error response from daemon: No such container: athens\n'
    })
    const partial = await cluster.cleanupCluster({
      containers: ['kind-registry', 'athens']
    })
    expect(partial).toMatchObject({
      containersRemoved: ['kind-registry'],
      warnings: []
    })

    on(['kind', 'delete'], {
      exitCode: 1,
      stderr: 'ERROR: failed to delete cluster "ci"'
    })
    on(['docker', 'rm'], {
      exitCode: 1,
      stderr:
        'Cannot connect to the Docker daemon at unix:///var/run/docker.sock.'
    })
    const failed = await cluster.cleanupCluster({
      cluster: 'ci',
      containers: ['kind-registry']
    })
    expect(failed.clusterDeleted).toBe(false)
    expect(failed.containersRemoved).toEqual([])
    expect(failed.warnings).toEqual([
      'kind delete cluster --name ci failed (exit 1): ERROR: failed to delete cluster "ci"',
      'docker rm -f kind-registry failed (exit 1): Cannot connect to the Docker daemon at unix:///var/run/docker.sock.'
    ])
  })
})
