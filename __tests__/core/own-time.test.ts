/** The own-time account: own = wall - waits, overlapping waits counted once, per phase. */
import { describe, expect, it } from '@jest/globals'
import {
  accountOwnTime,
  addOwnTimes,
  clipSpans,
  coveredMs
} from '../../src/own-time.js'
import { ownWorkLine } from '../../src/summary.js'

// Epoch milliseconds, written as offsets from a start for reading.
const T = 1_700_000_000_000
const at = (s: number): number => T + s * 1000

describe('coveredMs', () => {
  it('adds disjoint spans and counts overlaps once', () => {
    expect(coveredMs([])).toBe(0)
    expect(
      coveredMs([
        { start: 0, end: 10 },
        { start: 20, end: 25 }
      ])
    ).toBe(15)
    expect(
      coveredMs([
        { start: 5, end: 15 },
        { start: 0, end: 10 },
        { start: 12, end: 14 },
        { start: 15, end: 20 }
      ])
    ).toBe(20)
  })

  it('ignores empty and inverted spans', () => {
    expect(
      coveredMs([
        { start: 5, end: 5 },
        { start: 9, end: 3 }
      ])
    ).toBe(0)
  })
})

describe('clipSpans', () => {
  it('keeps only what falls inside the windows', () => {
    expect(
      clipSpans(
        [{ start: 0, end: 100 }],
        [
          { start: 10, end: 20 },
          { start: 50, end: 150 }
        ]
      )
    ).toEqual([
      { start: 10, end: 20 },
      { start: 50, end: 100 }
    ])
  })
})

describe('accountOwnTime', () => {
  it('own is wall less the waits', () => {
    const account = accountOwnTime({
      start: at(0),
      end: at(12.6),
      windows: [{ phase: 'build', start: at(1), end: at(12) }],
      waits: [
        { tool: 'skaffold', phase: 'build', start: at(1.2), end: at(11.9) }
      ]
    })
    expect(account.wallSeconds).toBeCloseTo(12.6)
    expect(account.waitSeconds).toBeCloseTo(10.7)
    expect(account.ownSeconds).toBeCloseTo(1.9)
    expect(account.phases.build.wallSeconds).toBeCloseTo(11)
    expect(account.phases.build.ownSeconds).toBeCloseTo(0.3)
    expect(account.processes).toEqual({ skaffold: 1 })
  })

  it('counts a wait beside another wait once: the restore tar beside kind create cluster', () => {
    const account = accountOwnTime({
      start: at(0),
      end: at(10),
      windows: [
        { phase: 'restore', start: at(1), end: at(4) },
        { phase: 'cluster', start: at(1), end: at(8) }
      ],
      waits: [
        { tool: 'kind', phase: 'cluster', start: at(1), end: at(7) },
        { tool: 'tar', phase: 'restore', start: at(2), end: at(3.5) },
        { tool: 'docker', phase: 'cluster', start: at(7), end: at(8) }
      ]
    })
    // Waiting from 1 s to 8 s, on one tool or several.
    expect(account.waitSeconds).toBeCloseTo(7)
    expect(account.ownSeconds).toBeCloseTo(3)
    // Each phase against the waits it started.
    expect(account.phases.restore.wallSeconds).toBeCloseTo(3)
    expect(account.phases.restore.waitSeconds).toBeCloseTo(1.5)
    expect(account.phases.cluster.waitSeconds).toBeCloseTo(7)
    expect(account.phases.cluster.ownSeconds).toBeCloseTo(0)
    expect(account.processes).toEqual({ kind: 1, tar: 1, docker: 1 })
  })

  it('adds up a phase measured in parts, and leaves waits outside the step out', () => {
    const account = accountOwnTime({
      start: at(0),
      end: at(10),
      windows: [
        { phase: 'cluster', start: at(0), end: at(2) },
        { phase: 'cluster', start: at(5), end: at(6) }
      ],
      waits: [
        { tool: 'docker', phase: 'cluster', start: at(1), end: at(5.5) },
        { tool: 'tar', start: at(9), end: at(12) }
      ]
    })
    expect(account.phases.cluster.wallSeconds).toBeCloseTo(3)
    expect(account.phases.cluster.waitSeconds).toBeCloseTo(1.5)
    // The step: 1 s to 5.5 s and 9 s to 10 s.
    expect(account.waitSeconds).toBeCloseTo(5.5)
    expect(account.ownSeconds).toBeCloseTo(4.5)
  })
})

describe('the job summary line', () => {
  const main = accountOwnTime({
    start: at(0),
    end: at(10),
    windows: [],
    waits: [
      { tool: 'kind', start: at(0.5), end: at(5) },
      { tool: 'skaffold', start: at(5.2), end: at(9.8) }
    ]
  })
  const post = accountOwnTime({
    start: at(20),
    end: at(22.6),
    windows: [],
    waits: [{ tool: 'docker', start: at(20.2), end: at(22.6) }]
  })

  it('adds main and post', () => {
    const total = addOwnTimes([main, post])
    expect(total.wallSeconds).toBeCloseTo(12.6)
    expect(total.ownSeconds).toBeCloseTo(1.1)
    expect(total.processes).toBe(3)
  })

  it('says the own share in one line', () => {
    expect(ownWorkLine(main, post)).toEqual([
      "<p>This action's own work: 1.1 s of 12.6 s (the rest is waiting on 3 tool processes: 11.5 s).</p>"
    ])
    expect(ownWorkLine(undefined, post)).toEqual([])
  })
})
