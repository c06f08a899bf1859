import { describe, expect, it } from '@jest/globals'
import {
  deriveServiceName,
  makeCacheKeys,
  MAX_KEY_LENGTH,
  sanitizeService,
  type KeyFacts
} from '../../src/cache/keys.js'
import {
  findEntry,
  type CacheEntry
} from '../../test-support/cache-service/server.js'

const base: KeyFacts = {
  prefix: 'skc',
  os: 'linux',
  arch: 'x64',
  service: 'api',
  depsHash: 'aaaa',
  runId: '100',
  runAttempt: '1'
}

/** Stores keys as final entries, oldest first, like successive saves. */
function store(keys: string[]): CacheEntry[] {
  return keys.map((key, i) => ({
    id: i + 1,
    key,
    version: 'v',
    state: 'final',
    size: 1,
    created: i + 1
  }))
}

/** What the service would restore for a ladder (the service's own rules). */
function restoreFor(
  entries: CacheEntry[],
  ladder: { key: string; restoreKeys: string[] }
): string | undefined {
  return findEntry(entries, ladder.key, ladder.restoreKeys, 'v')?.key
}

describe('makeCacheKeys', () => {
  it.each([
    [
      'the module key and its ladder',
      base,
      'mod',
      'skc-gomod-linux-x64-aaaa',
      ['skc-gomod-linux-x64-']
    ],
    [
      'the build key is unique per run and attempt, ladder most specific first',
      base,
      'build',
      'skc-gobuild-linux-x64-(api)-aaaa-100-1',
      [
        'skc-gobuild-linux-x64-(api)-aaaa-',
        'skc-gobuild-linux-x64-(api)-',
        'skc-gobuild-linux-x64-'
      ]
    ],
    [
      'a retried run gets its own build key',
      { ...base, runAttempt: '2' },
      'build',
      'skc-gobuild-linux-x64-(api)-aaaa-100-2',
      [
        'skc-gobuild-linux-x64-(api)-aaaa-',
        'skc-gobuild-linux-x64-(api)-',
        'skc-gobuild-linux-x64-'
      ]
    ],
    [
      'arm64 runners never share caches with x64 ones',
      { ...base, arch: 'arm64' },
      'mod',
      'skc-gomod-linux-arm64-aaaa',
      ['skc-gomod-linux-arm64-']
    ]
  ] as const)('%s', (_name, facts, which, key, restoreKeys) => {
    const keys = makeCacheKeys(facts)
    expect(keys[which]).toEqual({ key, restoreKeys: [...restoreKeys] })
  })

  it('keeps every key under the service limit, without commas', () => {
    const keys = makeCacheKeys({
      ...base,
      prefix: 'p'.repeat(64),
      service: 'x,'.repeat(300),
      depsHash: 'f'.repeat(64),
      runId: '9'.repeat(20)
    })
    for (const k of [keys.mod.key, keys.build.key, ...keys.build.restoreKeys]) {
      expect(k.length).toBeLessThanOrEqual(MAX_KEY_LENGTH)
      expect(k).not.toContain(',')
    }
  })
})

