/**
 * The Athens Go module proxy on the kind network: it holds the GitHub token
 * for private modules, so the build never sees it.
 */
import * as core from '@actions/core'
import { mkdir } from 'node:fs/promises'
import path from 'node:path'
import { DEFAULT_ATHENS_IMAGE } from '../images.js'
import { ClusterError, containerState, elapsed, must } from './cluster.js'

/** What startAthens needs. */
export interface AthensRequest {
  /**
   * Its disk storage on the runner: inside the module cache dir that is
   * saved, so it is cached too (see athensStorageDir).
   */
  storageDir: string
  /** The step's GITHUB_TOKEN, when present: for Athens only, never the build. */
  githubToken?: string
  /** Default DEFAULT_ATHENS_IMAGE. */
  image?: string
  /** Default athens (the host name in GOPROXY). */
  name?: string
  /**
   * Module patterns (the go-private input) Athens must not check against
   * the public checksum database (ATHENS_GONOSUM_PATTERNS).
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
  seconds: number
}

/** The default Athens container name. */
export const ATHENS_NAME = 'athens'

/**
 * Athens' storage dir: `.athens` inside the module cache's saved dir
 * (cache/download). Go module path elements cannot start with a dot, so it
 * never collides with a module, and it travels with the saved cache.
 */
export function athensStorageDir(modSaveDir: string): string {
  return path.join(modSaveDir, '.athens')
}

/**
 * Runs Athens on the kind network (command 12) with disk storage, so kaniko
 * pods reach it as `http://athens:3000`. A GitHub token goes to Athens only
 * (ATHENS_GITHUB_TOKEN), so private modules resolve with no credentials in
 * the image; the command is run silently and the token masked.
 * @throws ClusterError when the container does not start or stay up.
 */
export async function startAthens(
  request: AthensRequest
): Promise<AthensResult> {
  const started = Date.now()
  const name = request.name ?? ATHENS_NAME
  await mkdir(request.storageDir, { recursive: true })
  if ((await containerState(name)) !== 'missing') {
    await must('docker', ['rm', '-f', name])
  }
  const token = request.githubToken !== undefined && request.githubToken !== ''
  if (token) core.setSecret(request.githubToken as string)
  await must(
    'docker',
    [
      'run',
      '-d',
      '--restart=always',
      '--name',
      name,
      '--network',
      'kind',
      '-e',
      'ATHENS_STORAGE_TYPE=disk',
      '-e',
      'ATHENS_DISK_STORAGE_ROOT=/var/lib/athens',
      // The name only: docker reads the value from its own environment, so
      // the token never shows in a process list (ps) or in the log.
      ...(token ? ['-e', 'ATHENS_GITHUB_TOKEN'] : []),
      ...(request.noSumPatterns !== undefined &&
      request.noSumPatterns.length > 0
        ? ['-e', `ATHENS_GONOSUM_PATTERNS=${request.noSumPatterns.join(',')}`]
        : []),
      '-v',
      `${request.storageDir}:/var/lib/athens`,
      request.image ?? DEFAULT_ATHENS_IMAGE
    ],
    undefined,
    true,
    token ? { ATHENS_GITHUB_TOKEN: request.githubToken as string } : undefined
  )
  if ((await containerState(name)) !== 'running') {
    throw new ClusterError(
      `The Athens container ${name} is not running after docker run; see docker logs ${name}. Set athens: false to build without it`
    )
  }
  return {
    name,
    goproxy: `http://${name}:3000`,
    storageDir: request.storageDir,
    token,
    seconds: elapsed(started)
  }
}
