/**
 * Where kind, skaffold and kubectl are downloaded from, how their checksum
 * files look, and which runner platform maps to which release asset. Pure.
 *
 * Layouts: kind per https://kind.sigs.k8s.io/docs/user/quick-start/ and
 * kubernetes-sigs/kind hack/release/build/cross.sh; skaffold per its
 * CHANGELOG.md download lines and Makefile `cross` target; kubectl per
 * https://kubernetes.io/releases/download/.
 */

import { UserFixableError } from '../errors.js'
import { PINNED_SHA256, type PinTable } from './pins.js'

/** The tools the action installs. */
export type ToolName = 'kind' | 'skaffold' | 'kubectl'

/** Operating systems, spelled as the three projects name their assets. */
export type ToolOs = 'linux' | 'darwin'

/** CPU architectures, spelled as the three projects name their assets. */
export type ToolArch = 'amd64' | 'arm64'

/** One release asset's platform. */
export interface Platform {
  os: ToolOs
  arch: ToolArch
}

/**
 * Checksum file formats: `sha256sum` is `<hash>  <file>` (kind's
 * `.sha256sum`), `sha256` the same written by `shasum -a 256` (skaffold's
 * `.sha256`), `hash-only` a bare digest (kubectl's `.sha256`). All three are
 * read the same way: the first field.
 */
export type ChecksumFormat = 'sha256sum' | 'sha256' | 'hash-only'

/** Default versions (the action.yml defaults; kubectl has no input default). */
export const DEFAULT_VERSIONS: Readonly<Record<ToolName, string>> = {
  kind: 'v0.32.0',
  skaffold: 'v2.24.0',
  // kind v0.32.0 defaults to a v1.36 node; kubectl supports one minor of skew.
  // v1.35.2 is the newest 1.35 whose linux binaries have two agreeing pins.
  kubectl: 'v1.35.2'
}

/** Default download bases (the action.yml defaults of the *-download-url inputs). */
export const DEFAULT_BASE_URLS = {
  kind: 'https://github.com/kubernetes-sigs/kind/releases/download',
  skaffold: 'https://storage.googleapis.com/skaffold/releases',
  // GitHub release assets of skaffold have gone missing for some releases
  // (GoogleContainerTools/skaffold#9811, #10085), and storage for others:
  // the one is the other's fallback.
  skaffoldGithub:
    'https://github.com/GoogleContainerTools/skaffold/releases/download',
  kubectl: 'https://dl.k8s.io/release'
} as const

/** A user-facing error about a tool, its platform or its download. */
export class ToolError extends UserFixableError {
  constructor(message: string) {
    super(message)
    this.name = 'ToolError'
  }
}

/**
 * Maps the runner's `RUNNER_OS` / `RUNNER_ARCH` (Linux|macOS, X64|ARM64) to
 * the projects' names.
 * @throws ToolError for Windows, 32-bit or unknown runners.
 */
export function platformFromRunner(
  runnerOs: string,
  runnerArch: string
): Platform {
  const os = ({ Linux: 'linux', macOS: 'darwin' } as const)[runnerOs as 'Linux']
  const arch = ({ X64: 'amd64', ARM64: 'arm64' } as const)[runnerArch as 'X64']
  if (os === undefined) {
    throw new ToolError(
      `This runner's OS (RUNNER_OS=${runnerOs || '<unset>'}) is not supported: kind and kaniko need Linux (or macOS with Docker); use a Linux runner`
    )
  }
  if (arch === undefined) {
    throw new ToolError(
      `This runner's architecture (RUNNER_ARCH=${runnerArch || '<unset>'}) is not supported: kind, skaffold and kubectl publish amd64 and arm64 binaries only`
    )
  }
  return { os, arch }
}

/**
 * Maps Node's `process.platform` / `process.arch` (linux|darwin, x64|arm64)
 * to the projects' names, for runs outside a runner.
 * @throws ToolError for anything else.
 */
export function platformFromNode(platform: string, arch: string): Platform {
  const os = ({ linux: 'linux', darwin: 'darwin' } as const)[
    platform as 'linux'
  ]
  const cpu = ({ x64: 'amd64', arm64: 'arm64' } as const)[arch as 'x64']
  if (os === undefined || cpu === undefined) {
    throw new ToolError(
      `This machine (${platform}/${arch}) is not supported: kind, skaffold and kubectl are installed for linux or darwin on x64 or arm64 only`
    )
  }
  return { os, arch: cpu }
}

/** One place a binary can come from, with its checksum file. */
export interface DownloadSource {
  url: string
  checksumUrl: string
  checksumFormat: ChecksumFormat
}

/**
 * What a download is checked against: the action's pin table; the checksum
 * files of both skaffold release servers, which must agree; or the checksum
 * file published beside the binary.
 */
export type ChecksumMode = 'pinned' | 'two-origins' | 'same-origin'

/** Everything needed to fetch and verify one tool binary. */
export interface ToolDownload {
  tool: ToolName
  /** Always with a leading "v", as all three projects tag releases. */
  version: string
  platform: Platform
  /** Tried in order; a later one only when an earlier one has no such file. */
  sources: DownloadSource[]
  /** The sha256 from the pin table, when this version/platform is pinned. */
  pinnedSha256?: string
  checksumMode: ChecksumMode
  /** The file name the binary gets in the tool cache. */
  binaryName: ToolName
}

