import { describe, expect, it } from '@jest/globals'
import {
  findEntry,
  type CacheEntry
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
