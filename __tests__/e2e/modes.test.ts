/**
 * The action's other modes end to end, through the committed bundle (dist/)
 * and the local stack: a kind cluster the user created (create-cluster:
 * false), a claim on an existing cluster (cache-volume: pvc:<claim>), Athens
 * with a GitHub token, a go-proxy URL with credentials, and cache: false.
 * Design sections 2, 3 and 5; the cluster is the strict double.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { existsSync, lstatSync, readdirSync, statSync } from 'node:fs'
import { mkdir, readFile, symlink, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { parseAllDocuments } from 'yaml'
import {
  readBuildRecords,
  type BuildRecord,
  type DoubleState
} from '../../test-support/cluster-double/index.js'
import {
  checkoutExamples,
  machineDockerState,
  runExample as runStackExample,
  startLocalStack,
  type LocalStack,
  type MachineSetup
} from '../../test-support/local-stack/index.js'
import {
  STACK_TIMEOUT,
  assertSucceeded,
  goCacheUse,
  jobsTimeout,
  requireEndToEndPrerequisites
} from '../../test-support/local-stack/checks.js'
import {
  REPO_ROOT,
  chownTree,
  runnerUser,
  type ActionRun
} from '../../test-support/runner-harness/index.js'

/**
 * The action under test: this checkout, or a copy of it (action.yml and
 * dist/) named by E2E_ACTION_DIR, e.g. a bundle kept apart while dist/ is
 * being rebuilt.
 */
const ACTION_DIR = process.env.E2E_ACTION_DIR || REPO_ROOT

// Fail loudly, never pass, when what the suite needs is missing.
requireEndToEndPrerequisites(ACTION_DIR)

/** A kind config with none of the action's mounts: a cluster the user made. */
const PLAIN_KIND_CONFIG =
  'kind: Cluster\napiVersion: kind.x-k8s.io/v1alpha4\nnodes:\n  - role: control-plane\n'

let stack: LocalStack
let machines = 0
const runExample: typeof runStackExample = (localStack, options) =>
  runStackExample(localStack, { actionDir: ACTION_DIR, ...options })
const machine = (): string => join(stack.root, `machine-${++machines}`)

beforeAll(async () => {
  stack = await startLocalStack()
}, STACK_TIMEOUT)

afterAll(async () => {
  await stack?.stop()
})

function warnings(run: ActionRun): string[] {
  return [...run.main.annotations, ...run.post.annotations]
    .filter((a) => a.level === 'warning' || a.level === 'error')
    .map((a) => a.message)
}

async function dockerState(where: string): Promise<DoubleState> {
  const text = await machineDockerState(where)
  if (text === '') throw new Error(`no double state on ${where}`)
  return JSON.parse(text) as DoubleState
}

/** The builds the double ran on a machine since a time, oldest first. */
async function buildsSince(
  where: string,
  since: number
): Promise<BuildRecord[]> {
  return (await readBuildRecords(join(where, 'docker'))).filter(
    (b) => b.startedAt >= since
  )
}

/** The one build of a run; fails when there is not exactly one. */
async function onlyBuild(where: string, since: number): Promise<BuildRecord> {
  const builds = await buildsSince(where, since)
  expect(builds).toHaveLength(1)
  return builds[0]
}

/** The patched config the build read (the -f file), parsed. */
function patchedConfig(build: BuildRecord): Record<string, unknown> {
  const file = build.args[build.args.indexOf('-f') + 1]
  const text = build.configTexts[file]
  if (text === undefined) throw new Error(`the build did not read ${file}`)
  const docs = parseAllDocuments(text)
  expect(docs).toHaveLength(1)
  return docs[0].toJS() as Record<string, unknown>
}

function filesUnder(dir: string): number {
  if (!existsSync(dir)) return 0
  let n = 0
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry)
    n += statSync(path).isDirectory() ? filesUnder(path) : 1
  }
  return n
}

/** Every place a secret must never show: logs (but ::add-mask::), summary, outputs. */
function leaks(run: ActionRun, secret: string): string[] {
  const lines = [...run.main.log.split('\n'), ...run.post.log.split('\n')]
    .filter((line) => line.includes(secret))
    .filter((line) => !line.startsWith('::add-mask::'))
    .map((line) => `log: ${line}`)
  if (run.summary.includes(secret)) lines.push('the job summary')
  for (const [name, value] of Object.entries(run.outputs)) {
    if (value.includes(secret)) lines.push(`output ${name}`)
  }
  return lines
}

