/**
 * The docs' job summary screenshot: the page built from the real renderers
 * holds the tables and escapes user text, and, where Debian's chromium is
 * installed, its screenshot shows those tables legibly.
 */
import { describe, expect, it } from '@jest/globals'
import { existsSync, readFileSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  CHROMIUM_PATH,
  renderFixtureFragments,
  runCli,
  screenshotSummaryPage
} from '../../scripts/screenshot-summary.js'
import {
  addHeightProbe,
  chromiumDumpDomArgs,
  chromiumScreenshotArgs,
  readHeightProbe,
  renderSummaryPage,
  SUMMARY_PAGE_COLORS,
  SUMMARY_PAGE_WIDTH
} from '../../scripts/summary-page.js'
import {
  findGrids,
  measureInk,
  parseHexColor
} from '../../test-support/summary-page/image-checks.js'
import {
  decodePng,
  encodePng,
  type PngImage
} from '../../test-support/summary-page/png.js'
import {
  WARM_BUILD_MATCHED_KEY,
  WARM_MOD_KEY,
  WARM_WARNING
} from '../../test-support/summary-page/warm-run.js'

const CHROMIUM_MISSING = !existsSync(CHROMIUM_PATH)
if (CHROMIUM_MISSING) {
  console.log(
    `summary-render: skipping the screenshot tests: ${CHROMIUM_PATH} is missing (apt-get install -y chromium)`
  )
}
const describeWithChromium = CHROMIUM_MISSING ? describe.skip : describe

// The only elements src/summary.ts writes; anything else in the body would
// be user text that escaped as markup.
const SUMMARY_TAGS = new Set([
  'h2',
  'h3',
  'p',
  'strong',
  'table',
  'tr',
  'th',
  'td',
  'code',
  'br',
  'ul',
  'li'
])

function decodeEntities(text: string): string {
  return text
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
}

function textOf(html: string): string {
  return decodeEntities(html.replace(/<br>/g, ' ').replace(/<[^>]*>/g, ''))
}

function bodyOf(page: string): string {
  const start = page.indexOf('<div class="markdown-body">')
  const end = page.lastIndexOf('</div>')
  expect(start).toBeGreaterThan(0)
  expect(end).toBeGreaterThan(start)
  return page.slice(start + '<div class="markdown-body">'.length, end)
}

/** Every `<` opens or closes a summary element, and they nest properly. */
function checkMarkup(body: string): string[] {
  const problems: string[] = []
  const open: string[] = []
  const tag = /<(\/?)([^\s>/]*)[^>]*>|</g
  for (const match of body.matchAll(tag)) {
    const [whole, closing, name] = match
    if (!whole.endsWith('>') || !SUMMARY_TAGS.has(name)) {
      problems.push(`unexpected markup at ${match.index}: ${whole}`)
      continue
    }
    if (name === 'br') continue
    if (!closing) open.push(name)
    else if (open.pop() !== name) problems.push(`unbalanced </${name}>`)
  }
  if (open.length > 0) problems.push(`unclosed ${open.join(', ')}`)
  return problems
}

interface Table {
  raw: string
  rows: string[][]
}

function tablesOf(body: string): Table[] {
  return [...body.matchAll(/<table>(.*?)<\/table>/g)].map(([raw, inner]) => ({
    raw,
    rows: [...inner.matchAll(/<tr>(.*?)<\/tr>/g)].map(([, row]) =>
      [...row.matchAll(/<t[hd]>(.*?)<\/t[hd]>/g)].map(([, cell]) =>
        textOf(cell)
      )
    )
  }))
}

const page = renderSummaryPage(renderFixtureFragments(), {
  job: 'build (api)'
})

