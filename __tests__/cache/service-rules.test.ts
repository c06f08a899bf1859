import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import {
  findEntry,
  startCacheService,
  type CacheEntry,
  type CacheService
} from '../../test-support/cache-service/server.js'

const entry = (
  id: number,
  key: string,
  extra: Partial<CacheEntry> = {}
): CacheEntry => ({
  id,
  key,
  version: 'v1',
  state: 'final',
  size: 1,
  created: id,
  ...extra
})

describe('the local service matching rules', () => {
  const all = [
    entry(1, 'go-linux-a'),
    entry(2, 'go-linux-a-longer'),
    entry(3, 'go-linux-b'),
    entry(4, 'go-linux-c', { version: 'v2' }),
    entry(5, 'go-linux-d', { state: 'reserved' })
  ]
  it.each<[string, string, string[], string, number | undefined]>([
    ['exact beats a newer prefix match', 'go-linux-a', [], 'v1', 1],
    ['the primary key is prefix-matched too', 'go-linux-a-', [], 'v1', 2],
    ['newest prefix match', 'go-linux-x', ['go-linux-'], 'v1', 3],
    ['restore keys in order', 'nope', ['go-linux-a', 'go-linux-'], 'v1', 1],
    ['the version must match', 'go-linux-c', [], 'v1', undefined],
    [
      'another version is found under its own version',
      'go-linux-',
      [],
      'v2',
      4
    ],
    ['reserved entries are invisible', 'go-linux-d', [], 'v1', undefined],
    ['case-sensitive', 'GO-LINUX-A', [], 'v1', undefined]
  ])('%s', (_name, key, restoreKeys, version, id) => {
    expect(findEntry(all, key, restoreKeys, version)?.id).toBe(id)
  })
})

/**
 * The local service is as strict as the real one where the client could get
 * away with less: Twirp bodies need key and version, Get Blob honours ranges,
 * blob errors have Azure's shape.
 */
describe('the local service protocol', () => {
  let service: CacheService
  const TWIRP = '/twirp/github.actions.results.api.v1.CacheService/'
  const VERSION = 'a'.repeat(64)
  const DATA = Buffer.from('0123456789abcdefghij')
  let download = ''

  const twirp = (method: string, body: unknown) =>
    fetch(`${service.url}${TWIRP}${method}`, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        Authorization: 'Bearer t'
      },
      body: JSON.stringify(body)
    })

  beforeAll(async () => {
    service = await startCacheService()
    const created = (await (
      await twirp('CreateCacheEntry', { key: 'k1', version: VERSION })
    ).json()) as { signed_upload_url: string }
    const put = await fetch(created.signed_upload_url, {
      method: 'PUT',
      headers: { 'x-ms-blob-type': 'BlockBlob' },
      body: DATA
    })
    if (put.status !== 201) throw new Error(`setup: Put Blob got ${put.status}`)
    await twirp('FinalizeCacheEntryUpload', {
      key: 'k1',
      version: VERSION,
      size_bytes: String(DATA.length)
    })
    const found = (await (
      await twirp('GetCacheEntryDownloadURL', { key: 'k1', version: VERSION })
    ).json()) as { signed_download_url: string }
    download = found.signed_download_url
  })

  afterAll(async () => {
    await service.stop()
  })

  it.each([
    ['CreateCacheEntry', { key: 'k2' }, /version is required/],
    ['GetCacheEntryDownloadURL', { key: 'k1' }, /version is required/],
    ['FinalizeCacheEntryUpload', { version: VERSION }, /key is required/]
  ])(
    '%s without key or version: 400 invalid_argument',
    async (method, body, said) => {
      const res = await twirp(method, body)
      expect(res.status).toBe(400)
      const error = (await res.json()) as { code: string; msg: string }
      expect(error.code).toBe('invalid_argument')
      expect(error.msg).toMatch(said)
      expect(service.entries().some((e) => e.key === 'k2')).toBe(false)
    }
  )

  it('a whole download: 200 with the exact length', async () => {
    const res = await fetch(download)
    expect(res.status).toBe(200)
    expect(Buffer.from(await res.arrayBuffer())).toEqual(DATA)
  })

  it.each<[string, Record<string, string>, string, string]>([
    ['Range', { Range: 'bytes=2-5' }, 'bytes 2-5/20', '2345'],
    ['an open range', { Range: 'bytes=15-' }, 'bytes 15-19/20', 'fghij'],
    ['an end past the blob', { Range: 'bytes=18-99' }, 'bytes 18-19/20', 'ij'],
    [
      'x-ms-range over Range',
      { Range: 'bytes=0-1', 'x-ms-range': 'bytes=10-12' },
      'bytes 10-12/20',
      'abc'
    ]
  ])('%s: 206 with the range', async (_name, headers, range, body) => {
    const res = await fetch(download, { headers })
    expect(res.status).toBe(206)
    expect(res.headers.get('content-range')).toBe(range)
    expect(res.headers.get('content-length')).toBe(String(body.length))
    expect(Buffer.from(await res.arrayBuffer()).toString()).toBe(body)
  })

  it.each<[string, () => Promise<Response>, number, string]>([
    [
      'an unsatisfiable range',
      () => fetch(download, { headers: { Range: 'bytes=20-' } }),
      416,
      'InvalidRange'
    ],
    [
      'a missing blob',
      () => fetch(download.replace(/\/download\/\d+\//, '/download/999/')),
      404,
      'BlobNotFound'
    ],
    [
      'an upload without an open reservation',
      () =>
        fetch(`${service.url}/devstoreaccount1/cache/999?sig=x`, {
          method: 'PUT',
          body: 'x'
        }),
      403,
      'AuthenticationFailed'
    ]
  ])(
    '%s: Azure error shape (x-ms-error-code and XML)',
    async (_name, call, status, code) => {
      const res = await call()
      expect(res.status).toBe(status)
      expect(res.headers.get('x-ms-error-code')).toBe(code)
      expect(res.headers.get('content-type')).toBe('application/xml')
      expect(await res.text()).toMatch(
        new RegExp(
          `^<\\?xml .*<Error><Code>${code}</Code><Message>.+</Message></Error>$`,
          's'
        )
      )
    }
  )
})
