/**
 * Test helpers for the cache suites: temp runner dirs, the client env for the
 * local cache service, running the driver in a subprocess, and tree
 * snapshots (contents, modes, symlinks) for byte-identical comparisons.
 */
import { spawn } from 'node:child_process'
import { createHash } from 'node:crypto'
import { lstat, mkdtemp, readFile, readdir, readlink } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import type { CacheService } from '../../../test-support/cache-service/server.js'

export const REPO = resolve(import.meta.dirname, '../../..')
const DRIVER = join(REPO, '__tests__/cache/helpers/driver.ts')
const TSX = join(REPO, 'node_modules/.bin/tsx')

/** A fresh runner layout: workspace, RUNNER_TEMP and a HOME. */
export interface Runner {
  root: string
  workspace: string
  temp: string
  home: string
}

/** Makes a runner layout under one temp root. */
export async function makeRunner(): Promise<Runner> {
  const root = await mkdtemp(join(tmpdir(), 'skc-cache-'))
  const { mkdir } = await import('node:fs/promises')
  const runner = {
    root,
    workspace: join(root, 'workspace'),
    temp: join(root, 'temp'),
    home: join(root, 'home')
  }
  for (const dir of [runner.workspace, runner.temp, runner.home]) {
    await mkdir(dir, { recursive: true })
  }
  return runner
}

/**
 * The env the real client needs (protocol note section 1): v2, the service
 * URL, a token, RUNNER_TEMP and GITHUB_WORKSPACE; never GITHUB_SERVER_URL.
 */
export function clientEnv(
  service: CacheService,
  runner: Runner,
  extra: Record<string, string> = {}
): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env }
  delete env.GITHUB_SERVER_URL
  delete env.ACTIONS_CACHE_URL
  delete env.ACTIONS_CACHE_MODE
  delete env.RUNNER_DEBUG
  return {
    ...env,
    ...service.env,
    RUNNER_TEMP: runner.temp,
    GITHUB_WORKSPACE: runner.workspace,
    HOME: runner.home,
    NO_PROXY: '127.0.0.1,localhost',
    no_proxy: '127.0.0.1,localhost',
    ...extra
  }
}

/** What one driver run printed. */
export interface DriverRun<T> {
  code: number | null
  result: T
  stdout: string
  stderr: string
  /** ::warning:: and ::error:: lines. */
  annotations: string[]
}

/** Runs the driver with an op in a subprocess; optional argv prefix (runuser …). */
export function runDriver<T>(
  op: unknown,
  env: NodeJS.ProcessEnv,
  prefix: string[] = []
): Promise<DriverRun<T>> {
  const argv = [...prefix, TSX, DRIVER, JSON.stringify(op)]
  return new Promise((done, fail) => {
    const child = spawn(argv[0], argv.slice(1), { env, cwd: REPO })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()))
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
    child.on('error', fail)
    child.on('close', (code) => {
      const line = stdout.split('\n').find((l) => l.startsWith('RESULT '))
      if (!line) {
        fail(
          new Error(
            `driver printed no result (exit ${code})\nstdout:\n${stdout}\nstderr:\n${stderr}`
          )
        )
        return
      }
      done({
        code,
        result: JSON.parse(line.slice(7)) as T,
        stdout,
        stderr,
        annotations: stdout
          .split('\n')
          .filter((l) => /^::(warning|error)/.test(l))
      })
    })
  })
}

/** One node of a tree snapshot. */
export interface TreeNode {
  type: 'file' | 'dir' | 'symlink'
  mode: number
  /** sha256 of a file, the target of a symlink. */
  content?: string
}

/** Snapshot of a tree: relative path -> type, permission bits, content hash. */
export async function snapshotTree(
  dir: string
): Promise<Record<string, TreeNode>> {
  const out: Record<string, TreeNode> = {}
  const walk = async (rel: string): Promise<void> => {
    for (const name of (await readdir(join(dir, rel))).sort()) {
      const path = rel ? `${rel}/${name}` : name
      const info = await lstat(join(dir, path))
      const mode = info.mode & 0o7777
      if (info.isSymbolicLink()) {
        out[path] = {
          type: 'symlink',
          mode: 0,
          content: await readlink(join(dir, path))
        }
      } else if (info.isDirectory()) {
        out[path] = { type: 'dir', mode }
        await walk(path)
      } else {
        const hash = createHash('sha256')
          .update(await readFile(join(dir, path)))
          .digest('hex')
        out[path] = { type: 'file', mode, content: hash }
      }
    }
  }
  await walk('')
  return out
}
