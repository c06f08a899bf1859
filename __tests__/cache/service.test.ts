/**
 * The cache adapters against the local cache service, with the real
 * @actions/cache client, each call in its own process as the action runs.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { randomBytes } from 'node:crypto'
import { chmod, mkdir, rm, symlink, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { SaveResult } from '../../src/adapters/cache.js'
import type { RestoreRecord } from '../../src/state.js'
import {
  startCacheService,
  type CacheService
} from '../../test-support/cache-service/server.js'
import {
  clientEnv,
  makeRunner,
  runDriver,
  snapshotTree,
  type Runner
} from './helpers/harness.js'

let service: CacheService
let runner: Runner
let env: NodeJS.ProcessEnv
let dir: string
const PATHS = ['~/.cache/skc/gobuildcache']

beforeAll(async () => {
  service = await startCacheService()
  runner = await makeRunner()
  env = clientEnv(service, runner)
  dir = join(runner.home, '.cache/skc/gobuildcache')
})

afterAll(async () => {
  await service.stop()
  await rm(runner.root, { recursive: true, force: true })
})

async function writeTree(root: string, seed: string): Promise<void> {
  await rm(root, { recursive: true, force: true })
  await mkdir(join(root, 'ab/deep'), { recursive: true })
  await mkdir(join(root, 'ro'), { recursive: true })
  await writeFile(join(root, 'README'), `cache ${seed}\n`)
  await writeFile(join(root, 'ab/abcd-d'), randomBytes(4096))
  await writeFile(join(root, 'ab/deep/exec'), '#!/bin/sh\necho hi\n')
  await chmod(join(root, 'ab/deep/exec'), 0o755)
  await writeFile(join(root, 'ro/file'), seed)
  await chmod(join(root, 'ro/file'), 0o444)
  await chmod(join(root, 'ro'), 0o555)
  await symlink('../README', join(root, 'ab/link'))
  await symlink('does-not-exist', join(root, 'dangling'))
}

const save = (key: string, extra: Record<string, string> = {}) =>
  runDriver<SaveResult>(
    { op: 'save', req: { label: 'build cache', paths: PATHS, dir, key } },
    { ...env, ...extra }
  )
const restore = (
  key: string,
  restoreKeys: string[],
  extra: Record<string, string> = {}
) =>
  runDriver<RestoreRecord>(
    {
      op: 'restore',
      req: { label: 'build cache', paths: PATHS, dir, key, restoreKeys }
    },
    { ...env, ...extra }
  )

describe('restore and save through the local service', () => {
  it('miss, then save, then an exact hit with a byte-identical tree', async () => {
    const miss = await restore('rt-1', [])
    expect(miss.result).toMatchObject({ result: 'miss', bytes: 0 })
    expect(miss.result.warning).toBeUndefined()
    expect(miss.annotations).toEqual([])

    await writeTree(dir, 'one')
    const expected = await snapshotTree(dir)
    const saved = await save('rt-1')
    expect(saved.result.outcome).toBe('saved')
    expect(saved.result.bytes).toBeGreaterThan(4096)
    expect(saved.annotations).toEqual([])

    await chmod(join(dir, 'ro'), 0o755)
    await writeFile(join(dir, 'stray'), 'must go')
    const hit = await restore('rt-1', ['rt-'])
    expect(hit.result).toMatchObject({ result: 'exact', matchedKey: 'rt-1' })
    expect(await snapshotTree(dir)).toEqual(expected)

    // One version for every call: the literal paths and zstd.
    const versions = new Set(
      service.requests
        .map((r) => (r.body as { version?: string } | undefined)?.version)
        .filter((v) => v !== undefined)
    )
    expect(versions.size).toBe(1)
  })

  it('an archive that lands outside the cache dir is a miss with a warning, not an empty hit', async () => {
    // @actions/cache stores paths relative to GITHUB_WORKSPACE; a runner whose
    // workspace sits elsewhere relative to HOME extracts them somewhere else.
    await writeTree(dir, 'layout')
    expect((await save('layout-1')).result.outcome).toBe('saved')
    const elsewhere = join(runner.root, 'other', 'layout', 'deeper', 'ws')
    await mkdir(elsewhere, { recursive: true })
    const restored = await restore('layout-1', [], {
      GITHUB_WORKSPACE: elsewhere
    })
    expect(restored.result).toMatchObject({ result: 'miss', bytes: 0 })
    expect(restored.result.warning).toMatch(
      /layout-1 was restored but .* is still empty.*relative to GITHUB_WORKSPACE/
    )
    expect(restored.annotations).toHaveLength(1)
    await writeTree(dir, 'one')
  })

  it('a second save of an existing key costs a lookup only', async () => {
    const before = service.requests.length
    const again = await save('rt-1')
    expect(again.result.outcome).toBe('exists')
    const traffic = service.requests.slice(before)
    expect(traffic.map((r) => r.twirp ?? r.blob)).toEqual([
      'GetCacheEntryDownloadURL'
    ])
  })

  it('falls back through the restore keys to the newest entry', async () => {
    await writeTree(dir, 'older')
    expect((await save('fb-main-1')).result.outcome).toBe('saved')
    await writeTree(dir, 'newer')
    const newest = await snapshotTree(dir)
    expect((await save('fb-main-2')).result.outcome).toBe('saved')
    await writeTree(dir, 'unrelated')
    expect((await save('fb-other-3')).result.outcome).toBe('saved')

    const hit = await restore('fb-main-9', ['fb-nothing-', 'fb-main-'])
    expect(hit.result).toMatchObject({
      result: 'partial',
      matchedKey: 'fb-main-2'
    })
    expect(await snapshotTree(dir)).toEqual(newest)
  })

  it('four processes saving one key: one wins, none fails, losers upload nothing', async () => {
    await writeTree(dir, 'race')
    const before = service.requests.length
    const runs = await Promise.all([1, 2, 3, 4].map(() => save('race-1')))
    const outcomes = runs.map((r) => r.result.outcome)
    expect(outcomes.filter((o) => o === 'saved')).toHaveLength(1)
    // A loser either found the final entry (exists) or was refused the
    // reservation (409: reserved, "exists or is being saved").
    for (const o of outcomes.filter((o) => o !== 'saved')) {
      expect(['exists', 'reserved']).toContain(o)
    }
    for (const run of runs) {
      expect(run.code).toBe(0)
      expect(run.annotations).toEqual([])
    }
    const traffic = service.requests.slice(before)
    const creates = traffic.filter((r) => r.twirp === 'CreateCacheEntry')
    const uploads = traffic.filter((r) => r.blob !== undefined)
    // Every process that got past the lookup asked to reserve; only the
    // winner got an upload URL, so exactly one archive was uploaded.
    expect(creates.filter((r) => r.status === 200)).toHaveLength(1)
    expect(creates.filter((r) => r.status === 409)).toHaveLength(
      creates.length - 1
    )
    expect(outcomes.filter((o) => o === 'reserved')).toHaveLength(
      creates.length - 1
    )
    expect(uploads.map((r) => r.blob)).toEqual(['put-blob'])
    expect(
      service.entries().filter((e) => e.key === 'race-1' && e.state === 'final')
    ).toHaveLength(1)
  })

  it('restores both caches in parallel, each with its own result', async () => {
    const modDir = join(runner.home, '.cache/skc/gomodcache')
    await mkdir(join(modDir, 'cache/download/example.com/m/@v'), {
      recursive: true
    })
    await writeFile(
      join(modDir, 'cache/download/example.com/m/@v/v1.0.0.zip'),
      randomBytes(1024)
    )
    const modPaths = ['~/.cache/skc/gomodcache/cache/download']
    const modSaved = await runDriver<SaveResult>(
      {
        op: 'save',
        req: {
          label: 'module cache',
          paths: modPaths,
          dir: modDir,
          key: 'mod-a'
        }
      },
      env
    )
    expect(modSaved.result.outcome).toBe('saved')
    const expectedMod = await snapshotTree(modDir)
    await writeTree(dir, 'both')
    const expectedBuild = await snapshotTree(dir)
    expect((await save('both-build-1')).result.outcome).toBe('saved')
    await rm(modDir, { recursive: true })
    await rm(dir, { recursive: true })

    const both = await runDriver<{ mod: RestoreRecord; build: RestoreRecord }>(
      {
        op: 'restore-both',
        mod: {
          label: 'module cache',
          paths: modPaths,
          dir: modDir,
          key: 'mod-a',
          restoreKeys: ['mod-']
        },
        build: {
          label: 'build cache',
          paths: PATHS,
          dir,
          key: 'both-build-2',
          restoreKeys: ['both-build-']
        }
      },
      env
    )
    expect(both.result.mod).toMatchObject({
      result: 'exact',
      matchedKey: 'mod-a'
    })
    expect(both.result.build).toMatchObject({
      result: 'partial',
      matchedKey: 'both-build-1'
    })
    expect(both.annotations).toEqual([])
    expect(await snapshotTree(modDir)).toEqual(expectedMod)
    expect(await snapshotTree(dir)).toEqual(expectedBuild)
  })
})
