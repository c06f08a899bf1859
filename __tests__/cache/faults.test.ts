/**
 * Every fault switch of the local service: the adapters go on cold (a miss or
 * a failed save), say so once, never throw, and never leave a half tree.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { randomBytes } from 'node:crypto'
import { mkdir, readdir, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { SaveResult } from '../../src/adapters/cache.js'
import type { RestoreRecord } from '../../src/state.js'
import {
  startCacheService,
  type CacheService,
  type Faults
} from '../../test-support/cache-service/server.js'
import {
  clientEnv,
  makeRunner,
  runDriver,
  type Runner
} from './helpers/harness.js'

let service: CacheService
let runner: Runner
let env: NodeJS.ProcessEnv
let dir: string
const PATHS = ['~/gocache']
const KEY = 'fault-1'

beforeAll(async () => {
  service = await startCacheService()
  runner = await makeRunner()
  env = clientEnv(service, runner)
  dir = join(runner.home, 'gocache')
  await fillTree()
  const saved = await save(KEY)
  if (saved.result.outcome !== 'saved') {
    throw new Error(`setup: the seed save did not work: ${saved.stdout}`)
  }
})

afterAll(async () => {
  await service.stop()
  await rm(runner.root, { recursive: true, force: true })
})

async function fillTree(): Promise<void> {
  await rm(dir, { recursive: true, force: true })
  // Many incompressible files, so a cut download stops tar midway through.
  for (let i = 0; i < 64; i++) {
    const sub = join(dir, i.toString(16).padStart(2, '0'))
    await mkdir(sub, { recursive: true })
    await writeFile(join(sub, `entry-${i}-d`), randomBytes(64 * 1024))
  }
}

function save(key: string) {
  return runDriver<SaveResult>(
    { op: 'save', req: { label: 'build cache', paths: PATHS, dir, key } },
    env
  )
}

async function restoreInto() {
  // Something in the dir beforehand: the restore must start from empty.
  await mkdir(dir, { recursive: true })
  await writeFile(join(dir, 'left-over'), 'x')
  return runDriver<RestoreRecord>(
    {
      op: 'restore',
      req: {
        label: 'build cache',
        paths: PATHS,
        dir,
        key: KEY,
        restoreKeys: ['fault-']
      }
    },
    env
  )
}

describe('restore under faults', () => {
  it.each<[string, Faults, RegExp]>([
    ['rate limit (429)', { rateLimit: true }, /429|rate/i],
    ['read denied', { readDenied: true }, /cache read denied/],
    ['download 404', { download404: true }, /tar|failed/i],
    ['truncated download', { downloadTruncated: true }, /./]
  ])('%s: a miss, one warning, an empty dir', async (_name, faults, said) => {
    service.setFault(faults)
    try {
      const run = await restoreInto()
      expect(run.code).toBe(0)
      expect(run.result.result).toBe('miss')
      expect(run.result.warning).toMatch(said)
      expect(run.annotations).toHaveLength(1)
      expect(await readdir(dir)).toEqual([])
    } finally {
      service.clearFaults()
    }
  })

  it('slow responses: still an exact hit, no warning', async () => {
    service.setFault({ slowMs: 300 })
    try {
      const run = await restoreInto()
      expect(run.result).toMatchObject({ result: 'exact', matchedKey: KEY })
      expect(run.annotations).toEqual([])
      expect((await readdir(dir)).length).toBe(64)
    } finally {
      service.clearFaults()
    }
  })

  it('one 5xx: the client retries and the restore succeeds', async () => {
    service.setFault({ twirpServerError: { status: 503, count: 1 } })
    try {
      const run = await restoreInto()
      expect(run.result.result).toBe('exact')
      expect(run.annotations).toEqual([])
    } finally {
      service.clearFaults()
    }
  })

  // The client retries 5xx for about 30 s (protocol note section 2): this
  // cost is paid once, here.
  it('a service that keeps answering 5xx: a miss, one error line, no throw', async () => {
    service.setFault({ twirpServerError: { status: 500 } })
    try {
      const run = await restoreInto()
      expect(run.code).toBe(0)
      expect(run.result.result).toBe('miss')
      expect(run.result.warning).toMatch(/500|lookup failed/)
      expect(run.annotations).toHaveLength(1)
      expect(await readdir(dir)).toEqual([])
    } finally {
      service.clearFaults()
    }
  }, 90_000)
})

describe('both caches under a failing service', () => {
  it('read denied: the second lookup is not tried, both miss, one warning', async () => {
    const modDir = join(runner.home, 'gomodcache')
    await mkdir(modDir, { recursive: true })
    await writeFile(join(modDir, 'left-over'), 'x')
    await mkdir(dir, { recursive: true })
    await writeFile(join(dir, 'left-over'), 'x')
    const before = service.requests.length
    service.setFault({ readDenied: true })
    try {
      const run = await runDriver<{ mod: RestoreRecord; build: RestoreRecord }>(
        {
          op: 'restore-both',
          mod: {
            label: 'module cache',
            paths: ['~/gomodcache'],
            dir: modDir,
            key: 'mod-1',
            restoreKeys: []
          },
          build: {
            label: 'build cache',
            paths: PATHS,
            dir,
            key: KEY,
            restoreKeys: []
          }
        },
        env
      )
      expect(run.result.mod.result).toBe('miss')
      expect(run.result.build.result).toBe('miss')
      expect(run.result.mod.warning).toMatch(/cache read denied/)
      expect(run.result.build.warning).toMatch(/not looked up/)
      expect(run.annotations).toHaveLength(1)
      expect(
        service.requests
          .slice(before)
          .filter((r) => r.twirp === 'GetCacheEntryDownloadURL')
      ).toHaveLength(1)
      expect(await readdir(modDir)).toEqual([])
      expect(await readdir(dir)).toEqual([])
    } finally {
      service.clearFaults()
    }
  })
})

describe('save under faults', () => {
  beforeAll(fillTree)

  // A refused blob upload makes the client itself log two lines
  // (uploadCacheArchiveSDK, then "Failed to save"); the adapter adds none.
  it.each<[string, Faults, RegExp, boolean, number]>([
    ['write denied', { writeDenied: true }, /cache write denied/, false, 1],
    ['rate limit (429)', { rateLimit: true }, /429|rate/i, false, 1],
    [
      'blob upload refused (502)',
      { blobServerError: { status: 502 } },
      /fault switch: blob server error 502/,
      true,
      2
    ]
  ])(
    '%s: failed, warned, nothing finalized',
    async (_name, faults, said, uploads, lines) => {
      const key = `save-${Math.random().toString(16).slice(2)}`
      const before = service.requests.length
      service.setFault(faults)
      try {
        const run = await save(key)
        expect(run.code).toBe(0)
        expect(run.result.outcome).toBe('failed')
        expect(run.result.warning).toMatch(said)
        expect(run.annotations).toHaveLength(lines)
        expect(run.annotations.join('\n')).not.toContain('build cache:')
        const traffic = service.requests.slice(before)
        expect(traffic.some((r) => r.blob !== undefined)).toBe(uploads)
        expect(
          service.entries().some((e) => e.key === key && e.state === 'final')
        ).toBe(false)
      } finally {
        service.clearFaults()
      }
    }
  )

  it('service not configured: skipped with one warning, no throw', async () => {
    const run = await runDriver<SaveResult>(
      {
        op: 'save',
        req: { label: 'build cache', paths: PATHS, dir, key: 'x' }
      },
      { ...env, ACTIONS_RESULTS_URL: '', ACTIONS_CACHE_URL: '' }
    )
    expect(run.result.outcome).toBe('skipped')
    expect(run.annotations).toHaveLength(1)
  })

  it('missing token: the client rejects, the adapter warns once', async () => {
    const run = await runDriver<SaveResult>(
      {
        op: 'save',
        req: { label: 'build cache', paths: PATHS, dir, key: 'y' }
      },
      { ...env, ACTIONS_RUNTIME_TOKEN: '' }
    )
    expect(run.code).toBe(0)
    expect(run.result.outcome).toBe('failed')
    expect(run.annotations).toHaveLength(1)
  })
})

describe('deadlines: a service that accepts and never answers', () => {
  const deadline = { seconds: 3, hint: 'test limit' }
  const restoreOnce = (extra: Record<string, unknown> = {}) =>
    runDriver<RestoreRecord>(
      {
        op: 'restore',
        exit: false,
        req: {
          label: 'build cache',
          paths: PATHS,
          dir,
          key: KEY,
          restoreKeys: [],
          deadline
        },
        ...extra
      },
      env
    )

  // exit: false: the driver ends on its own, so nothing the stopped call
  // started (a socket, a timer, tar) keeps the process alive.
  it.each<['twirp' | 'download', RegExp]>([
    ['twirp', /lookup got no answer within 3 s; building cold \(test limit\)/],
    ['download', /restoring fault-1 took longer than 3 s and was stopped/]
  ])(
    '%s: a miss with one warning, an empty dir, and the process ends',
    async (where, said) => {
      service.setFault({ neverAnswer: where })
      try {
        await mkdir(dir, { recursive: true })
        await writeFile(join(dir, 'left-over'), 'x')
        const run = await restoreOnce()
        expect(run.code).toBe(0)
        expect(run.result.result).toBe('miss')
        expect(run.result.warning).toMatch(said)
        expect(run.annotations).toHaveLength(1)
        expect(await readdir(dir)).toEqual([])
      } finally {
        service.clearFaults()
      }
    },
    90_000
  )

  it('upload: the save is stopped and skipped with one warning, nothing finalized', async () => {
    await fillTree()
    const key = `hang-${Math.random().toString(16).slice(2)}`
    service.setFault({ neverAnswer: 'blob' })
    try {
      const run = await runDriver<SaveResult>(
        {
          op: 'save',
          exit: false,
          req: { label: 'build cache', paths: PATHS, dir, key, deadline }
        },
        env
      )
      expect(run.code).toBe(0)
      expect(run.result.outcome).toBe('skipped')
      expect(run.result.warning).toMatch(
        /archiving and uploading took longer than 3 s and was stopped/
      )
      expect(run.annotations).toHaveLength(1)
      expect(
        service.entries().some((e) => e.key === key && e.state === 'final')
      ).toBe(false)
    } finally {
      service.clearFaults()
    }
  }, 90_000)
})

describe('warnings written beside a lookup', () => {
  // The old stdout listener counted them as the lookup's: a plain miss became
  // a failed lookup, the second cache was not looked up and saving was off.
  it('do not turn a miss into a failure, nor a hit into a miss', async () => {
    const modDir = join(runner.home, 'gomodcache')
    await mkdir(modDir, { recursive: true })
    // Slow answers keep each lookup open while the noise is written.
    service.setFault({ slowMs: 200 })
    try {
      const run = await runDriver<{ mod: RestoreRecord; build: RestoreRecord }>(
        {
          op: 'restore-with-noise',
          mod: {
            label: 'module cache',
            paths: ['~/gomodcache'],
            dir: modDir,
            key: `noise-mod-${Math.random().toString(16).slice(2)}`,
            restoreKeys: []
          },
          build: {
            label: 'build cache',
            paths: PATHS,
            dir,
            key: KEY,
            restoreKeys: []
          }
        },
        env
      )
      expect(run.annotations.length).toBeGreaterThan(10)
      expect(run.annotations.every((l) => l.includes('kind: retrying'))).toBe(
        true
      )
      expect(run.result.mod).toMatchObject({ result: 'miss', bytes: 0 })
      expect(run.result.mod.warning).toBeUndefined()
      expect(run.result.build).toMatchObject({
        result: 'exact',
        matchedKey: KEY
      })
      expect(run.result.build.warning).toBeUndefined()
    } finally {
      service.clearFaults()
    }
  })

  it('do not turn a save into a failed lookup', async () => {
    await fillTree()
    service.setFault({ slowMs: 200 })
    try {
      const run = await runDriver<SaveResult>(
        {
          op: 'save-with-noise',
          req: {
            label: 'build cache',
            paths: PATHS,
            dir,
            key: `noise-save-${Math.random().toString(16).slice(2)}`
          }
        },
        env
      )
      expect(run.result.outcome).toBe('saved')
      expect(run.result.warning).toBeUndefined()
    } finally {
      service.clearFaults()
    }
  })
})

describe('saves the real client fails without a reason', () => {
  beforeAll(fillTree)

  it('an upload answered 200: failed, the summary says which request and status; the next run gets "reserved"', async () => {
    const key = `up200-${Math.random().toString(16).slice(2)}`
    service.setFault({ uploadAnswers200: true })
    let run: Awaited<ReturnType<typeof save>>
    try {
      run = await save(key)
    } finally {
      service.clearFaults()
    }
    expect(run.code).toBe(0)
    expect(run.result.outcome).toBe('failed')
    // The client's own line has nothing after its colon.
    expect(run.stdout).toMatch(
      /uploadCacheArchiveSDK: internal error uploading cache archive: *$/m
    )
    expect(run.result.warning).toMatch(
      /upload: PUT \/devstoreaccount1\/cache\/\d+ answered HTTP 200, expected HTTP 201/
    )
    // The reservation stays open: the next save is refused with 409.
    const next = await save(key)
    expect(next.result.outcome).toBe('reserved')
    expect(next.annotations).toEqual([])
  })

  it('an upload URL the client cannot parse: failed, and the summary says no upload was sent', async () => {
    const key = `badurl-${Math.random().toString(16).slice(2)}`
    const before = service.requests.length
    service.setFault({ unparsableUploadUrl: true })
    try {
      const run = await save(key)
      expect(run.code).toBe(0)
      expect(run.result.outcome).toBe('failed')
      expect(run.result.warning).toMatch(
        /the service reserved the key but no upload was sent; .*Unable to extract blobName and containerName/
      )
      expect(
        service.requests.slice(before).filter((r) => r.blob !== undefined)
      ).toEqual([])
    } finally {
      service.clearFaults()
    }
  })
})
