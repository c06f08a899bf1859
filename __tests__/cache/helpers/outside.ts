/** A directory outside the caches that the link tests must leave as it was. */
import { mkdir, readFile, readdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { expect } from '@jest/globals'

/** Makes `<root>/<name>` with a file and a subdirectory the tests must not touch. */
export async function outsideDir(root: string, name: string): Promise<string> {
  const outside = join(root, name)
  await mkdir(join(outside, 'keep'), { recursive: true })
  await writeFile(join(outside, 'keep', 'precious.txt'), 'precious\n')
  await writeFile(join(outside, 'secret.txt'), 'secret\n')
  return outside
}

/** Asserts that the directory still holds exactly what outsideDir put there. */
export async function expectOutsideUntouched(dir: string): Promise<void> {
  expect((await readdir(dir)).sort()).toEqual(['keep', 'secret.txt'])
  expect(await readFile(join(dir, 'keep', 'precious.txt'), 'utf8')).toBe(
    'precious\n'
  )
  expect(await readFile(join(dir, 'secret.txt'), 'utf8')).toBe('secret\n')
}
