/**
 * The install adapter, run for real against the loopback download server with
 * temp RUNNER_TOOL_CACHE / RUNNER_TEMP (tool-cache reads them at call time).
 */
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import { existsSync } from 'node:fs'
import { chmod, mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import * as tc from '@actions/tool-cache'
import {
  ensureKubectl,
  findInToolCache,
  installTool,
  sha256File
} from '../../src/adapters/tools.js'
import type { Platform, ToolName } from '../../src/tools/catalog.js'
import {
  startDownloadServer,
  type DownloadServer,
  type ServedFile
} from '../../test-support/download-server/index.js'

// downloadTool retries network errors after 10-20 s; nothing here needs that.
const globals = globalThis as Record<string, unknown>
globals.TEST_DOWNLOAD_TOOL_RETRY_MIN_SECONDS = 0
globals.TEST_DOWNLOAD_TOOL_RETRY_MAX_SECONDS = 0

const LINUX_AMD64: Platform = { os: 'linux', arch: 'amd64' }

let work: string
let server: DownloadServer | undefined
const savedEnv = { ...process.env }

beforeEach(async () => {
  work = await mkdtemp(join(tmpdir(), 'tools-test-'))
  await mkdir(join(work, 'tool-cache'))
  await mkdir(join(work, 'temp'))
  process.env.RUNNER_TOOL_CACHE = join(work, 'tool-cache')
  process.env.RUNNER_TEMP = join(work, 'temp')
  delete process.env.GITHUB_PATH
})

afterEach(async () => {
  await server?.stop()
  server = undefined
  process.env = { ...savedEnv }
  await rm(work, { recursive: true, force: true })
})

/** A "binary" that leaves a marker file behind if anything ever runs it. */
function markerScript(name: string): { content: string; marker: string } {
  const marker = join(work, `${name}-was-executed`)
  return { content: `#!/bin/sh\ntouch '${marker}'\necho ${name}\n`, marker }
}

async function serve(files: ServedFile[], extra: { notFound?: string[] } = {}) {
  server = await startDownloadServer({ files, ...extra })
  return server
}

function baseFor(s: DownloadServer, tool: ToolName): string {
  return s.baseUrls[tool]
}

async function tempFiles(): Promise<string[]> {
  return readdir(join(work, 'temp'))
}

describe('installTool', () => {
  it('downloads on a cache miss; the hit that follows fetches only the checksum file', async () => {
    const { content } = markerScript('kind')
    const s = await serve([
      { tool: 'kind', version: 'v0.99.0', ...LINUX_AMD64, content }
    ])
    const request = {
      tool: 'kind' as const,
      version: 'v0.99.0',
      platform: LINUX_AMD64,
      baseUrl: s.baseUrls.kind
    }

    const first = await installTool(request)
    expect(first).toMatchObject({
      tool: 'kind',
      version: 'v0.99.0',
      fromCache: false,
      checksum: 'same-origin',
      sha256: s.sha256Of(content),
      url: `${s.baseUrls.kind}/v0.99.0/kind-linux-amd64`
    })
    expect(first.path).toBe(
      join(work, 'tool-cache', 'kind', '0.99.0', 'amd64', 'kind')
    )
    expect(process.env.PATH?.split(':')[0]).toBe(
      join(work, 'tool-cache', 'kind', '0.99.0', 'amd64')
    )
    expect(s.requests.map((r) => `${r.path} ${r.status}`)).toEqual([
      '/kind/v0.99.0/kind-linux-amd64 200',
      '/kind/v0.99.0/kind-linux-amd64.sha256sum 200'
    ])
    expect(await tempFiles()).toEqual([])

    const requestsBefore = s.requests.length
    const second = await installTool(request)
    expect(second).toMatchObject({
      fromCache: true,
      path: first.path,
      sha256: first.sha256,
      checksum: 'same-origin'
    })
    expect(
      s.requests.slice(requestsBefore).map((r) => `${r.path} ${r.status}`)
    ).toEqual(['/kind/v0.99.0/kind-linux-amd64.sha256sum 200'])
    expect(await tempFiles()).toEqual([])
  })

  it('checks an unpinned tool-cache hit against its checksum file again and replaces a changed binary', async () => {
    const { content, marker } = markerScript('kind')
    const s = await serve([
      { tool: 'kind', version: 'v0.97.0', ...LINUX_AMD64, content }
    ])
    const request = {
      tool: 'kind' as const,
      version: 'v0.97.0',
      platform: LINUX_AMD64,
      baseUrl: s.baseUrls.kind
    }
    const first = await installTool(request)
    expect(first.checksum).toBe('same-origin')
    // Something that ran on this runner before swaps the cached binary.
    await writeFile(first.path, `#!/bin/sh\ntouch '${marker}'\necho planted\n`)
    const second = await installTool(request)
    expect(second).toMatchObject({
      fromCache: false,
      path: first.path,
      sha256: s.sha256Of(content)
    })
    expect(await sha256File(second.path)).toBe(s.sha256Of(content))
    expect(
      s.requests.filter((r) => r.path === '/kind/v0.97.0/kind-linux-amd64')
    ).toHaveLength(2)
    expect(existsSync(marker)).toBe(false)
  })

  it('uses a pinned checksum without fetching the checksum file', async () => {
    const { content } = markerScript('skaffold')
    const s = await serve([
      { tool: 'skaffold', version: 'v2.50.0', ...LINUX_AMD64, content }
    ])
    const result = await installTool({
      tool: 'skaffold',
      version: 'v2.50.0',
      platform: LINUX_AMD64,
      baseUrl: s.baseUrls.skaffold,
      pins: { 'skaffold@v2.50.0/linux-amd64': s.sha256Of(content) }
    })
    expect(result.checksum).toBe('pinned')
    expect(s.requests.map((r) => r.path)).toEqual([
      '/skaffold/v2.50.0/skaffold-linux-amd64'
    ])
  })

  it('checks the default version against the shipped pin table', async () => {
    const { content, marker } = markerScript('kind')
    const s = await serve([
      { tool: 'kind', version: 'v0.32.0', ...LINUX_AMD64, content }
    ])
    const error = await installTool({
      tool: 'kind',
      version: 'v0.32.0',
      platform: LINUX_AMD64,
      baseUrl: s.baseUrls.kind
    }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(Error)
    const message = (error as Error).message
    expect(message).toContain(
      'expected sha256 50030de23cf40a18505f20426f6a8506bedf13c6e509244bd1fa9463721b0f54'
    )
    expect(message).toContain(`got ${s.sha256Of(content)}`)
    expect(message).toContain("the action's pinned checksum")
    // The served checksum file (which matches the fake binary) was never consulted.
    expect(s.requests.map((r) => r.path)).toEqual([
      '/kind/v0.32.0/kind-linux-amd64'
    ])
    expect(existsSync(marker)).toBe(false)
    expect(await tempFiles()).toEqual([])
    expect(tc.find('kind', 'v0.32.0', 'amd64')).toBe('')
  })

  it('fails on a checksum mismatch, deletes the download and runs nothing', async () => {
    const { content, marker } = markerScript('kind')
    const s = await serve([
      {
        tool: 'kind',
        version: 'v0.99.1',
        ...LINUX_AMD64,
        content,
        checksum: 'wrong'
      }
    ])
    const error = await installTool({
      tool: 'kind',
      version: 'v0.99.1',
      platform: LINUX_AMD64,
      baseUrl: s.baseUrls.kind
    }).catch((e: unknown) => e)
    const message = (error as Error).message
    expect(message).toContain(
      `Checksum mismatch for ${s.baseUrls.kind}/v0.99.1/kind-linux-amd64`
    )
    expect(message).toContain(`expected sha256 ${'f'.repeat(64)}`)
    expect(message).toContain(`got ${s.sha256Of(content)}`)
    expect(message).toContain(
      `the checksum file ${s.baseUrls.kind}/v0.99.1/kind-linux-amd64.sha256sum`
    )
    expect(existsSync(marker)).toBe(false)
    expect(await tempFiles()).toEqual([])
    expect(tc.find('kind', 'v0.99.1', 'amd64')).toBe('')
    expect(existsSync(join(work, 'tool-cache', 'kind'))).toBe(false)
  })

  it('names the URL and the status when the binary is missing (404)', async () => {
    const s = await serve([])
    await expect(
      installTool({
        tool: 'kubectl',
        version: 'v1.99.0',
        platform: LINUX_AMD64,
        baseUrl: s.baseUrls.kubectl
      })
    ).rejects.toThrow(
      `kubectl v1.99.0 for linux/amd64 was not found: ${s.baseUrls.kubectl}/v1.99.0/bin/linux/amd64/kubectl returned HTTP 404. Check kubectl-version (v1.99.0) and kubectl-download-url`
    )
    expect(await tempFiles()).toEqual([])
  })

  it('says so when an HTML page is served with status 200 instead of the binary', async () => {
    const s = await serve([
      {
        tool: 'kind',
        version: 'v0.99.2',
        ...LINUX_AMD64,
        content: 'ignored',
        html: true
      }
    ])
    await expect(
      installTool({
        tool: 'kind',
        version: 'v0.99.2',
        platform: LINUX_AMD64,
        baseUrl: s.baseUrls.kind
      })
    ).rejects.toThrow(
      `${s.baseUrls.kind}/v0.99.2/kind-linux-amd64 served an HTML page instead of the kind binary`
    )
    expect(await tempFiles()).toEqual([])
    expect(tc.find('kind', 'v0.99.2', 'amd64')).toBe('')
  })

  it('fails when the same-origin checksum file is missing', async () => {
    const { content } = markerScript('skaffold')
    const s = await serve([
      {
        tool: 'skaffold',
        version: 'v2.99.0',
        ...LINUX_AMD64,
        content,
        checksum: 'missing'
      }
    ])
    await expect(
      installTool({
        tool: 'skaffold',
        version: 'v2.99.0',
        platform: LINUX_AMD64,
        baseUrl: s.baseUrls.skaffold
      })
    ).rejects.toThrow(
      `its checksum file ${s.baseUrls.skaffold}/v2.99.0/skaffold-linux-amd64.sha256 could not be downloaded (HTTP 404)`
    )
    expect(await tempFiles()).toEqual([])
  })

  it('checks an unpinned skaffold against both servers, then takes the binary from the first that has it', async () => {
    const { content } = markerScript('skaffold')
    const s = await serve(
      [
        {
          tool: 'skaffold',
          version: 'v2.98.0',
          ...LINUX_AMD64,
          content,
          skaffoldBase: 'both'
        }
      ],
      { notFound: ['/skaffold/v2.98.0/skaffold-linux-amd64'] }
    )
    const result = await installTool({
      tool: 'skaffold',
      version: 'v2.98.0',
      platform: LINUX_AMD64,
      baseUrl: s.baseUrls.skaffold,
      fallbackBaseUrl: s.baseUrls.skaffoldGithub
    })
    expect(result.url).toBe(
      `${s.baseUrls.skaffoldGithub}/v2.98.0/skaffold-linux-amd64`
    )
    expect(result.checksum).toBe('two-origins')
    expect(result.sha256).toBe(s.sha256Of(content))
    expect(s.requests.map((r) => `${r.path} ${r.status}`)).toEqual([
      '/skaffold/v2.98.0/skaffold-linux-amd64.sha256 200',
      '/skaffold-github/v2.98.0/skaffold-linux-amd64.sha256 200',
      '/skaffold/v2.98.0/skaffold-linux-amd64 404',
      '/skaffold-github/v2.98.0/skaffold-linux-amd64 200'
    ])
  })

  it('refuses an unpinned skaffold whose two servers disagree on its checksum, before downloading it', async () => {
    const { content, marker } = markerScript('skaffold')
    const s = await serve([
      {
        tool: 'skaffold',
        version: 'v2.96.0',
        ...LINUX_AMD64,
        content,
        skaffoldBase: 'both',
        githubChecksum: 'wrong'
      }
    ])
    const error = await installTool({
      tool: 'skaffold',
      version: 'v2.96.0',
      platform: LINUX_AMD64,
      baseUrl: s.baseUrls.skaffold,
      fallbackBaseUrl: s.baseUrls.skaffoldGithub
    }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(Error)
    expect((error as Error).message).toContain(
      `Refusing skaffold v2.96.0: its release servers disagree on its checksum: ${s.baseUrls.skaffold}/v2.96.0/skaffold-linux-amd64.sha256 says ${s.sha256Of(content)}, ${s.baseUrls.skaffoldGithub}/v2.96.0/skaffold-linux-amd64.sha256 says ${'f'.repeat(64)}`
    )
    expect(s.requests.map((r) => r.path)).toEqual([
      '/skaffold/v2.96.0/skaffold-linux-amd64.sha256',
      '/skaffold-github/v2.96.0/skaffold-linux-amd64.sha256'
    ])
    expect(existsSync(marker)).toBe(false)
    expect(await tempFiles()).toEqual([])
    expect(tc.find('skaffold', 'v2.96.0', 'amd64')).toBe('')
  })

  it.each([
    ['GitHub', { githubChecksum: 'missing' as const }, 'skaffold-github'],
    [
      'storage',
      { checksum: 'missing' as const, githubChecksum: 'ok' as const },
      'skaffold'
    ]
  ])(
    'refuses an unpinned skaffold when the %s checksum file is missing',
    async (_label, switches, missingBase) => {
      const { content } = markerScript('skaffold')
      const s = await serve([
        {
          tool: 'skaffold',
          version: 'v2.95.0',
          ...LINUX_AMD64,
          content,
          skaffoldBase: 'both',
          ...switches
        }
      ])
      const origin = s.baseUrls.kind.replace(/\/kind$/, '')
      await expect(
        installTool({
          tool: 'skaffold',
          version: 'v2.95.0',
          platform: LINUX_AMD64,
          baseUrl: s.baseUrls.skaffold,
          fallbackBaseUrl: s.baseUrls.skaffoldGithub
        })
      ).rejects.toThrow(
        `its checksum file ${origin}/${missingBase}/v2.95.0/skaffold-linux-amd64.sha256 could not be downloaded (HTTP 404); the action has no pinned checksum for skaffold v2.95.0 linux/amd64, so the checksum files of both release servers must agree`
      )
      expect(
        s.requests.filter((r) => r.path.endsWith('skaffold-linux-amd64'))
      ).toEqual([])
      expect(tc.find('skaffold', 'v2.95.0', 'amd64')).toBe('')
    }
  )

  it('refuses a plain http:// base for an unpinned version without a request', async () => {
    const s = await serve([])
    await expect(
      installTool({
        tool: 'kubectl',
        version: 'v1.99.1',
        platform: LINUX_AMD64,
        baseUrl: 'http://mirror.example/kubectl'
      })
    ).rejects.toThrow(
      'kubectl-download-url http://mirror.example/kubectl is plain http:// and the action has no pinned checksum for kubectl v1.99.1'
    )
    expect(s.requests).toEqual([])
    expect(await tempFiles()).toEqual([])
  })

  it('reports both bases when neither has a pinned skaffold', async () => {
    const s = await serve([])
    await expect(
      installTool({
        tool: 'skaffold',
        version: 'v2.97.0',
        platform: LINUX_AMD64,
        baseUrl: s.baseUrls.skaffold,
        fallbackBaseUrl: s.baseUrls.skaffoldGithub,
        pins: { 'skaffold@v2.97.0/linux-amd64': 'a'.repeat(64) }
      })
    ).rejects.toThrow(
      `${s.baseUrls.skaffold}/v2.97.0/skaffold-linux-amd64 returned HTTP 404; ${s.baseUrls.skaffoldGithub}/v2.97.0/skaffold-linux-amd64 returned HTTP 404`
    )
  })

  it('downloads again when a cached binary no longer matches its pin', async () => {
    const { content } = markerScript('kind')
    const s = await serve([
      { tool: 'kind', version: 'v0.98.0', ...LINUX_AMD64, content }
    ])
    const request = {
      tool: 'kind' as const,
      version: 'v0.98.0',
      platform: LINUX_AMD64,
      baseUrl: s.baseUrls.kind,
      pins: { 'kind@v0.98.0/linux-amd64': s.sha256Of(content) }
    }
    const first = await installTool(request)
    await chmod(first.path, 0o755)
    await writeFile(first.path, '#!/bin/sh\necho tampered\n')
    const second = await installTool(request)
    expect(second.fromCache).toBe(false)
    expect(await sha256File(second.path)).toBe(s.sha256Of(content))
    expect(
      s.requests.filter((r) => r.path.endsWith('kind-linux-amd64'))
    ).toHaveLength(2)
  })

  const platforms: Platform[] = [
    { os: 'linux', arch: 'amd64' },
    { os: 'linux', arch: 'arm64' },
    { os: 'darwin', arch: 'amd64' },
    { os: 'darwin', arch: 'arm64' }
  ]
  const tools: ToolName[] = ['kind', 'skaffold', 'kubectl']
  const cases = tools.flatMap((tool) =>
    platforms.map((platform) => ({ tool, platform }))
  )

  it.each(cases)(
    'fetches $tool for $platform.os/$platform.arch from its release layout',
    async ({ tool, platform }) => {
      const content = `${tool} for ${platform.os}-${platform.arch}\n`
      const s = await serve([{ tool, version: 'v9.8.7', ...platform, content }])
      const result = await installTool({
        tool,
        version: 'v9.8.7',
        platform,
        baseUrl: baseFor(s, tool)
      })
      const origin = s.baseUrls.kind.replace(/\/kind$/, '')
      expect(result.url).toBe(
        `${origin}${s.pathOf({ tool, version: 'v9.8.7', ...platform })}`
      )
      expect(result.sha256).toBe(s.sha256Of(content))
      expect(result.path).toBe(
        join(work, 'tool-cache', tool, '9.8.7', platform.arch, tool)
      )
    }
  )
})

describe('ensureKubectl', () => {
  it('leaves a kubectl found on PATH alone when no version is asked', async () => {
    const bin = join(work, 'bin')
    await mkdir(bin)
    await writeFile(join(bin, 'kubectl'), '#!/bin/sh\n')
    await chmod(join(bin, 'kubectl'), 0o755)
    process.env.PATH = bin
    const s = await serve([])
    const result = await ensureKubectl({
      version: '',
      platform: LINUX_AMD64,
      baseUrl: s.baseUrls.kubectl
    })
    expect(result).toEqual({ tool: 'kubectl', onPath: join(bin, 'kubectl') })
    expect(s.requests).toEqual([])
  })

  it('installs the default version when kubectl is not on PATH', async () => {
    process.env.PATH = join(work, 'empty-bin')
    // darwin: the default kubectl is pinned for linux only, so the served
    // stand-in passes through its same-origin checksum file.
    const platform: Platform = { os: 'darwin', arch: 'arm64' }
    const s = await serve([
      { tool: 'kubectl', version: 'v1.35.2', ...platform, content: 'kubectl\n' }
    ])
    const result = await ensureKubectl({
      version: '',
      platform,
      baseUrl: s.baseUrls.kubectl
    })
    expect(result).toMatchObject({
      tool: 'kubectl',
      version: 'v1.35.2',
      checksum: 'same-origin',
      fromCache: false
    })
  })

  it('installs an asked-for version even when kubectl is on PATH', async () => {
    const bin = join(work, 'bin')
    await mkdir(bin)
    await writeFile(join(bin, 'kubectl'), '#!/bin/sh\n')
    await chmod(join(bin, 'kubectl'), 0o755)
    process.env.PATH = bin
    const s = await serve([
      { tool: 'kubectl', version: 'v1.99.9', ...LINUX_AMD64, content: 'k\n' }
    ])
    const result = await ensureKubectl({
      version: 'v1.99.9',
      platform: LINUX_AMD64,
      baseUrl: s.baseUrls.kubectl
    })
    expect(result).toMatchObject({ version: 'v1.99.9', fromCache: false })
  })
})

describe('findInToolCache answers as tc.find does', () => {
  it.each([
    ['kind', 'v0.32.0', 'x64'],
    ['kind', '0.32.0', 'x64'],
    ['kind', 'v0.32.0', 'arm64'],
    ['kind', 'v0.31.0', 'x64'],
    ['skaffold', 'v2.24.0', 'x64'],
    ['kind', '0.32', 'x64'],
    ['kind', '0.x', 'x64']
  ])('%s %s %s', async (tool, version, arch) => {
    const source = join(work, 'kind')
    await writeFile(source, 'binary')
    // What the install writes: tc.cacheFile's layout and .complete marker.
    await tc.cacheFile(source, 'kind', 'kind', 'v0.32.0', 'x64')
    // An unfinished copy (no .complete marker) is not a hit.
    await mkdir(join(work, 'tool-cache', 'skaffold', '2.24.0', 'x64'), {
      recursive: true
    })
    expect(await findInToolCache(tool, version, arch)).toBe(
      tc.find(tool, version, arch)
    )
  })

  it('finds the copy tc.cacheFile made', async () => {
    const source = join(work, 'kind')
    await writeFile(source, 'binary')
    await tc.cacheFile(source, 'kind', 'kind', 'v0.32.0', 'x64')
    expect(await findInToolCache('kind', 'v0.32.0', 'x64')).toBe(
      join(work, 'tool-cache', 'kind', '0.32.0', 'x64')
    )
  })
})
