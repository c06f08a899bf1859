/**
 * The differential save with the real cache client against the local cache
 * service: a cold run saves both caches; a warm run whose build added 4 tiny
 * files uploads nothing (no CreateCacheEntry) and the job summary says why;
 * a run with a changed dependency (many new entries) saves both again.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { spawn } from 'node:child_process'
import { createHash } from 'node:crypto'
import { readFile, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { parseStats, STATS_FILE_NAME } from '../../src/cache/stats.js'
import type { MainState } from '../../src/state.js'
import {
  startCacheService,
  type CacheService
} from '../../test-support/cache-service/server.js'
import { clientEnv, makeRunner, REPO, type Runner } from './helpers/harness.js'

const DRIVER = join(REPO, '__tests__/cache/helpers/post-driver.ts')
const TSX = join(REPO, 'node_modules/.bin/tsx')
const KiB = 1024

let service: CacheService
const runners: Runner[] = []

beforeAll(async () => {
  service = await startCacheService()
})

afterAll(async () => {
  await service.stop()
  for (const runner of runners) {
    await rm(runner.root, { recursive: true, force: true })
  }
})

/** n GOCACHE entry names (`xx/<sha256>-a`), distinct per seed. */
function entries(seed: string, n: number, size: number) {
  return Array.from({ length: n }, (_, i) => {
    const id = createHash('sha256').update(`${seed}-${i}`).digest('hex')
    return { cache: 'build' as const, path: `${id.slice(0, 2)}/${id}-a`, size }
  })
}

/** One job: restore, build (the writes), post; the summary and traffic it made. */
async function job(
  keys: { mod: string; build: string },
  writes: { cache: 'mod' | 'build'; path: string; size: number }[]
): Promise<{
  summary: string
  created: string[]
  buildDir: string
  stdout: string
}> {
  const runner = await makeRunner()
  runners.push(runner)
  const root = join(runner.home, '.cache/skaffold-kaniko-cache/kind')
  const mod = join(root, 'gomodcache')
  const build = join(root, 'gobuildcache')
  const state: MainState = {
    version: 1,
    service: 'svc',
    mainSucceeded: true,
    cleanup: true,
    patchedFiles: [],
    timings: {},
    tools: [],
    warnings: [],
    cache: {
      paths: {
        mod: '~/.cache/skaffold-kaniko-cache/kind/gomodcache/cache/download',
        build: '~/.cache/skaffold-kaniko-cache/kind/gobuildcache'
      },
      runnerDirs: { mod, build },
      saveDirs: { mod: join(mod, 'cache/download'), build },
      keys: {
        mod: { primary: keys.mod, restoreKeys: ['mod-'] },
        build: { primary: keys.build, restoreKeys: ['build-'] }
      },
      save: { enabled: true, reason: 'save-cache is always' },
      saveThreshold: { kind: 'auto' },
      trim: true,
      restored: {}
    }
  }
  const summaryFile = join(runner.temp, 'summary.html')
  await writeFile(summaryFile, '')
  const env = {
    ...clientEnv(service, runner),
    GITHUB_STEP_SUMMARY: summaryFile
  }
  const before = service.requests.length
  const stdout = await new Promise<string>((done, fail) => {
    const op = JSON.stringify({ state, restore: true, writes })
    const child = spawn(TSX, [DRIVER, op], { env, cwd: REPO })
    let out = ''
    child.stdout.on('data', (d: Buffer) => (out += d.toString()))
    child.stderr.on('data', (d: Buffer) => (out += d.toString()))
    child.on('error', fail)
    child.on('close', (code) =>
      code === 0 && out.includes('RESULT ')
        ? done(out)
        : fail(new Error(`driver exit ${code}:\n${out}`))
    )
  })
  const created = service.requests
    .slice(before)
    .filter((r) => r.twirp === 'CreateCacheEntry')
    .map((r) => (r.body as { key: string }).key)
  return {
    summary: await readFile(summaryFile, 'utf8'),
    created,
    buildDir: build,
    stdout
  }
}

describe('differential save', () => {
  it('cold saves both; warm with 4 tiny new files uploads nothing and says why; a changed dependency saves', async () => {
    const cold = await job({ mod: 'mod-deps1', build: 'build-run1' }, [
      ...entries('cold', 200, 8 * KiB),
      { cache: 'mod', path: 'example.com/a/@v/v1.0.0.zip', size: 200 * KiB },
      { cache: 'mod', path: 'example.com/a/@v/v1.0.0.mod', size: 100 },
      { cache: 'mod', path: 'example.com/a/@v/v1.0.0.info', size: 50 }
    ])
    expect(cold.created.sort()).toEqual(['build-run1', 'mod-deps1'])

    // 4 files, 10.6 KB (10,854 bytes) as in a warm run measured on main.
    const warm = await job(
      { mod: 'mod-deps1', build: 'build-run2' },
      entries('warm', 4, 2713).map((e, i) =>
        i === 0 ? { ...e, size: 2715 } : e
      )
    )
    expect(warm.created).toEqual([])
    expect(warm.summary).toMatch(
      /not saved: 10\.6 KiB new of 1\.\d MiB, below save-threshold 1\.0 MiB \(auto: max\(1 MiB, 1% of the cache\)\); not trimmed either/
    )
    expect(warm.summary).toContain(
      'not saved: the module cache was restored from its exact key'
    )
    // The last cold build survives in the restored stats file.
    const stats = parseStats(
      await readFile(join(warm.buildDir, STATS_FILE_NAME), 'utf8')
    )
    expect(stats.lastCold?.seconds).toBe(5)

    const changed = await job({ mod: 'mod-deps2', build: 'build-run3' }, [
      ...entries('changed', 160, 8 * KiB),
      {
        cache: 'mod',
        path: 'example.com/b/@v/v1.0.0.zip',
        size: 1536 * KiB
      }
    ])
    expect(changed.created.sort()).toEqual(['build-run3', 'mod-deps2'])
    expect(changed.summary).toMatch(/saved \d/)
  }, 300_000)
})
