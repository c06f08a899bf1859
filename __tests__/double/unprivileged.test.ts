/**
 * The double as the hosted runner's user sees it: docker commands run by
 * uid 1001 against a root daemon. `docker cp` out of a node extracts like
 * the docker CLI (each directory gets its final mode before its files), and
 * a Go stage with a non-root USER runs Go as that user.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { spawn } from 'node:child_process'
import {
  chmodSync,
  chownSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  statSync,
  writeFileSync
} from 'node:fs'
import { join } from 'node:path'
import { NODE_PATHS, POD_PATHS, VOLUME_NAMES } from '../../src/cache/paths.js'
import { nodeRootDir } from '../../test-support/cluster-double/state.js'
import { RUNNER_UID } from '../../test-support/runner-harness/index.js'
import {
  kindConfig,
  skaffoldConfig,
  startDoubleStack,
  writeHelloService,
  type DoubleStack,
  type RunResult
} from './stack.js'

const isRoot = process.getuid?.() === 0
if (!isRoot) {
  process.stdout.write(
    'unprivileged double suite skipped: it must run as root to run the double daemon as root and its clients as uid 1001\n'
  )
}
const rootDescribe = isRoot ? describe : describe.skip
const RUNNER = { uid: RUNNER_UID, gid: RUNNER_UID }

let stack: DoubleStack

/** Runs a double executable as `user` (default: the runner's uid). */
function runAs(
  tool: string,
  args: string[],
  options: { cwd?: string; user?: { uid: number; gid: number } | 'root' } = {}
): Promise<RunResult> {
  const user = options.user ?? RUNNER
  return new Promise((resolve, reject) => {
    const child = spawn(join(stack.binDir, tool), args, {
      cwd: options.cwd ?? stack.root,
      env: stack.env,
      ...(user === 'root' ? {} : { uid: user.uid, gid: user.gid })
    })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()))
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()))
    child.on('error', reject)
    child.on('close', (code) => resolve({ code: code ?? 1, stdout, stderr }))
    child.stdin.end('')
  })
}

/** A dir the runner user owns, as after a restore. */
function runnerDir(path: string): string {
  mkdirSync(path, { recursive: true })
  chownSync(path, RUNNER.uid, RUNNER.gid)
  return path
}

async function createCluster(
  name: string,
  mounts: { hostPath: string; containerPath: string }[]
): Promise<void> {
  const config = join(stack.root, `kind-${name}.yaml`)
  writeFileSync(config, kindConfig(mounts))
  const created = await stack.run('kind', [
    'create',
    'cluster',
    '--name',
    name,
    '--config',
    config,
    '--wait',
    '60s'
  ])
  if (created.code !== 0)
    throw new Error(`kind create cluster ${name} failed: ${created.stderr}`)
}

beforeAll(async () => {
  if (!isRoot) return
  stack = await startDoubleStack()
  // The runner user reaches the executables and the socket, like
  // /var/run/docker.sock for the docker group.
  chmodSync(stack.root, 0o755)
  chmodSync(stack.daemon.socketPath, 0o666)
})

afterAll(async () => {
  await stack?.stop()
})

rootDescribe('docker cp out of a node, as the runner user', () => {
  const node = 'cp-control-plane'
  const modules = '/var/lib/gomod'

  beforeAll(async () => {
    await createCluster('cp', [])
    // What Go leaves in a module cache: downloads in writable dirs, and the
    // extracted module tree read-only (dirs 0555, files 0444).
    const root = join(nodeRootDir(stack.daemon.env.CLUSTER_DOUBLE_HOME, node))
    const download = join(root, modules, 'cache/download/example.com/m/@v')
    mkdirSync(download, { recursive: true })
    writeFileSync(join(download, 'list'), 'v1.0.0\n')
    const tree = join(root, modules, 'example.com/m@v1.0.0')
    mkdirSync(tree, { recursive: true })
    writeFileSync(join(tree, 'go.mod'), 'module example.com/m\n')
    chmodSync(join(tree, 'go.mod'), 0o444)
    chmodSync(tree, 0o555)
  })

  it('fails on a read-only directory like the docker CLI (its mode is set before its files are written)', async () => {
    const dest = runnerDir(join(stack.root, 'cp-all'))
    const copy = await runAs('docker', ['cp', `${node}:${modules}/.`, dest])
    expect(copy).toMatchObject({
      code: 1,
      stderr: 'openat example.com/m@v1.0.0/go.mod: permission denied\n'
    })
    // The directory was made, with its final mode, before the failure.
    expect(statSync(join(dest, 'example.com/m@v1.0.0')).mode & 0o777).toBe(
      0o555
    )
  })

  it('copies the downloads alone, owned by the runner user', async () => {
    const dest = runnerDir(join(stack.root, 'cp-download'))
    const copy = await runAs('docker', [
      'cp',
      `${node}:${modules}/cache/download/.`,
      dest
    ])
    expect(copy.code).toBe(0)
    const list = join(dest, 'example.com/m/@v/list')
    expect(readFileSync(list, 'utf8')).toBe('v1.0.0\n')
    expect(statSync(list).uid).toBe(RUNNER.uid)
  })

  it('copies everything as root, keeping the modes', async () => {
    const dest = join(stack.root, 'cp-root')
    const copy = await runAs('docker', ['cp', `${node}:${modules}`, dest], {
      user: 'root'
    })
    expect(copy.code).toBe(0)
    expect(statSync(join(dest, 'example.com/m@v1.0.0')).mode & 0o777).toBe(
      0o555
    )
    expect(
      statSync(join(dest, 'example.com/m@v1.0.0/go.mod')).mode & 0o777
    ).toBe(0o444)
  })
})

