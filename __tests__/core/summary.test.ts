import { describe, expect, it } from '@jest/globals'
import { initialState, type MainState } from '../../src/state.js'
import {
  escapeHtml,
  formatBytes,
  renderMainSummary,
  renderPostSummary,
  speedUpLine
} from '../../src/summary.js'

function warmState(): MainState {
  const state = initialState('feed-agg', true)
  state.mainSucceeded = true
  state.lastColdSeconds = 149
  state.build = {
    succeeded: true,
    seconds: 24.8,
    startedAt: 0,
    images: [
      {
        imageName: 'feed-agg',
        tag: 'kind-registry:5000/feed-agg:abc@sha256:12'
      }
    ]
  }
  state.timings = { tools: 1.2, restore: 3.4, build: 24.8 }
  state.cache = {
    paths: { mod: '~/m', build: '~/b' },
    runnerDirs: { mod: '/h/m', build: '/h/b' },
    saveDirs: { mod: '/h/m/cache/download', build: '/h/b' },
    keys: {
      mod: { primary: 'p-gomod-Linux-X64-aa', restoreKeys: [] },
      build: { primary: 'p-gobuild-b', restoreKeys: [] }
    },
    save: { enabled: true, reason: 'saving on the default branch main' },
    trim: true,
    restored: {
      mod: {
        result: 'exact',
        matchedKey: 'p-gomod-Linux-X64-aa',
        bytes: 10 * 1024 * 1024,
        seconds: 1
      },
      build: {
        result: 'partial',
        matchedKey: 'p-gobuild-<old>',
        bytes: 0,
        seconds: 0.1
      }
    }
  }
  return state
}

