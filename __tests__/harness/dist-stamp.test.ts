/** The harness refuses a dist/ that was not bundled from the checkout's sources. */
import { describe, expect, it } from '@jest/globals'
import { readFileSync } from 'node:fs'
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  REPO_ROOT,
  STAMP_FILE,
  runAction,
  sourceStamp,
  staleDist
} from '../../test-support/runner-harness/index.js'

/** A checkout in miniature: src/, package.json, and a bundle stamped from them. */
async function checkout(): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), 'dist-stamp-'))
  await mkdir(join(root, 'src', 'adapters'), { recursive: true })
  await mkdir(join(root, 'dist', 'main'), { recursive: true })
  await writeFile(join(root, 'src', 'main.ts'), 'export const a = 1\n')
  await writeFile(join(root, 'src', 'adapters', 'x.ts'), 'export {}\n')
  await writeFile(join(root, 'package.json'), '{"name":"x"}\n')
  await writeFile(join(root, STAMP_FILE), `${sourceStamp(root)}\n`)
  return root
}

describe('staleDist', () => {
  it('accepts a dist/ stamped from the sources as they are', async () => {
    expect(staleDist(await checkout())).toBeUndefined()
  })

  it.each([
    ['src/main.ts', 'export const a = 2\n'],
    ['src/adapters/new.ts', 'export {}\n'],
    ['package.json', '{"name":"y"}\n']
  ])('refuses it once %s changes, naming the fix', async (file, text) => {
    const root = await checkout()
    await writeFile(join(root, file), text)
    expect(staleDist(root)).toMatch(/dist\/ is stale.*Run npm run bundle$/)
  })

  it('refuses a dist/ without a stamp', async () => {
    const root = await checkout()
    await writeFile(join(root, STAMP_FILE), '')
    expect(staleDist(root)).toMatch(/does not match/)
    const bare = await mkdtemp(join(tmpdir(), 'dist-stamp-'))
    await mkdir(join(bare, 'src'))
    expect(staleDist(bare)).toMatch(/source\.sha256 is missing.*npm run bundle/)
  })

  it('does not check a stand-in action that has no src/', async () => {
    const root = await mkdtemp(join(tmpdir(), 'dist-stamp-'))
    expect(staleDist(root)).toBeUndefined()
  })

  it('runAction refuses to run a stale dist/', async () => {
    const root = await checkout()
    await writeFile(join(root, 'src', 'main.ts'), 'export const a = 3\n')
    const machine = await mkdtemp(join(tmpdir(), 'dist-stamp-run-'))
    await expect(
      runAction({ actionDir: root, workspace: machine, machineDir: machine })
    ).rejects.toThrow(/dist\/ is stale/)
  })

  it('npm run bundle writes the stamp as its last step', () => {
    const pkg = JSON.parse(
      readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')
    ) as { scripts: Record<string, string> }
    expect(pkg.scripts.bundle).toMatch(/&& tsx scripts\/dist-stamp\.ts$/)
  })
})
