/**
 * Growth of the saved build cache over ten successive builds of the goapp
 * fixture, one source file changed each time, saving after each through the
 * local cache service with the real client: the naive way (restore, build,
 * save everything) against ours (restore, backdate, build, trim, save).
 * Ours must stay within 1.3x of one fresh build's cache.
 *
 *   npx tsx bench/cache-growth.ts [builds=10]
 */
import { cp, rm, writeFile, utimes } from 'node:fs/promises'
import { join } from 'node:path'
import { restoreCacheDir, saveCacheDir } from '../src/adapters/cache.js'
import {
  backdateBuildCache,
  trimBuildCache
} from '../src/adapters/cache-files.js'
import {
  mb,
  quietly,
  REPO,
  run,
  startBenchEnv,
  writeResult
} from './fixtures/cache-bench-env.js'

const BUILDS = Number(process.argv[2] ?? 10)
const env = await startBenchEnv('growth')
const src = join(env.root, 'src')
await cp(join(REPO, 'bench/fixtures/goapp'), src, { recursive: true })

// The changed file: the build number plus a generated table of handlers
// that embed it, so each build's package output is new and of a realistic
// size (a few hundred KB, like a service's own package), not a few bytes.
async function setBuild(n: number): Promise<void> {
  const file = join(src, 'internal/version/version.go')
  const funcs = Array.from(
    { length: 1500 },
    (_, i) =>
      `func h${i}(s string) string { return fmt.Sprintf("%s-%d-%s", s, ${i}, Build) }`
  )
  await writeFile(
    file,
    [
      '// Package version holds the build number.',
      'package version',
      '',
      'import "fmt"',
      '',
      '// Build is the build number.',
      `const Build = "${n}"`,
      '',
      ...funcs,
      '',
      '// Handlers lists the generated handlers.',
      `var Handlers = []func(string) string{${funcs.map((_, i) => `h${i}`).join(', ')}}`,
      ''
    ].join('\n')
  )
  const when = new Date(Date.now() - 3_600_000 + n * 1000)
  await utimes(file, when, when)
}

async function goBuild(gocache: string): Promise<number> {
  const started = Date.now()
  await rm(join(env.root, 'app'), { force: true })
  // -trimpath makes Go build the standard library into GOCACHE too (as Go
  // 1.20+ always does), so the cache is the size a real service's would be.
  await run('go', ['build', '-trimpath', '-o', join(env.root, 'app'), '.'], {
    cwd: src,
    env: {
      ...process.env,
      GOCACHE: gocache,
      GOFLAGS: '',
      GOPROXY: 'off',
      GOPATH: join(env.root, 'gopath')
    }
  })
  return (Date.now() - started) / 1000
}

interface Row {
  build: number
  naiveArchive: number
  oursArchive: number
  naiveSeconds: number
  oursSeconds: number
  trimmedEntries: number
}

const rows: Row[] = []
const archiveSize = (key: string): number =>
  env.service.entries().find((e) => e.key === key)?.size ?? 0

for (let n = 1; n <= BUILDS; n++) {
  await setBuild(n)
  const row: Row = {
    build: n,
    naiveArchive: 0,
    oursArchive: 0,
    naiveSeconds: 0,
    oursSeconds: 0,
    trimmedEntries: 0
  }
  for (const way of ['naive', 'ours'] as const) {
    const dir = join(env.home, way)
    const paths = [`~/${way}`]
    const restored = await quietly(() =>
      restoreCacheDir({
        label: way,
        paths,
        dir,
        key: `${way}-${n}`,
        restoreKeys: [`${way}-`]
      })
    )
    if (n > 1 && restored.result === 'miss') {
      throw new Error(`${way} build ${n}: restore missed: ${restored.warning}`)
    }
    if (way === 'ours') await backdateBuildCache(dir)
    const buildStart = Date.now()
    const seconds = await goBuild(dir)
    if (way === 'ours') {
      row.trimmedEntries = (await trimBuildCache(dir, buildStart)).removed
    }
    const saved = await quietly(() =>
      saveCacheDir({ label: way, paths, dir, key: `${way}-${n}` })
    )
    if (saved.outcome !== 'saved') {
      throw new Error(
        `${way} build ${n}: save ${saved.outcome}: ${saved.warning}`
      )
    }
    row[`${way}Archive`] = archiveSize(`${way}-${n}`)
    row[`${way}Seconds`] = seconds
  }
  rows.push(row)
  process.stdout.write(
    `build ${n}: naive ${mb(row.naiveArchive)} MB (${row.naiveSeconds}s), ours ${mb(row.oursArchive)} MB (${row.oursSeconds}s, ${row.trimmedEntries} entries trimmed)\n`
  )
}

const fresh = rows[0].oursArchive
const last = rows[rows.length - 1]
await writeResult('cache-growth', {
  builds: BUILDS,
  freshArchiveBytes: fresh,
  naiveFinalArchiveBytes: last.naiveArchive,
  oursFinalArchiveBytes: last.oursArchive,
  naiveGrowth: Math.round((last.naiveArchive / fresh) * 1000) / 1000,
  oursGrowth: Math.round((last.oursArchive / fresh) * 1000) / 1000,
  oursWithinLimit: last.oursArchive <= 1.3 * fresh,
  rows
})
await env.stop()
process.exit(0)
