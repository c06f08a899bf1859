import { describe, expect, it } from '@jest/globals'
import { NODE_PATHS, cacheDirs, nodeCopies } from '../../src/cache/paths.js'

describe('cacheDirs', () => {
  const facts = (home: string) => ({ home, runnerTemp: '/t', workspace: '/w' })

  it('keys the cache with literal "~" paths that do not depend on the runner', () => {
    // The cache version is a hash of these strings: they must be equal on
    // every runner, whatever its HOME.
    const a = cacheDirs('ci', facts('/home/runner'))
    const b = cacheDirs('ci', facts('/Users/runner/'))
    expect(a.cachePaths).toEqual(b.cachePaths)
    expect(a.modSavePath).toBe(b.modSavePath)
    expect(a.cachePaths).toEqual({
      mod: '~/.cache/skaffold-kaniko-cache/ci/gomodcache',
      build: '~/.cache/skaffold-kaniko-cache/ci/gobuildcache'
    })
    expect(a.modSavePath).toBe(
      '~/.cache/skaffold-kaniko-cache/ci/gomodcache/cache/download'
    )
  })

  it.each<[string, string, string]>([
    ['/home/runner', 'ci', '/home/runner/.cache/skaffold-kaniko-cache/ci'],
    [
      '/Users/runner/',
      'other',
      '/Users/runner/.cache/skaffold-kaniko-cache/other'
    ]
  ])('expands them under HOME %s for cluster %s', (home, cluster, root) => {
    const dirs = cacheDirs(cluster, facts(home))
    expect(dirs.runnerDirs).toEqual({
      mod: `${root}/gomodcache`,
      build: `${root}/gobuildcache`
    })
    expect(dirs.modSaveDir).toBe(`${root}/gomodcache/cache/download`)
  })
})

describe('nodeCopies', () => {
  it('pairs each runner dir with the node dir its hostPath volume names', () => {
    expect(nodeCopies({ mod: '/r/m', build: '/r/b' })).toEqual([
      {
        runnerDir: '/r/m',
        nodePath: NODE_PATHS.mod,
        savedSubdir: 'cache/download'
      },
      { runnerDir: '/r/b', nodePath: NODE_PATHS.build, savedSubdir: '' }
    ])
  })
})
