/** The file adapter: reads the requires tree, writes 0600 copies beside the originals, removes them, checks Dockerfiles. */
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync
} from 'node:fs'
import { spawnSync } from 'node:child_process'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from '@jest/globals'
import {
  checkDockerfilesFor,
  preparePatchedConfigs,
  readSkaffoldConfigs,
  writeDockerfileCopies
} from '../../src/adapters/skaffold-files.js'
import { removePatchedCopies } from '../../src/adapters/patched-copies.js'
import { SkaffoldConfigError } from '../../src/skaffold/errors.js'
import {
  addExcludeEntries,
  EXCLUDE_MARKER,
  excludePattern,
  removeExcludeEntries
} from '../../src/skaffold/git-exclude.js'
import { DEFAULT_PATCH_OPTIONS } from '../../src/skaffold/options.js'

const tmp = mkdtempSync(join(tmpdir(), 'skc-files-'))
afterAll(() => rmSync(tmp, { recursive: true, force: true }))

const ROOT =
  'apiVersion: skaffold/v4beta14\nkind: Config\nrequires:\n- path: ./svc\n- path: ./plain.yaml\n'
const SVC =
  'apiVersion: skaffold/v4beta14\nkind: Config\nbuild:\n  artifacts:\n  - image: svc\n    kaniko:\n      dockerfile: build/Dockerfile\n  cluster: {}\n'
const PLAIN =
  'apiVersion: skaffold/v4beta14\nkind: Config\nbuild:\n  artifacts:\n  - image: plain\n    docker: {}\n'

function layout(name: string): string {
  const dir = join(tmp, name)
  mkdirSync(join(dir, 'svc', 'build'), { recursive: true })
  writeFileSync(join(dir, 'skaffold.yaml'), ROOT)
  writeFileSync(join(dir, 'svc', 'skaffold.yaml'), SVC)
  writeFileSync(join(dir, 'plain.yaml'), PLAIN)
  writeFileSync(
    join(dir, 'svc', 'build', 'Dockerfile'),
    'FROM golang\nARG GOCACHE\nRUN go build\n'
  )
  return dir
}

