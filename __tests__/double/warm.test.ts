/**
 * The seed's service (examples/feed-agg) patched by the action's own patcher
 * (src/skaffold/patch.ts), built twice through the double on a kind cluster
 * whose extraMounts carry the runner dirs: the first build is cold, the
 * second is warm (no compile, no module download) and yields the same image.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { NODE_PATHS } from '../../src/cache/paths.js'
import { DEFAULT_PATCH_OPTIONS } from '../../src/skaffold/options.js'
import { patchSkaffoldText } from '../../src/skaffold/patch.js'
import {
  debianModuleSources,
  localGoSum
} from '../../test-support/module-proxy/index.js'
import {
  countFiles,
  goCachesLine,
  kindConfig,
  newCacheFiles,
  startDoubleStack,
  type DoubleStack
} from './stack.js'

const EXAMPLE = new URL('../../examples/feed-agg/', import.meta.url).pathname

let stack: DoubleStack
let service: string
let patchedFile: string
let runner: { mod: string; build: string }

async function must(
  tool: string,
  args: string[],
  input?: string
): Promise<void> {
  // The file output goes outside the build context, which `COPY . .` hashes.
  const result = await stack.run(tool, args, { input })
  if (result.code !== 0)
    throw new Error(`${tool} ${args.join(' ')} failed:\n${result.stderr}`)
}

beforeAll(async () => {
  stack = await startDoubleStack()
  runner = {
    mod: join(stack.root, 'runner/gomodcache'),
    build: join(stack.root, 'runner/gobuildcache')
  }
  mkdirSync(runner.mod, { recursive: true })
  mkdirSync(runner.build, { recursive: true })
  const config = join(stack.root, 'kind.yaml')
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
    'warm',
    '--config',
    config,
    '--wait',
    '60s'
  ])
  await must('kubectl', [
    '--context',
    'kind-warm',
    'create',
    'namespace',
    'skaffold'
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
  await must('docker', [
    'run',
    '-d',
    '--restart=always',
    '--name',
    'athens',
    '--network',
    'kind',
    '-e',
    'ATHENS_STORAGE_TYPE=disk',
    'gomods/athens:v0.18.0'
  ])

  service = join(stack.root, 'feed-agg')
  cpSync(EXAMPLE, service, { recursive: true })
  // The example's go.sum is upstream's; the local proxy serves Debian's trees.
  writeFileSync(
    join(service, 'go.sum'),
    await localGoSum(
      readFileSync(join(service, 'go.sum'), 'utf8'),
      debianModuleSources()
    )
  )
  const original = join(service, 'skaffold.yaml')
  const patched = patchSkaffoldText(
    { path: original, text: readFileSync(original, 'utf8') },
    {
      ...DEFAULT_PATCH_OPTIONS,
      goProxy: 'http://athens:3000',
      insecureRegistries: ['kind-registry:5000']
    }
  )
  patchedFile = join(service, '.skaffold-kaniko-cache.skaffold.yaml')
  writeFileSync(patchedFile, patched.text)
})

afterAll(async () => {
  await stack?.stop()
})

async function buildOnce() {
  const result = await stack.run(
    'skaffold',
    [
      'build',
      '-f',
      patchedFile,
      '--file-output',
      join(stack.root, 'images.json'),
      '--kube-context',
      'kind-warm',
      '--default-repo',
      'kind-registry:5000',
      '--insecure-registry',
      'kind-registry:5000'
    ],
    { cwd: service }
  )
  const output = result.stdout + result.stderr
  if (result.code !== 0) throw new Error(`skaffold build failed:\n${output}`)
  const images = JSON.parse(
    readFileSync(join(stack.root, 'images.json'), 'utf8')
  ) as { builds: { imageName: string; tag: string }[] }
  return {
    output,
    images,
    zipRequests: stack.proxy.requests.filter((r) => r.endsWith('.zip')).length
  }
}

describe('cluster double: a consistent patched config', () => {
  it('builds cold first, then warm from the runner dirs with the same image', async () => {
    const cold = await buildOnce()
    expect(goCachesLine(cold.output)).toEqual({
      GOCACHE: runner.build,
      GOMODCACHE: runner.mod
    })
    expect(cold.output).not.toContain('WARN')
    expect(cold.output).toContain('Build [feed-agg] succeeded')
    expect(newCacheFiles(cold.output)).toBeGreaterThan(100)
    expect(cold.zipRequests).toBeGreaterThanOrEqual(2)
    expect(
      countFiles(join(runner.mod, 'cache/download/gopkg.in/yaml.v3/@v'))
    ).toBeGreaterThan(0)
    expect(cold.images.builds).toHaveLength(1)
    expect(cold.images.builds[0].tag).toMatch(
      /^kind-registry:5000\/feed-agg:latest@sha256:[0-9a-f]{64}$/
    )

    const warm = await buildOnce()
    expect(newCacheFiles(warm.output)).toBe(0)
    expect(warm.zipRequests).toBe(cold.zipRequests)
    expect(warm.output).not.toContain('go: downloading')
    expect(warm.images).toEqual(cold.images)
    expect(
      readFileSync(join(stack.root, 'images.json'), 'utf8').endsWith('}')
    ).toBe(true)
  })
})
