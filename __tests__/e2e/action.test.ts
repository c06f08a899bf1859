/**
 * The whole action end to end: the committed bundle (dist/), run by the
 * runner harness against the local stack (real cache protocol and client,
 * real tool installs, real Go builds; the cluster is the strict double).
 * Design sections 2, 5 and 6; issue "The whole action end to end", item 8.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { existsSync } from 'node:fs'
import { readdir, readFile, writeFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { readBuildRecords } from '../../test-support/cluster-double/index.js'
import {
  checkoutExamples,
  machineDockerState,
  runExample,
  startLocalStack,
  type LocalStack
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
  type ActionRun
} from '../../test-support/runner-harness/index.js'
import {
  readCommandLog,
  type LoggedCommand
} from '../../test-support/cluster-double/index.js'
import { STATE_NAME, parseState } from '../../src/state.js'
import { speedUpLine } from '../../src/summary.js'

// Fail loudly, never pass, when what the suite needs is missing.
requireEndToEndPrerequisites(REPO_ROOT)

let stack: LocalStack
let machines = 0
const machine = (): string => join(stack.root, `machine-${++machines}`)

beforeAll(async () => {
  stack = await startLocalStack()
}, STACK_TIMEOUT)

afterAll(async () => {
  await stack?.stop()
})

function entries(prefix: string, kind: 'gomod' | 'gobuild') {
  return stack.cacheService
    .entries()
    .filter(
      (e) => e.state === 'final' && e.key.startsWith(`${prefix}-${kind}-`)
    )
}

function warnings(run: ActionRun): string[] {
  return [...run.main.annotations, ...run.post.annotations]
    .filter((a) => a.level === 'warning' || a.level === 'error')
    .map((a) => a.message)
}

function createRequests(since: number): number {
  return stack.cacheService.requests
    .slice(since)
    .filter((r) => r.twirp === 'CreateCacheEntry').length
}

describe('cold, then warm on a fresh runner', () => {
  const prefix = 'e2e-warm'
  let cold: ActionRun
  let warm: ActionRun
  let coldMachine = ''

  beforeAll(async () => {
    coldMachine = machine()
    cold = await runExample(stack, {
      example: 'feed-agg',
      machine: coldMachine,
      runId: 101,
      inputs: { 'cache-key-prefix': prefix }
    })
    assertSucceeded(cold)
    afterCold = {
      mod: entries(prefix, 'gomod').length,
      build: entries(prefix, 'gobuild').length
    }
    const before = stack.cacheService.requests.length
    warmMachine = machine()
    warm = await runExample(stack, {
      example: 'feed-agg',
      machine: warmMachine,
      runId: 102,
      inputs: { 'cache-key-prefix': prefix }
    })
    assertSucceeded(warm)
    warmCreates = createRequests(before)
  }, jobsTimeout(2))
  let warmCreates = 0
  let warmMachine = ''
  let afterCold = { mod: 0, build: 0 }

  it('builds cold first and saves both caches', () => {
    expect(cold.outputs['mod-cache-hit']).toBe('miss')
    expect(cold.outputs['build-cache-hit']).toBe('miss')
    expect(goCacheUse(cold)).toBeGreaterThan(100)
    expect(afterCold).toEqual({ mod: 1, build: 1 })
    expect(JSON.parse(cold.outputs.images)).toEqual([
      expect.objectContaining({
        imageName: 'feed-agg',
        tag: expect.stringMatching(
          /^skaffold-kaniko-cache-registry:5000\/feed-agg:.+@sha256:/
        )
      })
    ])
  })

  it('restores both caches on the next runner and builds warm', () => {
    expect(warm.outputs['mod-cache-hit']).toBe('exact')
    expect(warm.outputs['build-cache-hit']).toBe('partial')
    // Warm: nothing but the main package's final link is new. (The double
    // maps pod paths to each runner machine's own dirs, which that link's
    // inputs include; real kaniko sees the same /var/run paths every time.)
    expect(goCacheUse(warm)).toBeLessThanOrEqual(8)
    // Warmth is judged by what Go compiled, never by the clock: on a loaded
    // machine a warm build can take longer than the cold one did.
    expect(goCacheUse(cold)).toBeGreaterThan(50 * Math.max(1, goCacheUse(warm)))
  })

  it('says so in the job summary, with the speed-up against the cold build', () => {
    expect(warm.summary).toContain('exact hit')
    expect(warm.summary).toContain('partial hit')
    // The cold build's time came back with the build cache's stats file;
    // the speed-up line is what those two times give (none when the warm
    // build was not faster, which a loaded machine can cause).
    const state = parseState(warm.state[STATE_NAME] ?? '')
    expect(state?.lastColdSeconds).toBeCloseTo(
      Number(cold.outputs['build-time']),
      0
    )
    const line = speedUpLine(state?.build?.seconds ?? 0, state?.lastColdSeconds)
    expect(
      warm.summary.includes(line || 'faster than the last cold build')
    ).toBe(line !== '')
    expect(warm.summary).toContain(
      '<h2>skaffold-kaniko-cache: examples/feed-agg/skaffold.yaml</h2>'
    )
  })

  it("lists kaniko's own cost: the example's useNewRun with singleSnapshot, its -alpine build stage base, nothing to save", () => {
    for (const run of [cold, warm]) {
      const section = /<h3>kaniko's own cost<\/h3><ul>(.*?)<\/ul>/.exec(
        run.summary
      )?.[1]
      expect(section).toMatch(
        /<li>examples\/feed-agg\/skaffold\.yaml:\d+: artifact &quot;feed-agg&quot;: useNewRun does nothing useful with singleSnapshot/
      )
      expect(section).toMatch(
        /<li>examples\/feed-agg\/Dockerfile:\d+: stage &quot;build&quot; builds Go on golang:1\.19-alpine: kaniko unpacks it on every build/
      )
      // A distroless final stage: reproducible is not worth a hint.
      expect(section).not.toMatch(/would save about|reproducible/)
    }
  })

  it('uploads nothing: the module cache is an exact hit, the build added too little to save', () => {
    expect(warmCreates).toBe(0)
    expect(entries(prefix, 'gomod')).toHaveLength(1)
    expect(entries(prefix, 'gobuild')).toHaveLength(1)
    expect(warm.summary).toContain('restored from its exact key')
    expect(warm.summary).toMatch(
      /not saved: [\d.]+ (B|KiB) new of [\d.]+ MiB, below save-threshold 1\.0 MiB/
    )
  })

  it("keeps the patched copy out of the image: `COPY . .` takes the user's files only", async () => {
    // examples/feed-agg has no .dockerignore and copies its whole context.
    const builds = await readBuildRecords(join(coldMachine, 'docker'))
    expect(builds).toHaveLength(1)
    const files = builds[0].artifacts[0].contextFiles ?? []
    expect(files).toEqual(expect.arrayContaining(['main.go', 'go.mod']))
    expect(files.filter((f) => f.includes('skaffold-kaniko-cache'))).toEqual([])
    expect(files.filter((f) => f.endsWith('.dockerignore'))).toEqual([])
  })

  it('starts at most 11 tool processes in the warm run (main and post)', async () => {
    // The machine's docker daemon logs every docker, kind, kubectl and
    // skaffold process that reached it; the action runs no version command.
    const commands = await readCommandLog(join(warmMachine, 'docker'))
    const listed = commands.map(commandLine)
    process.stdout.write(
      `warm run: ${listed.length} tool processes\n${listed.map((l) => `  ${l}\n`).join('')}`
    )
    expect(listed.length <= 11 ? [] : listed).toEqual([])
    // One call where two were made: no namespace lookup before the apply,
    // one cluster listing, no inspection of what the run itself created.
    expect(listed.filter((l) => /^kubectl .* get namespace/.test(l))).toEqual(
      []
    )
    expect(listed.filter((l) => l === 'kind get clusters').length).toBe(1)
    expect(listed.filter((l) => l.startsWith('docker inspect'))).toEqual([])
  })

  it('leaves no patched copy and no cluster behind', async () => {
    for (const run of [cold, warm]) {
      expect(run.outputs['patched-skaffold-file']).toMatch(
        /examples\/feed-agg\/\.skaffold-kaniko-cache\.skaffold\.yaml$/
      )
      expect(existsSync(run.outputs['patched-skaffold-file'])).toBe(false)
      expect(
        existsSync(
          join(
            dirname(run.outputs['patched-skaffold-file']),
            'Dockerfile.dockerignore'
          )
        )
      ).toBe(false)
    }
    const state = await machineDockerState(warmMachine)
    expect(state).not.toContain('skaffold-kaniko-cache-control-plane')
  })
})

function commandLine(command: LoggedCommand): string {
  return [command.tool, ...command.args].join(' ')
}

describe('a matrix over two services', () => {
  it(
    'shares one module cache and keeps a build cache per service',
    async () => {
      const prefix = 'e2e-matrix'
      const runs = await Promise.all(
        ['feed-agg', 'shortener'].map((example, i) =>
          runExample(stack, {
            example,
            machine: machine(),
            runId: 200 + i,
            inputs: { 'cache-key-prefix': prefix }
          })
        )
      )
      runs.forEach(assertSucceeded)
      expect(entries(prefix, 'gomod')).toHaveLength(1)
      const builds = entries(prefix, 'gobuild').map((e) => e.key)
      expect(builds).toHaveLength(2)
      expect(
        builds.some((k) => k.includes('(examples/feed-agg/skaffold.yaml)'))
      ).toBe(true)
      expect(
        builds.some((k) => k.includes('(examples/shortener/skaffold.yaml)'))
      ).toBe(true)
      expect(runs[0].summary).toContain('feed-agg')
      expect(runs[1].summary).toContain('shortener')
    },
    jobsTimeout(2)
  )
})

describe('save policy on a pull request', () => {
  it(
    'restores on a non-default branch but saves nothing (save-cache: auto)',
    async () => {
      const before = stack.cacheService.requests.length
      const run = await runExample(stack, {
        example: 'feed-agg',
        machine: machine(),
        event: 'pull-request',
        runId: 301,
        inputs: { 'cache-key-prefix': 'e2e-warm' }
      })
      assertSucceeded(run)
      expect(run.outputs['mod-cache-hit']).toBe('exact')
      expect(createRequests(before)).toBe(0)
      expect(run.summary).toMatch(
        /save-cache is auto and this run is a pull_request event; auto saves on push, schedule, workflow_dispatch only/
      )
    },
    jobsTimeout(1)
  )
})

describe('a cache service that is down', () => {
  it(
    'builds cold, stays green and warns once',
    async () => {
      const run = await runExample(stack, {
        example: 'shortener',
        machine: machine(),
        runId: 401,
        noCacheService: true,
        env: {
          ACTIONS_CACHE_SERVICE_V2: 'true',
          // A port nothing listens on: connection refused, as when the service is down.
          ACTIONS_RESULTS_URL: 'http://127.0.0.1:9/',
          ACTIONS_RUNTIME_TOKEN: 'token'
        }
      })
      assertSucceeded(run)
      expect(run.outputs['mod-cache-hit']).toBe('miss')
      expect(run.outputs['build-cache-hit']).toBe('miss')
      expect(goCacheUse(run)).toBeGreaterThan(0)
      const cacheWarnings = warnings(run).filter((w) => /cache/i.test(w))
      expect(cacheWarnings).toHaveLength(1)
      expect(run.summary).toContain(
        'the cache service failed during the restore'
      )
    },
    jobsTimeout(1)
  )
})

describe('a cache service that accepts connections and never answers', () => {
  it('gives up at cache-timeout, builds cold, stays green, warns once, and main exits', async () => {
    stack.cacheService.setFault({ neverAnswer: 'all' })
    try {
      const run = await runExample(stack, {
        example: 'shortener',
        machine: machine(),
        runId: 402,
        inputs: { 'cache-key-prefix': 'e2e-hang', 'cache-timeout': '5' }
      })
      assertSucceeded(run)
      expect(run.outputs['mod-cache-hit']).toBe('miss')
      expect(run.outputs['build-cache-hit']).toBe('miss')
      expect(goCacheUse(run)).toBeGreaterThan(0)
      const cacheWarnings = warnings(run).filter((w) => /cache/i.test(w))
      expect(cacheWarnings).toEqual([
        expect.stringMatching(
          /module cache: the cache lookup got no answer within 5 s; building cold \(the input 'cache-timeout' sets this limit\)/
        )
      ])
      expect(run.summary).toContain(
        'the cache service failed during the restore'
      )
    } finally {
      stack.cacheService.clearFaults()
    }
  }, 300_000)
})

describe('failures', () => {
  it(
    'a build that fails fails the step with the compiler error; post cleans up and reports',
    async () => {
      const where = machine()
      const workspace = await checkoutExamples(where)
      const mainGo = join(workspace, 'examples', 'shortener', 'main.go')
      await writeFile(
        mainGo,
        `${await readFile(mainGo, 'utf8')}\nfunc broken() { undefinedThing() }\n`
      )
      const run = await runExample(stack, {
        example: 'shortener',
        machine: where,
        workspace,
        runId: 501,
        inputs: { 'cache-key-prefix': 'e2e-fail' }
      })
      expect(run.main.exitCode).toBe(1)
      const error = run.main.annotations.find((a) => a.level === 'error')
      expect(error?.message).toMatch(/skaffold build failed \(exit 1\)/)
      expect(error?.message).toContain('undefined: undefinedThing')
      expect(run.post.exitCode).toBe(0)
      expect(run.summary).toContain('Build failed after')
      expect(run.summary).toContain('not saved: the build failed')
      expect(entries('e2e-fail', 'gobuild')).toHaveLength(0)
      const dir = await readdir(join(workspace, 'examples', 'shortener'))
      expect(dir.filter((f) => f.startsWith('.skaffold-kaniko-cache'))).toEqual(
        []
      )
      expect(await machineDockerState(where)).not.toContain('control-plane')
    },
    jobsTimeout(1)
  )

  it(
    'a bad skaffold config fails clearly before anything is created',
    async () => {
      const where = machine()
      const workspace = await checkoutExamples(where)
      const config = join(workspace, 'examples', 'feed-agg', 'skaffold.yaml')
      await writeFile(
        config,
        'apiVersion: skaffold/v4beta14\nkind: Config\nbuild:\n  artifacts: [\n'
      )
      const before = stack.downloadServer.requests.length
      const run = await runExample(stack, {
        example: 'feed-agg',
        machine: where,
        workspace,
        runId: 601
      })
      expect(run.main.exitCode).toBe(1)
      const error = run.main.annotations.find((a) => a.level === 'error')
      expect(error?.message).toMatch(/skaffold\.yaml:\d+(:\d+)?: /)
      expect(error?.message).not.toMatch(/\n\s+at /)
      expect(run.post.exitCode).toBe(0)
      // Nothing downloaded, no cluster, no copy.
      expect(stack.downloadServer.requests.length).toBe(before)
      expect(await machineDockerState(where)).toBe('')
      const dir = await readdir(join(workspace, 'examples', 'feed-agg'))
      expect(dir.filter((f) => f.startsWith('.skaffold-kaniko-cache'))).toEqual(
        []
      )
    },
    jobsTimeout(1)
  )
})
