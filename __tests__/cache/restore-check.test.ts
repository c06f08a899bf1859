/**
 * A restored archive is not trusted whole: after the real client restores
 * it, everything Go never writes into that cache (foreign names, links,
 * FIFOs) is removed before a build could see it, and what Go itself writes
 * there (checked against caches the real Go toolchain filled) all stays.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { execFile } from 'node:child_process'
import {
  cp,
  lstat,
  mkdir,
  readFile,
  readdir,
  rm,
  symlink,
  writeFile
} from 'node:fs/promises'
import { join } from 'node:path'
import { promisify } from 'node:util'
import type { SaveResult } from '../../src/adapters/cache.js'
import type { RestoreRecord } from '../../src/state.js'
import {
  checkRestoredCache,
  emptyCacheDir
} from '../../src/adapters/cache-files.js'
import {
  startCacheService,
  type CacheService
} from '../../test-support/cache-service/server.js'
import {
  startModuleProxy,
  type ModuleProxy
} from '../../test-support/module-proxy/index.js'
import {
  REPO,
  clientEnv,
  makeRunner,
  runDriver,
  type Runner
} from './helpers/harness.js'

const run = promisify(execFile)
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
  await run('chmod', ['-R', 'u+w', runner.root]).catch(() => undefined)
  await rm(runner.root, { recursive: true, force: true })
})

const HASH = `ab${'0'.repeat(62)}`

/** Saves dir under key through the real client, then restores it into restoreDir. */
async function roundTrip(
  literal: string,
  saveDir: string,
  restoreDir: string,
  key: string
): Promise<void> {
  const saved = await runDriver<SaveResult>(
    {
      op: 'save',
      req: { label: 'cache', paths: [literal], dir: saveDir, key }
    },
    env
  )
  expect(saved.result.outcome).toBe('saved')
  await rm(restoreDir, { recursive: true, force: true })
  await mkdir(restoreDir, { recursive: true })
  const restored = await runDriver<RestoreRecord>(
    {
      op: 'restore',
      req: {
        label: 'cache',
        paths: [literal],
        dir: restoreDir,
        key,
        restoreKeys: []
      }
    },
    env
  )
  expect(restored.result.result).toBe('exact')
}

describe('restored caches are checked before the build', () => {
  it('drops foreign names, links and FIFOs from a restored build cache', async () => {
    const dir = join(runner.home, 'gobuildcache')
    await mkdir(join(dir, 'ab'), { recursive: true })
    await writeFile(join(dir, 'README'), 'go\n')
    await writeFile(join(dir, 'trim.txt'), '1700000000\n')
    await writeFile(join(dir, `ab/${HASH}-a`), 'action')
    await writeFile(join(dir, `ab/${HASH}-d`), 'output')
    // Planted: a script under an entry dir, an entry in the wrong dir, a
    // dir Go never makes, a link out of the cache, a FIFO.
    await writeFile(join(dir, 'ab/run.sh'), '#!/bin/sh\n')
    await mkdir(join(dir, 'cd'), { recursive: true })
    await writeFile(join(dir, `cd/${HASH}-d`), 'misplaced')
    await mkdir(join(dir, 'hooks'), { recursive: true })
    await writeFile(join(dir, 'hooks/post'), 'x')
    await symlink('/etc', join(dir, 'ef'))
    await run('mkfifo', [join(dir, 'ab/fifo')])

    await roundTrip('~/gobuildcache', dir, dir, 'build-poisoned-1')
    // The client restored the archive whole, planted entries included.
    expect((await lstat(join(dir, 'ef'))).isSymbolicLink()).toBe(true)
    expect(await readFile(join(dir, 'ab/run.sh'), 'utf8')).toBe('#!/bin/sh\n')

    const checked = await checkRestoredCache(dir, 'build')
    expect(checked).toEqual({
      removed: ['ab/fifo', 'ab/run.sh', `cd/${HASH}-d`, 'ef', 'hooks/'].sort(),
      failed: []
    })
    expect((await readdir(dir)).sort()).toEqual([
      'README',
      'ab',
      'cd',
      'trim.txt'
    ])
    expect((await readdir(join(dir, 'ab'))).sort()).toEqual([
      `${HASH}-a`,
      `${HASH}-d`
    ])
  }, 120_000)

  it('drops anything but the download-cache layout from a restored module cache', async () => {
    const dir = join(runner.home, 'gomodcache')
    const download = join(dir, 'cache/download')
    const v = join(download, 'example.com/!greet/@v')
    await mkdir(v, { recursive: true })
    for (const ext of ['info', 'mod', 'zip', 'ziphash', 'lock']) {
      await writeFile(join(v, `v1.0.0.${ext}`), ext)
    }
    await writeFile(join(v, 'list'), 'v1.0.0\n')
    const athens = join(download, '.athens/example.com/Greet/v1.0.0')
    await mkdir(athens, { recursive: true })
    for (const name of ['go.mod', 'source.zip', 'v1.0.0.info']) {
      await writeFile(join(athens, name), name)
    }
    await mkdir(join(download, 'sumdb/sum.golang.org/lookup/example.com'), {
      recursive: true
    })
    await writeFile(
      join(download, 'sumdb/sum.golang.org/lookup/example.com/a@v1.0.0'),
      'lookup'
    )
    // Planted.
    await writeFile(join(v, 'v1.0.0.zip.sh'), 'x')
    await writeFile(join(v, 'v1.0.0.partial'), '')
    await writeFile(join(download, 'README'), 'x')
    await writeFile(join(athens, 'extra.go'), 'x')
    await symlink('/etc/passwd', join(v, 'v1.1.0.mod'))
    await run('mkfifo', [join(download, 'example.com/fifo')])

    await roundTrip('~/gomodcache/cache/download', download, dir, 'mod-1')
    const checked = await checkRestoredCache(dir, 'mod')
    expect(checked).toEqual({
      removed: [
        'cache/download/.athens/example.com/Greet/v1.0.0/extra.go',
        'cache/download/README',
        'cache/download/example.com/!greet/@v/v1.0.0.partial',
        'cache/download/example.com/!greet/@v/v1.0.0.zip.sh',
        'cache/download/example.com/!greet/@v/v1.1.0.mod',
        'cache/download/example.com/fifo'
      ],
      failed: []
    })
    expect((await readdir(v)).sort()).toEqual([
      'list',
      'v1.0.0.info',
      'v1.0.0.lock',
      'v1.0.0.mod',
      'v1.0.0.zip',
      'v1.0.0.ziphash'
    ])
    expect((await readdir(athens)).sort()).toEqual([
      'go.mod',
      'source.zip',
      'v1.0.0.info'
    ])
  }, 120_000)

  it('drops an extracted module tree placed beside cache/download', async () => {
    // An archive can hold paths outside the saved dir (tar -P): a planted
    // `<module>@<version>` tree would be used as the module's source as is.
    const dir = join(runner.home, 'gomodcache-tree')
    const tree = join(dir, 'example.com/!greet@v1.0.0')
    await mkdir(tree, { recursive: true })
    await writeFile(join(tree, 'greet.go'), 'package greet\n')
    await mkdir(join(dir, 'cache/vcs'), { recursive: true })
    await writeFile(join(dir, 'cache/vcs/x'), 'x')
    await run('chmod', ['0555', tree])
    const checked = await checkRestoredCache(dir, 'mod')
    expect(checked).toEqual({
      removed: ['cache/vcs/', 'example.com/'],
      failed: []
    })
    expect(await readdir(dir)).toEqual(['cache'])
  })

  it('empties a cache dir for cache: false, read-only trees and links included', async () => {
    const dir = join(runner.home, 'leftover')
    const tree = join(dir, 'example.com/a@v1.0.0')
    await mkdir(tree, { recursive: true })
    await writeFile(join(tree, 'a.go'), 'package a\n')
    await run('chmod', ['0555', tree])
    await symlink(REPO, join(dir, 'link'))
    await emptyCacheDir(dir)
    expect(await readdir(dir)).toEqual([])
    expect((await lstat(join(REPO, 'package.json'))).isFile()).toBe(true)
  })
})

