/**
 * Saving caches whose files were written by root (as kaniko writes them into
 * the kind node's hostPath mounts), with the action's code running as an
 * unprivileged user: through `docker exec <node> chown -R` against the
 * cluster double, and through the fallback when no chown is possible.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { execFile } from 'node:child_process'
import { chmod, chown, mkdir, readFile, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { promisify } from 'node:util'
import type { SaveResult } from '../../src/adapters/cache.js'
import type { RestoreRecord } from '../../src/state.js'
import type { OwnershipResult } from '../../src/adapters/ownership.js'
import { NODE_PATHS } from '../../src/cache/paths.js'
import {
  startDockerDaemon,
  writeDoubleExecutables,
  type DockerDaemon
} from '../../test-support/cluster-double/index.js'
import {
  startCacheService,
  type CacheService
} from '../../test-support/cache-service/server.js'
import {
  clientEnv,
  makeRunner,
  runDriver,
  snapshotTree,
  type Runner
} from './helpers/harness.js'

const run = promisify(execFile)
const USER = 'skc-test'
const isRoot = process.getuid?.() === 0
if (!isRoot) {
  process.stdout.write(
    'ownership suite skipped: it must run as root to write root-owned files and switch to an unprivileged user\n'
  )
}
const rootDescribe = isRoot ? describe : describe.skip

let service: CacheService
let runner: Runner
let daemon: DockerDaemon
let bin: string
let uid = 0
let gid = 0
let buildDir: string

beforeAll(async () => {
  if (!isRoot) return
  await run('id', ['-u', USER]).catch(() =>
    run('useradd', [
      '--system',
      '--no-create-home',
      '--shell',
      '/bin/false',
      USER
    ])
  )
  uid = Number((await run('id', ['-u', USER])).stdout.trim())
  gid = Number((await run('id', ['-g', USER])).stdout.trim())
  service = await startCacheService()
  runner = await makeRunner()
  // The runner user owns its home and temp dir, as on a real runner.
  await chmod(runner.root, 0o755)
  for (const dir of [runner.home, runner.temp, runner.workspace]) {
    await chown(dir, uid, gid)
  }
  buildDir = join(runner.home, 'gobuildcache')
  await mkdir(buildDir)
  await chown(buildDir, uid, gid)

  // The cluster double: a root daemon, a kind cluster whose node mounts the
  // runner dir at the node path, as the action's kind config does.
  daemon = await startDockerDaemon({ home: join(runner.root, 'double') })
  await chmod(join(runner.root, 'double'), 0o755)
  await chmod(daemon.socketPath, 0o777)
  bin = join(runner.root, 'bin')
  writeDoubleExecutables(bin)
  const config = join(runner.root, 'kind.yaml')
  await writeFile(
    config,
    [
      'kind: Cluster',
      'apiVersion: kind.x-k8s.io/v1alpha4',
      'nodes:',
      '  - role: control-plane',
      '    extraMounts:',
      `      - hostPath: ${buildDir}`,
      `        containerPath: ${NODE_PATHS.build}`,
      ''
    ].join('\n')
  )
  await run(
    join(bin, 'kind'),
    ['create', 'cluster', '--name', 'skc', '--config', config, '--wait', '60s'],
    { env: { ...process.env, ...daemon.env }, cwd: runner.root }
  )
}, 120_000)

afterAll(async () => {
  if (!isRoot) return
  await daemon.stop()
  await service.stop()
  await rm(runner.root, { recursive: true, force: true })
})

/** Files as kaniko leaves them: root-owned, mostly 0644, one private file. */
async function writeAsRoot(withPrivateFile: boolean): Promise<void> {
  await rm(buildDir, { recursive: true, force: true })
  await mkdir(join(buildDir, 'ab'), { recursive: true })
  await writeFile(join(buildDir, 'ab/abcd-d'), 'compiled package\n')
  await writeFile(join(buildDir, 'README'), 'go build cache\n')
  if (withPrivateFile) {
    await writeFile(join(buildDir, 'ab/private-d'), 'root only\n')
    await chmod(join(buildDir, 'ab/private-d'), 0o600)
  }
  // The mount point itself is the runner's; everything inside is root's.
  await chown(buildDir, uid, gid)
}

function saveAsUser(key: string, node: string | undefined, extra = {}) {
  const env = {
    ...clientEnv(service, runner),
    ...daemon.env,
    PATH: `${bin}:${process.env.PATH ?? ''}`,
    ...extra
  }
  return runDriver<{ ownership: OwnershipResult; save: SaveResult }>(
    {
      op: 'ownership-then-save',
      ownership: {
        ...(node === undefined ? {} : { node }),
        nodePaths: [NODE_PATHS.build],
        runnerDirs: [buildDir]
      },
      save: {
        label: 'build cache',
        paths: ['~/gobuildcache'],
        dir: buildDir,
        key
      }
    },
    env,
    ['setpriv', `--reuid=${uid}`, `--regid=${gid}`, '--clear-groups']
  )
}

rootDescribe(
  'root-owned cache files, action running as an unprivileged user',
  () => {
    it("docker exec chown in the node makes them the runner user's, then the save works", async () => {
      await writeAsRoot(true)
      const expected = await snapshotTree(buildDir)
      const out = await saveAsUser('own-1', 'skc-control-plane')
      expect(out.result.ownership).toMatchObject({
        method: 'docker-exec',
        ok: true,
        notOwned: 0,
        unreadable: 0,
        saveable: true
      })
      expect(out.result.save.outcome).toBe('saved')

      await rm(buildDir, { recursive: true })
      const hit = await runDriver<RestoreRecord>(
        {
          op: 'restore',
          req: {
            label: 'build cache',
            paths: ['~/gobuildcache'],
            dir: buildDir,
            key: 'own-1',
            restoreKeys: []
          }
        },
        clientEnv(service, runner)
      )
      expect(hit.result.result).toBe('exact')
      expect(await snapshotTree(buildDir)).toEqual(expected)
      expect(await readFile(join(buildDir, 'ab/private-d'), 'utf8')).toBe(
        'root only\n'
      )
    })

    it('fallback without a node: readable root files are still saved', async () => {
      await writeAsRoot(false)
      const out = await saveAsUser('own-2', undefined)
      expect(out.result.ownership.method).toBe('none')
      expect(out.result.ownership.ok).toBe(false)
      expect(out.result.ownership.notOwned).toBeGreaterThan(0)
      expect(out.result.ownership.saveable).toBe(true)
      expect(out.result.ownership.warning).toMatch(/no kind node/)
      expect(out.result.save.outcome).toBe('saved')
    })

    it('fallback when docker fails: reported, not fatal, unreadable files counted', async () => {
      await writeAsRoot(true)
      const out = await saveAsUser('own-3', 'skc-control-plane', {
        DOCKER_HOST: `unix://${join(runner.root, 'no-such.sock')}`
      })
      expect(out.code).toBe(0)
      expect(out.result.ownership).toMatchObject({
        method: 'docker-exec',
        ok: false,
        unreadable: 1,
        saveable: false
      })
      expect(out.result.ownership.warning).toMatch(
        /Cannot connect to the Docker daemon/
      )
    })
  }
)