describe('the summary page (structure)', () => {
  const body = bodyOf(page)

  it('is a page with the card title and the summary inside', () => {
    expect(page.startsWith('<!doctype html>')).toBe(true)
    expect(page).toContain('<header>build (api) summary</header>')
    expect(body).toContain('<h2>skaffold-kaniko-cache: api</h2>')
    expect(body).toContain('<h3>Caches after the build: api</h3>')
  })

  it('holds only the elements the summary writes, properly nested', () => {
    expect(checkMarkup(body)).toEqual([])
  })

  it('has the five tables with their headers and cells', () => {
    const tables = tablesOf(body)
    expect(tables.map((t) => t.rows[0])).toEqual([
      ['Phase', 'Time'],
      ['Cache', 'Restore', 'Restored'],
      ['Image', 'Tag'],
      ['Cache', 'Size', 'Save'],
      ['Phase', 'Time']
    ])
    expect(tables[0].rows.slice(1)).toEqual([
      ['tools', '3.2 s'],
      ['restore', '10.6 s'],
      ['cluster', '21.8 s'],
      ['patch', '0.1 s'],
      ['build', '24.6 s']
    ])
    expect(tables[1].rows.slice(1)).toEqual([
      [
        'Go modules',
        `exact hit ${WARM_MOD_KEY}`,
        'restored 179.0 MiB (61.7 MiB/s)'
      ],
      [
        'Go build',
        `partial hit ${WARM_BUILD_MATCHED_KEY}`,
        'restored 584.0 MiB (78.9 MiB/s)'
      ]
    ])
    expect(tables[2].rows.slice(1).map((row) => row[0])).toEqual([
      'localhost:5001/api',
      'localhost:5001/api-migrate'
    ])
    expect(tables[3].rows.slice(1).map((row) => row[2])).toEqual([
      'not saved: the module cache was restored from its exact key; nothing new to save',
      'saved 571.0 MiB (58.3 MiB/s)'
    ])
    expect(tables[4].rows.slice(1).map((row) => row[0])).toEqual([
      'ownership',
      'trim',
      'save',
      'cleanup'
    ])
  })

  it('escapes the cache key and the warning (user text)', () => {
    expect(WARM_BUILD_MATCHED_KEY).toMatch(/[<&>]/)
    expect(body).not.toContain(WARM_BUILD_MATCHED_KEY)
    expect(body).toContain(
      '<code>skaffold-kaniko-cache-gobuild-Linux-X64-(api)-&lt;pr&amp;7&gt;-12345678-1</code>'
    )
    expect(body).not.toContain(WARM_WARNING)
    expect(textOf(body)).toContain(WARM_WARNING)
    expect(body).toMatch(
      /<h3>Warnings<\/h3><ul><li>[^<]*&#39;[^<]*<\/li><\/ul>/
    )
  })

  it('states the build time and the speed-up', () => {
    expect(textOf(body)).toContain(
      'Built 2 images in 24.6 s: 6.1× faster than the last cold build (148.9 s)'
    )
  })

  it.each([
    ['a <b> & "c"', '<header>a &lt;b&gt; &amp; &quot;c&quot; summary</header>'],
    ['build', '<title>build summary</title>']
  ])('escapes the job name %j', (job, expected) => {
    expect(renderSummaryPage(['<p>x</p>\n'], { job })).toContain(expected)
  })

  it('keeps the fragments in step order', () => {
    const joined = renderSummaryPage(['<p>main</p>\n', '<p>post</p>\n'], {
      job: 'j'
    })
    expect(joined).toMatch(/<p>main<\/p>\n<p>post<\/p>\n<\/div>/)
  })
})

describe('height probe and Chromium command lines', () => {
  it('puts the probe script before </body>, and reads the height back', () => {
    const probed = addHeightProbe(page)
    expect(probed.indexOf('<script>')).toBeGreaterThan(
      probed.indexOf('</section>')
    )
    expect(probed.indexOf('<script>')).toBeLessThan(probed.indexOf('</body>'))
  })

  it.each([
    ['<title>summary-page-height:1386</title>', 1386],
    ['<title>summary-page-height:0</title>', undefined],
    ['<title>build summary</title>', undefined],
    ['', undefined]
  ])('reads the height from %j', (dom, height) => {
    expect(readHeightProbe(dom)).toBe(height)
  })

  const runSpec = {
    userDataDir: '/tmp/profile-x',
    url: 'file:///tmp/p.html',
    width: 1000,
    height: 1386
  }

  it.each([
    ['dump-dom', chromiumDumpDomArgs(runSpec), '--dump-dom'],
    [
      'screenshot',
      chromiumScreenshotArgs(runSpec, '/tmp/s.png'),
      '--screenshot=/tmp/s.png'
    ]
  ])(
    '%s: offline, sandbox-free flags, window size, URL last',
    (_, args, mode) => {
      for (const flag of [
        '--headless',
        '--no-sandbox',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--disable-quic',
        '--user-data-dir=/tmp/profile-x',
        '--window-size=1000,1386',
        mode
      ]) {
        expect(args).toContain(flag)
      }
      expect(args[args.length - 1]).toBe('file:///tmp/p.html')
    }
  )
})

function syntheticImage(
  channels: 3 | 4,
  width: number,
  height: number
): PngImage {
  const pixels = new Uint8Array(width * height * channels)
  // Varied values so every filter's predictor matters.
  for (let i = 0; i < pixels.length; i++)
    pixels[i] = (i * 37 + (i >> 5) * 11) & 0xff
  return { width, height, channels, pixels }
}

describe('the PNG reader', () => {
  it.each([3, 4] as const)(
    'reads back %d-channel images written with filter types 0 to 4',
    (channels) => {
      const image = syntheticImage(channels, 17, 11)
      for (const filters of [[0], [1], [2], [3], [4], [0, 1, 2, 3, 4]]) {
        const decoded = decodePng(encodePng(image, filters))
        expect(decoded.width).toBe(17)
        expect(decoded.height).toBe(11)
        expect(decoded.channels).toBe(channels)
        expect(
          Buffer.from(decoded.pixels).equals(Buffer.from(image.pixels))
        ).toBe(true)
      }
    }
  )

  it('rejects what is not a PNG', () => {
    expect(() => decodePng(Buffer.from('GIF89a....'))).toThrow(/signature/)
  })
})

