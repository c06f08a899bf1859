/**
 * Restore and save throughput through the local cache service with the real
 * client, against a plain `tar` with zstd of the same tree to local disk (the
 * limit on this machine: the service adds HTTP and a copy of the archive).
 *
 *   npx tsx bench/cache-throughput.ts [megabytes=200] [repeats=3]
 */
import { randomBytes } from 'node:crypto'
import { mkdir, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { restoreCacheDir, saveCacheDir } from '../src/adapters/cache.js'
import { measureDir } from '../src/adapters/cache-files.js'
import {
  mb,
  quietly,
  run,
  startBenchEnv,
  writeResult
} from './fixtures/cache-bench-env.js'

const MEGABYTES = Number(process.argv[2] ?? 200)
const REPEATS = Number(process.argv[3] ?? 3)
const env = await startBenchEnv('throughput')
const dir = join(env.home, 'gobuildcache')
const paths = ['~/gobuildcache']

// The same kind of tree as the collision benchmark: 32 KB files in 256 dirs,
// half random, half repetitive text.
async function writeTree(): Promise<void> {
  const fileSize = 32 * 1024
  const files = Math.ceil((MEGABYTES * 1e6) / fileSize)
  for (let i = 0; i < 256; i++) {
    await mkdir(join(dir, i.toString(16).padStart(2, '0')), {
      recursive: true
    })
  }
  for (let i = 0; i < files; i++) {
    const sub = (i % 256).toString(16).padStart(2, '0')
    const data =
      i % 2 === 0
        ? randomBytes(fileSize)
        : Buffer.from(
            `line ${i} of a compressible entry\n`.repeat(fileSize / 32)
          )
    await writeFile(join(dir, sub, `${i}-d`), data.subarray(0, fileSize))
  }
}

const seconds = async (fn: () => Promise<unknown>): Promise<number> => {
  const started = process.hrtime.bigint()
  await fn()
  return Number(process.hrtime.bigint() - started) / 1e9
}
const median = (xs: number[]): number =>
  [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]

await writeTree()
const tree = await measureDir(dir)
const times = {
  save: [] as number[],
  restore: [] as number[],
  tarCreate: [] as number[],
  tarExtract: [] as number[]
}
const archive = join(env.root, 'plain.tzst')
const extractTo = join(env.root, 'extract')

for (let i = 0; i < REPEATS; i++) {
  const key = `throughput-${i}`
  times.save.push(
    await seconds(async () => {
      const r = await quietly(() =>
        saveCacheDir({ label: 'save', paths, dir, key })
      )
      if (r.outcome !== 'saved') throw new Error(`save: ${r.warning}`)
    })
  )
  times.restore.push(
    await seconds(async () => {
      const r = await quietly(() =>
        restoreCacheDir({ label: 'restore', paths, dir, key, restoreKeys: [] })
      )
      if (r.result !== 'exact') throw new Error(`restore: ${r.warning}`)
    })
  )
  // The client's own tar commands, minus the service (protocol note 6).
  await rm(archive, { force: true })
  times.tarCreate.push(
    await seconds(() =>
      run('tar', [
        '--posix',
        '-cf',
        archive,
        '-C',
        env.home,
        '--use-compress-program',
        'zstdmt',
        'gobuildcache'
      ])
    )
  )
  await rm(extractTo, { recursive: true, force: true })
  await mkdir(extractTo)
  times.tarExtract.push(
    await seconds(() =>
      run('tar', [
        '-xf',
        archive,
        '-C',
        extractTo,
        '--use-compress-program',
        'unzstd'
      ])
    )
  )
}

const rate = (xs: number[]): number =>
  Math.round((tree.bytes / 1e6 / median(xs)) * 10) / 10
const entry = env.service.entries().find((e) => e.key === 'throughput-0')
await writeResult('cache-throughput', {
  treeMB: mb(tree.bytes),
  files: tree.files,
  archiveMB: mb(entry?.size ?? 0),
  repeats: REPEATS,
  saveMBps: rate(times.save),
  restoreMBps: rate(times.restore),
  plainTarZstdCreateMBps: rate(times.tarCreate),
  plainTarZstdExtractMBps: rate(times.tarExtract),
  saveVsTar:
    Math.round((median(times.tarCreate) / median(times.save)) * 100) / 100,
  restoreVsTar:
    Math.round((median(times.tarExtract) / median(times.restore)) * 100) / 100,
  seconds: times
})
await env.stop()
process.exit(0)