rootDescribe('a Go stage with a non-root USER', () => {
  const cluster = 'user'
  let dirs: { mod: string; build: string }
  let serial = 0

  const dockerfile = (user: string): string =>
    [
      'FROM golang:1.19 AS build',
      'ARG GOPROXY',
      'ARG GOMODCACHE',
      'ARG GOCACHE',
      'WORKDIR /workspace',
      'COPY . .',
      `USER ${user}`,
      'RUN go build -o /tmp/hello .',
      '',
      'FROM gcr.io/distroless/static',
      'COPY --from=build /tmp/hello /bin/hello',
      ''
    ].join('\n')

  async function build(user: string): Promise<RunResult & { output: string }> {
    const dir = writeHelloService(
      join(stack.root, `user-svc-${++serial}`),
      dockerfile(user),
      skaffoldConfig('hello', {
        volumes: [
          { name: VOLUME_NAMES.mod, path: NODE_PATHS.mod },
          { name: VOLUME_NAMES.build, path: NODE_PATHS.build }
        ],
        mounts: [
          { name: VOLUME_NAMES.mod, mountPath: POD_PATHS.mod },
          { name: VOLUME_NAMES.build, mountPath: POD_PATHS.build }
        ],
        buildArgs: {
          GOMODCACHE: POD_PATHS.mod,
          GOCACHE: POD_PATHS.build,
          GOPROXY: stack.proxy.url
        }
      })
    )
    const result = await stack.run(
      'skaffold',
      [
        'build',
        '-f',
        'skaffold.yaml',
        '--file-output',
        'out.json',
        '--kube-context',
        `kind-${cluster}`
      ],
      { cwd: dir }
    )
    return { ...result, output: result.stdout + result.stderr }
  }

  beforeAll(async () => {
    // The caches as restored: the runner user's, mode 0755.
    dirs = {
      mod: runnerDir(join(stack.root, 'user-runner/gomodcache')),
      build: runnerDir(join(stack.root, 'user-runner/gobuildcache'))
    }
    chmodSync(join(stack.root, 'user-runner'), 0o755)
    await createCluster(cluster, [
      { hostPath: dirs.mod, containerPath: NODE_PATHS.mod },
      { hostPath: dirs.build, containerPath: NODE_PATHS.build }
    ])
  })

  it('cannot write the runner-owned caches, as in kaniko', async () => {
    const result = await build('65532')
    expect(result.code).not.toBe(0)
    expect(result.output).toMatch(/permission denied/)
    expect(readdirSync(dirs.build)).toEqual([])
  })

  it('builds once the caches are writable for every user, writing them as that user', async () => {
    const chmod = await stack.run('docker', [
      'exec',
      `${cluster}-control-plane`,
      'chmod',
      '-R',
      'a+rwX',
      NODE_PATHS.mod,
      NODE_PATHS.build
    ])
    expect(chmod.code).toBe(0)
    const result = await build('65532')
    expect(result.output).toContain('go cache use: GOCACHE +')
    expect(result.code).toBe(0)
    const entries = readdirSync(dirs.build).filter((n) =>
      /^[0-9a-f]{2}$/.test(n)
    )
    expect(entries.length).toBeGreaterThan(0)
    expect(statSync(join(dirs.build, entries[0])).uid).toBe(65532)
    expect(existsSync(join(dirs.mod, 'cache', 'download'))).toBe(true)
  })

  it('refuses a user name, which needs the image /etc/passwd', async () => {
    const result = await build('nonroot')
    expect(result.code).toBe(2)
    expect(result.output).toContain(
      "USER nonroot: a user name needs the image's /etc/passwd, which the cluster double does not have"
    )
  })
})
