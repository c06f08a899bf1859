/**
 * Each link of the data path (docs/design.md#every-link-must-agree), broken on its own: the
 * double names the link, and the build runs cold (evidence: the `go caches:`
 * line points away from the runner dirs, the RUN compiles into a fresh cache,
 * and the runner's build cache gains nothing).
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { NODE_PATHS, POD_PATHS, VOLUME_NAMES } from '../../src/cache/paths.js'
import {
  countFiles,
  goCachesLine,
  kindConfig,
  newCacheFiles,
  seedDockerfile,
  skaffoldConfig,
  startDoubleStack,
  writeHelloService,
  type ArtifactLinks,
  type DoubleStack,
  type RunResult
} from './stack.js'

const ALL_ARGS = [
  'GOPROXY=https://proxy.golang.org,direct',
  'GOMODCACHE=/go/pkg/mod',
  'GOCACHE=/root/.cache/go-build'
]

let stack: DoubleStack
let runnerDirs: { mod: string; build: string }
let goodLinks: ArtifactLinks
let serial = 0

async function build(
  dockerfile: string,
  links: ArtifactLinks,
  cluster = 'links',
  env: NodeJS.ProcessEnv = {}
): Promise<RunResult & { output: string; tag?: string }> {
  const dir = writeHelloService(
    join(stack.root, `svc-${++serial}`),
    dockerfile,
    skaffoldConfig('hello', links)
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
    { cwd: dir, env }
  )
  const outFile = join(dir, 'out.json')
  const tag = existsSync(outFile)
    ? (
        JSON.parse(readFileSync(outFile, 'utf8')) as {
          builds: { tag: string }[]
        }
      ).builds[0].tag
    : undefined
  return { ...result, output: result.stdout + result.stderr, tag }
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
  stack = await startDoubleStack()
  runnerDirs = {
    mod: join(stack.root, 'runner/gomodcache'),
    build: join(stack.root, 'runner/gobuildcache')
  }
  mkdirSync(runnerDirs.mod, { recursive: true })
  mkdirSync(runnerDirs.build, { recursive: true })
  await createCluster('links', [
    { hostPath: runnerDirs.mod, containerPath: NODE_PATHS.mod },
    { hostPath: runnerDirs.build, containerPath: NODE_PATHS.build }
  ])
  goodLinks = {
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
  // Warm the runner dirs with one consistent build.
  const first = await build(seedDockerfile(ALL_ARGS), goodLinks)
  if (first.code !== 0 || newCacheFiles(first.output) === 0) {
    throw new Error(
      `the warm-up build failed or compiled nothing:\n${first.output}`
    )
  }
})

afterAll(async () => {
  await stack?.stop()
})

describe('cluster double: the data-path links', () => {
  it('builds warm from the runner dirs when every link agrees', async () => {
    const before = countFiles(runnerDirs.build)
    const result = await build(seedDockerfile(ALL_ARGS), goodLinks)
    expect(result.code).toBe(0)
    expect(goCachesLine(result.output)).toEqual({
      GOCACHE: runnerDirs.build,
      GOMODCACHE: runnerDirs.mod
    })
    expect(newCacheFiles(result.output)).toBe(0)
    expect(countFiles(runnerDirs.build)).toBe(before)
    expect(result.stderr).not.toContain('WARN')
    expect(result.tag).toMatch(/^hello:latest@sha256:[0-9a-f]{64}$/)
  })

  it('names an extraMount whose containerPath is not the hostPath path, and builds cold', async () => {
    await createCluster('skewed', [
      {
        hostPath: runnerDirs.mod,
        containerPath: '/var/lib/elsewhere/gomodcache'
      },
      {
        hostPath: runnerDirs.build,
        containerPath: '/var/lib/elsewhere/gobuildcache'
      }
    ])
    const before = countFiles(runnerDirs.build)
    const result = await build(seedDockerfile(ALL_ARGS), goodLinks, 'skewed')
    expect(result.code).toBe(0)
    expect(result.stderr).toContain(
      `hostPath ${NODE_PATHS.build} is not backed by an extraMount: the cache will not reach the runner`
    )
    expect(goCachesLine(result.output).GOCACHE).toBe(
      `node-only:${NODE_PATHS.build}(cold-next-job)`
    )
    expect(newCacheFiles(result.output)).toBeGreaterThan(0)
    expect(countFiles(runnerDirs.build)).toBe(before)
  })

  it('fails naming a volumeMount whose name is no cluster volume, and builds nothing', async () => {
    const before = countFiles(runnerDirs.build)
    const links = {
      ...goodLinks,
      volumes: [
        goodLinks.volumes[0],
        { name: 'go-build-cache', path: NODE_PATHS.build }
      ]
    }
    const result = await build(seedDockerfile(ALL_ARGS), links)
    expect(result.code).not.toBe(0)
    expect(result.stderr).toContain(
      `kaniko.volumeMounts[1].name "${VOLUME_NAMES.build}" names no volume in build.cluster.volumes`
    )
    expect(result.output).not.toContain('go caches:')
    expect(result.tag).toBeUndefined()
    expect(countFiles(runnerDirs.build)).toBe(before)
  })

  it('names a GOCACHE build arg that is not a mountPath, and builds cold', async () => {
    const before = countFiles(runnerDirs.build)
    const links = {
      ...goodLinks,
      buildArgs: { ...goodLinks.buildArgs, GOCACHE: '/var/run/go-build-cache' }
    }
    const result = await build(seedDockerfile(ALL_ARGS), links)
    expect(result.code).toBe(0)
    expect(result.stderr).toContain(
      'kaniko.buildArgs.GOCACHE "/var/run/go-build-cache" is not a kaniko.volumeMounts mountPath'
    )
    expect(goCachesLine(result.output).GOCACHE).toBe(
      'pod-only:/var/run/go-build-cache(cold)'
    )
    expect(newCacheFiles(result.output)).toBeGreaterThan(0)
    expect(countFiles(runnerDirs.build)).toBe(before)
  })

  it('names a Go stage that does not declare ARG GOCACHE, and builds cold', async () => {
    const before = countFiles(runnerDirs.build)
    const result = await build(
      seedDockerfile(ALL_ARGS.filter((a) => !a.startsWith('GOCACHE'))),
      goodLinks
    )
    expect(result.code).toBe(0)
    expect(result.stderr).toMatch(
      /Dockerfile:1: stage build \(FROM golang:1\.19\) does not declare ARG GOCACHE/
    )
    expect(goCachesLine(result.output)).toEqual({
      GOCACHE: 'image-default:/root/.cache/go-build(cold)',
      GOMODCACHE: runnerDirs.mod
    })
    expect(newCacheFiles(result.output)).toBeGreaterThan(0)
    expect(countFiles(runnerDirs.build)).toBe(before)
  })

  it('says an ARG declared only before FROM does not reach RUN (strict mode fails before building)', async () => {
    const args = ALL_ARGS.filter((a) => !a.startsWith('GOCACHE'))
    const result = await build(
      seedDockerfile(args, ['GOCACHE=/root/.cache/go-build']),
      goodLinks,
      'links',
      { CLUSTER_DOUBLE_STRICT_LINKS: '1' }
    )
    expect(result.code).toBe(1)
    expect(result.stderr).toContain(
      'does not declare ARG GOCACHE (it is declared before FROM only'
    )
    expect(result.output).not.toContain('go caches:')
  })

  it('checks the extraMounts of the node the kaniko pod runs on (a worker in a multi-node cluster)', async () => {
    const config = join(stack.root, 'kind-multi.yaml')
    writeFileSync(
      config,
      'kind: Cluster\napiVersion: kind.x-k8s.io/v1alpha4\nnodes:\n' +
        `  - role: control-plane\n    extraMounts:\n      - {hostPath: ${runnerDirs.build}, containerPath: ${NODE_PATHS.build}}\n` +
        '  - role: worker\n'
    )
    const created = await stack.run('kind', [
      'create',
      'cluster',
      '--name',
      'multi',
      '--config',
      config,
      '--wait',
      '60s'
    ])
    expect(created.code).toBe(0)
    const result = await build(seedDockerfile(ALL_ARGS), goodLinks, 'multi', {
      CLUSTER_DOUBLE_STRICT_LINKS: '1'
    })
    expect(result.code).toBe(1)
    expect(result.stderr).toContain(
      `hostPath ${NODE_PATHS.mod} is not backed by an extraMount`
    )
    expect(result.stderr).toContain('node multi-worker mounts nothing')
  })

  it('applies a profile whose build.cluster replaces the base cluster block, losing the volumes', async () => {
    const dir = writeHelloService(
      join(stack.root, `svc-${++serial}`),
      seedDockerfile(ALL_ARGS),
      skaffoldConfig('hello', goodLinks) +
        'profiles:\n  - name: ci\n    build:\n      cluster:\n        namespace: default\n'
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
        'kind-links',
        '-p',
        'ci'
      ],
      { cwd: dir }
    )
    expect(result.code).not.toBe(0)
    expect(result.stderr).toContain(
      'names no volume in build.cluster.volumes (volumes: none)'
    )
  })
})
