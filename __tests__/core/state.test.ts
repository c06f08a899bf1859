import { describe, expect, it } from '@jest/globals'
import {
  initialState,
  parseState,
  serializeState,
  stateRecorder,
  type MainState
} from '../../src/state.js'

describe('state', () => {
  it('round-trips through its serialized form', () => {
    const state = initialState('api', true)
    state.patchedFiles.push('/w/.skaffold.yaml')
    state.timings.build = 12.5
    expect(parseState(serializeState(state))).toEqual(state)
  })

  it.each([
    '',
    '   ',
    'not json',
    '{"version":2,"patchedFiles":[]}',
    '{"version":1}',
    'null'
  ])('treats %j as no state', (text) => {
    expect(parseState(text)).toBeUndefined()
  })
})

describe('stateRecorder', () => {
  it('persists the state when made and after every update', () => {
    const persisted: MainState[] = []
    const record = stateRecorder(initialState('svc', true), (state) =>
      persisted.push(structuredClone(state))
    )
    expect(persisted).toHaveLength(1)
    const added = record.update((state) => state.warnings.push('w'))
    expect(added).toBe(1)
    record.update((state) => {
      state.patchedFiles = ['/w/skaffold.patched.yaml']
    })
    expect(persisted).toHaveLength(3)
    expect(persisted[1].warnings).toEqual(['w'])
    expect(persisted[1].patchedFiles).toEqual([])
    expect(persisted[2].patchedFiles).toEqual(['/w/skaffold.patched.yaml'])
    expect(record.state).toEqual(persisted[2])
  })

  it('persists what an update changed before it threw', () => {
    const persisted: string[] = []
    const record = stateRecorder(initialState('svc', true), (state) =>
      persisted.push(serializeState(state))
    )
    expect(() =>
      record.update((state) => {
        state.warnings.push('half')
        throw new Error('stop')
      })
    ).toThrow('stop')
    expect(record.state.warnings).toEqual(['half'])
    expect(parseState(persisted[persisted.length - 1])?.warnings).toEqual([
      'half'
    ])
  })
})
