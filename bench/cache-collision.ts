/**
 * The cost of a save whose key already exists (a matrix collision, a re-run):
 * ours (lookupOnly first, then nothing) against a plain saveCache of the same
 * tree, which archives the whole tree before the service answers 409
 * (toolkit cache.ts creates the tar before reserving).
 *
 *   npx tsx bench/cache-collision.ts [megabytes=200] [repeats=3]
 */
import * as cache from '@actions/cache'
import { randomBytes } from 'node:crypto'
import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { saveCacheDir } from '../src/adapters/cache.js'
import { measureDir } from '../src/adapters/cache-files.js'
import {
  mb,
  quietly,
  startBenchEnv,
  writeResult
} from './fixtures/cache-bench-env.js'

const MEGABYTES = Number(process.argv[2] ?? 200)
const REPEATS = Number(process.argv[3] ?? 3)
const env = await startBenchEnv('collision')
const dir = join(env.home, 'gobuildcache')
const paths = ['~/gobuildcache']
const KEY = 'collision-1'

// A build-cache-like tree: 256 dirs of 32 KB files, half random (object code
// compresses poorly), half repetitive text.
for (let i = 0; i < 256; i++) {
  await mkdir(join(dir, i.toString(16).padStart(2, '0')), { recursive: true })
}
const fileSize = 32 * 1024
const files = Math.ceil((MEGABYTES * 1e6) / fileSize)
for (let i = 0; i < files; i++) {
  const sub = (i % 256).toString(16).padStart(2, '0')
  const data =
    i % 2 === 0
      ? randomBytes(fileSize)
      : Buffer.from(`line ${i} of a compressible entry\n`.repeat(fileSize / 32))
  await writeFile(join(dir, sub, `${i}-d`), data.subarray(0, fileSize))
}
const tree = await measureDir(dir)

const seed = await quietly(() =>
  saveCacheDir({ label: 'seed', paths, dir, key: KEY })
)
if (seed.outcome !== 'saved') throw new Error(`seed save: ${seed.warning}`)

const median = (xs: number[]): number =>
  [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]
const time = async (fn: () => Promise<unknown>): Promise<number> => {
  const started = process.hrtime.bigint()
  await fn()
  return Number(process.hrtime.bigint() - started) / 1e9
}

const ours: number[] = []
const plain: number[] = []
let oursRequests = 0
let plainRequests = 0
for (let i = 0; i < REPEATS; i++) {
  let before = env.service.requests.length
  ours.push(
    await time(async () => {
      const r = await quietly(() =>
        saveCacheDir({ label: 'ours', paths, dir, key: KEY })
      )
      if (r.outcome !== 'exists') throw new Error(`ours: ${r.outcome}`)
    })
  )
  oursRequests = env.service.requests.length - before
  before = env.service.requests.length
  plain.push(
    await time(async () => {
      const id = await quietly(() => cache.saveCache(paths, KEY))
      if (id !== -1) throw new Error(`plain saveCache saved again: ${id}`)
    })
  )
  plainRequests = env.service.requests.length - before
}

const oursSeconds = median(ours)
const plainSeconds = median(plain)
await writeResult('cache-collision', {
  treeBytes: tree.bytes,
  treeMB: mb(tree.bytes),
  archiveBytes: env.service.entries().find((e) => e.key === KEY)?.size ?? 0,
  repeats: REPEATS,
  oursSecondsMedian: oursSeconds,
  plainSaveCacheSecondsMedian: plainSeconds,
  speedup: Math.round((plainSeconds / oursSeconds) * 10) / 10,
  oursRequestsPerSave: oursRequests,
  plainRequestsPerSave: plainRequests,
  oursSeconds: ours,
  plainSeconds: plain
})
await env.stop()
process.exit(0)
