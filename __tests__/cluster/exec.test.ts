/**
 * The exec layer with real processes: the environment a tool sees, output
 * fenced from the runner's workflow-command processing, typed failures.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  CommandError,
  mustRun,
  passEnvironment,
  run,
  tryRun
} from '../../src/adapters/exec.js'
import { runSkaffoldBuild } from '../../src/adapters/skaffold-build.js'

const savedEnv = { ...process.env }
let dir: string

/** Writes an executable sh script (test tool doubles). */
async function tool(name: string, body: string): Promise<string> {
  const path = join(dir, name)
  await writeFile(path, `#!/bin/sh\n${body}\n`)
  await chmod(path, 0o755)
  return path
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'exec-test-'))
})

afterAll(async () => {
  process.env = { ...savedEnv }
  passEnvironment([])
  await rm(dir, { recursive: true, force: true })
})

describe('the environment every tool gets', () => {
  it('holds no runner token, no input, no GITHUB_TOKEN and no unnamed secret', async () => {
    const dumpEnv = await tool('dump-env', 'env')
    Object.assign(process.env, {
      ACTIONS_RUNTIME_TOKEN: 'runtime-token-value',
      ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'oidc-token-value',
      ACTIONS_RESULTS_URL: 'https://results.example/',
      GITHUB_TOKEN: 'ghs_token_value',
      'INPUT_GO-PROXY': 'https://bot:pw@proxy.example/',
      INPUT_ATHENS: 'true',
      GITHUB_ENV: '/tmp/set_env_file',
      NPM_TOKEN: 'npm-secret-value',
      DOCKER_HOST: 'unix:///tmp/docker.sock',
      KUBECONFIG: '/tmp/kubeconfig',
      SKAFFOLD_DEFAULT_REPO: 'registry.example',
      GITHUB_SHA: 'abc123',
      VERSION_FOR_TEMPLATES: '1.2.3'
    })
    passEnvironment(['VERSION_FOR_TEMPLATES'])
    const result = await run(dumpEnv, [])
    expect(result.exitCode).toBe(0)
    const names = result.stdout
      .split('\n')
      .map((line) => line.slice(0, line.indexOf('=')))
      .filter((name) => name !== '')
    expect(names.filter((n) => n.startsWith('ACTIONS_'))).toEqual([])
    expect(names.filter((n) => n.startsWith('INPUT_'))).toEqual([])
    for (const value of [
      'runtime-token-value',
      'oidc-token-value',
      'ghs_token_value',
      'bot:pw',
      'npm-secret-value',
      '/tmp/set_env_file'
    ]) {
      expect(result.stdout).not.toContain(value)
    }
    // What the tools need to find the daemon, the cluster and each other,
    // the run's public facts, and what pass-env names.
    for (const line of [
      'DOCKER_HOST=unix:///tmp/docker.sock',
      'KUBECONFIG=/tmp/kubeconfig',
      'SKAFFOLD_DEFAULT_REPO=registry.example',
      'GITHUB_SHA=abc123',
      'VERSION_FOR_TEMPLATES=1.2.3',
      `PATH=${process.env.PATH}`,
      `HOME=${process.env.HOME}`
    ]) {
      expect(result.stdout.split('\n')).toContain(line)
    }
    // A value given for one command (docker's `-e NAME`) reaches it.
    const withExtra = await run(dumpEnv, [], {
      env: { ATHENS_GITHUB_TOKEN: 'for-docker-only' }
    })
    expect(withExtra.stdout).toContain('ATHENS_GITHUB_TOKEN=for-docker-only')
  }, 60_000)
})

describe('failures', () => {
  it('mustRun throws a CommandError with the last lines; run and tryRun never throw', async () => {
    const failing = await tool(
      'failing',
      'echo one >&2; echo two >&2; echo three >&2; echo four >&2; exit 3'
    )
    const error = await mustRun(failing, ['arg']).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(CommandError)
    expect((error as CommandError).message).toBe(
      `${failing} arg failed (exit 3): two | three | four`
    )
    expect((error as CommandError).exitCode).toBe(3)
    const secret = await mustRun(failing, ['run', '--token=abc'], {
      secret: true
    }).catch((e: unknown) => e)
    expect((secret as Error).message).toBe(
      `${failing} run failed (exit 3): two | three | four`
    )
    expect(await tryRun(failing, [])).toBe(false)
    const missing = await run(join(dir, 'no-such-tool'), [])
    expect(missing.exitCode).toBe(127)
  }, 60_000)
})

describe('skaffold output in the log', () => {
  it('is fenced with a fresh stop-commands token, so ::error:: and ::add-mask:: from a build stay text', async () => {
    const skaffold = await tool(
      'skaffold',
      [
        'echo "Building [hello]..."',
        'echo "::error::x"',
        'echo "::add-mask::hunter2" >&2',
        'echo "::stop-commands::guessed"',
        'printf "{\\"builds\\":[]}" > "$1"'
      ].join('\n')
    )
    const fileOutput = join(dir, 'build.json')
    const runOnce = async (): Promise<string[]> => {
      const written: string[] = []
      const result = await runSkaffoldBuild(
        skaffold,
        [fileOutput],
        dir,
        fileOutput,
        (line) => line,
        (line) => written.push(line)
      )
      expect(result.exitCode).toBe(0)
      return written
    }
    const first = await runOnce()
    const second = await runOnce()
    for (const written of [first, second]) {
      const open = /^::stop-commands::(.+)$/.exec(written[0])
      expect(open).not.toBeNull()
      const token = (open as RegExpExecArray)[1]
      expect(token.length).toBeGreaterThan(6)
      expect(written[written.length - 1]).toBe(`::${token}::`)
      expect(written.slice(1, -1).sort()).toEqual(
        [
          'Building [hello]...',
          '::error::x',
          '::add-mask::hunter2',
          '::stop-commands::guessed'
        ].sort()
      )
    }
    expect(first[0]).not.toBe(second[0])
  }, 60_000)
})
