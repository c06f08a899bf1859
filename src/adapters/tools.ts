/**
 * Installs kind, skaffold and kubectl through @actions/tool-cache:
 * find (a hit downloads nothing) -> download -> sha256 against the pin or the
 * same-origin checksum file -> chmod 0755 -> cacheFile -> addPath.
 * A binary whose checksum does not match is deleted and never run (design
 * section 7).
 */

import * as core from '@actions/core'
import * as io from '@actions/io'
import * as tc from '@actions/tool-cache'
import { createHash } from 'node:crypto'
import { createReadStream } from 'node:fs'
import { chmod, open, readFile, rm } from 'node:fs/promises'
import path from 'node:path'
import { pipeline } from 'node:stream/promises'
import {
  DEFAULT_VERSIONS,
  looksLikeHtml,
  parseChecksumFile,
  planToolDownload,
  ToolError,
  type DownloadSource,
  type Platform,
  type ToolDownload,
  type ToolDownloadRequest,
  type ToolName
} from '../tools/catalog.js'
import type { PinTable } from '../tools/pins.js'

/** What installTool needs: the same facts that plan the download. */
export type InstallRequest = ToolDownloadRequest

/** How an installed binary was verified. */
export type ChecksumSource = 'pinned' | 'same-origin'

/** The outcome of one install. */
export interface InstallResult {
  tool: ToolName
  version: string
  /** The binary's full path; its directory is on PATH. */
  path: string
  /** True when the tool cache had it: nothing was downloaded. */
  fromCache: boolean
  checksum: ChecksumSource
  /** The verified digest (of the cached file, on a cache hit). */
  sha256: string
  /** The URL it was downloaded from (absent on a cache hit). */
  url?: string
  seconds: number
}

/** kubectl found on PATH, so nothing was installed. */
export interface KubectlOnPath {
  tool: 'kubectl'
  onPath: string
}

/**
 * Installs one tool binary (or finds it in the tool cache) and puts its
 * directory on PATH.
 * @throws ToolError naming the URL and what is wrong (HTTP status, an HTML
 * page instead of a binary, a checksum mismatch with both values).
 */
export async function installTool(
  request: InstallRequest
): Promise<InstallResult> {
  const started = Date.now()
  const plan = planToolDownload(request)
  const expectedMode: ChecksumSource =
    plan.pinnedSha256 === undefined ? 'same-origin' : 'pinned'

  const cachedDir = tc.find(plan.tool, plan.version, plan.platform.arch)
  if (cachedDir !== '') {
    const binary = path.join(cachedDir, plan.binaryName)
    const sha256 = await sha256File(binary)
    // A cached binary is re-hashed against the pin: the cache dir is writable
    // by anything that ran on a self-hosted runner before us.
    if (plan.pinnedSha256 === undefined || plan.pinnedSha256 === sha256) {
      core.addPath(cachedDir)
      return {
        tool: plan.tool,
        version: plan.version,
        path: binary,
        fromCache: true,
        checksum: expectedMode,
        sha256,
        seconds: elapsed(started)
      }
    }
    core.warning(
      `The tool cache's ${plan.tool} ${plan.version} (${binary}) has sha256 ${sha256}, not the pinned ${plan.pinnedSha256}; downloading it again`
    )
    await io.rmRF(cachedDir)
    await io.rmRF(`${cachedDir}.complete`)
  }

  const { file, source } = await downloadBinary(plan)
  let sha256: string
  let dir: string
  try {
    sha256 = await verifyDownload(plan, source, file)
    await chmod(file, 0o755)
    dir = await tc.cacheFile(
      file,
      plan.binaryName,
      plan.tool,
      plan.version,
      plan.platform.arch
    )
  } finally {
    // Verified or not, the download goes: an unverified binary must not stay
    // where something could run it, and a verified one now lives in the cache.
    await rm(file, { force: true })
  }
  core.addPath(dir)
  return {
    tool: plan.tool,
    version: plan.version,
    path: path.join(dir, plan.binaryName),
    fromCache: false,
    checksum: expectedMode,
    sha256,
    url: source.url,
    seconds: elapsed(started)
  }
}

/** What ensureKubectl needs. */
export interface KubectlRequest {
  /** '' = only when kubectl is not on PATH (then the default version). */
  version: string
  platform: Platform
  baseUrl?: string
  pins?: PinTable
}

/**
 * Installs kubectl only when it is not on PATH or when a version is asked
 * (hosted runners ship one).
 */