/** What planToolDownload needs. */
export interface ToolDownloadRequest {
  tool: ToolName
  version: string
  platform: Platform
  /** Download base; the tool's default when omitted. */
  baseUrl?: string
  /**
   * skaffold only: the second release server. The binary comes from the
   * first base that has it; unpinned, both bases' checksum files must agree.
   */
  fallbackBaseUrl?: string
  /** The pin table; the shipped one when omitted (tests pass their own). */
  pins?: PinTable
}

/** The pin table key of a tool binary. */
export function pinKey(
  tool: ToolName,
  version: string,
  platform: Platform
): string {
  return `${tool}@${withV(version)}/${platform.os}-${platform.arch}`
}

/**
 * The second base for skaffold: GitHub releases, but only when the primary
 * base is the default storage URL. Both are Google's release servers, so an
 * unpinned skaffold is accepted only when their checksum files agree. A user
 * who set a mirror (GHES, an air-gapped runner) gets that mirror alone and
 * its own checksum file.
 */
export function skaffoldFallbackBase(baseUrl: string): string | undefined {
  return trimSlash(baseUrl) === DEFAULT_BASE_URLS.skaffold
    ? DEFAULT_BASE_URLS.skaffoldGithub
    : undefined
}

/** Builds the download plan (URLs, checksum files, pin) for one tool binary. */
export function planToolDownload(request: ToolDownloadRequest): ToolDownload {
  const version = withV(request.version)
  const { os, arch } = request.platform
  const base = trimSlash(request.baseUrl ?? DEFAULT_BASE_URLS[request.tool])
  const bases = [base]
  if (request.tool === 'skaffold' && request.fallbackBaseUrl !== undefined) {
    bases.push(trimSlash(request.fallbackBaseUrl))
  }
  const sources = bases.map((b): DownloadSource => {
    switch (request.tool) {
      case 'kind': {
        // https://kind.sigs.k8s.io/docs/user/quick-start/#installing-from-release-binaries
        const url = `${b}/${version}/kind-${os}-${arch}`
        return {
          url,
          checksumUrl: `${url}.sha256sum`,
          checksumFormat: 'sha256sum'
        }
      }
      case 'skaffold': {
        // skaffold Makefile `cross`: shasum -a 256 <file> | tee <file>.sha256
        const url = `${b}/${version}/skaffold-${os}-${arch}`
        return { url, checksumUrl: `${url}.sha256`, checksumFormat: 'sha256' }
      }
      case 'kubectl': {
        // https://kubernetes.io/docs/tasks/tools/install-kubectl-linux/
        const url = `${b}/${version}/bin/${os}/${arch}/kubectl`
        return {
          url,
          checksumUrl: `${url}.sha256`,
          checksumFormat: 'hash-only'
        }
      }
    }
  })
  const pinned = (request.pins ?? PINNED_SHA256)[
    pinKey(request.tool, version, request.platform)
  ]
  if (pinned === undefined) refuseInsecureBases(request.tool, version, bases)
  const checksumMode: ChecksumMode =
    pinned !== undefined
      ? 'pinned'
      : sources.length > 1
        ? 'two-origins'
        : 'same-origin'
  return {
    tool: request.tool,
    version,
    platform: request.platform,
    sources,
    ...(pinned === undefined ? {} : { pinnedSha256: pinned }),
    checksumMode,
    binaryName: request.tool
  }
}

/**
 * An unpinned binary is only as good as its checksum file, and over plain
 * http:// both can be swapped on the way. Loopback is exempt: nothing on the
 * network sits between a runner and its own 127.0.0.1.
 * @throws ToolError naming the <tool>-download-url input.
 */
function refuseInsecureBases(
  tool: ToolName,
  version: string,
  bases: string[]
): void {
  for (const base of bases) {
    if (isPlainHttp(base) && !isLoopback(base)) {
      throw new ToolError(
        `${tool}-download-url ${base} is plain http:// and the action has no pinned checksum for ${tool} ${version}: the binary and its checksum file could both be replaced in transit. Use an https:// mirror, or a version the action pins`
      )
    }
  }
}

function isPlainHttp(url: string): boolean {
  return /^http:\/\//i.test(url)
}

function isLoopback(url: string): boolean {
  let host: string
  try {
    host = new URL(url).hostname
  } catch {
    return false
  }
  return (
    host === 'localhost' ||
    host === '[::1]' ||
    /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host)
  )
}

const SHA256 = /^[0-9a-f]{64}$/

/**
 * Reads the digest from a checksum file: its first field, whatever follows
 * (old skaffold files named `out/skaffold-…`, skaffold issue #6217).
 */
export function parseChecksumFile(
  text: string
): { sha256: string } | { error: string } {
  const first =
    text
      .replace(/^\uFEFF/, '')
      .trim()
      .split(/\s+/)[0] ?? ''
  const sha256 = first.toLowerCase()
  if (SHA256.test(sha256)) return { sha256 }
  if (looksLikeHtml(text)) {
    return { error: 'an HTML page was served instead of a checksum file' }
  }
  const shown = first.length > 40 ? `${first.slice(0, 40)}…` : first
  return {
    error: `its first field ${JSON.stringify(shown)} is not a sha256 (64 hex digits)`
  }
}

/**
 * True when the start of a download is an HTML document: a proxy's login
 * page, a CDN error page or a release page served with status 200 instead of
 * the binary.
 */
export function looksLikeHtml(head: string): boolean {
  return /^\s*<(!doctype\s+html|html|head|body|\?xml[^>]*>\s*<!doctype\s+html)/i.test(
    head.replace(/^\uFEFF/, '')
  )
}

function withV(version: string): string {
  return /^\d/.test(version) ? `v${version}` : version
}

function trimSlash(url: string): string {
  return url.replace(/\/+$/, '')
}