async function createUserCluster(
  setup: MachineSetup,
  name: string
): Promise<void> {
  const config = join(setup.machine, 'plain-kind.yaml')
  await writeFile(config, PLAIN_KIND_CONFIG)
  await setup.run('kind', [
    'create',
    'cluster',
    '--name',
    name,
    '--config',
    config,
    '--wait',
    '60s'
  ])
}

describe('reuse mode: create-cluster false on a kind cluster the user made', () => {
  const prefix = 'modes-reuse'
  const cluster = 'existing'
  const inputs = {
    'create-cluster': 'false',
    'cluster-name': cluster,
    'cache-key-prefix': prefix,
    // Save on every hit: the warm run's save shows its copy-out worked.
    'save-threshold': 'always'
  }
  let cold: ActionRun
  let warm: ActionRun
  let coldMachine: string
  let warmMachine: string
  let coldStarted = 0

  beforeAll(async () => {
    coldMachine = machine()
    coldStarted = Date.now()
    cold = await runExample(stack, {
      example: 'feed-agg',
      machine: coldMachine,
      runId: 1101,
      inputs,
      beforeAction: (setup) => createUserCluster(setup, cluster)
    })
    assertSucceeded(cold)
    warmMachine = machine()
    warm = await runExample(stack, {
      example: 'feed-agg',
      machine: warmMachine,
      runId: 1102,
      inputs,
      beforeAction: (setup) => createUserCluster(setup, cluster)
    })
    assertSucceeded(warm)
  }, jobsTimeout(2))

  it('builds cold in the node of the existing cluster, with the caches copied in by docker cp', async () => {
    expect(cold.outputs['mod-cache-hit']).toBe('miss')
    expect(cold.outputs['build-cache-hit']).toBe('miss')
    expect(goCacheUse(cold)).toBeGreaterThan(100)
    const build = await onlyBuild(coldMachine, coldStarted)
    expect(build.kubeContext).toBe(`kind-${cluster}`)
    expect(build.args).toEqual(
      expect.arrayContaining(['--kube-context', `kind-${cluster}`])
    )
    // The node has no extraMount: the caches live in the node's own
    // filesystem, where docker cp put them.
    const nodeRoot = join(
      coldMachine,
      'docker',
      'nodes',
      `${cluster}-control-plane`,
      'rootfs'
    )
    expect(build.artifacts).toHaveLength(1)
    expect(
      build.artifacts[0].mounts.map((m) => [m.backing, m.runnerPath])
    ).toEqual(
      expect.arrayContaining([
        ['node', join(nodeRoot, 'var/lib/skaffold-kaniko-cache/gomodcache')],
        ['node', join(nodeRoot, 'var/lib/skaffold-kaniko-cache/gobuildcache')]
      ])
    )
    expect(cold.main.log).toContain(`Reuse kind cluster ${cluster}`)
    expect(warnings(cold)).toEqual([])
  })

  it('copies the caches back out in post and saves them', () => {
    // Post copied the node's caches to the runner dirs, then saved them.
    const runnerBuild = join(
      coldMachine,
      'home',
      '.cache',
      'skaffold-kaniko-cache',
      cluster,
      'gobuildcache'
    )
    expect(filesUnder(runnerBuild)).toBeGreaterThan(100)
    const saved = stack.cacheService
      .entries()
      .filter((e) => e.state === 'final' && e.key.startsWith(`${prefix}-`))
      .map((e) => e.key.split('-')[2])
      .sort()
    expect(saved).toEqual(['gobuild', 'gomod', 'gobuild'].sort())
  })

  it('restores both caches on the next runner, copies them into its node and builds warm', () => {
    expect(warm.outputs['mod-cache-hit']).toBe('exact')
    expect(warm.outputs['build-cache-hit']).toBe('partial')
    expect(goCacheUse(warm)).toBeLessThanOrEqual(8)
    expect(goCacheUse(cold)).toBeGreaterThan(50 * Math.max(1, goCacheUse(warm)))
  })

  it("leaves the user's cluster in place and removes only what it started", async () => {
    for (const where of [coldMachine, warmMachine]) {
      const state = await dockerState(where)
      expect(Object.keys(state.clusters)).toEqual([cluster])
      expect(state.clusters[cluster].nodes.map((n) => n.name)).toEqual([
        `${cluster}-control-plane`
      ])
      // The registry the action started is gone with the job.
      expect(Object.keys(state.containers)).toEqual([])
    }
    expect(cold.post.log).not.toMatch(/Deleting cluster/)
  })
})

