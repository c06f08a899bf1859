/**
 * The Athens Go module proxy on the kind network: it holds the GitHub token
 * for private modules, so the build never sees it.
 */
import * as core from './workflow-commands.js'
import { mkdir } from 'node:fs/promises'
import path from 'node:path'
import { DEFAULT_ATHENS_IMAGE } from '../images.js'
import { elapsed } from './exec.js'
import { ClusterError } from './cluster-error.js'
import { inspectContainer } from './containers.js'
import { runOrClaim } from './registry.js'

/** What startAthens needs. */
export interface AthensRequest {
  cluster: string
  /** The container name, also the host name in GOPROXY (serviceContainerNames(cluster).athens). */
  name: string
  /** `key=value` labels for the container (containerLabels). */
  labels: string[]
  /**
   * Its disk storage on the runner: inside the module cache dir that is
   * saved, so it is cached too (see athensStorageDir).
   */
  storageDir: string
  /** The step's GITHUB_TOKEN, when present: for Athens only, never the build. */
  githubToken?: string
  /** Default DEFAULT_ATHENS_IMAGE. */
  image?: string
  /**
   * Module patterns (the go-private input): Athens fetches them from their
   * VCS (GOPRIVATE) and does not check them against the public checksum
   * database (ATHENS_GONOSUM_PATTERNS).
   */
  noSumPatterns?: string[]
}

/** The outcome of startAthens. */
export interface AthensResult {
  name: string
  /** GOPROXY for the build. */
  goproxy: string
  storageDir: string
  /** Whether a GitHub token was given to Athens. */
  token: boolean
  /** True when a running Athens of that name was found and kept. */
  reused: boolean
  seconds: number
}

/** Where Athens' own `go` fetches public modules: Go's default GOPROXY. */
export const ATHENS_UPSTREAM_PROXY = 'https://proxy.golang.org,direct'

/**
 * Athens' storage dir: `.athens` inside the module cache's saved dir
 * (cache/download). Go module path elements cannot start with a dot, so it
 * never collides with a module, and it travels with the saved cache.
 */
export function athensStorageDir(modSaveDir: string): string {
  return path.join(modSaveDir, '.athens')
}

/**
 * ATHENS_GO_BINARY_ENV_VARS: the environment of the `go` Athens runs to
 * fetch a module. Athens' default is `GOPROXY=direct` (athens config.dev.toml
 * and pkg/config/config.go, defaultConfig GoBinaryEnvVars), which clones
 * every public module from its VCS; the public proxy is faster and needs no
 * VCS tools. Entries are separated by `;` because GOPROXY and GOPRIVATE use
 * commas (athens pkg/config/config.go, EnvList.Decode).
 */
export function athensGoBinaryEnv(privatePatterns: readonly string[]): string {
  return [
    `GOPROXY=${ATHENS_UPSTREAM_PROXY}`,
    ...(privatePatterns.length > 0
      ? [`GOPRIVATE=${privatePatterns.join(',')}`]
      : [])
  ].join('; ')
}

/**
 * Runs Athens on the kind network with disk storage, so kaniko pods reach
 * it as `http://<name>:3000`. A GitHub token goes to Athens only
 * (ATHENS_GITHUB_TOKEN), so private modules resolve with no credentials in
 * the image; the command is run silently and the token masked. A running
 * Athens of that name (another job on a reused cluster) is used as it is.
 * @throws ClusterError when the container does not start or stay up, or the
 * name is taken by a container the action did not start for this cluster.
 */
export async function startAthens(
  request: AthensRequest
): Promise<AthensResult> {
  const started = Date.now()
  const name = request.name
  const goproxy = `http://${name}:3000`
  await mkdir(request.storageDir, { recursive: true })
  const token = request.githubToken !== undefined && request.githubToken !== ''
  if (token) core.setSecret(request.githubToken as string)
  const patterns = request.noSumPatterns ?? []
  const reused = await runOrClaim(
    name,
    request.cluster,
    [
      'run',
      '-d',
      '--restart=always',
      '--name',
      name,
      ...request.labels.flatMap((label) => ['--label', label]),
      '--network',
      'kind',
      '-e',
      'ATHENS_STORAGE_TYPE=disk',
      '-e',
      'ATHENS_DISK_STORAGE_ROOT=/var/lib/athens',
      '-e',
      `ATHENS_GO_BINARY_ENV_VARS=${athensGoBinaryEnv(patterns)}`,
      // The name only: docker reads the value from its own environment, so
      // the token never shows in a process list (ps) or in the log.
      ...(token ? ['-e', 'ATHENS_GITHUB_TOKEN'] : []),
      ...(patterns.length > 0
        ? ['-e', `ATHENS_GONOSUM_PATTERNS=${patterns.join(',')}`]
        : []),
      '-v',
      `${request.storageDir}:/var/lib/athens`,
      '--',
      request.image ?? DEFAULT_ATHENS_IMAGE
    ],
    {
      secret: true,
      ...(token
        ? { env: { ATHENS_GITHUB_TOKEN: request.githubToken as string } }
        : {})
    }
  )
  if (reused) {
    return {
      name,
      goproxy,
      storageDir: request.storageDir,
      token: false,
      reused: true,
      seconds: elapsed(started)
    }
  }
  // `docker run -d` returns once the container started; Athens exits at
  // once on a bad setting, which only a look afterwards shows.
  if ((await inspectContainer(name))?.running !== true) {
    throw new ClusterError(
      `The Athens container ${name} is not running after docker run; see docker logs ${name}. Set athens: false to build without it`
    )
  }
  return {
    name,
    goproxy,
    storageDir: request.storageDir,
    token,
    reused: false,
    seconds: elapsed(started)
  }
}
