/**
 * Renders the action's job summary as GitHub shows it and screenshots it in
 * headless Chromium, for the docs.
 *
 *   npx tsx scripts/screenshot-summary.ts --input main.html [--input post.html]
 *       --out docs/job-summary.png [--html-out docs/job-summary.html]
 *       [--job "build (api)"] [--chromium /usr/bin/chromium]
 *   npx tsx scripts/screenshot-summary.ts --fixture --out docs/job-summary.png
 *
 * Each --input is one step's summary (what the action appended to
 * $GITHUB_STEP_SUMMARY), in step order; --fixture uses the warm run in
 * test-support/summary-page/warm-run.ts instead. Needs Debian's chromium
 * (apt-get install -y chromium).
 */
import { execFile } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { promisify } from 'node:util'
import * as prettier from 'prettier'
import { renderMainSummary, renderPostSummary } from '../src/summary.js'
import {
  warmRunPostReport,
  warmRunState
} from '../test-support/summary-page/warm-run.js'
import {
  addHeightProbe,
  chromiumDumpDomArgs,
  chromiumScreenshotArgs,
  readHeightProbe,
  renderSummaryPage,
  SUMMARY_PAGE_WIDTH
} from './summary-page.js'

const run = promisify(execFile)

/** Where Debian's chromium package installs the browser. */
export const CHROMIUM_PATH = '/usr/bin/chromium'

/** What to screenshot and where to write it. */
export interface ScreenshotRequest {
  /** The complete page (see renderSummaryPage). */
  page: string
  pngPath: string
  /** Where the page is written; a temporary file when absent. */
  htmlPath?: string
  chromium?: string
}

/** The size of the written screenshot. */
export interface ScreenshotResult {
  width: number
  height: number
  htmlPath: string
}

async function runChromium(chromium: string, args: string[]): Promise<string> {
  try {
    // Chromium logs D-Bus noise on stderr on a box without a session bus;
    // it is shown only when the run fails.
    const { stdout } = await run(chromium, args, {
      maxBuffer: 64 * 1024 * 1024,
      timeout: 120_000
    })
    return stdout
  } catch (error) {
    const failure = error as { code?: unknown; stderr?: string }
    const tail = (failure.stderr ?? '').trim().split('\n').slice(-5).join('\n')
    throw new Error(
      `${chromium} failed (exit ${String(failure.code)})${tail ? `:\n${tail}` : ''}`,
      { cause: error }
    )
  }
}

/**
 * Writes the page, measures its height with a first Chromium run
 * (--dump-dom of a copy that writes the height into its title), then
 * screenshots it in a window exactly that tall, each run with a fresh
 * profile.
 */
export async function screenshotSummaryPage(
  request: ScreenshotRequest
): Promise<ScreenshotResult> {
  const chromium = request.chromium ?? CHROMIUM_PATH
  if (!existsSync(chromium)) {
    throw new Error(
      `${chromium} not found: install Debian's chromium (apt-get install -y chromium)`
    )
  }
  const work = await mkdtemp(join(tmpdir(), 'summary-page-'))
  try {
    const htmlPath = resolve(request.htmlPath ?? join(work, 'summary.html'))
    const pngPath = resolve(request.pngPath)
    await mkdir(dirname(htmlPath), { recursive: true })
    await mkdir(dirname(pngPath), { recursive: true })
    await writeFile(htmlPath, request.page)
    const probePath = join(work, 'probe.html')
    await writeFile(probePath, addHeightProbe(request.page))

    const width = SUMMARY_PAGE_WIDTH
    const dom = await runChromium(
      chromium,
      chromiumDumpDomArgs({
        userDataDir: await mkdtemp(join(work, 'profile-')),
        url: pathToFileURL(probePath).href,
        width,
        height: 800
      })
    )
    const height = readHeightProbe(dom)
    if (height === undefined) {
      throw new Error(
        `${chromium} --dump-dom did not report the page height (no height in the title)`
      )
    }
    await rm(pngPath, { force: true })
    await runChromium(
      chromium,
      chromiumScreenshotArgs(
        {
          userDataDir: await mkdtemp(join(work, 'profile-')),
          url: pathToFileURL(htmlPath).href,
          width,
          height
        },
        pngPath
      )
    )
    if (!existsSync(pngPath)) {
      throw new Error(`${chromium} exited 0 but wrote no ${pngPath}`)
    }
    return {
      width,
      height,
      htmlPath: request.htmlPath ? htmlPath : ''
    }
  } finally {
    await rm(work, { recursive: true, force: true })
  }
}

