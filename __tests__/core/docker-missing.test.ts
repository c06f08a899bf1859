/**
 * Without a docker binary, the message says so in one sentence each, with
 * no doubled full stop where docker's (or the exec layer's) own message ends.
 */
import { afterEach, describe, expect, it } from '@jest/globals'
import { mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { checkDocker } from '../../src/adapters/cluster.js'

const savedPath = process.env.PATH

afterEach(() => {
  process.env.PATH = savedPath
})

describe('checkDocker', () => {
  it('names the problem and the fix when docker is not on PATH', async () => {
    process.env.PATH = await mkdtemp(join(tmpdir(), 'no-docker-'))
    const error = await checkDocker().then(
      () => undefined,
      (e: unknown) => e as Error
    )
    expect(error?.message).toMatch(/^Docker is not reachable/)
    expect(error?.message).toMatch(/kind needs a running Docker daemon/)
    expect(error?.message).not.toMatch(/\.\./)
  })
})
