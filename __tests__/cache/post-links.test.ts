/**
 * The post step with links planted by the build: after the ownership fix it
 * removes every symlink and FIFO before the trim and the save, so nothing
 * outside the caches is deleted or written and no link is archived. Our own
 * adapters around the toolkit are mocked; the file work is real.
 */
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals'
import { execFile } from 'node:child_process'
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
import { promisify } from 'node:util'
import type { SaveRequest, SaveResult } from '../../src/adapters/cache.js'
import { STATS_FILE_NAME } from '../../src/cache/stats.js'
import type { MainState } from '../../src/state.js'

const run = promisify(execFile)
let root: string
let state: MainState | undefined
const calls: string[] = []
const linksAtSave: string[] = []

/** Every symlink or non-regular file under dir (links not followed). */
async function specialFiles(dir: string): Promise<string[]> {
  const found: string[] = []
  const walk = async (path: string): Promise<void> => {
    for (const entry of await readdir(path, { withFileTypes: true })) {
      const full = join(path, entry.name)
      if (entry.isDirectory()) await walk(full)
      else if (!entry.isFile()) found.push(full)
    }
  }
  await walk(dir)
  return found
}

jest.unstable_mockModule('../../src/adapters/actions.js', () => ({
  appendSummary: () => Promise.resolve(),
  group: <T>(_name: string, fn: () => Promise<T>) => fn(),
  loadMainState: () => state,
  log: { info: () => undefined, warning: () => undefined },
  readRunnerEnv: () => ({ uid: process.getuid?.() ?? 0, gid: 0 })
}))
jest.unstable_mockModule('../../src/adapters/ownership.js', () => ({
  giveCacheDirsToRunner: () => {
    calls.push('ownership')
    return Promise.resolve({
      method: 'none',
      ok: true,
      notOwned: 0,
      unreadable: 0,
      saveable: true
    })
  }
}))
jest.unstable_mockModule('../../src/adapters/cache.js', () => ({
  saveCacheDir: async (req: SaveRequest): Promise<SaveResult> => {
    calls.push(`save ${req.key}`)
    linksAtSave.push(...(await specialFiles(join(root, 'caches'))))
    return { outcome: 'saved', bytes: 1, seconds: 0 }
  }
}))
jest.unstable_mockModule('../../src/adapters/cluster.js', () => ({
  cleanupCluster: () =>
    Promise.resolve({
      clusterDeleted: false,
      containersRemoved: [],
      warnings: []
    }),
  copyCachesFromNode: () => Promise.resolve()
}))

const { runPost } = await import('../../src/post.js')

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'skc-post-links-'))
})
afterAll(async () => {
  await rm(root, { recursive: true, force: true })
})

describe('post step with links planted in the caches', () => {
  it('removes them before trimming and saving, and touches nothing outside', async () => {
    const outside = join(root, 'outside')
    await mkdir(join(outside, 'keep'), { recursive: true })
    await writeFile(join(outside, 'keep/precious.txt'), 'precious\n')
    await writeFile(join(outside, 'secret.txt'), 'secret\n')
    const mod = join(root, 'caches/gomodcache')
    const build = join(root, 'caches/gobuildcache')
    await mkdir(mod, { recursive: true })
    await mkdir(join(build, 'ab'), { recursive: true })
    // A `cache` link: the prune would delete everything in it but download/.
    await symlink(outside, join(mod, 'cache'))
    // A link at the stats file's path: the stats write would go through it.
    await symlink(join(outside, 'secret.txt'), join(build, STATS_FILE_NAME))
    await symlink(outside, join(build, 'cd'))
    await run('mkfifo', [join(build, 'ab/fifo')])

    const now = Date.now()
    state = {
      version: 1,
      service: 'svc',
      mainSucceeded: true,
      cleanup: true,
      patchedFiles: [],
      timings: {},
      tools: [],
      warnings: [],
      build: { succeeded: true, seconds: 10, startedAt: now, images: [] },
      cache: {
        paths: { mod: '~/m', build: '~/b' },
        runnerDirs: { mod, build },
        saveDirs: { mod: join(mod, 'cache/download'), build },
        keys: {
          mod: { primary: 'mod-key', restoreKeys: [] },
          build: { primary: 'build-key', restoreKeys: [] }
        },
        save: { enabled: true, reason: 'test' },
        trim: true,
        restored: {}
      }
    }
    await runPost()

    expect((await readdir(outside)).sort()).toEqual(['keep', 'secret.txt'])
    expect(await readFile(join(outside, 'secret.txt'), 'utf8')).toBe('secret\n')
    expect(await readFile(join(outside, 'keep/precious.txt'), 'utf8')).toBe(
      'precious\n'
    )
    expect(calls).toEqual(['ownership', 'save mod-key', 'save build-key'])
    expect(linksAtSave).toEqual([])
    // The stats file was written as a file of the build cache.
    expect((await lstat(join(build, STATS_FILE_NAME))).isFile()).toBe(true)
  }, 60_000)
})
