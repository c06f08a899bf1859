/**
 * The module-cache trim against a real Go toolchain and a module proxy: a
 * cache carried forward from a build of older dependencies, then a build of
 * newer ones; the saved tree holds only the versions the newer build uses
 * (its zips and the go.mod-only versions of its module graph), and the next
 * build with it downloads nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { execFile } from 'node:child_process'
import {
  mkdir,
  mkdtemp,
  readFile,
  readdir,
  rm,
  writeFile
} from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import {
  listExtractedModules,
  listFiles,
  pruneModuleCache
} from '../../src/adapters/cache-files.js'
import {
  startModuleProxy,
  type ModuleProxy
} from '../../test-support/module-proxy/index.js'

const run = promisify(execFile)
let root: string
let proxy: ModuleProxy

/** Writes a tree of files under dir. */
async function tree(dir: string, files: Record<string, string>): Promise<void> {
  for (const [name, text] of Object.entries(files)) {
    await mkdir(join(dir, name, '..'), { recursive: true })
    await writeFile(join(dir, name), text)
  }
}

beforeAll(async () => {
  // Fails loudly when the Go toolchain is missing: this suite needs it.
  await run('go', ['version'])
  root = await mkdtemp(join(tmpdir(), 'skc-gomodtrim-'))
  const greet = (version: string): Record<string, string> => ({
    // v1.1.0 requires a module no package comes from: the build of an app
    // at go 1.16 (no module graph pruning) reads its go.mod but never its
    // zip, a go.mod-only version in the cache.
    'go.mod':
      version === 'v1.1.0'
        ? 'module example.com/Greet\n\nrequire example.com/testonly v1.0.0\n'
        : 'module example.com/Greet\n\ngo 1.17\n',
    'greet.go': `package greet\n\n// Hello greets.\nfunc Hello() string { return "hello ${version}" }\n`
  })
  await tree(join(root, 'src/greet-1.0.0'), greet('v1.0.0'))
  await tree(join(root, 'src/greet-1.1.0'), greet('v1.1.0'))
  await tree(join(root, 'src/old'), {
    'go.mod': 'module example.com/old\n\ngo 1.17\n',
    'old.go': 'package old\n\n// Name is old.\nconst Name = "old"\n'
  })
  proxy = await startModuleProxy({
    modules: [
      {
        path: 'example.com/Greet',
        version: 'v1.0.0',
        dir: join(root, 'src/greet-1.0.0')
      },
      {
        path: 'example.com/Greet',
        version: 'v1.1.0',
        dir: join(root, 'src/greet-1.1.0')
      },
      {
        path: 'example.com/old',
        version: 'v1.0.0',
        dir: join(root, 'src/old')
      },
      {
        path: 'example.com/testonly',
        version: 'v1.0.0',
        goMod: 'module example.com/testonly\n'
      }
    ]
  })
  // The two versions of the app, each with its go.sum written by go mod
  // tidy in a scratch module cache (as a developer's machine would).
  await tree(join(root, 'app1'), {
    'go.mod':
      'module example.com/app\n\ngo 1.17\n\nrequire (\n\texample.com/Greet v1.0.0\n\texample.com/old v1.0.0\n)\n',
    'main.go':
      'package main\n\nimport (\n\t"fmt"\n\n\tgreet "example.com/Greet"\n\t"example.com/old"\n)\n\nfunc main() { fmt.Println(greet.Hello(), old.Name) }\n'
  })
  await tree(join(root, 'app2'), {
    'go.mod':
      'module example.com/app\n\ngo 1.16\n\nrequire example.com/Greet v1.1.0\n',
    'main.go':
      'package main\n\nimport (\n\t"fmt"\n\n\tgreet "example.com/Greet"\n)\n\nfunc main() { fmt.Println(greet.Hello()) }\n'
  })
  for (const app of ['app1', 'app2']) {
    await go(app, join(root, 'scratch'), ['mod', 'tidy'], proxy.url)
  }
}, 120_000)

afterAll(async () => {
  await proxy?.stop()
  if (root) {
    await run('chmod', ['-R', 'u+w', root]).catch(() => undefined)
    await rm(root, { recursive: true, force: true })
  }
})

