/**
 * What the summary says about a save that returned no entry, and the
 * cache-timeout input. Pure.
 */
import { describe, expect, it } from '@jest/globals'
import {
  explainFailedSave,
  type Exchange
} from '../../src/cache/save-outcome.js'
import { INPUT_DEFAULTS, parseInputs } from '../../src/inputs.js'
import { initialState } from '../../src/state.js'
import { renderPostSummary, type SaveRecord } from '../../src/summary.js'

const TWIRP =
  'http://127.0.0.1:1/twirp/github.actions.results.api.v1.CacheService'
const BLOB = 'http://127.0.0.1:1/devstoreaccount1/cache/7'
const lookup: Exchange = {
  method: 'POST',
  url: `${TWIRP}/GetCacheEntryDownloadURL`,
  status: 200
}
const create = (status?: number): Exchange => ({
  method: 'POST',
  url: `${TWIRP}/CreateCacheEntry`,
  status
})
const put = (status?: number, errorCode?: string): Exchange => ({
  method: 'PUT',
  url: BLOB,
  status,
  ...(errorCode ? { errorCode } : {})
})

describe('explainFailedSave', () => {
  it('a 409 on the reservation, with no warning: reserved', () => {
    expect(
      explainFailedSave({ annotations: [], exchanges: [lookup, create(409)] })
    ).toEqual({ outcome: 'reserved' })
  })

  it('a 429 on the reservation, which the client logs at info level: failed, with the status', () => {
    expect(
      explainFailedSave({ annotations: [], exchanges: [lookup, create(429)] })
    ).toEqual({
      outcome: 'failed',
      reason:
        'reserving the key: POST /twirp/github.actions.results.api.v1.CacheService/CreateCacheEntry answered HTTP 429',
      clientWarned: false
    })
  })

  it('the last try of a retried reservation counts', () => {
    expect(
      explainFailedSave({
        annotations: [],
        exchanges: [lookup, create(503), create(409)]
      })
    ).toEqual({ outcome: 'reserved' })
  })

  it('an upload answered 200: the request and status, not the empty client line', () => {
    expect(
      explainFailedSave({
        annotations: [
          'uploadCacheArchiveSDK: internal error uploading cache archive: ',
          'Failed to save: '
        ],
        exchanges: [lookup, create(200), put(200)]
      })
    ).toEqual({
      outcome: 'failed',
      reason:
        'upload: PUT /devstoreaccount1/cache/7 answered HTTP 200, expected HTTP 201',
      clientWarned: true
    })
  })

  it('an upload refused by the blob service: status, Azure error code and the client message', () => {
    const failure = explainFailedSave({
      annotations: [
        'Failed to save: Server failed to authenticate the request.'
      ],
      exchanges: [
        lookup,
        create(200),
        put(201),
        put(403, 'AuthenticationFailed')
      ]
    })
    expect(failure).toMatchObject({
      outcome: 'failed',
      reason:
        'upload: PUT /devstoreaccount1/cache/7 answered HTTP 403 AuthenticationFailed, expected HTTP 201; Failed to save: Server failed to authenticate the request.'
    })
  })

  it('an upload that got no answer says so', () => {
    expect(
      explainFailedSave({
        annotations: ['Failed to save: socket hang up'],
        exchanges: [lookup, create(200), put()]
      })
    ).toMatchObject({
      reason:
        'upload: PUT /devstoreaccount1/cache/7 got no answer, expected HTTP 201; Failed to save: socket hang up'
    })
  })

  it('no upload after the reservation', () => {
    expect(
      explainFailedSave({
        annotations: ['Failed to save: Unable to extract blobName'],
        exchanges: [lookup, create(200)]
      })
    ).toMatchObject({
      reason:
        'the service reserved the key but no upload was sent; Failed to save: Unable to extract blobName'
    })
  })
})

describe('the post summary wording', () => {
  const render = (record: SaveRecord) => {
    const state = initialState('svc', true)
    state.cache = {
      paths: { mod: '~/m', build: '~/b' },
      runnerDirs: { mod: '/m', build: '/b' },
      saveDirs: { mod: '/m/cache/download', build: '/b' },
      keys: {
        mod: { primary: 'k-mod', restoreKeys: [] },
        build: { primary: 'k-build', restoreKeys: [] }
      },
      save: { enabled: true, reason: 'saving' },
      trim: true,
      restored: {}
    }
    return renderPostSummary(state, {
      timings: {},
      warnings: [],
      save: { build: record }
    })
  }

  it('a refused reservation says what is known, not that the key was saved', () => {
    const html = render({ outcome: 'reserved', bytes: 0, seconds: 0.1 })
    expect(html).toContain('this key exists or is being saved by another job')
    expect(html).not.toContain('already saved')
  })

  it('a failed save carries the reason', () => {
    const html = render({
      outcome: 'failed',
      bytes: 0,
      seconds: 0.1,
      reason:
        'build cache: not saved: upload: PUT /devstoreaccount1/cache/7 answered HTTP 200, expected HTTP 201'
    })
    expect(html).toContain(
      'save failed: build cache: not saved: upload: PUT /devstoreaccount1/cache/7 answered HTTP 200, expected HTTP 201'
    )
  })
})

describe('the cache-timeout input', () => {
  const parse = (value: string) =>
    parseInputs((name) => (name === 'cache-timeout' ? value : ''))

  it('defaults to 300 seconds', () => {
    expect(INPUT_DEFAULTS['cache-timeout']).toBe('300')
    expect(parse('').cacheTimeout).toBe(300)
    expect(parse('45').cacheTimeout).toBe(45)
  })

  it.each(['0', '-5', '1.5', '10s', '21601', 'soon'])(
    'refuses %s, naming the input',
    (value) => {
      expect(() => parse(value)).toThrow(/Input 'cache-timeout'/)
    }
  )
})
