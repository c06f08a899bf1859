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
import { passEnvironment, run } from '../../src/adapters/exec.js'
import * as registry from '../../src/adapters/registry.js'
import { installTool } from '../../src/adapters/tools.js'
import {
  containerLabels,
  runLabelValue,
  serviceContainerNames
} from '../../src/kind/containers.js'
import { cacheMounts, renderKindConfig } from '../../src/kind/kind-config.js'
import { clusterManifest } from '../../src/kind/objects.js'
import { cacheDirs, NODE_PATHS } from '../../src/cache/paths.js'
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
const RUN = { runId: '42', runAttempt: '1', job: 'build' }

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
    const names = serviceContainerNames('double-ci')
    const labels = containerLabels('double-ci', RUN)
    const registry = await cluster.startRegistry({
      cluster: 'double-ci',
      nodes,
      name: names.registry,
      labels,
      port: 5000,
      hostsFile
    })
    expect(registry).toMatchObject({
      host: 'double-ci-registry:5000',
      reused: false,
      hostsFile: 'added'
    })
    const again = await cluster.startRegistry({
      cluster: 'double-ci',
      nodes,
      name: names.registry,
      labels,
      port: 5000,
      hostsFile
    })
    expect(again).toMatchObject({ reused: true, hostsFile: 'present' })

    const athens = await cluster.startAthens({
      cluster: 'double-ci',
      name: names.athens,
      labels,
      storageDir: cluster.athensStorageDir(modSaveDir),
      githubToken: 'ghs_test',
      noSumPatterns: ['github.com/acme/*']
    })
    expect(athens.goproxy).toBe('http://double-ci-athens:3000')
    expect(existsSync(join(modSaveDir, '.athens'))).toBe(true)

    // Namespaces and the registry's ConfigMap in one apply, twice: apply
    // creates what is missing and leaves what matches.
    const manifest = clusterManifest({
      namespaces: ['builds'],
      registryHost: registry.host
    })
    expect((await cluster.applyObjects('double-ci', manifest)).lines).toEqual([
      'namespace/builds created',
      'configmap/local-registry-hosting created'
    ])
    expect((await cluster.applyObjects('double-ci', manifest)).lines).toEqual([
      'namespace/builds unchanged',
      'configmap/local-registry-hosting unchanged'
    ])

    const state = await loadState(daemon.env.CLUSTER_DOUBLE_HOME)
    expect(state.containers['double-ci-registry']?.networks).toEqual(['kind'])
    expect(state.clusters['double-ci']?.namespaces).toContain('builds')
    expect(
      state.clusters['double-ci']?.configMaps[
        'kube-public/local-registry-hosting'
      ]
    ).toBeDefined()
    expect(state.containers['double-ci-registry']?.labels).toEqual({
      'io.skaffold-kaniko-cache.cluster': 'double-ci',
      'io.skaffold-kaniko-cache.run': '42-1-build'
    })
    expect(state.containers['double-ci-athens']?.env).toEqual(
      expect.arrayContaining([
        'ATHENS_GITHUB_TOKEN=ghs_test',
        'ATHENS_GO_BINARY_ENV_VARS=GOPROXY=https://proxy.golang.org,direct; GOPRIVATE=github.com/acme/*'
      ])
    )

    // Reuse mode: an existing cluster, caches copied in and out.
    await cluster.requireCluster('double-ci')
    expect(await cluster.clusterExists('double-ci')).toBe(true)
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
      containers: [registry.name, athens.name],
      run: runLabelValue(RUN)
    })
    expect(cleanup).toMatchObject({
      clusterDeleted: true,
      containersRemoved: ['double-ci-registry', 'double-ci-athens'],
      warnings: []
    })
    expect(await cluster.listClusters()).toEqual([])
  })

  it('retries a failed create once and keeps the first failure', async () => {
    const { runnerDirs } = dirs()
    process.env.CLUSTER_DOUBLE_FAIL_CREATE = '1'
    // The double's knob reaches kind only when named: tools get a minimal
    // environment.
    passEnvironment(['CLUSTER_DOUBLE_FAIL_CREATE'])
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
      passEnvironment([])
      await cluster.cleanupCluster({
        cluster: 'flaky',
        containers: [],
        run: ''
      })
    }
  })

  it('equips only the Kubernetes nodes of a multi-control-plane cluster, never its load balancer', async () => {
    const { runnerDirs } = dirs()
    const configText = [
      'kind: Cluster',
      'apiVersion: kind.x-k8s.io/v1alpha4',
      'nodes:',
      '- role: control-plane',
      '- role: control-plane',
      '- role: worker',
      ''
    ].join('\n')
    await cluster.createCluster({
      name: 'ha',
      configText,
      runnerTemp: join(root, 'temp'),
      hostDirs: [runnerDirs.mod, runnerDirs.build]
    })
    try {
      // kind lists the load balancer with the nodes (first, in the double).
      // (Async: the daemon runs in this process.)
      const kindGetNodes = await run('kind', ['get', 'nodes', '--name', 'ha'])
      expect(kindGetNodes.stdout.split('\n')[0]).toBe(
        'ha-external-load-balancer'
      )
      expect(await cluster.nodeNames('ha')).toEqual([
        'ha-control-plane',
        'ha-control-plane2',
        'ha-worker'
      ])
      const hostsFile = join(root, 'hosts-ha')
      await writeFile(hostsFile, '')
      const registry = await cluster.startRegistry({
        cluster: 'ha',
        nodes: await cluster.nodeNames('ha'),
        name: serviceContainerNames('ha').registry,
        labels: containerLabels('ha', RUN),
        port: 5002,
        hostsFile
      })
      expect(registry.host).toBe('ha-registry:5002')
    } finally {
      await cluster.cleanupCluster({
        cluster: 'ha',
        containers: ['ha-registry'],
        run: runLabelValue(RUN)
      })
    }
  })

  it('on a shared daemon, removes only what its own run started and never takes a foreign name', async () => {
    const { runnerDirs } = dirs()
    const docker = (...args: string[]) => run('docker', args)
    await cluster.createCluster({
      name: 'shared',
      configText: renderKindConfig({
        mounts: cacheMounts(runnerDirs),
        registry: true
      }).text,
      runnerTemp: join(root, 'temp'),
      hostDirs: [runnerDirs.mod, runnerDirs.build]
    })
    const names = serviceContainerNames('shared')
    const hostsFile = join(root, 'hosts-shared')
    await writeFile(hostsFile, '')
    const first = { runId: '100', runAttempt: '1', job: 'build' }
    const second = { runId: '200', runAttempt: '1', job: 'build' }
    try {
      await cluster.startRegistry({
        cluster: 'shared',
        nodes: ['shared-control-plane'],
        name: names.registry,
        labels: containerLabels('shared', first),
        port: 5003,
        hostsFile
      })
      // A second run on the same cluster finds it running and reuses it...
      const reused = await cluster.startRegistry({
        cluster: 'shared',
        nodes: ['shared-control-plane'],
        name: names.registry,
        labels: containerLabels('shared', second),
        port: 5003,
        hostsFile
      })
      expect(reused.reused).toBe(true)
      // ...and its clean-up leaves it to the run that started it.
      const secondCleanup = await cluster.cleanupCluster({
        containers: [names.registry],
        run: runLabelValue(second)
      })
      expect(secondCleanup.containersRemoved).toEqual([])
      expect(
        (await loadState(daemon.env.CLUSTER_DOUBLE_HOME)).containers[
          names.registry
        ]
      ).toBeDefined()

      // Someone else's container under the Athens name is refused, neither
      // force-removed nor used as Athens.
      expect(
        (
          await docker(
            'run',
            '-d',
            '--restart=always',
            '--name',
            names.athens,
            'busybox'
          )
        ).exitCode
      ).toBe(0)
      await expect(
        cluster.startAthens({
          cluster: 'shared',
          name: names.athens,
          labels: containerLabels('shared', first),
          storageDir: join(root, 'athens-shared')
        })
      ).rejects.toThrow(
        'A container named shared-athens exists and was not started by skaffold-kaniko-cache for kind cluster shared'
      )
      expect(
        (await loadState(daemon.env.CLUSTER_DOUBLE_HOME)).containers[
          names.athens
        ]?.image
      ).toBe('busybox')
    } finally {
      const firstCleanup = await cluster.cleanupCluster({
        cluster: 'shared',
        containers: [names.registry, names.athens],
        run: runLabelValue(first)
      })
      expect(firstCleanup.containersRemoved).toEqual([names.registry])
      await docker('rm', '-f', names.athens)
    }
  })
})
