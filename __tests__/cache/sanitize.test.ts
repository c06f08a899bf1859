/**
 * The post step's first act on the caches after the ownership fix: every
 * symlink and special file goes, before the trim walks them or the save
 * archives them. Files outside the caches stay as they were.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { execFile } from 'node:child_process'
import {
  mkdir,
  mkdtemp,
  readFile,
  rm,
  stat,
  symlink,
  writeFile
} from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import {
  removeLinksAndSpecialFiles,
  trimBuildCache
} from '../../src/adapters/cache-files.js'
import {
  expectOutsideUntouched,
  outsideDir as outsideDirIn
} from './helpers/outside.js'

const run = promisify(execFile)
let root: string

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'skc-links-'))
})
afterAll(async () => {
  await rm(root, { recursive: true, force: true })
})

const outsideDir = (name: string) => outsideDirIn(root, name)

describe('links and special files removed before trim and save', () => {
  it('removes every symlink and FIFO from both caches, keeping regular files and dirs', async () => {
    const mod = join(root, 'sanitize', 'gomodcache')
    const build = join(root, 'sanitize', 'gobuildcache')
    const target = await outsideDir('outside-sanitize')
    const zipDir = join(mod, 'cache/download/example.com/a/@v')
    await mkdir(zipDir, { recursive: true })
    await writeFile(join(zipDir, 'v1.0.0.zip'), 'zip')
    await symlink(join(target, 'secret.txt'), join(zipDir, 'v1.0.0.mod'))
    await symlink(target, join(mod, 'cache/download/example.com/b'))
    await mkdir(join(build, 'ab'), { recursive: true })
    const entry = `ab/ab${'0'.repeat(62)}-d`
    await writeFile(join(build, entry), 'out')
    await symlink(target, join(build, 'cd'))
    await run('mkfifo', [join(build, 'ab', 'fifo')])
    await run('mkfifo', [join(mod, 'cache/download/fifo')])

    const modCheck = await removeLinksAndSpecialFiles(mod)
    const buildCheck = await removeLinksAndSpecialFiles(build)
    expect(modCheck).toEqual({
      removed: [
        'cache/download/example.com/a/@v/v1.0.0.mod',
        'cache/download/example.com/b',
        'cache/download/fifo'
      ],
      failed: []
    })
    expect(buildCheck).toEqual({ removed: ['ab/fifo', 'cd'], failed: [] })
    await expectOutsideUntouched(target)
    expect(await readFile(join(zipDir, 'v1.0.0.zip'), 'utf8')).toBe('zip')
    expect(await readFile(join(build, entry), 'utf8')).toBe('out')
    // Then the trim and the prune find only Go's own files.
    const trimmed = await trimBuildCache(build, Date.now() - 3_600_000)
    expect(trimmed.failed).toBe(0)
    expect((await stat(join(build, entry))).isFile()).toBe(true)
  })

  it('removes a link planted inside a read-only extracted module tree', async () => {
    const mod = join(root, 'readonly', 'gomodcache')
    const target = await outsideDir('outside-readonly')
    const tree = join(mod, 'example.com/a@v1.0.0')
    await mkdir(tree, { recursive: true })
    await symlink(target, join(tree, 'link'))
    await run('chmod', ['0555', tree])
    const check = await removeLinksAndSpecialFiles(mod)
    expect(check).toEqual({
      removed: ['example.com/a@v1.0.0/link'],
      failed: []
    })
    await expectOutsideUntouched(target)
  })
})
