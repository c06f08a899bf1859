/**
 * One job's cache life in a fresh process, as main and post run it: restore
 * both caches with the real client (a warm run), record the restored names
 * as main does, let a "build" write files into the caches, then run the real
 * post step. Prints "RESULT <json>" with the restore results.
 *
 *   npx tsx __tests__/cache/helpers/post-driver.ts '<json op>'
 */
import { randomBytes } from 'node:crypto'
import { appendFile, mkdir, utimes, writeFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { restoreBothCaches } from '../../../src/adapters/cache.js'
import {
  listFiles,
  recordRestoredEntries
} from '../../../src/adapters/cache-files.js'
import { runPost } from '../../../src/post.js'
import {
  STATE_NAME,
  type MainState,
  type RestoreRecord
} from '../../../src/state.js'

interface Op {
  state: MainState
  /** Restore both caches first (a warm run). */
  restore: boolean
  /** Files the build writes: cache (mod: relative to the save dir), path, size. */
  writes: { cache: 'mod' | 'build'; path: string; size: number }[]
}

const op = JSON.parse(process.argv[2] ?? '{}') as Op
const cache = op.state.cache
if (!cache) throw new Error('the op needs a cache state')
const results: Partial<Record<'mod' | 'build', RestoreRecord>> = {}
if (op.restore) {
  const both = await restoreBothCaches(
    {
      label: 'module cache',
      paths: [cache.paths.mod],
      dir: cache.runnerDirs.mod,
      key: cache.keys.mod.primary,
      restoreKeys: cache.keys.mod.restoreKeys
    },
    {
      label: 'build cache',
      paths: [cache.paths.build],
      dir: cache.runnerDirs.build,
      key: cache.keys.build.primary,
      restoreKeys: cache.keys.build.restoreKeys
    }
  )
  Object.assign(results, both)
  cache.restoredEntries = {}
  for (const which of ['mod', 'build'] as const) {
    const result = both[which]
    cache.restored[which] = {
      result: result.result,
      matchedKey: result.matchedKey,
      bytes: result.bytes,
      seconds: result.seconds
    }
    if (result.result === 'miss') continue
    const listFile = join(
      process.env.RUNNER_TEMP ?? '',
      `skaffold-kaniko-cache-restored-${which}.txt`
    )
    const found = await recordRestoredEntries(cache.saveDirs[which], listFile)
    cache.restoredEntries[which] = { ...found, listFile }
  }
}
// The build: it starts now, reads every entry (so the trim keeps them all)
// and writes the new files.
const startedAt = Date.now() - 1000
for (const f of await listFiles(cache.runnerDirs.build)) {
  const now = new Date()
  await utimes(join(cache.runnerDirs.build, f.path), now, now)
}
for (const w of op.writes) {
  const file = join(cache.saveDirs[w.cache], w.path)
  await mkdir(dirname(file), { recursive: true })
  // Incompressible content: the archive size follows the file sizes.
  await writeFile(file, randomBytes(w.size))
}
op.state.build = { succeeded: true, seconds: 5, startedAt, images: [] }
process.env[`STATE_${STATE_NAME}`] = JSON.stringify(op.state)
await appendFile(process.env.GITHUB_STEP_SUMMARY ?? '/dev/null', '')
await runPost()
process.stdout.write(`RESULT ${JSON.stringify(results)}\n`)
process.exit(0)