async function go(
  app: string,
  gomodcache: string,
  args: string[],
  goproxy: string
): Promise<{ stdout: string; stderr: string }> {
  return run('go', args, {
    cwd: join(root, app),
    env: {
      ...process.env,
      GOMODCACHE: gomodcache,
      GOCACHE: join(root, 'gocache'),
      GOPATH: join(root, 'gopath'),
      GOPROXY: goproxy,
      GOSUMDB: 'off',
      GOFLAGS: '',
      GONOPROXY: '',
      GOPRIVATE: '',
      GO111MODULE: 'on',
      GOTOOLCHAIN: 'local'
    },
    maxBuffer: 64 * 1024 * 1024
  })
}

const downloadFiles = async (gomodcache: string): Promise<string[]> =>
  (await listFiles(gomodcache))
    .map((f) => f.path)
    .filter((p) => p.startsWith('cache/download/'))
    .sort()

describe('module-cache trim with the Go toolchain', () => {
  it('keeps only the versions the build uses, and the next build downloads nothing', async () => {
    const gomodcache = join(root, 'gomodcache')
    const goSum = async (app: string): Promise<string> =>
      readFile(join(root, app, 'go.sum'), 'utf8')

    // A cache saved after building the old dependencies.
    await go('app1', gomodcache, ['build', '-o', join(root, 'bin1')], proxy.url)
    await pruneModuleCache(gomodcache, [await goSum('app1')])
    expect(await downloadFiles(gomodcache)).toEqual(
      expect.arrayContaining([
        'cache/download/example.com/!greet/@v/v1.0.0.zip',
        'cache/download/example.com/old/@v/v1.0.0.zip'
      ])
    )

    // Restored by the next run, whose dependencies moved on.
    await go('app2', gomodcache, ['build', '-o', join(root, 'bin2')], proxy.url)
    // Go extracted what this build compiles, nothing of the old versions.
    expect(await listExtractedModules(gomodcache)).toEqual([
      'example.com/!greet@v1.1.0'
    ])
    const report = await pruneModuleCache(gomodcache, [await goSum('app2')])
    expect(report.droppedVersions).toEqual([
      'example.com/!greet@v1.0.0',
      'example.com/old@v1.0.0'
    ])
    expect(report.bytesAfter).toBeLessThan(report.bytesBefore)
    const kept = await downloadFiles(gomodcache)
    const versions = new Set(
      kept
        .map((p) => /^cache\/download\/(.+)\/@v\/(v[^/]+)\.[a-z]+$/.exec(p))
        .filter((m) => m !== null)
        .map((m) => `${m[1]}@${m[2]}`)
    )
    expect([...versions].sort()).toEqual([
      'example.com/!greet@v1.1.0',
      'example.com/testonly@v1.0.0'
    ])
    expect(kept).toContain('cache/download/example.com/!greet/@v/v1.1.0.zip')
    // No empty directory of a dropped module travels either.
    expect(
      await readdir(join(gomodcache, 'cache/download/example.com'))
    ).toEqual(['!greet', 'testonly'])
    expect(kept).toContain('cache/download/example.com/testonly/@v/v1.0.0.mod')

    // The next run: only cache/download travels; the build works with no
    // proxy at all and asks the proxy nothing when it has one.
    const requests = proxy.requests.length
    await go('app2', gomodcache, ['build', '-o', join(root, 'bin3')], 'off')
    await run('chmod', ['-R', 'u+w', gomodcache])
    await pruneModuleCache(gomodcache, [await goSum('app2')])
    await go('app2', gomodcache, ['build', '-o', join(root, 'bin4')], proxy.url)
    expect(proxy.requests.slice(requests)).toEqual([])
    const { stdout } = await run(join(root, 'bin4'), [])
    expect(stdout.trim()).toBe('hello v1.1.0')

    // The go.mod-only version is needed: without it the build must download.
    await rm(join(gomodcache, 'cache/download/example.com/testonly'), {
      recursive: true
    })
    await expect(
      go('app2', gomodcache, ['build', '-o', join(root, 'bin5')], 'off')
    ).rejects.toThrow(/example\.com\/testonly/)
  }, 300_000)
})
