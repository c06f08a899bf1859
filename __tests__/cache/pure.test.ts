import { describe, expect, it } from '@jest/globals'
import { decideCacheSaves, decideSave } from '../../src/cache/policy.js'
import {
  emptyStats,
  MAX_RECENT,
  parseStats,
  serializeStats,
  speedupOverCold,
  updateStats
} from '../../src/cache/stats.js'
import {
  decideTrim,
  parseActionEntry,
  type CacheFile
} from '../../src/cache/trim.js'

const START = 1_700_000_000_000
const HOUR = 3_600_000

describe('decideTrim', () => {
  const file = (path: string, mtimeMs: number, size = 10): CacheFile => ({
    path,
    mtimeMs,
    size
  })
  it('removes entries older than the build start and keeps the rest', () => {
    const files = [
      file('ab/abcd-a', START - 2 * HOUR),
      file('ab/abcd-d', START + 1000, 30),
      file('0f/0f00-d', START - 2 * HOUR, 5),
      file('README', START - 100 * HOUR),
      file('trim.txt', START - 100 * HOUR),
      file('testexpire.txt', START - 100 * HOUR),
      file('stats.json', START - 100 * HOUR),
      // Not shaped like an entry: kept.
      file('other/deep/x', START - 100 * HOUR)
    ]
    const decision = decideTrim(files, {
      buildStartMs: START,
      keepNames: ['stats.json']
    })
    expect(decision.remove.sort()).toEqual(['0f/0f00-d', 'ab/abcd-a'])
    expect(decision.keep).toHaveLength(6)
    expect(decision.bytesBefore).toBe(95)
    expect(decision.bytesAfter).toBe(80)
  })

  it('removes nothing when the build touched no entry (Go did not run)', () => {
    const files = [
      file('ab/abcd-a', START - 2 * HOUR),
      file('ab/abcd-d', START - 2 * HOUR, 30),
      file('stats.json', START + 5000)
    ]
    const decision = decideTrim(files, {
      buildStartMs: START,
      keepNames: ['stats.json']
    })
    expect(decision).toMatchObject({ remove: [], unused: true })
    expect(decision.bytesAfter).toBe(decision.bytesBefore)
    expect(
      decideTrim([...files, file('cd/cdef-a', START + 10)], {
        buildStartMs: START,
        keepNames: ['stats.json']
      })
    ).toMatchObject({ unused: false, remove: ['ab/abcd-a', 'ab/abcd-d'] })
  })

  it('keeps an entry used just before the recorded start within the slack', () => {
    const decision = decideTrim([file('ab/x-a', START - 30_000)], {
      buildStartMs: START
    })
    expect(decision.remove).toEqual([])
  })

  it('keeps an old output that a used action entry points to', () => {
    // Go leaves an identical output in place without refreshing its mtime.
    const out = 'c'.repeat(64)
    const files = [
      { ...file('aa/aa1-a', START + 10), outputId: out },
      file(`cc/${out}-d`, START - 2 * HOUR),
      { ...file('bb/bb1-a', START - 2 * HOUR), outputId: 'd'.repeat(64) },
      file(`dd/${'d'.repeat(64)}-d`, START - 2 * HOUR)
    ]
    expect(decideTrim(files, { buildStartMs: START }).remove).toEqual([
      'bb/bb1-a',
      `dd/${'d'.repeat(64)}-d`
    ])
  })

  it.each([
    [
      `v1 ${'a'.repeat(64)} ${'b'.repeat(64)}                 175  1795912088422388730\n`,
      'b'.repeat(64)
    ],
    ['./main.go\n', undefined],
    ['', undefined]
  ])('reads the output ID of an action entry', (text, expected) => {
    expect(parseActionEntry(text)).toBe(expected)
  })

  it('keeps everything after a cold build (nothing backdated)', () => {
    const files = [file('aa/1-a', START + 5), file('bb/2-d', START + 9)]
    expect(decideTrim(files, { buildStartMs: START }).remove).toEqual([])
  })
})

describe('stats file', () => {
  it.each([
    ['missing', undefined],
    ['garbage', '{not json'],
    ['another version', '{"version":2,"recent":[]}'],
    ['an array', '[]'],
    ['null', 'null']
  ])('parses %s as empty stats', (_name, text) => {
    expect(parseStats(text)).toEqual(emptyStats())
  })

  it('drops bad records and keeps good ones', () => {
    const text = JSON.stringify({
      version: 1,
      lastCold: { seconds: 'x', at: 'y', cold: true },
      recent: [
        { seconds: 12, at: '2026-01-01T00:00:00Z', cold: false },
        { seconds: -1, at: 'a', cold: false },
        'junk'
      ]
    })
    expect(parseStats(text)).toEqual({
      version: 1,
      recent: [{ seconds: 12, at: '2026-01-01T00:00:00Z', cold: false }]
    })
  })

  it('records the last cold build and bounds the recent list', () => {
    let stats = emptyStats()
    stats = updateStats(stats, { seconds: 149, at: 't0', cold: true })
    for (let i = 1; i <= MAX_RECENT + 3; i++) {
      stats = updateStats(stats, { seconds: 25, at: `t${i}`, cold: false })
    }
    expect(stats.lastCold).toEqual({ seconds: 149, at: 't0', cold: true })
    expect(stats.recent).toHaveLength(MAX_RECENT)
    expect(stats.recent.at(-1)?.at).toBe(`t${MAX_RECENT + 3}`)
    expect(parseStats(serializeStats(stats))).toEqual(stats)
  })

  it('computes the speed-up over the last cold build', () => {
    const stats = updateStats(emptyStats(), {
      seconds: 150,
      at: 't',
      cold: true
    })
    expect(speedupOverCold(stats, 25, false)).toBe(6)
    expect(speedupOverCold(stats, 25, true)).toBeUndefined()
    expect(speedupOverCold(emptyStats(), 25, false)).toBeUndefined()
  })
})

describe('decideSave', () => {
  const push = { repository: { default_branch: 'main' } }
  it.each([
    ['auto on the default branch', 'auto', push, 'refs/heads/main', true],
    ['auto on another branch', 'auto', push, 'refs/heads/feature', false],
    ['auto on a pull request', 'auto', push, 'refs/pull/7/merge', false],
    ['auto on a tag', 'auto', push, 'refs/tags/v1', false],
    ['auto without a payload', 'auto', undefined, 'refs/heads/main', false],
    [
      'auto with a payload lacking the default branch',
      'auto',
      { repository: {} },
      'refs/heads/main',
      false
    ],
    ['always on a pull request', 'always', push, 'refs/pull/7/merge', true],
    ['never on the default branch', 'never', push, 'refs/heads/main', false]
  ] as const)('%s', (_name, policy, event, ref, save) => {
    const decision = decideSave({ policy, eventName: 'push', event, ref })
    expect(decision.save).toBe(save)
    expect(decision.reason).toContain(`save-cache is ${policy}`)
  })
})

describe('decideCacheSaves', () => {
  const yes = { save: true, reason: 'save-cache is always' }
  const no = { save: false, reason: 'save-cache is never' }
  it.each([
    ['exact module hit: build only', yes, 'exact', false, true],
    ['partial module hit: both', yes, 'partial', true, true],
    ['module miss: both', yes, 'miss', true, true],
    ['policy says no: neither', no, 'miss', false, false]
  ] as const)('%s', (_name, decision, mod, saveMod, saveBuild) => {
    const plan = decideCacheSaves(decision, mod)
    expect(plan.mod.save).toBe(saveMod)
    expect(plan.build.save).toBe(saveBuild)
    expect(plan.mod.reason).not.toBe('')
  })
})
