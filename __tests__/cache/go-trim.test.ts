/**
 * The GOCACHE trim against a real Go toolchain: after backdating, a build
 * with one changed file, and the trim, the cache holds exactly the entries
 * that build used, and the next build with it is fully warm.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { execFile } from 'node:child_process'
import { cp, mkdtemp, readFile, rm, utimes, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import {
  backdateBuildCache,
  listFiles,
  trimBuildCache
} from '../../src/adapters/cache-files.js'
import { REPO } from './helpers/harness.js'

const run = promisify(execFile)
let root: string
let src: string

beforeAll(async () => {
  // Fails loudly when the Go toolchain is missing: this suite needs it.
  await run('go', ['version'])
  root = await mkdtemp(join(tmpdir(), 'skc-gotrim-'))
  src = join(root, 'src')
  await cp(join(REPO, 'bench/fixtures/goapp'), src, { recursive: true })
})

afterAll(async () => {
  await rm(root, { recursive: true, force: true })
})

async function goBuild(
  gocache: string,
  flags: string[] = []
): Promise<{ stdout: string; stderr: string }> {
  // No binary from an earlier build: Go would read and hash it to decide
  // whether to relink, adding timing-dependent entries.
  await rm(join(root, 'app'), { force: true })
  return run('go', ['build', ...flags, '-o', join(root, 'app'), '.'], {
    cwd: src,
    env: {
      ...process.env,
      GOCACHE: gocache,
      GOPATH: join(root, 'gopath'),
      GOFLAGS: '',
      GOPROXY: 'off',
      GO111MODULE: 'on'
    },
    maxBuffer: 64 * 1024 * 1024
  })
}

async function setBuild(n: number): Promise<void> {
  const file = join(src, 'internal/version/version.go')
  await writeFile(
    file,
    `// Package version holds the build number.\npackage version\n\n// Build is the build number.\nconst Build = "${n}"\n`
  )
  // Go does not cache the hash of a file modified in the last seconds
  // (cmd/go/internal/cache: modTimeCutoff), which would make the entry sets
  // of two builds depend on timing. Dated in the past (a distinct time per
  // edit, so a same-size edit is still seen), every build caches the same.
  const when = new Date(Date.now() - 3_600_000 + n * 1000)
  for (const f of [
    'go.mod',
    'main.go',
    'internal/render/render.go',
    file,
    'internal/render',
    'internal/version',
    'internal',
    src
  ]) {
    await utimes(f.startsWith('/') ? f : join(src, f), when, when)
  }
}

const entries = async (gocache: string): Promise<string[]> =>
  (await listFiles(gocache))
    .map((f) => f.path)
    .filter((p) => /^[0-9a-f]{2}\//.test(p))
    .sort()

describe('trim with the Go toolchain', () => {
  it('keeps exactly what the build used, and the next build is warm', async () => {
    const gocache = join(root, 'gocache')
    await setBuild(1)
    await goBuild(gocache)
    const afterFirst = await entries(gocache)

    // What restore does: every entry backdated past Go's one-hour refresh.
    expect(await backdateBuildCache(gocache)).toBe(afterFirst.length)
    await setBuild(2)
    const buildStart = Date.now()
    await goBuild(gocache)
    const report = await trimBuildCache(gocache, buildStart)
    expect(report.removed).toBeGreaterThan(0)
    expect(report.failed).toBe(0)
    expect(report.bytesAfter).toBeLessThan(report.bytesBefore)
    // Go's own files stay.
    const rootFiles = (await listFiles(gocache)).map((f) => f.path)
    expect(rootFiles).toEqual(expect.arrayContaining(['README', 'trim.txt']))

    const kept = await entries(gocache)

    // Exactly what a build uses. The next build of the same source, run on
    // the trimmed cache (backdated again, as after a restore), compiles
    // nothing and writes no new entry: nothing it needs was deleted.
    await backdateBuildCache(gocache)
    const secondStart = Date.now()
    const warm = await goBuild(gocache, ['-v', '-x'])
    const compiles = warm.stderr
      .split('\n')
      .filter((line) => /\/compile\s/.test(line))
    expect(compiles).toEqual([])
    expect(warm.stderr).not.toMatch(/^example\.com\/goapp/m)
    expect(await entries(gocache)).toEqual(kept)
    // And nothing else was kept: the only entries that warm build did not
    // read are the source-file lists the previous build's compiles wrote
    // (an action entry and its "./x.go" list per recompiled package), which a
    // fully cached package never reads; the next trim drops them.
    const unread = (await listFiles(gocache)).filter(
      (f) => /^[0-9a-f]{2}\//.test(f.path) && f.mtimeMs < secondStart - 60_000
    )
    const lists = new Set<string>()
    for (const f of unread.filter((u) => u.path.endsWith('-d'))) {
      const text = await readFile(join(gocache, f.path), 'utf8')
      expect(text).toMatch(/^(\.\/[\w.-]+\.go\n)+$/)
      lists.add(f.path.slice(3, -2))
    }
    for (const f of unread.filter((u) => u.path.endsWith('-a'))) {
      const text = await readFile(join(gocache, f.path), 'utf8')
      expect(lists.has(text.split(' ')[2])).toBe(true)
    }
    const second = await trimBuildCache(gocache, secondStart)
    expect(second.removed).toBe(unread.length)
    const third = await goBuild(gocache, ['-v', '-x'])
    expect(
      third.stderr.split('\n').filter((l) => /\/compile\s/.test(l))
    ).toEqual([])

    // Bounded: no bigger than the cache of one cold build of this source.
    const reference = join(root, 'gocache-reference')
    await goBuild(reference)
    const fresh = await listFiles(reference)
    expect(second.bytesAfter).toBeLessThanOrEqual(
      fresh.reduce((sum, f) => sum + f.size, 0)
    )

    // And a changed file after the trim rebuilds only its own package.
    await setBuild(3)
    const changed = await goBuild(gocache, ['-v'])
    expect(changed.stderr.trim().split('\n')).toEqual(
      expect.arrayContaining(['example.com/goapp/internal/version'])
    )
    expect(changed.stderr).not.toMatch(/^net\/http$/m)
  })
})
