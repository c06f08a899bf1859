/**
 * The cluster adapter for real against the cluster double, with the double's
 * kind and kubectl installed through the action's own download path (served
 * by the download server, verified against their same-origin checksums).
 * No mocks: @actions/exec runs the executables.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { existsSync } from 'node:fs'
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import * as athens from '../../src/adapters/athens.js'
import * as clusterAdapter from '../../src/adapters/cluster.js'
import * as registry from '../../src/adapters/registry.js'
import { installTool } from '../../src/adapters/tools.js'
import { cacheMounts, renderKindConfig } from '../../src/kind/kind-config.js'
import { cacheDirs, NODE_PATHS } from '../../src/plan.js'
import { platformFromNode } from '../../src/tools/catalog.js'
import {
  doubleExecutableText,
  loadState,
  startDockerDaemon,
  writeDoubleExecutables,
  type DockerDaemon
} from '../../test-support/cluster-double/index.js'
import {
  startDownloadServer,
  type DownloadServer
} from '../../test-support/download-server/index.js'

const cluster = { ...clusterAdapter, ...registry, ...athens }

const globals = globalThis as Record<string, unknown>
globals.TEST_DOWNLOAD_TOOL_RETRY_MIN_SECONDS = 0
globals.TEST_DOWNLOAD_TOOL_RETRY_MAX_SECONDS = 0

const savedEnv = { ...process.env }
let root: string
let daemon: DockerDaemon
let server: DownloadServer
const dirs = () =>
  cacheDirs('double-ci', {
    home: join(root, 'home'),
    runnerTemp: join(root, 'temp'),
    workspace: join(root, 'ws')
  })

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'cluster-double-adapter-'))
  for (const d of ['tool-cache', 'temp', 'bin', 'home']) {
    await mkdir(join(root, d), { recursive: true })
  }
  daemon = await startDockerDaemon({ home: join(root, 'double-home') })
  // docker is not something the action installs: it is on PATH.
  writeDoubleExecutables(join(root, 'all-bin'))
  const dockerOnly = join(root, 'bin')
  await writeFile(join(dockerOnly, 'docker'), doubleExecutableText('docker'), {
    mode: 0o755
  })
  const platform = platformFromNode(process.platform, process.arch)
  server = await startDownloadServer({
    files: [
      {
        tool: 'kind',
        version: 'v0.32.0-double',
        ...platform,
        content: doubleExecutableText('kind')
      },
      {
        tool: 'kubectl',
        version: 'v1.36.1-double',
        ...platform,
        content: doubleExecutableText('kubectl')
      }
    ]
  })
  process.env.RUNNER_TOOL_CACHE = join(root, 'tool-cache')
  process.env.RUNNER_TEMP = join(root, 'temp')
  process.env.PATH = `${dockerOnly}:${process.env.PATH ?? ''}`
  process.env.DOCKER_HOST = daemon.env.DOCKER_HOST
  process.env.CLUSTER_DOUBLE_HOME = daemon.env.CLUSTER_DOUBLE_HOME
  delete process.env.GITHUB_PATH
  for (const tool of ['kind', 'kubectl'] as const) {
    const installed = await installTool({
      tool,
      version: tool === 'kind' ? 'v0.32.0-double' : 'v1.36.1-double',
      platform,
      baseUrl: server.baseUrls[tool]
    })
    if (installed.checksum !== 'same-origin' || installed.fromCache) {
      throw new Error(
        `unexpected install of the double's ${tool}: ${JSON.stringify(installed)}`
      )
    }
  }
})

afterAll(async () => {
  process.env = { ...savedEnv }
  await server.stop()
  await daemon.stop()
  await rm(root, { recursive: true, force: true })
})

describe('the cluster adapter against the cluster double', () => {
  it('creates, equips, reuses and deletes a cluster', async () => {
    const { runnerDirs, modSaveDir } = dirs()
    const config = renderKindConfig({
      mounts: cacheMounts(runnerDirs),
      registry: true
    })
    expect((await cluster.checkDocker()).serverVersion).not.toBe('')

    const created = await cluster.createCluster({
      name: 'double-ci',
      configText: config.text,
      runnerTemp: join(root, 'temp'),
      hostDirs: [runnerDirs.mod, runnerDirs.build]
    })
    expect(created.attempts).toBe(1)
    await cluster.waitForNodes('double-ci', '30s')
    const nodes = await cluster.nodeNames('double-ci')
    expect(nodes).toEqual(['double-ci-control-plane'])

    // The mount works: a file in the runner dir is the node's file.
    await writeFile(join(runnerDirs.build, 'marker'), 'from the runner')
    const out = join(root, 'copied-out')
    await cluster.copyCachesFromNode(nodes[0], [
      { runnerDir: out, nodePath: NODE_PATHS.build }
    ])
    expect(await readFile(join(out, 'marker'), 'utf8')).toBe('from the runner')

    const hostsFile = join(root, 'hosts')
    await writeFile(hostsFile, '127.0.0.1 localhost\n')
    const registry = await cluster.startRegistry({
      cluster: 'double-ci',
      port: 5000,
      hostsFile
    })
    expect(registry).toMatchObject({
      host: 'kind-registry:5000',
      reused: false,
      hostsFile: 'added'
    })
    const again = await cluster.startRegistry({
      cluster: 'double-ci',
      port: 5000,
      hostsFile
    })
    expect(again).toMatchObject({ reused: true, hostsFile: 'present' })

    const athens = await cluster.startAthens({
      storageDir: cluster.athensStorageDir(modSaveDir),
      githubToken: 'ghs_test'
    })
    expect(athens.goproxy).toBe('http://athens:3000')
    expect(existsSync(join(modSaveDir, '.athens'))).toBe(true)

    expect(await cluster.ensureNamespace('double-ci', 'builds')).toEqual({
      created: true
    })
    expect(await cluster.ensureNamespace('double-ci', 'builds')).toEqual({
      created: false
    })

    const state = await loadState(daemon.env.CLUSTER_DOUBLE_HOME)
    expect(state.containers['kind-registry']?.networks).toEqual([
      'bridge',
      'kind'
    ])
    expect(state.containers.athens?.env).toContain(
      'ATHENS_GITHUB_TOKEN=ghs_test'
    )

    // Reuse mode: an existing cluster, caches copied in and out.
    await cluster.requireCluster('double-ci')
    await expect(
      cluster.createCluster({
        name: 'double-ci',
        configText: config.text,
        runnerTemp: join(root, 'temp'),
        hostDirs: []
      })
    ).rejects.toThrow('A kind cluster named double-ci already exists')
    const reuseIn = join(root, 'reuse-in')
    await mkdir(join(reuseIn, 'cache', 'download'), { recursive: true })
    await writeFile(join(reuseIn, 'cache', 'download', 'list'), 'v1.0.0\n')
    await cluster.copyCachesIntoNode(nodes[0], [
      { runnerDir: reuseIn, nodePath: '/var/lib/reused/gomodcache' }
    ])
    const reuseOut = join(root, 'reuse-out')
    await cluster.copyCachesFromNode(nodes[0], [
      { runnerDir: reuseOut, nodePath: '/var/lib/reused/gomodcache' }
    ])
    expect(
      await readFile(join(reuseOut, 'cache', 'download', 'list'), 'utf8')
    ).toBe('v1.0.0\n')

    const cleanup = await cluster.cleanupCluster({
      cluster: 'double-ci',
      containers: [registry.name, athens.name]
    })
    expect(cleanup).toMatchObject({
      clusterDeleted: true,
      containersRemoved: ['kind-registry', 'athens'],
      warnings: []
    })
    expect(await cluster.listClusters()).toEqual([])
  })

  it('retries a failed create once and keeps the first failure', async () => {
    const { runnerDirs } = dirs()
    process.env.CLUSTER_DOUBLE_FAIL_CREATE = '1'
    try {
      const created = await cluster.createCluster({
        name: 'flaky',
        configText: renderKindConfig({
          mounts: cacheMounts(runnerDirs),
          registry: false
        }).text,
        runnerTemp: join(root, 'temp'),
        hostDirs: [runnerDirs.mod, runnerDirs.build]
      })
      expect(created.attempts).toBe(2)
      expect(created.firstFailure?.output).toContain('simulated failure 1 of 1')
    } finally {
      delete process.env.CLUSTER_DOUBLE_FAIL_CREATE
      await cluster.cleanupCluster({ cluster: 'flaky', containers: [] })
    }
  })
})
