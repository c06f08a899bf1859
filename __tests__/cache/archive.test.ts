/**
 * Archive formats and sizes: the block upload path for archives over
 * 128 MiB, and the gzip fallback when zstd is absent.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { createHash, randomBytes } from 'node:crypto'
import { mkdir, readFile, rm, symlink, writeFile } from 'node:fs/promises'
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

beforeAll(async () => {
  service = await startCacheService()
  runner = await makeRunner()
  env = clientEnv(service, runner)
})

afterAll(async () => {
  await service.stop()
  await rm(runner.root, { recursive: true, force: true })
})

const op = (kind: 'save' | 'restore', dir: string, key: string) =>
  kind === 'save'
    ? { op: 'save', req: { label: 'cache', paths: ['~/big'], dir, key } }
    : {
        op: 'restore',
        req: { label: 'cache', paths: ['~/big'], dir, key, restoreKeys: [] }
      }

describe('archives', () => {
  it('uploads an archive over 128 MiB as blocks joined in list order', async () => {
    const dir = join(runner.home, 'big')
    await mkdir(dir, { recursive: true })
    // Random bytes: zstd cannot shrink them, so the archive stays > 128 MiB.
    const hashes: Record<string, string> = {}
    for (let i = 0; i < 5; i++) {
      const data = randomBytes(28 * 1024 * 1024)
      await writeFile(join(dir, `part-${i}`), data)
      hashes[`part-${i}`] = createHash('sha256').update(data).digest('hex')
    }
    const before = service.requests.length
    const saved = await runDriver<SaveResult>(op('save', dir, 'big-1'), env)
    expect(saved.result.outcome).toBe('saved')
    const traffic = service.requests.slice(before)
    const blocks = traffic.filter((r) => r.blob === 'put-block')
    expect(blocks.length).toBeGreaterThanOrEqual(3)
    for (const b of blocks)
      expect(b.bytes).toBeLessThanOrEqual(64 * 1024 * 1024)
    expect(traffic.filter((r) => r.blob === 'put-block-list')).toHaveLength(1)
    expect(traffic.filter((r) => r.blob === 'put-blob')).toHaveLength(0)
    const entry = service.entries().find((e) => e.key === 'big-1')
    expect(entry?.size).toBeGreaterThan(128 * 1024 * 1024)
    expect(entry?.size).toBe(blocks.reduce((sum, b) => sum + b.bytes, 0))

    await rm(dir, { recursive: true })
    const hit = await runDriver<RestoreRecord>(op('restore', dir, 'big-1'), env)
    expect(hit.result.result).toBe('exact')
    for (const [name, hash] of Object.entries(hashes)) {
      const data = await readFile(join(dir, name))
      expect(createHash('sha256').update(data).digest('hex')).toBe(hash)
    }
    await rm(dir, { recursive: true })
  }, 180_000)

  it('falls back to gzip without zstd, in a cache zstd clients cannot see', async () => {
    // A PATH with node, tar and gzip only: the client probes `zstd --version`.
    const bin = join(runner.root, 'bin-plain')
    await mkdir(bin, { recursive: true })
    for (const tool of ['tar', 'gzip']) {
      await symlink(`/usr/bin/${tool}`, join(bin, tool)).catch(() => undefined)
    }
    await symlink(process.execPath, join(bin, 'node')).catch(() => undefined)
    const noZstd = { PATH: bin }
    const dir = join(runner.home, 'big')
    await mkdir(join(dir, 'sub'), { recursive: true })
    await writeFile(join(dir, 'sub/file'), 'gzip me\n')
    const expected = await snapshotTree(dir)

    const before = service.requests.length
    const saved = await runDriver<SaveResult>(op('save', dir, 'gz-1'), {
      ...env,
      ...noZstd
    })
    expect(saved.result.outcome).toBe('saved')
    expect(saved.stdout).toContain('cache.tgz')
    expect(saved.stdout).not.toContain('zstdmt')
    const create = service.requests
      .slice(before)
      .find((r) => r.twirp === 'CreateCacheEntry')
    const gzipVersion = (create?.body as { version: string }).version

    // A client with zstd computes another version: the gzip entry is a miss.
    await rm(dir, { recursive: true })
    const zstdMiss = await runDriver<RestoreRecord>(
      op('restore', dir, 'gz-1'),
      env
    )
    expect(zstdMiss.result.result).toBe('miss')
    const zstdLookup = service.requests.at(-1)?.body as { version: string }
    expect(zstdLookup.version).not.toBe(gzipVersion)

    const hit = await runDriver<RestoreRecord>(op('restore', dir, 'gz-1'), {
      ...env,
      ...noZstd
    })
    expect(hit.result.result).toBe('exact')
    expect(await snapshotTree(dir)).toEqual(expected)
  })
})
