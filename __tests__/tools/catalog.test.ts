import { describe, expect, it } from '@jest/globals'
import {
  DEFAULT_BASE_URLS,
  DEFAULT_VERSIONS,
  looksLikeHtml,
  parseChecksumFile,
  pinKey,
  planToolDownload,
  platformFromNode,
  platformFromRunner,
  skaffoldFallbackBase,
  type Platform
} from '../../src/tools/catalog.js'
import { PINNED_SHA256 } from '../../src/tools/pins.js'

describe('platformFromRunner', () => {
  it.each([
    ['Linux', 'X64', { os: 'linux', arch: 'amd64' }],
    ['Linux', 'ARM64', { os: 'linux', arch: 'arm64' }],
    ['macOS', 'X64', { os: 'darwin', arch: 'amd64' }],
    ['macOS', 'ARM64', { os: 'darwin', arch: 'arm64' }]
  ])('maps %s/%s', (runnerOs, runnerArch, expected) => {
    expect(platformFromRunner(runnerOs, runnerArch)).toEqual(expected)
  })

  it.each([
    ['Windows', 'X64', 'RUNNER_OS=Windows'],
    ['', 'X64', 'RUNNER_OS=<unset>'],
    ['Linux', 'X86', 'RUNNER_ARCH=X86'],
    ['Linux', 'ARM', 'RUNNER_ARCH=ARM']
  ])('refuses %s/%s', (runnerOs, runnerArch, named) => {
    expect(() => platformFromRunner(runnerOs, runnerArch)).toThrow(named)
  })
})

describe('platformFromNode', () => {
  it.each([
    ['linux', 'x64', { os: 'linux', arch: 'amd64' }],
    ['linux', 'arm64', { os: 'linux', arch: 'arm64' }],
    ['darwin', 'x64', { os: 'darwin', arch: 'amd64' }],
    ['darwin', 'arm64', { os: 'darwin', arch: 'arm64' }]
  ])('maps %s/%s', (platform, arch, expected) => {
    expect(platformFromNode(platform, arch)).toEqual(expected)
  })

  it.each([
    ['win32', 'x64'],
    ['linux', 'ia32'],
    ['freebsd', 'x64']
  ])('refuses %s/%s', (platform, arch) => {
    expect(() => platformFromNode(platform, arch)).toThrow(
      `${platform}/${arch}`
    )
  })
})

