import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import {
  chmod,
  mkdir,
  mkdtemp,
  readdir,
  rm,
  stat,
  writeFile
} from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  backdateBuildCache,
  BACKDATE_MS,
  measureDir,
  pruneModuleCache,
  readStatsFile,
  writeStatsFile
} from '../../src/adapters/cache-files.js'
import { STATS_FILE_NAME, updateStats } from '../../src/cache/stats.js'

let root: string
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'skc-files-'))
})
afterAll(async () => {
  await rm(root, { recursive: true, force: true })
})

describe('cache files', () => {
  it('backdates entries only, past the one-hour refresh interval', async () => {
    const dir = join(root, 'gocache')
    await mkdir(join(dir, 'ab'), { recursive: true })
    await writeFile(join(dir, 'ab/abcd-a'), 'x')
    await writeFile(join(dir, 'trim.txt'), '1700000000')
    const now = Date.now()
    expect(await backdateBuildCache(dir, now)).toBe(1)
    const entry = await stat(join(dir, 'ab/abcd-a'))
    expect(Math.abs(entry.mtimeMs - (now - BACKDATE_MS))).toBeLessThan(1000)
    expect(BACKDATE_MS).toBeGreaterThan(3_600_000)
    const own = await stat(join(dir, 'trim.txt'))
    expect(own.mtimeMs).toBeGreaterThan(now - 60_000)
  })

  it('prunes a module cache to cache/download, read-only trees included', async () => {
    const dir = join(root, 'gomodcache')
    const tree = join(dir, 'example.com/lib@v1.0.0')
    await mkdir(tree, { recursive: true })
    await writeFile(join(tree, 'lib.go'), 'package lib\n')
    await mkdir(join(dir, 'cache/download/example.com/lib/@v'), {
      recursive: true
    })
    await writeFile(
      join(dir, 'cache/download/example.com/lib/@v/v1.0.0.zip'),
      'zip'
    )
    await mkdir(join(dir, 'cache/vcs/abc'), { recursive: true })
    await writeFile(join(dir, 'cache/vcs/abc/HEAD'), 'ref')
    // As Go leaves extracted modules: 0444 files in 0555 dirs.
    await chmod(join(tree, 'lib.go'), 0o444)
    await chmod(tree, 0o555)
    await chmod(join(dir, 'example.com'), 0o555)

    const report = await pruneModuleCache(dir)
    expect(await readdir(dir)).toEqual(['cache'])
    expect(await readdir(join(dir, 'cache'))).toEqual(['download'])
    expect(report.bytesBefore).toBe(12 + 3 + 3)
    expect(report.bytesAfter).toBe(3)
    expect(await measureDir(dir)).toEqual({ bytes: 3, files: 1 })
  })

  it('reads and writes the stats file inside the build cache', async () => {
    const dir = join(root, 'stats')
    await mkdir(dir, { recursive: true })
    expect((await readStatsFile(dir)).recent).toEqual([])
    await writeFile(join(dir, STATS_FILE_NAME), 'garbage')
    expect((await readStatsFile(dir)).recent).toEqual([])
    const stats = updateStats(await readStatsFile(dir), {
      seconds: 149,
      at: '2026-01-01T00:00:00Z',
      cold: true
    })
    await writeStatsFile(dir, stats)
    expect(await readStatsFile(dir)).toEqual(stats)
  })
})