describe('restore-key ladders under the service matching rules', () => {
  it('a restore key of service api never matches service api-gateway', () => {
    const gateway = makeCacheKeys({ ...base, service: 'api-gateway' })
    const api = makeCacheKeys({ ...base, service: 'api', depsHash: 'bbbb' })
    const entries = store([gateway.build.key])
    // Only the any-service rung may match the other service's cache.
    expect(
      api.build.restoreKeys.filter((rk) => gateway.build.key.startsWith(rk))
    ).toEqual(['skc-gobuild-linux-x64-'])
    expect(
      findEntry(entries, api.build.key, api.build.restoreKeys.slice(0, 2), 'v')
    ).toBeUndefined()
  })

  it('matrix: two services share the module cache but not the build cache', () => {
    const api = makeCacheKeys({ ...base, service: 'api' })
    const web = makeCacheKeys({ ...base, service: 'web' })
    expect(api.mod).toEqual(web.mod)
    expect(api.build.key).not.toBe(web.build.key)
    // Both saved in an earlier run: each restores its own build cache.
    const earlier = store([
      makeCacheKeys({ ...base, service: 'api', runId: '99' }).build.key,
      makeCacheKeys({ ...base, service: 'web', runId: '99' }).build.key
    ])
    expect(restoreFor(earlier, api.build)).toContain('(api)')
    expect(restoreFor(earlier, web.build)).toContain('(web)')
  })

  it('a dependency bump falls back to the newest cache of the same service', () => {
    const old = (runId: string, service: string): string =>
      makeCacheKeys({ ...base, service, runId }).build.key
    const entries = store([
      old('97', 'api'),
      old('98', 'api'),
      // Newer, but another service: must not win over api's own.
      old('99', 'web')
    ])
    const bumped = makeCacheKeys({ ...base, depsHash: 'cccc', runId: '101' })
    expect(restoreFor(entries, bumped.build)).toBe(old('98', 'api'))
    // The module cache falls back to the newest module cache.
    const mods = store(['skc-gomod-linux-x64-aaaa'])
    expect(restoreFor(mods, bumped.mod)).toBe('skc-gomod-linux-x64-aaaa')
  })

  it('a brand new service starts from the newest cache of any service', () => {
    const entries = store([
      makeCacheKeys({ ...base, service: 'api', runId: '1' }).build.key,
      makeCacheKeys({ ...base, service: 'web', runId: '2' }).build.key
    ])
    const fresh = makeCacheKeys({ ...base, service: 'worker' })
    expect(restoreFor(entries, fresh.build)).toContain('(web)')
  })
})

describe('sanitizeService', () => {
  it.each([
    ['api', 'api'],
    ['services/api/skaffold.yaml', 'services/api/skaffold.yaml'],
    ['api_v2.1', 'api_v2.1']
  ])('keeps a safe name %s', (name, expected) => {
    expect(sanitizeService(name)).toBe(expected)
  })

  it.each([['a,b'], ['a b'], ['(api)'], ['x'.repeat(200)], ['']])(
    'makes %s safe, bounded and distinct',
    (name) => {
      const clean = sanitizeService(name)
      expect(clean).toMatch(/^[A-Za-z0-9._/+-]{1,64}$/)
      expect(clean).not.toBe(sanitizeService(`${name}z`))
    }
  )

  it('two names that differ only in an unsafe character stay distinct', () => {
    expect(sanitizeService('a b')).not.toBe(sanitizeService('a_b'))
  })
})

describe('deriveServiceName', () => {
  const facts = {
    service: '',
    modules: [],
    skaffoldFile: 'skaffold.yaml',
    workingDirectory: '.'
  }
  it.each([
    [
      'the service input wins',
      { ...facts, service: 'billing', modules: ['m'] },
      'billing'
    ],
    [
      'else the skaffold modules, sorted',
      { ...facts, modules: ['web', 'api'] },
      'api+web'
    ],
    ['else the config path', facts, 'skaffold.yaml'],
    [
      'relative to the workspace, through the working directory',
      { ...facts, workingDirectory: './services/api/' },
      'services/api/skaffold.yaml'
    ],
    [
      'with the file given relative to a subdirectory',
      {
        ...facts,
        workingDirectory: 'svc',
        skaffoldFile: '../other/skaffold.yaml'
      },
      'other/skaffold.yaml'
    ],
    [
      'with the active profiles, sorted, so matrix entries per profile differ',
      { ...facts, profiles: ['prod', 'arm'] },
      'skaffold.yaml+arm+prod'
    ],
    [
      'modules and profiles',
      { ...facts, modules: ['api'], profiles: ['ci'] },
      'api+ci'
    ],
    [
      'but never over the service input',
      { ...facts, service: 'billing', profiles: ['ci'] },
      'billing'
    ]
  ])('%s', (_name, input, expected) => {
    expect(deriveServiceName(input)).toBe(expected)
  })
})
