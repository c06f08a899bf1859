/** The cache layouts and the module-version trim decision: pure, no mocks. */
import { describe, expect, it } from '@jest/globals'
import {
  decideModuleTrim,
  escapeModule,
  goSumVersions,
  isBuildCacheDir,
  isBuildCacheFile,
  isModuleCacheDir,
  isModuleCacheFile,
  moduleVersionOf
} from '../../src/cache/layout.js'
import { STATS_FILE_NAME } from '../../src/cache/stats.js'

const ID = `3f${'a'.repeat(62)}`

describe('build cache layout', () => {
  it.each([
    ['README', true],
    ['trim.txt', true],
    ['testexpire.txt', true],
    [STATS_FILE_NAME, true],
    [`3f/${ID}-a`, true],
    [`3f/${ID}-d`, true],
    [`40/${ID}-d`, false],
    [`3f/${ID}-x`, false],
    [`3f/${ID.slice(1)}-d`, false],
    ['3f/run.sh', false],
    [`fuzz/${ID}`, false],
    [`.${STATS_FILE_NAME}.12-ab.tmp`, false],
    ['../README', false]
  ])('%s allowed: %s', (path, allowed) => {
    expect(isBuildCacheFile(path)).toBe(allowed)
  })

  it('allows only the entry dirs', () => {
    expect(isBuildCacheDir('00')).toBe(true)
    expect(isBuildCacheDir('ff')).toBe(true)
    expect(isBuildCacheDir('fuzz')).toBe(false)
    expect(isBuildCacheDir('00/01')).toBe(false)
  })
})

describe('module cache layout', () => {
  it.each([
    ['cache/download/example.com/!greet/@v/v1.0.0.zip', true],
    ['cache/download/example.com/!greet/@v/v1.0.0.ziphash', true],
    ['cache/download/gopkg.in/yaml.v3/@v/v3.0.1.mod', true],
    [
      'cache/download/golang.org/x/net/@v/v0.0.0-20230101000000-abcdefabcdef.info',
      true
    ],
    ['cache/download/example.com/a/@v/v2.0.0+incompatible.lock', true],
    ['cache/download/example.com/a/@v/list', true],
    ['cache/download/sumdb/sum.golang.org/lookup/example.com/a@v1.0.0', true],
    ['cache/download/sumdb/sum.golang.org/tile/8/0/x001/234.p/5', true],
    ['cache/download/.athens/example.com/Greet/v1.0.0/source.zip', true],
    ['cache/download/.athens/example.com/Greet/v1.0.0/v1.0.0.info', true],
    ['cache/download/.athens/example.com/Greet/v1.0.0/v1.1.0.info', false],
    ['cache/download/example.com/a/@v/v1.0.0.partial', false],
    ['cache/download/example.com/a/@v/v1.0.0.zip123.tmp', false],
    ['cache/download/example.com/a/@v/v1.0.0.zip.sh', false],
    ['cache/download/example.com/A/@v/v1.0.0.zip', false],
    ['cache/download/example.com/../@v/v1.0.0.zip', false],
    ['cache/download/.hidden/@v/v1.0.0.zip', false],
    ['cache/lock', false],
    ['example.com/a@v1.0.0/a.go', false],
    ['cache/vcs/abc/HEAD', false]
  ])('%s allowed: %s', (path, allowed) => {
    expect(isModuleCacheFile(path)).toBe(allowed)
  })

  it('allows cache/download and below only', () => {
    expect(isModuleCacheDir('cache')).toBe(true)
    expect(isModuleCacheDir('cache/download/example.com/!a/@v')).toBe(true)
    expect(isModuleCacheDir('cache/vcs')).toBe(false)
    expect(isModuleCacheDir('example.com')).toBe(false)
  })
})

describe('module versions', () => {
  it('reads zip and go.mod lines of go.sum files, escaped as Go names them on disk', () => {
    const sum = [
      'github.com/BurntSushi/toml v1.2.0 h1:Rt8g24XnyGTyglgET/PRUNlrUeu9F5L+7FilkXdQAgA=',
      'github.com/BurntSushi/toml v1.2.0/go.mod h1:CxXYINrC8qIiEnFrOxCa7Jy5BFHlXnUU2pbicEuybxQ=',
      'gopkg.in/check.v1 v0.0.0-20161208181325-20d25e280405/go.mod h1:Co6ibVJAznAaIkqp8huTwlJQCZ016jof/cbN4VW5Yz0=',
      '',
      'garbage line',
      'example.com/a v1.0.0 md5:nope'
    ].join('\n')
    expect([...goSumVersions([sum])].sort()).toEqual([
      'github.com/!burnt!sushi/toml@v1.2.0',
      'gopkg.in/check.v1@v0.0.0-20161208181325-20d25e280405'
    ])
    expect(escapeModule('example.com/Greet')).toBe('example.com/!greet')
  })

  it('names the version a file belongs to', () => {
    expect(
      moduleVersionOf('cache/download/example.com/!greet/@v/v1.0.0-rc.1.zip')
    ).toBe('example.com/!greet@v1.0.0-rc.1')
    expect(
      moduleVersionOf('cache/download/.athens/example.com/Greet/v1.0.0/go.mod')
    ).toBe('example.com/!greet@v1.0.0')
    expect(moduleVersionOf('cache/download/example.com/a/@v/list')).toBe(
      undefined
    )
    expect(
      moduleVersionOf(
        'cache/download/sumdb/sum.golang.org/lookup/example.com/a@v1.0.0'
      )
    ).toBe(undefined)
  })

  it('keeps the used versions and their lists, drops the rest and the sumdb cache', () => {
    const files = [
      'cache/download/example.com/a/@v/v1.0.0.zip',
      'cache/download/example.com/a/@v/v1.0.0.mod',
      'cache/download/example.com/a/@v/v1.1.0.zip',
      'cache/download/example.com/a/@v/list',
      'cache/download/example.com/b/@v/v1.0.0.mod',
      'cache/download/example.com/b/@v/list',
      'cache/download/.athens/example.com/a/v1.1.0/source.zip',
      'cache/download/sumdb/sum.golang.org/lookup/example.com/a@v1.1.0'
    ]
    const decision = decideModuleTrim(files, new Set(['example.com/a@v1.1.0']))
    expect(decision.keep).toEqual([
      'cache/download/example.com/a/@v/v1.1.0.zip',
      'cache/download/example.com/a/@v/list',
      'cache/download/.athens/example.com/a/v1.1.0/source.zip'
    ])
    expect(decision.droppedVersions).toEqual([
      'example.com/a@v1.0.0',
      'example.com/b@v1.0.0'
    ])
    expect(decision.remove).toContain(
      'cache/download/sumdb/sum.golang.org/lookup/example.com/a@v1.1.0'
    )
  })
})
