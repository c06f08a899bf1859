/**
 * The cache dirs opened to every user by the action itself (the `chmod -R
 * a+rwX` it used to run as root in the node): read and write for all, search
 * on directories and on files some user may run, symlinks untouched.
 */
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import {
  chmod,
  lstat,
  mkdir,
  mkdtemp,
  rm,
  symlink,
  writeFile
} from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { openToAllUsers } from '../../src/adapters/ownership.js'

let work: string
beforeEach(async () => {
  work = await mkdtemp(join(tmpdir(), 'open-dirs-'))
})
afterEach(async () => {
  await chmod(work, 0o755)
  await rm(work, { recursive: true, force: true })
})

const mode = async (path: string): Promise<number> =>
  (await lstat(path)).mode & 0o7777

describe('openToAllUsers', () => {
  it('opens read-only module trees and cache files as chmod -R a+rwX does', async () => {
    const tree = join(work, 'mod', 'cache', 'x@v1')
    await mkdir(tree, { recursive: true })
    await writeFile(join(tree, 'go.mod'), 'module x\n')
    await writeFile(join(tree, 'tool.sh'), '')
    await chmod(join(tree, 'go.mod'), 0o444)
    await chmod(join(tree, 'tool.sh'), 0o500)
    await chmod(tree, 0o555)
    await symlink('go.mod', join(work, 'mod', 'link'))
    const linkMode = await mode(join(work, 'mod', 'link'))

    expect(await openToAllUsers([join(work, 'mod')])).toBe(true)
    expect(await mode(tree)).toBe(0o777)
    expect(await mode(join(tree, 'go.mod'))).toBe(0o666)
    expect(await mode(join(tree, 'tool.sh'))).toBe(0o777)
    expect(await mode(join(work, 'mod', 'link'))).toBe(linkMode)
  })

  it('treats a missing dir as nothing to open', async () => {
    expect(await openToAllUsers([join(work, 'absent')])).toBe(true)
  })
})