export async function ensureKubectl(
  request: KubectlRequest
): Promise<InstallResult | KubectlOnPath> {
  if (request.version === '') {
    const onPath = await io.which('kubectl', false)
    if (onPath !== '') return { tool: 'kubectl', onPath }
  }
  return installTool({
    tool: 'kubectl',
    version:
      request.version === '' ? DEFAULT_VERSIONS.kubectl : request.version,
    platform: request.platform,
    ...(request.baseUrl === undefined ? {} : { baseUrl: request.baseUrl }),
    ...(request.pins === undefined ? {} : { pins: request.pins })
  })
}

/** The sha256 of a file, streamed. */
export async function sha256File(file: string): Promise<string> {
  const hash = createHash('sha256')
  await pipeline(createReadStream(file), hash)
  return hash.digest('hex')
}

// Statuses that mean "this base has no such file": try the next base.
// Storage buckets answer 403 for a missing object when listing is not public.
const MISSING = [403, 404]

async function downloadBinary(
  plan: ToolDownload
): Promise<{ file: string; source: DownloadSource }> {
  const misses: string[] = []
  for (const source of plan.sources) {
    try {
      return { file: await tc.downloadTool(source.url), source }
    } catch (error) {
      const status = httpStatus(error)
      if (status !== undefined && MISSING.includes(status)) {
        misses.push(`${source.url} returned HTTP ${status}`)
        if (source !== plan.sources[plan.sources.length - 1]) {
          core.info(
            `${plan.tool} ${plan.version}: ${source.url} returned HTTP ${status}; trying ${plan.sources[plan.sources.indexOf(source) + 1].url}`
          )
        }
        continue
      }
      throw new ToolError(
        `Downloading ${plan.tool} ${plan.version} from ${source.url} failed: ${describe(error)}. ${fixHint(plan)}`
      )
    }
  }
  throw new ToolError(
    `${plan.tool} ${plan.version} for ${plan.platform.os}/${plan.platform.arch} was not found: ${misses.join('; ')}. ${fixHint(plan)}`
  )
}

async function verifyDownload(
  plan: ToolDownload,
  source: DownloadSource,
  file: string
): Promise<string> {
  if (looksLikeHtml(await readHead(file, 512))) {
    throw new ToolError(
      `${source.url} served an HTML page instead of the ${plan.tool} binary (a proxy, login or error page?). Check the URL in a browser, or point ${plan.tool}-download-url at a mirror that serves the release files`
    )
  }
  const actual = await sha256File(file)
  const expected =
    plan.pinnedSha256 ?? (await fetchSameOriginChecksum(plan, source))
  if (actual !== expected) {
    const against =
      plan.pinnedSha256 === undefined
        ? `the checksum file ${source.checksumUrl}`
        : `the action's pinned checksum for ${plan.tool} ${plan.version} ${plan.platform.os}/${plan.platform.arch}`
    throw new ToolError(
      `Checksum mismatch for ${source.url}: expected sha256 ${expected} (${against}), got ${actual}. The download was deleted and not run. If you use a mirror, make sure it serves the official release file`
    )
  }
  return actual
}

async function fetchSameOriginChecksum(
  plan: ToolDownload,
  source: DownloadSource
): Promise<string> {
  let file: string
  try {
    file = await tc.downloadTool(source.checksumUrl)
  } catch (error) {
    throw new ToolError(
      `Cannot verify ${plan.tool} ${plan.version}: its checksum file ${source.checksumUrl} could not be downloaded (${describe(error)}), and the action has no pinned checksum for this version and platform. Use a version whose release publishes checksum files, or a mirror that serves them`
    )
  }
  try {
    const parsed = parseChecksumFile(await readFile(file, 'utf8'))
    if ('error' in parsed) {
      throw new ToolError(
        `Cannot verify ${plan.tool} ${plan.version}: the checksum file ${source.checksumUrl} is not usable: ${parsed.error}`
      )
    }
    return parsed.sha256
  } finally {
    await rm(file, { force: true })
  }
}

async function readHead(file: string, bytes: number): Promise<string> {
  const handle = await open(file, 'r')
  try {
    const buffer = Buffer.alloc(bytes)
    const { bytesRead } = await handle.read(buffer, 0, bytes, 0)
    return buffer.subarray(0, bytesRead).toString('latin1')
  } finally {
    await handle.close()
  }
}

function httpStatus(error: unknown): number | undefined {
  return error instanceof tc.HTTPError ? error.httpStatusCode : undefined
}

function describe(error: unknown): string {
  const status = httpStatus(error)
  if (status !== undefined) return `HTTP ${status}`
  return error instanceof Error ? error.message : String(error)
}

function fixHint(plan: ToolDownload): string {
  return `Check ${plan.tool}-version (${plan.version}) and ${plan.tool}-download-url`
}

function elapsed(started: number): number {
  return Math.round((Date.now() - started) / 10) / 100
}