describe('planToolDownload', () => {
  const linux: Platform = { os: 'linux', arch: 'amd64' }
  const darwinArm: Platform = { os: 'darwin', arch: 'arm64' }

  it.each([
    [
      'kind',
      'v0.32.0',
      darwinArm,
      'https://github.com/kubernetes-sigs/kind/releases/download/v0.32.0/kind-darwin-arm64',
      '.sha256sum',
      'sha256sum'
    ],
    [
      'skaffold',
      'v2.24.0',
      linux,
      'https://storage.googleapis.com/skaffold/releases/v2.24.0/skaffold-linux-amd64',
      '.sha256',
      'sha256'
    ],
    [
      'kubectl',
      'v1.35.2',
      darwinArm,
      'https://dl.k8s.io/release/v1.35.2/bin/darwin/arm64/kubectl',
      '.sha256',
      'hash-only'
    ]
  ] as const)(
    '%s %s %o: default URL and checksum file',
    (tool, version, platform, url, suffix, format) => {
      const plan = planToolDownload({ tool, version, platform })
      expect(plan.sources).toEqual([
        { url, checksumUrl: `${url}${suffix}`, checksumFormat: format }
      ])
      expect(plan.binaryName).toBe(tool)
    }
  )

  it('adds the leading v and trims a trailing slash of the base', () => {
    const plan = planToolDownload({
      tool: 'kind',
      version: '0.31.0',
      platform: linux,
      baseUrl: 'https://mirror.example/kind/'
    })
    expect(plan.version).toBe('v0.31.0')
    expect(plan.sources[0].url).toBe(
      'https://mirror.example/kind/v0.31.0/kind-linux-amd64'
    )
  })

  it('lists the skaffold fallback base second', () => {
    const plan = planToolDownload({
      tool: 'skaffold',
      version: 'v2.24.0',
      platform: linux,
      fallbackBaseUrl: DEFAULT_BASE_URLS.skaffoldGithub
    })
    expect(plan.sources.map((s) => s.url)).toEqual([
      'https://storage.googleapis.com/skaffold/releases/v2.24.0/skaffold-linux-amd64',
      'https://github.com/GoogleContainerTools/skaffold/releases/download/v2.24.0/skaffold-linux-amd64'
    ])
    expect(plan.sources[1].checksumUrl).toBe(`${plan.sources[1].url}.sha256`)
  })

  it('ignores a fallback base for tools other than skaffold', () => {
    const plan = planToolDownload({
      tool: 'kind',
      version: 'v0.32.0',
      platform: linux,
      fallbackBaseUrl: 'https://elsewhere.example'
    })
    expect(plan.sources).toHaveLength(1)
  })

  it.each([
    ['kind', 'v0.32.0', { os: 'linux', arch: 'amd64' }, true],
    ['kind', 'v0.32.0', { os: 'darwin', arch: 'arm64' }, true],
    ['skaffold', 'v2.24.0', { os: 'linux', arch: 'arm64' }, false],
    ['skaffold', 'v2.24.0', { os: 'darwin', arch: 'amd64' }, false],
    ['kubectl', 'v1.35.2', { os: 'linux', arch: 'amd64' }, true],
    ['kubectl', 'v1.35.2', { os: 'darwin', arch: 'amd64' }, false],
    ['kind', 'v0.31.0', { os: 'linux', arch: 'amd64' }, false]
  ] as const)('%s %s %o pinned: %s', (tool, version, platform, pinned) => {
    const plan = planToolDownload({ tool, version, platform })
    expect(plan.pinnedSha256).toBe(
      pinned ? PINNED_SHA256[pinKey(tool, version, platform)] : undefined
    )
    expect(plan.pinnedSha256 === undefined).toBe(!pinned)
  })

  it('takes a pin table override', () => {
    const plan = planToolDownload({
      tool: 'kind',
      version: 'v0.1.0',
      platform: linux,
      pins: { 'kind@v0.1.0/linux-amd64': 'a'.repeat(64) }
    })
    expect(plan.pinnedSha256).toBe('a'.repeat(64))
    expect(plan.checksumMode).toBe('pinned')
  })

  it('needs both skaffold servers to agree for the default, unpinned skaffold', () => {
    const plan = planToolDownload({
      tool: 'skaffold',
      version: DEFAULT_VERSIONS.skaffold,
      platform: linux,
      fallbackBaseUrl: skaffoldFallbackBase(DEFAULT_BASE_URLS.skaffold)
    })
    expect(plan.pinnedSha256).toBeUndefined()
    expect(plan.checksumMode).toBe('two-origins')
    expect(plan.sources.map((s) => s.checksumUrl)).toEqual([
      `${DEFAULT_BASE_URLS.skaffold}/v2.24.0/skaffold-linux-amd64.sha256`,
      `${DEFAULT_BASE_URLS.skaffoldGithub}/v2.24.0/skaffold-linux-amd64.sha256`
    ])
  })

  it('takes a mirror of skaffold alone, with its own checksum file', () => {
    const base = 'https://mirror.example/skaffold'
    const plan = planToolDownload({
      tool: 'skaffold',
      version: 'v2.24.0',
      platform: linux,
      baseUrl: base,
      fallbackBaseUrl: skaffoldFallbackBase(base)
    })
    expect(plan.sources).toHaveLength(1)
    expect(plan.checksumMode).toBe('same-origin')
  })

  it.each([
    ['kind', 'kind-download-url'],
    ['skaffold', 'skaffold-download-url'],
    ['kubectl', 'kubectl-download-url']
  ] as const)(
    'refuses a plain http:// %s base for an unpinned version, naming %s',
    (tool, input) => {
      expect(() =>
        planToolDownload({
          tool,
          version: 'v9.9.9',
          platform: linux,
          baseUrl: 'http://mirror.example/tools'
        })
      ).toThrow(
        `${input} http://mirror.example/tools is plain http:// and the action has no pinned checksum for ${tool} v9.9.9`
      )
    }
  )

  it('refuses a plain http:// skaffold second base too', () => {
    expect(() =>
      planToolDownload({
        tool: 'skaffold',
        version: 'v9.9.9',
        platform: linux,
        baseUrl: 'https://mirror.example/a',
        fallbackBaseUrl: 'http://mirror.example/b'
      })
    ).toThrow('skaffold-download-url http://mirror.example/b is plain http://')
  })

  it('takes a plain http:// base when the version is pinned', () => {
    const plan = planToolDownload({
      tool: 'kind',
      version: 'v0.32.0',
      platform: linux,
      baseUrl: 'http://mirror.example/kind'
    })
    expect(plan.checksumMode).toBe('pinned')
    expect(plan.sources[0].url).toBe(
      'http://mirror.example/kind/v0.32.0/kind-linux-amd64'
    )
  })

  it.each([
    'http://127.0.0.1:8080/kind',
    'http://127.1.2.3/kind',
    'http://localhost:9/kind',
    'http://[::1]:9/kind'
  ])('takes a plain http:// loopback base (%s)', (baseUrl) => {
    const plan = planToolDownload({
      tool: 'kind',
      version: 'v9.9.9',
      platform: linux,
      baseUrl
    })
    expect(plan.checksumMode).toBe('same-origin')
  })

  it.each(['http://127.0.0.1.evil.example/kind', 'http://localhost.example/k'])(
    'does not take a host that only looks like loopback (%s)',
    (baseUrl) => {
      expect(() =>
        planToolDownload({
          tool: 'kind',
          version: 'v9.9.9',
          platform: linux,
          baseUrl
        })
      ).toThrow('is plain http://')
    }
  )
})

