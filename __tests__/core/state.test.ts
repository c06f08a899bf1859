import { describe, expect, it } from '@jest/globals'
import { initialState, parseState, serializeState } from '../../src/state.js'

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
