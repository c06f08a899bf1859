/**
 * Installs kind, skaffold and kubectl through @actions/tool-cache:
 * find (a hit is hashed again and downloads no binary) -> download -> sha256
 * against the pin, both skaffold servers' checksum files, or the same-origin
 * checksum file -> chmod 0755 -> cacheFile -> addPath.
 * A binary whose checksum does not match is deleted and never run.
 */

import * as core from './workflow-commands.js'
import * as io from '@actions/io'
import { createHash } from 'node:crypto'
import { createReadStream, existsSync } from 'node:fs'
import { chmod, open, readFile, rm } from 'node:fs/promises'
import path from 'node:path'
import { pipeline } from 'node:stream/promises'
import {
  DEFAULT_VERSIONS,
  looksLikeHtml,
  parseChecksumFile,
  planToolDownload,
  ToolError,
  type ChecksumMode,
  type DownloadSource,
  type Platform,
  type ToolDownload,
  type ToolDownloadRequest,
  type ToolName
} from '../tools/catalog.js'
import type { PinTable } from '../tools/pins.js'
import { elapsed } from './exec.js'

/** What installTool needs: the same facts that plan the download. */
export type InstallRequest = ToolDownloadRequest

/** How an installed binary was verified. */
export type ChecksumSource = ChecksumMode

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
  const cached = await fromToolCache(plan, started)
  if ('result' in cached) return cached.result
  let expected = cached.expected

  // Both servers' checksums are settled before any binary is fetched.
  if (plan.checksumMode === 'two-origins') {
    expected ??= await expectedSha256(plan, plan.sources[0])
  }
  const { file, source } = await downloadBinary(plan)
  let sha256: string
  let dir: string
  try {
    const against =
      expected !== undefined &&
      (plan.checksumMode !== 'same-origin' || source === plan.sources[0])
        ? expected
        : undefined
    sha256 = await verifyDownload(plan, source, file, against)
    await chmod(file, 0o755)
    dir = await (
      await toolCache()
    ).cacheFile(
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
    checksum: plan.checksumMode,
    sha256,
    url: source.url,
    seconds: elapsed(started)
  }
}

/**
 * A tool-cache hit, checked again, pinned or not: the tool cache is writable
 * by anything that ran on a self-hosted runner before us. A binary that no
 * longer matches is removed, with a warning, and the expected digest kept.
 */
async function fromToolCache(
  plan: ToolDownload,
  started: number
): Promise<{ result: InstallResult } | { expected?: Expected }> {
  const cachedDir = await findInToolCache(
    plan.tool,
    plan.version,
    plan.platform.arch
  )
  if (cachedDir === '') return {}
  const binary = path.join(cachedDir, plan.binaryName)
  const sha256 = await sha256File(binary)
  const expected = await expectedSha256(plan, plan.sources[0])
  if (expected.sha256 === sha256) {
    core.addPath(cachedDir)
    return {
      result: {
        tool: plan.tool,
        version: plan.version,
        path: binary,
        fromCache: true,
        checksum: plan.checksumMode,
        sha256,
        seconds: elapsed(started)
      }
    }
  }
  core.warning(
    `The tool cache's ${plan.tool} ${plan.version} (${binary}) has sha256 ${sha256}, not ${expected.sha256} (${expected.against}); downloading it again`
  )
  await io.rmRF(cachedDir)
  await io.rmRF(`${cachedDir}.complete`)
  return { expected }
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
      return {
        file: await (await toolCache()).downloadTool(source.url),
        source
      }
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
  file: string,
  known: Expected | undefined
): Promise<string> {
  if (looksLikeHtml(await readHead(file, 512))) {
    throw new ToolError(
      `${source.url} served an HTML page instead of the ${plan.tool} binary (a proxy, login or error page?). Check the URL in a browser, or point ${plan.tool}-download-url at a mirror that serves the release files`
    )
  }
  const actual = await sha256File(file)
  const expected = known ?? (await expectedSha256(plan, source))
  if (actual !== expected.sha256) {
    throw new ToolError(
      `Checksum mismatch for ${source.url}: expected sha256 ${expected.sha256} (${expected.against}), got ${actual}. The download was deleted and not run. If you use a mirror, make sure it serves the official release file`
    )
  }
  return actual
}