/** The fixture's two fragments: main's and post's summary of a warm run. */
export function renderFixtureFragments(): string[] {
  const state = warmRunState()
  return [
    renderMainSummary(state),
    renderPostSummary(state, warmRunPostReport())
  ]
}

// The written page is committed under docs/: formatted as `npm run
// format:check` expects (prettier keeps inline whitespace, so it renders
// the same).
async function formatPage(
  page: string,
  htmlPath: string | undefined
): Promise<string> {
  if (!htmlPath) return page
  const options = (await prettier.resolveConfig(resolve(htmlPath))) ?? {}
  return prettier.format(page, { ...options, filepath: resolve(htmlPath) })
}

interface CliOptions {
  inputs: string[]
  fixture: boolean
  out?: string
  htmlOut?: string
  job: string
  chromium?: string
}

const USAGE =
  'usage: screenshot-summary (--input <summary.html>... | --fixture) --out <png> [--html-out <html>] [--job <name>] [--chromium <path>]'

function parseArgs(args: string[]): CliOptions | string {
  const options: CliOptions = { inputs: [], fixture: false, job: 'build' }
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]
    if (arg === '--fixture') {
      options.fixture = true
      continue
    }
    const value = args[i + 1]
    if (
      !['--input', '--out', '--html-out', '--job', '--chromium'].includes(arg)
    ) {
      return `unknown argument ${arg}`
    }
    if (value === undefined || value.startsWith('--')) {
      return `${arg} needs a value`
    }
    i++
    if (arg === '--input') options.inputs.push(value)
    if (arg === '--out') options.out = value
    if (arg === '--html-out') options.htmlOut = value
    if (arg === '--job') options.job = value
    if (arg === '--chromium') options.chromium = value
  }
  if (!options.out) return '--out is required'
  if (options.fixture === options.inputs.length > 0) {
    return 'give either --input (one or more) or --fixture'
  }
  return options
}

/** Runs the command line; returns the exit code. */
export async function runCli(args: string[]): Promise<number> {
  const options = parseArgs(args)
  if (typeof options === 'string') {
    process.stderr.write(`screenshot-summary: ${options}\n${USAGE}\n`)
    return 2
  }
  try {
    const fragments = options.fixture
      ? renderFixtureFragments()
      : await Promise.all(
          options.inputs.map(async (input) => {
            try {
              return await readFile(input, 'utf8')
            } catch (error) {
              throw new Error(
                `--input ${input}: cannot read it (${(error as Error).message})`,
                { cause: error }
              )
            }
          })
        )
    const result = await screenshotSummaryPage({
      page: await formatPage(
        renderSummaryPage(fragments, { job: options.job }),
        options.htmlOut
      ),
      pngPath: options.out ?? '',
      htmlPath: options.htmlOut,
      chromium: options.chromium
    })
    process.stdout.write(
      `wrote ${options.out} (${result.width}x${result.height})${result.htmlPath ? ` and ${options.htmlOut}` : ''}\n`
    )
    return 0
  } catch (error) {
    process.stderr.write(`screenshot-summary: ${(error as Error).message}\n`)
    return 1
  }
}

if (
  process.argv[1] !== undefined &&
  import.meta.url === pathToFileURL(process.argv[1]).href
) {
  process.exitCode = await runCli(process.argv.slice(2))
}