describe('what the Go toolchain writes passes the check', () => {
  let proxy: ModuleProxy | undefined
  afterAll(async () => {
    await proxy?.stop()
  })

  it('keeps every file of a GOCACHE and a download cache Go filled', async () => {
    await run('go', ['version'])
    const src = join(runner.root, 'goapp')
    await cp(join(REPO, 'bench/fixtures/goapp'), src, { recursive: true })
    await mkdir(join(runner.root, 'dep'), { recursive: true })
    await writeFile(
      join(runner.root, 'dep/go.mod'),
      'module example.com/Dep\n\ngo 1.17\n'
    )
    await writeFile(
      join(runner.root, 'dep/dep.go'),
      'package dep\n\n// N is a number.\nconst N = 1\n'
    )
    proxy = await startModuleProxy({
      modules: [
        {
          path: 'example.com/Dep',
          version: 'v1.2.3-rc.1',
          dir: join(runner.root, 'dep')
        }
      ]
    })
    const gocache = join(runner.root, 'real-gocache')
    const gomodcache = join(runner.root, 'real-gomodcache')
    const goEnv = {
      ...process.env,
      GOCACHE: gocache,
      GOMODCACHE: gomodcache,
      GOPATH: join(runner.root, 'gopath'),
      GOPROXY: proxy.url,
      GOSUMDB: 'off',
      GOFLAGS: '-mod=mod',
      GO111MODULE: 'on',
      GOTOOLCHAIN: 'local'
    }
    await run('go', ['get', 'example.com/Dep@v1.2.3-rc.1'], {
      cwd: src,
      env: goEnv
    })
    await run('go', ['mod', 'download', '-json', 'all'], {
      cwd: src,
      env: goEnv
    })
    await run('go', ['build', '-o', join(runner.root, 'app'), '.'], {
      cwd: src,
      env: goEnv
    })
    await run('go', ['clean', '-testcache'], { cwd: src, env: goEnv })
    const gocacheCheck = await checkRestoredCache(gocache, 'build')
    expect(gocacheCheck).toEqual({ removed: [], failed: [] })
    // Only cache/download is saved: drop the extracted trees first.
    await run('chmod', ['-R', 'u+w', gomodcache])
    for (const name of await readdir(gomodcache)) {
      if (name !== 'cache')
        await rm(join(gomodcache, name), { recursive: true })
    }
    expect(await readdir(join(gomodcache, 'cache/download'))).toContain(
      'example.com'
    )
    const modCheck = await checkRestoredCache(gomodcache, 'mod')
    // cache/lock is Go's side lock (modfetch cache.go SideLock), outside the
    // saved cache/download: the check drops it as it would from an archive.
    expect(modCheck.removed.filter((p) => p !== 'cache/lock')).toEqual([])
    expect(modCheck.failed).toEqual([])
  }, 180_000)
})