/** A digest a binary must have, and where it came from (for messages). */
interface Expected {
  sha256: string
  against: string
}

/**
 * The digest a binary must have: the pin; or, for skaffold from its default
 * servers, the checksum files of both, which must agree; or the checksum file
 * beside the binary at `source`.
 * @throws ToolError when a checksum file is missing or unusable, or the two
 * servers disagree.
 */
async function expectedSha256(
  plan: ToolDownload,
  source: DownloadSource
): Promise<Expected> {
  if (plan.pinnedSha256 !== undefined) {
    return {
      sha256: plan.pinnedSha256,
      against: `the action's pinned checksum for ${plan.tool} ${plan.version} ${plan.platform.os}/${plan.platform.arch}`
    }
  }
  if (plan.checksumMode === 'same-origin') {
    return {
      sha256: await fetchChecksum(
        plan,
        source,
        ', and the action has no pinned checksum for this version and platform. Use a version whose release publishes checksum files, or a mirror that serves them'
      ),
      against: `the checksum file ${source.checksumUrl}`
    }
  }
  const why = `; the action has no pinned checksum for ${plan.tool} ${plan.version} ${plan.platform.os}/${plan.platform.arch}, so the checksum files of both release servers must agree. Use a version both servers publish, or set ${plan.tool}-download-url to the one server you trust`
  const digests: string[] = []
  for (const s of plan.sources) digests.push(await fetchChecksum(plan, s, why))
  const [first, ...rest] = digests
  const other = rest.findIndex((d) => d !== first)
  if (other >= 0) {
    throw new ToolError(
      `Refusing ${plan.tool} ${plan.version}: its release servers disagree on its checksum: ${plan.sources[0].checksumUrl} says ${first}, ${plan.sources[other + 1].checksumUrl} says ${rest[other]}. Nothing was run${why}`
    )
  }
  return {
    sha256: first,
    against: `the checksum files ${plan.sources.map((s) => s.checksumUrl).join(' and ')}, which agree`
  }
}

async function fetchChecksum(
  plan: ToolDownload,
  source: DownloadSource,
  why: string
): Promise<string> {
  let file: string
  try {
    file = await (await toolCache()).downloadTool(source.checksumUrl)
  } catch (error) {
    throw new ToolError(
      `Cannot verify ${plan.tool} ${plan.version}: its checksum file ${source.checksumUrl} could not be downloaded (${describe(error)})${why}`
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
  return loadedToolCache !== undefined &&
    error instanceof loadedToolCache.HTTPError
    ? error.httpStatusCode
    : undefined
}

type ToolCache = typeof import('@actions/tool-cache')
let loadedToolCache: ToolCache | undefined

/**
 * @actions/tool-cache, loaded on first use: it loads @actions/core and its
 * HTTP stack, which a warm run (every tool already in the tool cache) does
 * not need.
 */
async function toolCache(): Promise<ToolCache> {
  loadedToolCache ??= await import('@actions/tool-cache')
  return loadedToolCache
}

/**
 * tc.find without loading @actions/tool-cache, for an exact x.y.z version:
 * the layout tc.cacheFile writes, RUNNER_TOOL_CACHE/<tool>/<x.y.z>/<arch>
 * with a `<dir>.complete` marker beside it (actions/toolkit
 * packages/tool-cache/src/tool-cache.ts, find and _createToolPath). Any
 * other version form, or no RUNNER_TOOL_CACHE, is tc.find's to answer.
 */
export async function findInToolCache(
  tool: string,
  version: string,
  arch: string
): Promise<string> {
  const exact = /^v?(\d+\.\d+\.\d+)$/.exec(version)
  const root = process.env.RUNNER_TOOL_CACHE
  if (exact === null || !root) {
    return (await toolCache()).find(tool, version, arch)
  }
  const dir = path.join(root, tool, exact[1], arch)
  return existsSync(dir) && existsSync(`${dir}.complete`) ? dir : ''
}

function describe(error: unknown): string {
  const status = httpStatus(error)
  if (status !== undefined) return `HTTP ${status}`
  return error instanceof Error ? error.message : String(error)
}

function fixHint(plan: ToolDownload): string {
  return `Check ${plan.tool}-version (${plan.version}) and ${plan.tool}-download-url`
}