describe('the pin table', () => {
  it('holds only lowercase sha256 digests for the default versions', () => {
    for (const [key, digest] of Object.entries(PINNED_SHA256)) {
      expect(digest).toMatch(/^[0-9a-f]{64}$/)
      const tool = key.split('@')[0] as keyof typeof DEFAULT_VERSIONS
      expect(key).toMatch(
        new RegExp(
          `^${tool}@${DEFAULT_VERSIONS[tool].replace(/\./g, '\\.')}/(linux|darwin)-(amd64|arm64)$`
        )
      )
    }
  })

  it('pins the kind v0.32.0 linux-amd64 value several repositories verify', () => {
    expect(PINNED_SHA256['kind@v0.32.0/linux-amd64']).toBe(
      '50030de23cf40a18505f20426f6a8506bedf13c6e509244bd1fa9463721b0f54'
    )
  })
})

describe('skaffoldFallbackBase', () => {
  it.each([
    [DEFAULT_BASE_URLS.skaffold, DEFAULT_BASE_URLS.skaffoldGithub],
    [`${DEFAULT_BASE_URLS.skaffold}/`, DEFAULT_BASE_URLS.skaffoldGithub],
    ['https://mirror.example/skaffold', undefined]
  ])('%s -> %s', (base, fallback) => {
    expect(skaffoldFallbackBase(base)).toBe(fallback)
  })
})

describe('parseChecksumFile', () => {
  const hash = '0123456789abcdef'.repeat(4)
  it.each([
    ['kind .sha256sum', `${hash}  kind-linux-amd64\n`],
    ['skaffold .sha256', `${hash}  skaffold-linux-amd64\n`],
    [
      'old skaffold .sha256 with out/ prefix',
      `${hash}  out/skaffold-linux-amd64\n`
    ],
    ['kubectl .sha256 (bare hash, no newline)', hash],
    ['uppercase digest', `${hash.toUpperCase()}  kind`],
    ['BOM and CRLF', `\uFEFF${hash}  kind-linux-amd64\r\n`]
  ])('reads the first field of a %s', (_name, text) => {
    expect(parseChecksumFile(text)).toEqual({ sha256: hash })
  })

  it.each([
    ['empty', '', 'is not a sha256'],
    ['short digest', 'abc123  kind', '"abc123" is not a sha256'],
    [
      'HTML page',
      '<!DOCTYPE html><html><body>404</body></html>',
      'an HTML page'
    ],
    ['sha512', `${'a'.repeat(128)}  kind`, 'is not a sha256']
  ])('rejects %s', (_name, text, message) => {
    const result = parseChecksumFile(text)
    expect('error' in result && result.error).toContain(message)
  })
})

describe('looksLikeHtml', () => {
  it.each([
    ['<!DOCTYPE html>\n<html>', true],
    ['  \n<html lang="en">', true],
    ['<HTML><BODY>', true],
    ['<?xml version="1.0"?>\n<!DOCTYPE html>', true],
    ['\u007fELF\u0002\u0001\u0001', false],
    ['#!/bin/sh\necho <html>', false],
    ['\u00cf\u00fa\u00ed\u00fe', false]
  ])('%j -> %s', (head, expected) => {
    expect(looksLikeHtml(head)).toBe(expected)
  })
})