describe('the image checks', () => {
  const border = parseHexColor(SUMMARY_PAGE_COLORS.border)

  function canvas(width: number, height: number): PngImage {
    return {
      width,
      height,
      channels: 3,
      pixels: new Uint8Array(width * height * 3).fill(255)
    }
  }

  function paint(
    image: PngImage,
    x: number,
    y: number,
    rgb: readonly number[]
  ) {
    image.pixels.set(rgb, (y * image.width + x) * 3)
  }

  it('finds a drawn table as one grid with a line per row edge', () => {
    const image = canvas(200, 150)
    const ys = [10, 46, 82, 118]
    for (const y of ys)
      for (let x = 20; x <= 180; x++) paint(image, x, y, border)
    for (const x of [20, 100, 180]) {
      for (let y = 10; y <= 118; y++) paint(image, x, y, border)
    }
    expect(findGrids(image, border)).toEqual([
      { left: 20, right: 180, lines: ys }
    ])
  })

  it('finds no grid in lines that are not joined by side borders', () => {
    const image = canvas(200, 150)
    for (const y of [10, 46])
      for (let x = 20; x <= 180; x++) paint(image, x, y, border)
    expect(findGrids(image, border)).toEqual([])
  })

  it('sees no ink on a blank page', () => {
    const ink = measureInk(canvas(50, 50))
    expect(ink.darkPixels).toBe(0)
    expect(ink.textLines).toBe(0)
    expect(ink.contrast).toBe(1)
  })
})

describe('without Chromium', () => {
  it('refuses with the package to install, before writing anything', async () => {
    const work = await mkdtemp(join(tmpdir(), 'summary-render-'))
    try {
      await expect(
        screenshotSummaryPage({
          page,
          pngPath: join(work, 'out.png'),
          htmlPath: join(work, 'out.html'),
          chromium: join(work, 'no-chromium')
        })
      ).rejects.toThrow(
        `${join(work, 'no-chromium')} not found: install Debian's chromium (apt-get install -y chromium)`
      )
      expect(existsSync(join(work, 'out.html'))).toBe(false)
      expect(existsSync(join(work, 'out.png'))).toBe(false)
    } finally {
      await rm(work, { recursive: true, force: true })
    }
  })

  it.each([
    [
      [
        '--fixture',
        '--out',
        '/tmp/x.png',
        '--chromium',
        '/nonexistent/chromium'
      ],
      1
    ],
    [['--fixture'], 2],
    [['--out', '/tmp/x.png'], 2],
    [['--fixture', '--input', 'a.html', '--out', '/tmp/x.png'], 2],
    [['--input'], 2],
    [['--colour', 'red'], 2]
  ])('the command line %j exits %d', async (args, code) => {
    expect(await runCli(args)).toBe(code)
  })
})

describeWithChromium('the screenshot (headless Chromium)', () => {
  it('is as wide as the window, legible, and shows the five tables', async () => {
    const work = await mkdtemp(join(tmpdir(), 'summary-render-'))
    try {
      const pngPath = join(work, 'summary.png')
      const result = await screenshotSummaryPage({
        page,
        pngPath,
        htmlPath: join(work, 'summary.html')
      })
      const image = decodePng(readFileSync(pngPath))
      expect(image.width).toBe(SUMMARY_PAGE_WIDTH)
      expect(image.height).toBe(result.height)
      // The content is taller than one screen: the window was sized to it.
      expect(image.height).toBeGreaterThan(1000)

      const ink = measureInk(image)
      expect(ink.background).toEqual(parseHexColor(SUMMARY_PAGE_COLORS.canvas))
      expect(ink.lightShare).toBeGreaterThan(0.8)
      expect(ink.darkPixels).toBeGreaterThan(5000)
      // Anti-aliased glyphs, not a few solid blocks.
      expect(ink.darkColors).toBeGreaterThan(20)
      expect(ink.textLines).toBeGreaterThanOrEqual(25)
      // WCAG AAA contrast for body text.
      expect(ink.contrast).toBeGreaterThanOrEqual(7)

      // One grid per table, with a horizontal border line per row edge.
      const grids = findGrids(image, parseHexColor(SUMMARY_PAGE_COLORS.border))
      const tables = tablesOf(bodyOf(page))
      expect(grids.map((g) => g.lines.length)).toEqual(
        tables.map((t) => t.rows.length + 1)
      )
      for (const grid of grids) {
        const gaps = grid.lines.slice(1).map((y, i) => y - grid.lines[i])
        // A row holds at least one 16px line of text and its padding.
        expect(Math.min(...gaps)).toBeGreaterThanOrEqual(30)
        expect(grid.right - grid.left).toBeGreaterThan(100)
      }
    } finally {
      await rm(work, { recursive: true, force: true })
    }
  })
})