describe('existing-cluster mode: cache-volume pvc:go-caches', () => {
  const claim = 'go-caches'
  const cluster = 'users-cluster'
  const inputs = {
    'cache-volume': `pvc:${claim}`,
    'create-cluster': 'false',
    // A real cluster pushes to a real registry, not the action's kind one.
    registry: 'false',
    'default-repo': 'registry.example.test/team'
  }
  let where: string
  let runs: ActionRun[] = []
  let builds: BuildRecord[] = []
  let cacheRequests = -1
  let kindDownloads = -1

  beforeAll(async () => {
    where = machine()
    const started = Date.now()
    const requestsBefore = stack.cacheService.requests.length
    const downloadsBefore = stack.downloadServer.requests.length
    const first = await runExample(stack, {
      example: 'feed-agg',
      machine: where,
      runId: 1201,
      inputs,
      // The user's cluster: its context is the current one, the build's
      // namespace and the ReadWriteMany claim exist before the job.
      beforeAction: async (setup) => {
        await createUserCluster(setup, cluster)
        await setup.run('kubectl', [
          '--context',
          `kind-${cluster}`,
          'create',
          'namespace',
          'skaffold'
        ])
        await setup.run(
          'kubectl',
          ['--context', `kind-${cluster}`, 'apply', '-f', '-'],
          {
            stdin: `apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata:\n  name: ${claim}\n  namespace: skaffold\nspec:\n  accessModes: [ReadWriteMany]\n  resources:\n    requests:\n      storage: 5Gi\n`
          }
        )
      }
    })
    assertSucceeded(first)
    const second = await runExample(stack, {
      example: 'feed-agg',
      machine: where,
      runId: 1202,
      inputs
    })
    assertSucceeded(second)
    runs = [first, second]
    builds = await buildsSince(where, started)
    cacheRequests = stack.cacheService.requests.length - requestsBefore
    kindDownloads = stack.downloadServer.requests
      .slice(downloadsBefore)
      .filter((r) => JSON.stringify(r).includes('kind')).length
  }, jobsTimeout(2))

  it('asks the cache service nothing and installs no kind', () => {
    expect(cacheRequests).toBe(0)
    expect(kindDownloads).toBe(0)
    for (const run of runs) {
      expect(run.main.log).not.toMatch(/^kind v/m)
      expect(run.outputs['mod-cache-hit']).toBe('disabled')
      expect(run.outputs['build-cache-hit']).toBe('disabled')
    }
  })

  it('runs skaffold in the current context, without --kube-context', () => {
    expect(builds).toHaveLength(2)
    for (const build of builds) {
      expect(build.args).not.toContain('--kube-context')
      expect(build.kubeContext).toBe(`kind-${cluster}`)
    }
  })

  it('mounts one claim volume twice, a subPath per cache', async () => {
    const state = await dockerState(where)
    const dataDir =
      state.clusters[cluster].claims?.[`skaffold/${claim}`]?.dataDir
    expect(dataDir).toBeDefined()
    for (const build of builds) {
      const config = patchedConfig(build) as {
        build: {
          cluster: { volumes: unknown[] }
          artifacts: { kaniko: { volumeMounts: unknown[] } }[]
        }
      }
      expect(config.build.cluster.volumes).toEqual([
        { name: 'go-caches', persistentVolumeClaim: { claimName: claim } }
      ])
      expect(config.build.artifacts[0].kaniko.volumeMounts).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ name: 'go-caches', subPath: 'gomodcache' }),
          expect.objectContaining({
            name: 'go-caches',
            subPath: 'gobuildcache'
          })
        ])
      )
      expect(
        build.artifacts[0].mounts.map((m) => [m.backing, m.runnerPath]).sort()
      ).toEqual([
        ['pvc', join(dataDir as string, 'gobuildcache')],
        ['pvc', join(dataDir as string, 'gomodcache')]
      ])
    }
    expect(filesUnder(join(dataDir as string, 'gobuildcache'))).toBeGreaterThan(
      100
    )
  })

  it('builds warm the second time: the caches live in the cluster', () => {
    expect(goCacheUse(runs[0])).toBeGreaterThan(100)
    expect(goCacheUse(runs[1])).toBeLessThanOrEqual(8)
  })

  it('says in the summary that the caches live on the claim, not in the Actions cache', () => {
    for (const run of runs) {
      expect(run.summary).toContain(
        `Caches live in the cluster on the ReadWriteMany claim <code>${claim}</code>; the Actions cache is not used.`
      )
      expect(warnings(run)).toEqual([])
    }
  })

  it(
    'never points the build at the kind registry it did not start (registry left at its default)',
    async () => {
      const run = await runExample(stack, {
        example: 'feed-agg',
        machine: where,
        runId: 1203,
        inputs: { 'cache-volume': `pvc:${claim}`, 'create-cluster': 'false' }
      })
      const command = run.main.log
        .split('\n')
        .find((line) => line.startsWith('skaffold build '))
      expect(command).toBeDefined()
      expect(command).not.toContain('-registry:')
      expect(command).not.toContain('--default-repo')
      expect(command).not.toContain('--insecure-registry')
    },
    jobsTimeout(1)
  )

  it("leaves the user's cluster and claim alone", async () => {
    const state = await dockerState(where)
    expect(Object.keys(state.clusters)).toEqual([cluster])
    expect(Object.keys(state.clusters[cluster].claims ?? {})).toEqual([
      `skaffold/${claim}`
    ])
    expect(Object.keys(state.containers)).toEqual([])
  })
})