describe('job summary sections', () => {
  it('says how each tool was checked, naming both skaffold servers when they had to agree', () => {
    const state = warmState()
    state.tools = [
      { tool: 'kind', version: 'v0.32.0', fromCache: true, checksum: 'pinned' },
      {
        tool: 'skaffold',
        version: 'v2.24.0',
        fromCache: false,
        checksum: 'two-origins'
      }
    ]
    const html = renderMainSummary(state)
    expect(html).toContain(
      'kind v0.32.0 (tool cache, sha256 checked against a pinned value)'
    )
    expect(html).toContain(
      'skaffold v2.24.0 (downloaded, sha256 checked against the checksum files of both release servers, which agree)'
    )
  })

  it('titles the section by service and states the speed-up against the last cold build', () => {
    const html = renderMainSummary(warmState())
    expect(html).toContain('<h2>skaffold-kaniko-cache: feed-agg</h2>')
    expect(html).toContain('Built 1 image in 24.8 s')
    expect(html).toContain('6.0× faster than the last cold build (149.0 s)')
    expect(html).toContain('<tr><td>build</td><td>24.8 s</td></tr>')
    expect(html).toContain('exact hit <code>p-gomod-Linux-X64-aa</code>')
    expect(html).toContain('restored 10.0 MiB (10.0 MiB/s)')
  })

  it('lists each Dockerfile copy and the lines it adds', () => {
    const state = warmState()
    state.dockerfileCopies = [
      {
        original: 'app/Dockerfile',
        copy: 'app/.skaffold-kaniko-cache.Dockerfile',
        images: ['app'],
        added: ['after line 1: ARG GOMODCACHE, ARG GOCACHE, ARG <x>']
      }
    ]
    const html = renderMainSummary(state)
    expect(html).toContain(
      '<tr><td><code>app/Dockerfile</code></td><td><code>app/.skaffold-kaniko-cache.Dockerfile</code></td><td>after line 1: ARG GOMODCACHE, ARG GOCACHE, ARG &lt;x&gt;</td></tr>'
    )
    expect(renderMainSummary(warmState())).not.toContain('Built from the copy')
  })

  it("lists the hints about kaniko's own cost apart from the warnings", () => {
    const state = warmState()
    state.advice = [
      'svc/Dockerfile:1: stage "build" builds Go on golang:1.22 <Debian> & more'
    ]
    const html = renderMainSummary(state)
    expect(html).toContain(
      "<h3>kaniko's own cost</h3><ul><li>svc/Dockerfile:1: stage &quot;build&quot; builds Go on golang:1.22 &lt;Debian&gt; &amp; more</li></ul>"
    )
    expect(html).not.toContain('<h3>Warnings</h3>')
    expect(renderMainSummary(warmState())).not.toContain("kaniko's own cost")
  })

  it('escapes every interpolated string', () => {
    const state = warmState()
    state.service = '<script>alert(1)</script>'
    state.warnings.push('ARG "GOCACHE" & <co>')
    const html = renderMainSummary(state)
    expect(html).not.toContain('<script>')
    expect(html).toContain('&lt;script&gt;')
    expect(html).toContain('p-gobuild-&lt;old&gt;')
    expect(html).toContain('<li>ARG &quot;GOCACHE&quot; &amp; &lt;co&gt;</li>')
  })

  it('reports trim and save results per cache', () => {
    const html = renderPostSummary(warmState(), {
      timings: { save: 2 },
      warnings: ['cache service answered 429'],
      trim: {
        build: {
          bytesBefore: 4 * 1024 ** 2,
          bytesAfter: 1024 ** 2,
          removed: 7
        },
        mod: { bytesBefore: 3 * 1024 ** 2, bytesAfter: 2 * 1024 ** 2 }
      },
      save: {
        mod: {
          outcome: 'skipped',
          bytes: 0,
          seconds: 0,
          reason: 'exact hit on the module key'
        },
        build: { outcome: 'saved', bytes: 2 * 1024 ** 2, seconds: 0.5 }
      }
    })
    expect(html).toContain('4.0 MiB → 1.0 MiB after trim (7 entries dropped)')
    expect(html).toContain('<td>3.0 MiB → 2.0 MiB after trim</td>')
    expect(html).toContain('not saved: exact hit on the module key')
    expect(html).toContain('saved 2.0 MiB (4.0 MiB/s)')
    expect(html).toContain('<li>cache service answered 429</li>')
    expect(html).toContain('<tr><td>save</td><td>2.0 s</td></tr>')
    expect(html).toContain('Save policy: saving on the default branch main.')
  })

  it('says when the build did not run, and when caches live on a PVC', () => {
    const state = initialState('api', true)
    state.pvcClaim = 'go-caches'
    const html = renderMainSummary(state)
    expect(html).toContain('skaffold build did not run')
    expect(html).toContain(
      'ReadWriteMany claim <code>go-caches</code>; the Actions cache is not used'
    )
  })

  it('reports a failed build without a speed-up', () => {
    const state = warmState()
    state.build = { succeeded: false, seconds: 3, startedAt: 0, images: [] }
    const html = renderMainSummary(state)
    expect(html).toContain('Build failed after 3.0 s')
    expect(html).not.toContain('faster')
  })
})

describe('helpers', () => {
  it.each<[number, string]>([
    [0, '0 B'],
    [1023, '1023 B'],
    [1536, '1.5 KiB'],
    [5 * 1024 ** 3, '5.0 GiB']
  ])('formats %d bytes', (bytes, text) => {
    expect(formatBytes(bytes)).toBe(text)
  })

  it.each<[number, number | undefined, string]>([
    [25, 149, '6.0× faster than the last cold build (149.0 s)'],
    [25, undefined, ''],
    [25, 25.5, ''],
    [0, 149, '']
  ])('speed-up of %d s against %p', (seconds, cold, text) => {
    expect(speedUpLine(seconds, cold)).toBe(text)
  })

  it('escapes quotes and ampersands', () => {
    expect(escapeHtml(`a&b<c>"d'`)).toBe('a&amp;b&lt;c&gt;&quot;d&#39;')
  })
})
