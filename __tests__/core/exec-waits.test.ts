/** The exec layer records every tool process it waits on, with the phase that started it. */
import { basename } from 'node:path'
import { describe, expect, it } from '@jest/globals'
import { run } from '../../src/adapters/exec.js'
import { inPhase, ownTimeSoFar } from '../../src/adapters/waits.js'

const node = basename(process.execPath)

describe('waits recorded by the exec layer', () => {
  it('counts each command started, by phase, and not one that could not start', async () => {
    await run(process.execPath, ['-e', ''])
    await inPhase('patch', async () => {
      await run(process.execPath, ['-e', ''])
      await run('/nonexistent/skc-no-such-tool', [])
    })
    const account = ownTimeSoFar()
    expect(account.processes).toEqual({ [node]: 2 })
    expect(account.phases.patch.wallSeconds).toBeGreaterThanOrEqual(
      account.phases.patch.waitSeconds
    )
    expect(account.waitSeconds).toBeLessThanOrEqual(account.wallSeconds)
    expect(account.ownSeconds).toBeCloseTo(
      account.wallSeconds - account.waitSeconds
    )
  }, 60_000)
})