describe('athens: true with a GitHub token', () => {
  const token = 'ghp_FakeTokenForTheModesSuite0123456789'
  let run: ActionRun
  let where: string
  let build: BuildRecord
  let proxyRequests = 0

  beforeAll(async () => {
    where = machine()
    const started = Date.now()
    const before = stack.moduleProxy.requests.length
    run = await runExample(stack, {
      example: 'shortener',
      machine: where,
      runId: 1301,
      // cleanup: false keeps the cluster and the registry, never Athens,
      // which holds the token.
      inputs: {
        athens: 'true',
        cleanup: 'false',
        'cache-key-prefix': 'modes-athens'
      },
      env: { GITHUB_TOKEN: token }
    })
    assertSucceeded(run)
    build = await onlyBuild(where, started)
    proxyRequests = stack.moduleProxy.requests.length - before
  }, jobsTimeout(1))

  it('builds through the Athens container on the kind network', async () => {
    const state = await dockerState(where)
    const athens = state.removedContainers?.find(
      (c) => c.name === 'skaffold-kaniko-cache-athens'
    )
    expect(athens).toEqual(
      expect.objectContaining({
        image: expect.stringMatching(/^gomods\/athens:/),
        running: true,
        networks: ['kind']
      })
    )
    expect(build.artifacts[0].buildArgs.GOPROXY).toBe(
      'http://skaffold-kaniko-cache-athens:3000'
    )
    // The double maps athens to the module proxy: the modules came that way.
    expect(run.main.log).toContain(`go proxy: GOPROXY=${stack.moduleProxy.url}`)
    expect(proxyRequests).toBeGreaterThan(0)
    expect(goCacheUse(run)).toBeGreaterThan(0)
  })

  it('gives the token to Athens only, and removes Athens in post even with cleanup: false', async () => {
    const state = await dockerState(where)
    expect(Object.keys(state.containers)).toEqual([
      'skaffold-kaniko-cache-registry'
    ])
    expect(state.clusters['skaffold-kaniko-cache']).toBeDefined()
    const athens = state.removedContainers?.find(
      (c) => c.name === 'skaffold-kaniko-cache-athens'
    )
    expect(athens?.env).toContain(`ATHENS_GITHUB_TOKEN=${token}`)
    // Athens fetches public modules through the public proxy, not from VCS.
    expect(athens?.env).toContain(
      'ATHENS_GO_BINARY_ENV_VARS=GOPROXY=https://proxy.golang.org,direct'
    )
    for (const text of Object.values(build.configTexts)) {
      expect(text).not.toContain(token)
    }
    expect(JSON.stringify(build.artifacts)).not.toContain(token)
    expect(build.args.join(' ')).not.toContain(token)
    expect(leaks(run, token)).toEqual([])
    expect(run.main.log).toContain(`::add-mask::${token}`)
  })
})

