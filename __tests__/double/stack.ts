/**
 * Test support for the cluster double suites: a module proxy from Debian's Go
 * sources, the daemon in this process, the executables on PATH via a temp dir,
 * and helpers to run them and to lay out a Go service.
 */
import { spawn, spawnSync } from 'node:child_process'
import {
  cpSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { stringify } from 'yaml'
import {
  startDockerDaemon,
  writeDoubleExecutables,
  type DockerDaemon
} from '../../test-support/cluster-double/index.js'
import type { RegistryEndpoint } from '../../test-support/registry/index.js'
import {
  debianModuleSources,
  startModuleProxy,
  type ModuleProxy
} from '../../test-support/module-proxy/index.js'

/** The result of one double command. */
export interface RunResult {
  code: number
  stdout: string
  stderr: string
}

/** A running double with its module proxy. */
export interface DoubleStack {
  root: string
  binDir: string
  env: NodeJS.ProcessEnv
  proxy: ModuleProxy
  daemon: DockerDaemon
  run(
    tool: string,
    args: string[],
    options?: { cwd?: string; input?: string; env?: NodeJS.ProcessEnv }
  ): Promise<RunResult>
  stop(): Promise<void>
}

/** Throws one clear line when the host lacks Go (the double builds for real). */
export function requireGo(): void {
  const go = spawnSync('go', ['version'])
  if (go.status !== 0)
    throw new Error(
      'the cluster double tests need Go on PATH (Debian: apt-get install -y golang-go)'
    )
}

/**
 * Starts proxy, daemon and executables under a fresh temp root; `nodePlatform`
 * stands for the docker host's platform (default: this machine's).
 */
export async function startDoubleStack(
  options: {
    nodePlatform?: string
    /** Real registries standing for domain hosts (DaemonOptions.registries). */
    registries?: Record<string, RegistryEndpoint>
  } = {}
): Promise<DoubleStack> {
  requireGo()
  const root = mkdtempSync(join(tmpdir(), 'double-test-'))
  const proxy = await startModuleProxy({ modules: debianModuleSources() })
  const daemon = await startDockerDaemon({
    home: join(root, 'home'),
    moduleProxyUrl: proxy.url,
    nodePlatform: options.nodePlatform,
    registries: options.registries
  })
  const binDir = join(root, 'bin')
  writeDoubleExecutables(binDir)
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ...daemon.env,
    PATH: `${binDir}:${process.env.PATH ?? ''}`
  }
  delete env.NODE_OPTIONS
  return {
    root,
    binDir,
    env,
    proxy,
    daemon,
    run(tool, args, options = {}) {
      return new Promise((resolve, reject) => {
        const child = spawn(tool, args, {
          cwd: options.cwd ?? root,
          env: { ...env, ...options.env }
        })
        let stdout = ''
        let stderr = ''
        child.stdout.on('data', (c: Buffer) => (stdout += c.toString()))
        child.stderr.on('data', (c: Buffer) => (stderr += c.toString()))
        child.on('error', reject)
        child.on('close', (code) =>
          resolve({ code: code ?? 1, stdout, stderr })
        )
        child.stdin.end(options.input ?? '')
      })
    },
    async stop() {
      await daemon.stop()
      await proxy.stop()
      spawnSync('chmod', ['-R', 'u+w', root])
      rmSync(root, { recursive: true, force: true })
    }
  }
}

/** Counts regular files under a directory (0 when absent). */
export function countFiles(dir: string): number {
  let n = 0
  const walk = (d: string): void => {
    for (const name of readdirSync(d)) {
      const p = join(d, name)
      if (statSync(p).isDirectory()) walk(p)
      else n++
    }
  }
  try {
    walk(dir)
  } catch {
    return n
  }
  return n
}

/** A kind config with the given extraMounts on one control-plane node. */
export function kindConfig(
  mounts: { hostPath: string; containerPath: string }[]
): string {
  return stringify({
    kind: 'Cluster',
    apiVersion: 'kind.x-k8s.io/v1alpha4',
    nodes: [{ role: 'control-plane', extraMounts: mounts }]
  })
}

/** The pieces of a patched kaniko artifact, each link settable on its own. */
export interface ArtifactLinks {
  volumes: { name: string; path: string }[]
  mounts: { name: string; mountPath: string }[]
  buildArgs: Record<string, string>
}

/** A skaffold/v4beta14 config with one kaniko artifact wired as `links` says. */
export function skaffoldConfig(image: string, links: ArtifactLinks): string {
  return stringify({
    apiVersion: 'skaffold/v4beta14',
    kind: 'Config',
    metadata: { name: image },
    build: {
      artifacts: [
        {
          image,
          kaniko: {
            dockerfile: 'Dockerfile',
            // kind's /product_uuid cannot be removed between stages (kaniko issue 2164).
            ignorePaths: ['/product_uuid'],
            buildArgs: links.buildArgs,
            volumeMounts: links.mounts
          }
        }
      ],
      cluster: {
        namespace: 'default',
        volumes: links.volumes.map((v) => ({
          name: v.name,
          hostPath: { path: v.path, type: 'DirectoryOrCreate' }
        }))
      }
    }
  })
}

/** The seed's Dockerfile with the given ARG lines after FROM (and before it, if any). */
export function seedDockerfile(
  argsAfterFrom: string[],
  argsBeforeFrom: string[] = []
): string {
  return [
    ...argsBeforeFrom.map((a) => `ARG ${a}`),
    'FROM golang:1.19 AS build',
    'ARG CGO_ENABLED=0',
    ...argsAfterFrom.map((a) => `ARG ${a}`),
    'WORKDIR /workspace',
    'COPY . .',
    "RUN go build -trimpath -ldflags='-s -w' -o /bin/hello .",
    '',
    'FROM gcr.io/distroless/static',
    'COPY --from=build /bin/hello /bin/hello',
    'ENTRYPOINT ["/bin/hello"]',
    ''
  ].join('\n')
}

const FIXTURE = new URL('./fixtures/hello/', import.meta.url).pathname

/** Copies the hello service into `dir` with the given Dockerfile and skaffold.yaml. */
export function writeHelloService(
  dir: string,
  dockerfile: string,
  skaffoldYaml: string
): string {
  mkdirSync(dir, { recursive: true })
  cpSync(FIXTURE, dir, { recursive: true })
  writeFileSync(join(dir, 'Dockerfile'), dockerfile)
  writeFileSync(join(dir, 'skaffold.yaml'), skaffoldYaml)
  return dir
}

/** The `go caches:` line the double prints for a build. */
export function goCachesLine(output: string): {
  GOCACHE: string
  GOMODCACHE: string
} {
  const match = /go caches: GOCACHE=(\S+) GOMODCACHE=(\S+)/.exec(output)
  if (match === null) throw new Error(`no "go caches:" line in:\n${output}`)
  return { GOCACHE: match[1], GOMODCACHE: match[2] }
}

/** How many GOCACHE files the build's RUN added (the double's `go cache use:` line). */
export function newCacheFiles(output: string): number {
  const match = /go cache use: GOCACHE \+(\d+) files/.exec(output)
  if (match === null) throw new Error(`no "go cache use:" line in:\n${output}`)
  return Number(match[1])
}