describe('skaffold-files adapter', () => {
  it('reads the root and its local requires (a directory stands for its skaffold.yaml)', async () => {
    const dir = layout('read')
    const files = await readSkaffoldConfigs(join(dir, 'skaffold.yaml'))
    expect(files.map((f) => f.path)).toEqual([
      join(dir, 'skaffold.yaml'),
      join(dir, 'svc', 'skaffold.yaml'),
      join(dir, 'plain.yaml')
    ])
  })

  it('fails with a user error when the root config is missing', async () => {
    await expect(
      readSkaffoldConfigs(join(tmp, 'nope.yaml'))
    ).rejects.toBeInstanceOf(SkaffoldConfigError)
  })

  it('writes the copies with mode 0600, leaves the originals alone, and removes the copies', async () => {
    const dir = layout('write')
    const prepared = await preparePatchedConfigs(
      join(dir, 'skaffold.yaml'),
      DEFAULT_PATCH_OPTIONS
    )
    expect(prepared.patchedRootPath).toBe(
      join(dir, '.skaffold-kaniko-cache.skaffold.yaml')
    )
    expect(prepared.writtenFiles.sort()).toEqual(
      [
        join(dir, '.skaffold-kaniko-cache.skaffold.yaml'),
        join(dir, 'svc', '.skaffold-kaniko-cache.skaffold.yaml')
      ].sort()
    )
    for (const path of prepared.writtenFiles) {
      expect(statSync(path).mode & 0o777).toBe(0o600)
    }
    expect(readFileSync(join(dir, 'skaffold.yaml'), 'utf8')).toBe(ROOT)
    expect(readFileSync(join(dir, 'svc', 'skaffold.yaml'), 'utf8')).toBe(SVC)
    expect(readFileSync(prepared.patchedRootPath, 'utf8')).toContain(
      'path: ./svc/.skaffold-kaniko-cache.skaffold.yaml'
    )
    expect(readFileSync(prepared.patchedRootPath, 'utf8')).toContain(
      'path: ./plain.yaml'
    )

    const removed = await removePatchedCopies([
      ...prepared.writtenFiles,
      join(dir, 'never-written')
    ])
    expect(removed.failed).toEqual([])
    for (const path of prepared.writtenFiles)
      expect(existsSync(path)).toBe(false)
  })

  it('checks the Dockerfile of a required config relative to that config', async () => {
    const dir = layout('check')
    const prepared = await preparePatchedConfigs(
      join(dir, 'skaffold.yaml'),
      DEFAULT_PATCH_OPTIONS
    )
    const findings = await checkDockerfilesFor(
      prepared.report,
      join(dir, 'skaffold.yaml'),
      dir
    )
    expect(findings.map((f) => [f.file, f.line, f.fix])).toEqual([
      [join(dir, 'svc', 'build', 'Dockerfile'), 1, 'ARG GOMODCACHE']
    ])
    await removePatchedCopies(prepared.writtenFiles)
  })

  it('warns before the build when a pre-v4beta2 config builds a multi-stage Dockerfile', async () => {
    const dir = join(tmp, 'old-multistage')
    mkdirSync(dir, { recursive: true })
    writeFileSync(
      join(dir, 'skaffold.yaml'),
      SVC.replace('v4beta14', 'v2beta16').replace(
        'build/Dockerfile',
        'Dockerfile'
      )
    )
    writeFileSync(
      join(dir, 'Dockerfile'),
      'FROM golang AS build\nARG GOCACHE\nARG GOMODCACHE\nRUN go build -o /app .\nFROM scratch\nCOPY --from=build /app /app\n'
    )
    const prepared = await preparePatchedConfigs(
      join(dir, 'skaffold.yaml'),
      DEFAULT_PATCH_OPTIONS
    )
    const findings = await checkDockerfilesFor(
      prepared.report,
      join(dir, 'skaffold.yaml'),
      dir
    )
    expect(findings.map((f) => [f.kind, f.file, f.line])).toEqual([
      ['product-files-not-ignored', join(dir, 'skaffold.yaml'), 5]
    ])
    await removePatchedCopies(prepared.writtenFiles)
  })

  it('reports a Dockerfile that is not there', async () => {
    const dir = join(tmp, 'nodockerfile')
    mkdirSync(dir, { recursive: true })
    writeFileSync(join(dir, 'skaffold.yaml'), SVC)
    const prepared = await preparePatchedConfigs(
      join(dir, 'skaffold.yaml'),
      DEFAULT_PATCH_OPTIONS
    )
    const findings = await checkDockerfilesFor(
      prepared.report,
      join(dir, 'skaffold.yaml'),
      dir
    )
    expect(findings.map((f) => f.kind)).toEqual(['dockerfile-missing'])
    await removePatchedCopies(prepared.writtenFiles)
  })

  // skaffold's gitCommit tagger appends -dirty when `git status . --porcelain`
  // prints anything (skaffold pkg/skaffold/tag/git_commit.go).
  describe('keeps the copies out of git status while they exist', () => {
    const git = (cwd: string, ...args: string[]): string => {
      const r = spawnSync('git', args, { cwd, encoding: 'utf8' })
      if (r.status !== 0) throw new Error(`git ${args.join(' ')}: ${r.stderr}`)
      return r.stdout
    }
    const commitAll = (dir: string): void => {
      git(dir, 'add', '.')
      git(
        dir,
        '-c',
        'user.name=t',
        '-c',
        'user.email=t@example.com',
        'commit',
        '-qm',
        'init'
      )
    }

    it('adds marked entries to info/exclude and removes only those, keeping the user lines', async () => {
      const dir = layout('git')
      git(dir, 'init', '-q')
      commitAll(dir)
      const exclude = join(dir, '.git', 'info', 'exclude')
      const userText = `${readFileSync(exclude, 'utf8')}*.local\n/out.json\n`
      writeFileSync(exclude, userText)

      const prepared = await preparePatchedConfigs(
        join(dir, 'skaffold.yaml'),
        DEFAULT_PATCH_OPTIONS
      )
      expect(prepared.writtenFiles).toHaveLength(2)
      expect(git(dir, 'status', '--porcelain')).toBe('')
      expect(git(join(dir, 'svc'), 'status', '.', '--porcelain')).toBe('')
      expect(readFileSync(exclude, 'utf8')).toContain(
        '/svc/.skaffold-kaniko-cache.skaffold.yaml'
      )

      await removePatchedCopies(prepared.writtenFiles)
      expect(readFileSync(exclude, 'utf8')).toBe(userText)
      expect(git(dir, 'status', '--porcelain')).toBe('')
    })

    it('lists Dockerfile copies in info/exclude too, and removes them with the rest', async () => {
      const dir = layout('git-dockerfile')
      git(dir, 'init', '-q')
      commitAll(dir)
      const exclude = join(dir, '.git', 'info', 'exclude')
      const before = readFileSync(exclude, 'utf8')
      const written = await writeDockerfileCopies([
        {
          original: join(dir, 'Dockerfile'),
          copyPath: join(dir, '.skaffold-kaniko-cache.Dockerfile'),
          text: 'FROM golang:1.22\nARG GOCACHE\n',
          insertions: [],
          images: ['app']
        }
      ])
      expect(git(dir, 'status', '--porcelain')).toBe('')
      expect(readFileSync(exclude, 'utf8')).toContain(
        '/.skaffold-kaniko-cache.Dockerfile'
      )
      await removePatchedCopies(written)
      expect(readFileSync(exclude, 'utf8')).toBe(before)
    })

    it('finds the shared info/exclude of a linked worktree', async () => {
      const main = layout('git-main')
      git(main, 'init', '-q')
      commitAll(main)
      const linked = join(tmp, 'git-linked')
      git(main, 'worktree', 'add', '-q', linked)
      const prepared = await preparePatchedConfigs(
        join(linked, 'skaffold.yaml'),
        DEFAULT_PATCH_OPTIONS
      )
      expect(git(linked, 'status', '--porcelain')).toBe('')
      await removePatchedCopies(prepared.writtenFiles)
      expect(
        readFileSync(join(main, '.git', 'info', 'exclude'), 'utf8')
      ).not.toContain('skaffold-kaniko-cache')
    })

    it('leaves a directory outside git alone', async () => {
      const dir = layout('no-git')
      const prepared = await preparePatchedConfigs(
        join(dir, 'skaffold.yaml'),
        DEFAULT_PATCH_OPTIONS
      )
      expect(existsSync(join(dir, '.git'))).toBe(false)
      await removePatchedCopies(prepared.writtenFiles)
    })
  })
})

describe('git exclude entries (pure)', () => {
  it('escapes gitignore specials and anchors at the work tree root', () => {
    expect(excludePattern('a b/#x[1]*.yaml')).toBe('/a b/\\#x\\[1\\]\\*.yaml')
  })

  it('does not add a pattern the user already has, and keeps a last line without newline', () => {
    const user = '/svc/.skaffold-kaniko-cache.skaffold.yaml\n*.tmp'
    const added = addExcludeEntries(user, [
      '/svc/.skaffold-kaniko-cache.skaffold.yaml',
      '/.skaffold-kaniko-cache.skaffold.yaml'
    ])
    expect(added).toBe(
      `${user}\n${EXCLUDE_MARKER}\n/.skaffold-kaniko-cache.skaffold.yaml\n`
    )
    expect(
      removeExcludeEntries(added, [
        '/svc/.skaffold-kaniko-cache.skaffold.yaml',
        '/.skaffold-kaniko-cache.skaffold.yaml'
      ])
    ).toBe(`${user}\n`)
  })
})
