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
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from '@jest/globals'
import {
  checkDockerfilesFor,
  preparePatchedConfigs,
  readSkaffoldConfigs,
  removePatchedCopies
} from '../../src/adapters/skaffold-files.js'
import { SkaffoldConfigError } from '../../src/skaffold/errors.js'
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
})
