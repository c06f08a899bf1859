/**
 * The main step's first moment (src/start.ts): inputs and the runner's
 * variables are checked before the rest of the action loads.
 */
import { describe, expect, it } from '@jest/globals'
import { RUNNER as runner } from './helpers/runner-env.js'
import { parseInputs } from '../../src/inputs.js'
import { startMain, type StartActions } from '../../src/start.js'

interface Seen {
  lines: string[]
  failures: string[]
}

function fakeActions(
  values: Record<string, string>,
  readRunnerEnv: StartActions['readRunnerEnv'] = () => runner
): { actions: StartActions; seen: Seen } {
  const seen: Seen = { lines: [], failures: [] }
  const actions: StartActions = {
    fail: (message) => {
      seen.failures.push(message)
    },
    log: {
      info: (message) => {
        seen.lines.push(message)
      },
      debug: () => undefined,
      warning: (message) => {
        seen.lines.push(`warning: ${message}`)
      },
      error: () => undefined
    },
    readInputs: () => parseInputs((name) => values[name] ?? ''),
    readRunnerEnv
  }
  return { actions, seen }
}

describe('startMain', () => {
  it('goes on after one line naming the config and the directory', () => {
    const { actions, seen } = fakeActions({
      'skaffold-file': 'deploy/skaffold.yaml',
      'working-directory': 'services/feed'
    })
    expect(startMain(actions)).toBe(true)
    expect(seen.failures).toEqual([])
    expect(seen.lines).toEqual([
      'skaffold-kaniko-cache: inputs checked; building deploy/skaffold.yaml in working-directory services/feed'
    ])
  })

  it('uses the inputs defaults in that line', () => {
    const { actions, seen } = fakeActions({})
    expect(startMain(actions)).toBe(true)
    expect(seen.lines[0]).toBe(
      'skaffold-kaniko-cache: inputs checked; building skaffold.yaml in working-directory .'
    )
  })

  it('fails the step on a bad input, naming it, and stops there', () => {
    const { actions, seen } = fakeActions({ cleanup: 'sometimes' })
    expect(startMain(actions)).toBe(false)
    expect(seen.lines).toEqual([])
    expect(seen.failures).toHaveLength(1)
    expect(seen.failures[0]).toContain("'cleanup'")
  })

  it('fails the step outside a job (no RUNNER_TEMP)', () => {
    const { actions, seen } = fakeActions({}, () => {
      throw new Error('RUNNER_TEMP is not set: this action must run in a job')
    })
    expect(startMain(actions)).toBe(false)
    expect(seen.lines).toEqual([])
    expect(seen.failures).toHaveLength(1)
    expect(seen.failures[0]).toMatch(/^Error: RUNNER_TEMP is not set/)
  })
})
