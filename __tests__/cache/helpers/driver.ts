/**
 * Runs one of the action's cache adapters in a fresh process, as the main and
 * post steps would, and prints its typed result on a last line
 * "RESULT <json>". Tests run it with their own env (cache service, PATH
 * without zstd, another user) and count the annotations it prints.
 *
 *   npx tsx __tests__/cache/helpers/driver.ts '<json op>'
 */
import {
  restoreBothCaches,
  restoreCacheDir,
  saveCacheDir,
  type RestoreRequest,
  type SaveRequest
} from '../../../src/adapters/cache.js'
import { giveCacheDirsToRunner } from '../../../src/adapters/ownership.js'
import type { OwnershipRequest } from '../../../src/adapters/ownership.js'

type Op = (
  | { op: 'restore'; req: RestoreRequest }
  | { op: 'restore-both'; mod: RestoreRequest; build: RestoreRequest }
  | {
      // Other work writing ::warning:: lines while the restore runs, as
      // kind does beside it in the main step.
      op: 'restore-with-noise'
      mod: RestoreRequest
      build: RestoreRequest
    }
  | { op: 'save'; req: SaveRequest }
  | { op: 'save-with-noise'; req: SaveRequest }
  | {
      op: 'ownership-then-save'
      ownership: OwnershipRequest
      save: SaveRequest
    }
) & {
  /** false: end without process.exit, to show nothing is left running. */
  exit?: boolean
}

/** Runs fn while other work writes ::warning:: lines, as kind does in main. */
async function withNoise<T>(fn: () => Promise<T>): Promise<T> {
  let noisy = true
  const noise = (async () => {
    for (let i = 0; noisy; i++) {
      process.stdout.write(`::warning::kind: retrying (${i})\n`)
      await new Promise((resolve) => setTimeout(resolve, 10))
    }
  })()
  try {
    return await fn()
  } finally {
    noisy = false
    await noise
  }
}

const op = JSON.parse(process.argv[2] ?? '{}') as Op
let result: unknown
if (op.op === 'restore') result = await restoreCacheDir(op.req)
else if (op.op === 'restore-both') {
  result = await restoreBothCaches(op.mod, op.build)
} else if (op.op === 'restore-with-noise') {
  result = await withNoise(() => restoreBothCaches(op.mod, op.build))
} else if (op.op === 'save-with-noise') {
  result = await withNoise(() => saveCacheDir(op.req))
} else if (op.op === 'save') result = await saveCacheDir(op.req)
else if (op.op === 'ownership-then-save') {
  const ownership = await giveCacheDirsToRunner(op.ownership)
  const save = await saveCacheDir(op.save)
  result = { ownership, save }
} else throw new Error(`unknown op ${JSON.stringify(op)}`)
process.stdout.write(`RESULT ${JSON.stringify(result)}\n`)
// As the post step does: exit once done, so no dangling HTTP retry keeps
// the process alive.
if (op.exit !== false) process.exit(0)