describe('a go-proxy URL with credentials', () => {
  const secret = 's3cret-value'
  // HTTPS: Go refuses to send credentials over plain HTTP ("refusing to pass
  // credentials to insecure URL"). The double reaches this host through the
  // module proxy, which ignores credentials.
  const proxyHost = 'goproxy.corp.test'
  const proxyUrl = `https://bot:${secret}@${proxyHost}/`
  let run: ActionRun
  let build: BuildRecord
  let proxyRequests = 0

  beforeAll(async () => {
    const where = machine()
    const started = Date.now()
    const before = stack.moduleProxy.requests.length
    run = await runExample(stack, {
      example: 'shortener',
      machine: where,
      runId: 1401,
      inputs: {
        'go-proxy': proxyUrl,
        'cache-key-prefix': 'modes-proxy',
        // The double's knob reaches skaffold only when named.
        'pass-env': 'CLUSTER_DOUBLE_PROXY_HOSTS'
      },
      env: { CLUSTER_DOUBLE_PROXY_HOSTS: proxyHost }
    })
    assertSucceeded(run)
    build = await onlyBuild(where, started)
    proxyRequests = stack.moduleProxy.requests.length - before
  }, jobsTimeout(1))

  it('passes the URL to the build as GOPROXY and builds through it', () => {
    expect(build.artifacts[0].buildArgs.GOPROXY).toBe(proxyUrl)
    expect(run.main.log).toContain(
      `go proxy: GOPROXY=${stack.moduleProxy.url} (declared https://`
    )
    expect(proxyRequests).toBeGreaterThan(0)
    expect(goCacheUse(run)).toBeGreaterThan(100)
  })

  it('shows the password nowhere but in ::add-mask::', () => {
    expect(leaks(run, secret)).toEqual([])
    expect(
      run.main.log
        .split('\n')
        .some((l) => l.startsWith('::add-mask::') && l.includes(secret))
    ).toBe(true)
  })
})

describe('a Go stage with a non-root USER', () => {
  it(
    'builds and saves: the cache dirs are opened to that user before the build',
    async () => {
      const where = machine()
      const workspace = await checkoutExamples(where)
      const dockerfile = join(workspace, 'examples', 'shortener', 'Dockerfile')
      // kaniko runs RUN as the stage's USER; / is root's, /tmp is for all.
      await writeFile(
        dockerfile,
        (await readFile(dockerfile, 'utf8'))
          .replace('RUN go build', 'USER 65532\nRUN go build')
          .replace(/\/out\/shortener/g, '/tmp/shortener')
      )
      const run = await runExample(stack, {
        example: 'shortener',
        machine: where,
        workspace,
        runId: 1601,
        inputs: { 'cache-key-prefix': 'modes-user' }
      })
      assertSucceeded(run)
      expect(goCacheUse(run)).toBeGreaterThan(100)
      expect(run.main.log).toMatch(
        /Dockerfile:\d+: stage "build" runs Go at line \d+ as USER 65532 \(line \d+\).*; the cache dirs are writable for every user/
      )
      expect(warnings(run)).toEqual([])
      const saved = stack.cacheService
        .entries()
        .filter((e) => e.state === 'final' && e.key.startsWith('modes-user-'))
      expect(saved).toHaveLength(2)
    },
    jobsTimeout(1)
  )
})

describe('cache: false', () => {
  it(
    'builds with no cache service request and says the cache is off',
    async () => {
      const before = stack.cacheService.requests.length
      const run = await runExample(stack, {
        example: 'shortener',
        machine: machine(),
        runId: 1501,
        inputs: { cache: 'false' }
      })
      assertSucceeded(run)
      expect(stack.cacheService.requests.length - before).toBe(0)
      expect(run.summary).toContain(
        'The Actions cache is off for this job (<code>cache: false</code>).'
      )
      expect(goCacheUse(run)).toBeGreaterThan(100)
      expect(run.outputs['mod-cache-hit']).toBe('disabled')
      expect(run.outputs['build-cache-hit']).toBe('disabled')
      expect(JSON.parse(run.outputs.images)).toEqual([
        expect.objectContaining({ imageName: 'shortener' })
      ])
    },
    jobsTimeout(1)
  )

  it(
    'builds with empty cache dirs, whatever a previous job left in them',
    async () => {
      const where = machine()
      const dirs = join(
        where,
        'home/.cache/skaffold-kaniko-cache/skaffold-kaniko-cache'
      )
      const planted = join(dirs, 'gobuildcache/00', `${'0'.repeat(64)}-d`)
      const run = await runExample(stack, {
        example: 'shortener',
        machine: where,
        runId: 1502,
        inputs: { cache: 'false' },
        beforeAction: async () => {
          await mkdir(join(dirs, 'gobuildcache/00'), { recursive: true })
          await writeFile(planted, 'left by another job')
          await mkdir(join(dirs, 'gomodcache'), { recursive: true })
          await symlink(where, join(dirs, 'gomodcache/cache'))
          // A previous job's post handed its files to the runner user.
          const user = runnerUser()
          if (user) await chownTree(join(where, 'home/.cache'), user)
        }
      })
      assertSucceeded(run)
      expect(existsSync(planted)).toBe(false)
      expect(existsSync(join(dirs, 'gomodcache/cache/download'))).toBe(true)
      expect(lstatSync(join(dirs, 'gomodcache/cache')).isDirectory()).toBe(true)
      expect(existsSync(join(where, 'cache/download'))).toBe(false)
    },
    jobsTimeout(1)
  )
})
