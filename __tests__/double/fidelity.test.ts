/**
 * The double's skaffold as strict as the real tools: it tags images as
 * skaffold's default gitCommit tagger does (skaffold
 * pkg/skaffold/tag/git_commit.go), honours build.insecureRegistries
 * (pkg/skaffold/runner/runcontext/context.go), and fails multi-stage kaniko
 * builds on kind without ignorePaths: [/product_uuid] (kaniko issue 2164).
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { spawnSync } from 'node:child_process'
import { appendFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { parse, stringify } from 'yaml'
import { NODE_PATHS, POD_PATHS, VOLUME_NAMES } from '../../src/cache/paths.js'
import { DEFAULT_PATCH_OPTIONS } from '../../src/skaffold/options.js'
import { patchSkaffoldText } from '../../src/skaffold/patch.js'
import {
  goCachesLine,
  kindConfig,
  seedDockerfile,
  skaffoldConfig,
  startDoubleStack,
  writeHelloService,
  type ArtifactLinks,
  type DoubleStack
} from './stack.js'

interface Config {
  apiVersion: string
  build: Record<string, unknown> & {
    artifacts: { kaniko: Record<string, unknown> }[]
  }
}

let stack: DoubleStack
let links: ArtifactLinks
let serial = 0

const REGISTRY = 'kind-registry:5000'
const ARGS = [
  'GOPROXY=https://proxy.golang.org,direct',
  'GOMODCACHE=/go/pkg/mod',
  'GOCACHE=/root/.cache/go-build'
]

function git(cwd: string, args: string[]): string {
  const result = spawnSync('git', args, { cwd, encoding: 'utf8' })
  if (result.status !== 0)
    throw new Error(`git ${args.join(' ')}: ${result.stderr}`)
  return result.stdout.trim()
}

async function must(tool: string, args: string[]): Promise<void> {
  const result = await stack.run(tool, args)
  if (result.code !== 0)
    throw new Error(`${tool} ${args.join(' ')}: ${result.stderr}`)
}

function service(
  build: Record<string, unknown> = {},
  edit: (config: Config) => void = () => undefined
): string {
  const config = parse(skaffoldConfig('hello', links)) as Config
  Object.assign(config.build, build)
  edit(config)
  return writeHelloService(
    join(stack.root, `svc-${++serial}`),
    seedDockerfile(ARGS),
    stringify(config)
  )
}

async function build(dir: string, extra: string[] = []) {
  const result = await stack.run(
    'skaffold',
    [
      'build',
      '-f',
      'skaffold.yaml',
      '--file-output',
      'out.json',
      '--kube-context',
      'kind-tags',
      '--default-repo',
      REGISTRY,
      ...extra
    ],
    { cwd: dir }
  )
  const output = result.stdout + result.stderr
  if (result.code !== 0) return { code: result.code, output, tag: '' }
  const out = JSON.parse(readFileSync(join(dir, 'out.json'), 'utf8')) as {
    builds: { tag: string }[]
  }
  return { code: 0, output, tag: out.builds[0].tag.split('@')[0] }
}

beforeAll(async () => {
  stack = await startDoubleStack()
  const runner = {
    mod: join(stack.root, 'runner/gomodcache'),
    build: join(stack.root, 'runner/gobuildcache')
  }
  mkdirSync(runner.mod, { recursive: true })
  mkdirSync(runner.build, { recursive: true })
  const config = join(stack.root, 'kind-tags.yaml')
  writeFileSync(
    config,
    kindConfig([
      { hostPath: runner.mod, containerPath: NODE_PATHS.mod },
      { hostPath: runner.build, containerPath: NODE_PATHS.build }
    ])
  )
  await must('kind', [
    'create',
    'cluster',
    '--name',
    'tags',
    '--config',
    config,
    '--wait',
    '60s'
  ])
  await must('docker', [
    'run',
    '-d',
    '--restart=always',
    '--name',
    'kind-registry',
    '--network',
    'kind',
    '-p',
    '5000:5000',
    'registry:2'
  ])
  links = {
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
  }
}, 120_000)

afterAll(async () => {
  await stack?.stop()
})

describe('cluster double: image tags', () => {
  it('tags with git describe, -dirty while git sees an untracked file, clean once it is excluded', async () => {
    const dir = service()
    git(dir, ['init', '-q'])
    git(dir, ['add', '.'])
    git(dir, [
      '-c',
      'user.name=t',
      '-c',
      'user.email=t@example.com',
      'commit',
      '-qm',
      'hello'
    ])
    const ref = git(dir, ['describe', '--tags', '--always'])
    // out.json is written after the tags are generated; exclude it up front.
    appendFileSync(join(dir, '.git/info/exclude'), '/out.json\n')

    const clean = await build(dir, ['--insecure-registry', REGISTRY])
    expect(clean).toEqual(
      expect.objectContaining({ code: 0, tag: `${REGISTRY}/hello:${ref}` })
    )

    writeFileSync(join(dir, '.patched.skaffold.yaml'), 'x')
    const dirty = await build(dir, ['--insecure-registry', REGISTRY])
    expect(dirty.tag).toBe(`${REGISTRY}/hello:${ref}-dirty`)

    appendFileSync(join(dir, '.git/info/exclude'), '/.patched.skaffold.yaml\n')
    const excluded = await build(dir, ['--insecure-registry', REGISTRY])
    expect(excluded.tag).toBe(`${REGISTRY}/hello:${ref}`)
  }, 300_000)

  it('falls back to latest outside a git repository, as skaffold does', async () => {
    const result = await build(service(), ['--insecure-registry', REGISTRY])
    expect(result.tag).toBe(`${REGISTRY}/hello:latest`)
    expect(result.output).toContain('Some taggers failed.')
  }, 300_000)

  it('honours build.insecureRegistries for the push', async () => {
    const listed = await build(service({ insecureRegistries: [REGISTRY] }))
    expect(listed.code).toBe(0)
    const unlisted = await build(service())
    expect(unlisted.code).not.toBe(0)
    expect(unlisted.output).toContain(
      'server gave HTTP response to HTTPS client'
    )
  }, 300_000)
})

// kind's mount-product-files.sh puts /product_uuid in every container's root;
// kaniko cannot remove it between stages (kaniko issue 2164, pkg/executor/build.go).
describe('cluster double: kind product files and multi-stage builds', () => {
  const withoutIgnorePaths =
    (apiVersion: string) =>
    (config: Config): void => {
      config.apiVersion = apiVersion
      delete config.build.artifacts[0].kaniko.ignorePaths
    }
  const insecure = ['--insecure-registry', REGISTRY]

  it.each(['skaffold/v2beta16', 'skaffold/v4beta14'])(
    'fails a multi-stage build at %s without ignorePaths, after the first stage',
    async (apiVersion) => {
      const result = await build(
        service({}, withoutIgnorePaths(apiVersion)),
        insecure
      )
      expect(result.code).toBe(1)
      expect(result.output).toContain(
        'error building image: deleting file system after stage 0: unlinkat //product_uuid: device or resource busy'
      )
    },
    300_000
  )

  it('builds a single stage without ignorePaths, and every stage with them', async () => {
    const single = await build(
      service({}, (config) => {
        withoutIgnorePaths('skaffold/v2beta16')(config)
        config.build.artifacts[0].kaniko.target = 'build'
      }),
      insecure
    )
    expect(single.code).toBe(0)
    expect((await build(service(), insecure)).code).toBe(0)
  }, 300_000)
})

// With a base build.local, a -p profile's build.cluster makes the artifact
// without a builder key a kaniko artifact (skaffold schema/profiles.go,
// schema/defaults/defaults.go); the patched copy is used with that profile.
describe('cluster double: a builder-less artifact on a profile cluster builder', () => {
  it('builds the action-patched copy with -p cluster from the runner caches', async () => {
    const dir = writeHelloService(
      join(stack.root, `svc-${++serial}`),
      seedDockerfile(ARGS),
      `apiVersion: skaffold/v4beta14
kind: Config
build:
  artifacts:
    - image: hello
  local: {}
profiles:
  - name: cluster
    build:
      cluster:
        namespace: default
`
    )
    const text = readFileSync(join(dir, 'skaffold.yaml'), 'utf8')
    const patched = patchSkaffoldText(
      { path: join(dir, 'skaffold.yaml'), text },
      {
        ...DEFAULT_PATCH_OPTIONS,
        goProxy: stack.proxy.url,
        profiles: ['cluster']
      }
    )
    writeFileSync(join(dir, 'patched.yaml'), patched.text)
    const result = await stack.run(
      'skaffold',
      [
        'build',
        '-f',
        'patched.yaml',
        '-p',
        'cluster',
        '--file-output',
        'out.json',
        '--kube-context',
        'kind-tags',
        '--default-repo',
        REGISTRY,
        '--insecure-registry',
        REGISTRY
      ],
      { cwd: dir }
    )
    expect(result.stderr).not.toContain('WARN')
    expect(result.code).toBe(0)
    expect(goCachesLine(result.stdout + result.stderr)).toEqual({
      GOCACHE: join(stack.root, 'runner/gobuildcache'),
      GOMODCACHE: join(stack.root, 'runner/gomodcache')
    })
  }, 300_000)
})
