/**
 * The job summary as a stand-alone page, styled like GitHub's job summary
 * (a white card titled "<job> summary" holding GitHub's markdown-body look,
 * light theme), so a headless browser can screenshot it for the docs. Also
 * the Chromium command lines that measure and screenshot that page. Pure:
 * strings in, strings out.
 */

/**
 * The colours of the page, close to GitHub's light theme. Exported so the
 * screenshot test looks for the table borders the page draws.
 */
export const SUMMARY_PAGE_COLORS = {
  text: '#1f2328',
  muted: '#59636e',
  canvas: '#ffffff',
  page: '#f6f8fa',
  border: '#d1d9e0',
  stripe: '#f6f8fa',
  codeBackground: '#eff1f3'
} as const

/** Width of the browser window the page is laid out and screenshotted in. */
export const SUMMARY_PAGE_WIDTH = 1000

/** What the page says around the summary fragments. */
export interface SummaryPageOptions {
  /** The job's name, shown as "<job> summary" like GitHub's card title. */
  job: string
  /** The document title. */
  title?: string
}

// GitHub's markdown-body font stacks: system UI fonts first, then the
// Helvetica/Arial family every Linux box maps to a metric-compatible font.
const SANS =
  '-apple-system, BlinkMacSystemFont, "Segoe UI", "Noto Sans", Helvetica, Arial, sans-serif, "Apple Color Emoji", "Segoe UI Emoji"'
const MONO =
  'ui-monospace, SFMono-Regular, "SF Mono", Menlo, Consolas, "Liberation Mono", monospace'

function styleSheet(): string {
  const c = SUMMARY_PAGE_COLORS
  return `
html { background: ${c.page}; }
body { margin: 0; padding: 16px; font-family: ${SANS}; color: ${c.text}; }
.summary-card { background: ${c.canvas}; border: 1px solid ${c.border}; border-radius: 6px; }
.summary-card > header { padding: 12px 16px; border-bottom: 1px solid ${c.border}; font-size: 14px; font-weight: 600; line-height: 20px; }
.markdown-body { padding: 16px 32px 8px; font-size: 16px; line-height: 1.5; word-wrap: break-word; }
.markdown-body > :first-child { margin-top: 0 !important; }
.markdown-body h2, .markdown-body h3 { margin-top: 24px; margin-bottom: 16px; font-weight: 600; line-height: 1.25; }
.markdown-body h2 { font-size: 1.5em; padding-bottom: 0.3em; border-bottom: 1px solid ${c.border}; }
.markdown-body h3 { font-size: 1.25em; }
.markdown-body p, .markdown-body ul, .markdown-body table { margin-top: 0; margin-bottom: 16px; }
.markdown-body ul { padding-left: 2em; }
.markdown-body li + li { margin-top: 0.25em; }
.markdown-body strong { font-weight: 600; }
.markdown-body code { font-family: ${MONO}; font-size: 85%; padding: 0.2em 0.4em; margin: 0; border-radius: 6px; background: ${c.codeBackground}; white-space: break-spaces; }
.markdown-body table { display: block; width: max-content; max-width: 100%; overflow: auto; border-spacing: 0; border-collapse: collapse; }
.markdown-body th, .markdown-body td { padding: 6px 13px; border: 1px solid ${c.border}; }
.markdown-body th { font-weight: 600; text-align: left; }
.markdown-body tr { background: ${c.canvas}; }
.markdown-body tr:nth-child(2n) { background: ${c.stripe}; }
`.trimStart()
}

function escapeText(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
}

/**
 * Wraps job summary fragments (the HTML the action appends, in step order)
 * in a complete page. The fragments are inserted as they are: they are the
 * action's own output, escaped by src/summary.ts, exactly what GitHub
 * renders.
 */
export function renderSummaryPage(
  fragments: string[],
  options: SummaryPageOptions
): string {
  const title = options.title ?? `${options.job} summary`
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<meta name="viewport" content="width=${SUMMARY_PAGE_WIDTH}">`,
    `<title>${escapeText(title)}</title>`,
    `<style>\n${styleSheet()}</style>`,
    '</head>',
    '<body>',
    '<section class="summary-card">',
    `<header>${escapeText(options.job)} summary</header>`,
    '<div class="markdown-body">',
    ...fragments.map((fragment) => fragment.trimEnd()),
    '</div>',
    '</section>',
    '</body>',
    '</html>',
    ''
  ].join('\n')
}

const PROBE_PREFIX = 'summary-page-height:'

/**
 * Adds a script that writes the laid-out document height into the title,
 * so `chromium --dump-dom` reports how tall the screenshot window must be.
 */
export function addHeightProbe(page: string): string {
  const script = `<script>document.title = ${JSON.stringify(PROBE_PREFIX)} + Math.ceil(document.documentElement.getBoundingClientRect().height)</script>`
  const at = page.lastIndexOf('</body>')
  if (at < 0) return `${page}${script}`
  return `${page.slice(0, at)}${script}\n${page.slice(at)}`
}

/** The height the probe wrote into the dumped DOM's title, or undefined. */
export function readHeightProbe(dom: string): number | undefined {
  const match = new RegExp(`<title>${PROBE_PREFIX}(\\d+)</title>`).exec(dom)
  if (!match) return undefined
  const height = Number(match[1])
  return height > 0 ? height : undefined
}

/** Where a Chromium run reads its page and keeps its profile. */
export interface ChromiumRun {
  /** A fresh, empty directory: no state leaks between runs. */
  userDataDir: string
  /** The page, as a file:// URL. */
  url: string
  width: number
  height: number
}

// Headless with no sandbox (we run as root in CI) and without the
// background services that reach for the network on start (the CI box has
// none, and Chromium retries them in a loop).
function commonArgs(run: ChromiumRun): string[] {
  return [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    `--user-data-dir=${run.userDataDir}`,
    '--hide-scrollbars',
    `--window-size=${run.width},${run.height}`
  ]
}

/** Chromium's arguments to print the page's DOM after its scripts ran. */
export function chromiumDumpDomArgs(run: ChromiumRun): string[] {
  return [...commonArgs(run), '--dump-dom', run.url]
}

/** Chromium's arguments to screenshot the page's window into a PNG. */
export function chromiumScreenshotArgs(
  run: ChromiumRun,
  pngPath: string
): string[] {
  return [...commonArgs(run), `--screenshot=${pngPath}`, run.url]
}
