/**
 * Nothing the build plants in the caches is followed: a `cache` symlink in
 * the module cache, a symlink at the stats file's path, a symlink at a
 * patched copy's path, FIFOs. Files outside the caches stay as they were.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import {
  lstat,
  mkdir,
  mkdtemp,
  readFile,
  readdir,
  rm,
  symlink,
  writeFile
} from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  pruneModuleCache,
  readStatsFile,
  writeStatsFile
} from '../../src/adapters/cache-files.js'
import { writePatchedCopies } from '../../src/adapters/skaffold-files.js'
import { STATS_FILE_NAME, updateStats } from '../../src/cache/stats.js'
import { DEFAULT_PATCH_OPTIONS } from '../../src/skaffold/options.js'
import { patchSkaffoldConfigs } from '../../src/skaffold/patch.js'
import {
  expectOutsideUntouched,
  outsideDir as outsideDirIn
} from './helpers/outside.js'

let root: string

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'skc-links-'))
})
afterAll(async () => {
  await rm(root, { recursive: true, force: true })
})

const outsideDir = (name: string) => outsideDirIn(root, name)

describe('links planted in the caches', () => {
  it('the module-cache prune does not delete through a `cache` symlink', async () => {
    const dir = join(root, 'gomodcache-link')
    const target = await outsideDir('outside-prune')
    await mkdir(dir, { recursive: true })
    await symlink(target, join(dir, 'cache'))
    await pruneModuleCache(dir)
    await expectOutsideUntouched(target)
    // The link itself is gone: nothing would archive or follow it later.
    expect(await readdir(dir)).toEqual([])
  })

  it('the module-cache prune does not follow a `cache/download` symlink either', async () => {
    const dir = join(root, 'gomodcache-download-link')
    const target = await outsideDir('outside-download')
    await mkdir(join(dir, 'cache'), { recursive: true })
    await symlink(target, join(dir, 'cache', 'download'))
    await pruneModuleCache(dir, [
      'example.com/a v1.0.0 h1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n'
    ])
    await expectOutsideUntouched(target)
    expect(await readdir(join(dir, 'cache'))).toEqual([])
  })

  it('writes the stats file in place of a symlink at its path, not through it', async () => {
    const dir = join(root, 'gocache-stats')
    const target = await outsideDir('outside-stats')
    await mkdir(dir, { recursive: true })
    await symlink(join(target, 'secret.txt'), join(dir, STATS_FILE_NAME))
    // Read: the link is not followed (the outside file is not stats).
    expect(await readStatsFile(dir)).toEqual({ version: 1, recent: [] })
    const stats = updateStats(await readStatsFile(dir), {
      seconds: 12,
      at: '2026-01-01T00:00:00Z',
      cold: true
    })
    await writeStatsFile(dir, stats)
    await expectOutsideUntouched(target)
    const info = await lstat(join(dir, STATS_FILE_NAME))
    expect(info.isFile()).toBe(true)
    expect(await readStatsFile(dir)).toEqual(stats)
    // No temporary file left behind.
    expect(await readdir(dir)).toEqual([STATS_FILE_NAME])
  })

  it('writes a patched copy (0600) in place of a symlink at its path, not through it', async () => {
    const dir = join(root, 'workspace-copy')
    const target = await outsideDir('outside-copy')
    await mkdir(dir, { recursive: true })
    const config = join(dir, 'skaffold.yaml')
    await writeFile(
      config,
      'apiVersion: skaffold/v4beta14\nkind: Config\nbuild:\n  artifacts:\n  - image: svc\n    kaniko: {}\n  cluster: {}\n'
    )
    const result = patchSkaffoldConfigs(
      [{ path: config, text: await readFile(config, 'utf8') }],
      DEFAULT_PATCH_OPTIONS
    )
    const copy = result.files.find((f) => f.needsCopy)
    if (!copy) throw new Error('the patch made no copy')
    await symlink(join(target, 'secret.txt'), copy.copyPath)

    const written = await writePatchedCopies(result)
    expect(written.writtenFiles).toEqual([copy.copyPath])
    await expectOutsideUntouched(target)
    const info = await lstat(copy.copyPath)
    expect(info.isFile()).toBe(true)
    expect(info.mode & 0o777).toBe(0o600)
    expect(await readFile(copy.copyPath, 'utf8')).toBe(copy.text)
    expect((await readdir(dir)).sort()).toEqual(
      ['skaffold.yaml', copy.copyPath.slice(dir.length + 1)].sort()
    )
  })
})
