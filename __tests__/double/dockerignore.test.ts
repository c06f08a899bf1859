/** The double's build context: .dockerignore as skaffold applies it, the Dockerfile always in. */
import { afterAll, describe, expect, it } from '@jest/globals'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  contextExclusion,
  ignoreMatcher,
  readIgnorePatterns
} from '../../test-support/cluster-double/skaffold/dockerignore.js'

const tmp = mkdtempSync(join(tmpdir(), 'skc-ignore-'))
afterAll(() => rmSync(tmp, { recursive: true, force: true }))

describe('readIgnorePatterns', () => {
  it('skips comments and blanks, trims, cleans, drops a leading slash', () => {
    expect(
      readIgnorePatterns('\uFEFF# c\n\n  .*  \n/vendor/\n./a//b\n**/.*\n')
    ).toEqual(['.*', 'vendor', 'a/b', '**/.*'])
  })

  it('refuses what it does not model', () => {
    expect(() => readIgnorePatterns('*\n!main.go\n')).toThrow(/not modelled/)
    expect(() => readIgnorePatterns('[ab].go\n')).toThrow(/not modelled/)
  })
})

describe('ignoreMatcher', () => {
  it.each([
    ['.*', '.env', true],
    ['.*', '.skaffold-kaniko-cache.Dockerfile', true],
    ['.*', 'sub/.env', false],
    ['.*', '.git/config', true],
    ['**/.*', 'sub/.env', true],
    ['**/.*', '.env', true],
    ['**/.*', 'sub/x.go', false],
    ['vendor', 'vendor/a/b.go', true],
    ['vendor', 'src/vendor/b.go', false],
    ['*.md', 'README.md', true],
    ['*.md', 'docs/a.md', false],
    ['docs/**', 'docs/a/b.md', true],
    ['**/testdata', 'a/b/testdata/x', true],
    ['?.go', 'a.go', true],
    ['?.go', 'ab.go', false]
  ])('%s excludes %s: %s', (pattern, path, excluded) => {
    expect(ignoreMatcher([pattern])(path)).toBe(excluded)
  })
})

describe('contextExclusion', () => {
  it('sends the Dockerfile copy whatever .dockerignore says, and never .dockerignore', () => {
    const context = join(tmp, 'ctx')
    mkdirSync(context, { recursive: true })
    writeFileSync(join(context, '.dockerignore'), '.*\n**/.*\n')
    const copy = join(context, '.skaffold-kaniko-cache.Dockerfile')
    const excluded = contextExclusion(context, copy)
    expect(excluded(copy)).toBe(false)
    expect(
      excluded(join(context, '.skaffold-kaniko-cache.skaffold.yaml'))
    ).toBe(true)
    expect(excluded(join(context, '.dockerignore'))).toBe(true)
    expect(excluded(join(context, 'main.go'))).toBe(false)
  })

  it("reads <Dockerfile>.dockerignore before the context's", () => {
    const context = join(tmp, 'ctx2')
    mkdirSync(context, { recursive: true })
    writeFileSync(join(context, '.dockerignore'), '*.go\n')
    writeFileSync(join(context, 'Dockerfile.dockerignore'), '*.md\n')
    const excluded = contextExclusion(context, join(context, 'Dockerfile'))
    expect(excluded(join(context, 'main.go'))).toBe(false)
    expect(excluded(join(context, 'README.md'))).toBe(true)
  })

  it('does not send an ignore file that lists itself, and always sends the Dockerfile', () => {
    const context = join(tmp, 'ctx3')
    mkdirSync(context, { recursive: true })
    const dockerfile = join(context, '.skaffold-kaniko-cache.Dockerfile')
    writeFileSync(
      `${dockerfile}.dockerignore`,
      '.skaffold-kaniko-cache.Dockerfile.dockerignore\n.skaffold-kaniko-cache.skaffold.yaml\n.skaffold-kaniko-cache.Dockerfile\n'
    )
    const excluded = contextExclusion(context, dockerfile)
    expect(excluded(`${dockerfile}.dockerignore`)).toBe(true)
    expect(
      excluded(join(context, '.skaffold-kaniko-cache.skaffold.yaml'))
    ).toBe(true)
    expect(excluded(dockerfile)).toBe(false)
    expect(excluded(join(context, 'main.go'))).toBe(false)
  })
})
