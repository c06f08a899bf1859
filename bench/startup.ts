/**
 * How long each bundle takes to its first log line, against a bare
 * `node -e` that prints one line, measured in the same run, interleaved,
 * several rounds, medians (ratios, not absolute times: this machine is
 * noisy). The bundles run outside a job (no RUNNER_TEMP, no state), so each
 * prints its first line as soon as what it loads at start is loaded: main an
 * error naming RUNNER_TEMP from its input check (src/start.ts), which in a
 * job prints the step's first line before the rest of main is imported;
 * post "Nothing to do", after loading all it loads at start in a job too.
 *
 * The previous behaviour (the bundles committed at `--previous`) is timed in
 * the same rounds.
 *
 *   npx tsx bench/startup.ts [--rounds 15] [--previous dae8aff | none]
 *
 * Target (issue "Warm runs", item 3): each bundle <= 2x bare node.
 */
import { spawn } from 'node:child_process'
import { mkdir, mkdtemp, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { REPO_ROOT } from '../test-support/runner-harness/index.js'
import { exportBundle } from './fixtures/previous-bundle.js'

const { values } = parseArgs({
  options: {
    rounds: { type: 'string', default: '15' },
    previous: { type: 'string', default: 'dae8aff' }
  }
})
const ROUNDS = Number(values.rounds)
const PREVIOUS = values.previous === 'none' ? undefined : values.previous
const TARGET = 2

/** Milliseconds from spawn to the first byte on stdout. */
function firstLineMs(args: string[], cwd: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint()
    const child = spawn(process.execPath, args, {
      cwd,
      // Outside a job: no GITHUB_* or RUNNER_* variables, no NODE_OPTIONS.
      env: { PATH: process.env.PATH ?? '', HOME: cwd },
      stdio: ['ignore', 'pipe', 'ignore']
    })
    let first: number | undefined
    child.stdout.once('data', () => {
      first = Number(process.hrtime.bigint() - started) / 1e6
    })
    child.stdout.resume()
    child.on('error', reject)
    child.on('close', () =>
      first === undefined
        ? reject(new Error(`no output from node ${args.join(' ')}`))
        : resolve(first)
    )
  })
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
}

const previousDir = PREVIOUS ? await exportBundle(PREVIOUS) : undefined
const bundle = (dir: string, step: string): string[] => [
  join(dir, 'dist', step, 'index.js')
]
const subjects: Record<string, string[]> = {
  bare: ['-e', "process.stdout.write('ready\\n')"],
  main: bundle(REPO_ROOT, 'main'),
  post: bundle(REPO_ROOT, 'post'),
  ...(previousDir
    ? {
        'previous main': bundle(previousDir, 'main'),
        'previous post': bundle(previousDir, 'post')
      }
    : {})
}
for (const [name, args] of Object.entries(subjects)) {
  if (name !== 'bare' && !(await stat(args[0]).catch(() => null))) {
    process.stdout.write(
      `startup: ${args[0]} is missing: run npm run bundle first; skipped\n`
    )
    process.exit(0)
  }
}
const cwd = await mkdtemp(join(tmpdir(), 'skc-startup-'))
const times: Record<string, number[]> = {}
for (const name of Object.keys(subjects)) times[name] = []
try {
  // One warm-up round: the first start reads the files from disk.
  for (const args of Object.values(subjects)) await firstLineMs(args, cwd)
  for (let round = 0; round < ROUNDS; round++) {
    for (const [name, args] of Object.entries(subjects)) {
      times[name].push(await firstLineMs(args, cwd))
    }
  }
} finally {
  await rm(cwd, { recursive: true, force: true })
  if (previousDir) await rm(previousDir, { recursive: true, force: true })
}
const bare = median(times.bare)
const figures: Record<string, { ms: number; ratio: number }> = {}
for (const name of Object.keys(subjects)) {
  if (name === 'bare') continue
  figures[name] = { ms: median(times[name]), ratio: median(times[name]) / bare }
}
const result = {
  benchmark: 'startup',
  rounds: ROUNDS,
  previous: PREVIOUS,
  bare_ms: bare,
  bundles: figures,
  target_ratio: TARGET,
  meets_target: figures.main.ratio <= TARGET && figures.post.ratio <= TARGET,
  machine: `${process.platform}/${process.arch}, node ${process.version}`,
  at: new Date().toISOString()
}
const dir = join(REPO_ROOT, 'bench', 'results')
await mkdir(dir, { recursive: true })
await writeFile(
  join(dir, 'startup.json'),
  `${JSON.stringify(result, null, 2)}\n`
)
const line = (name: string): string =>
  `  ${name}: ${figures[name].ms.toFixed(0)} ms = ${figures[name].ratio.toFixed(2)}x bare node${name.startsWith('previous') ? '' : ` (target <= ${TARGET}x) ${figures[name].ratio <= TARGET ? 'MET' : 'NOT MET'}`}`
process.stdout.write(
  [
    `startup (${ROUNDS} rounds, medians, time to the first log line):`,
    `  bare node -e: ${bare.toFixed(0)} ms`,
    ...Object.keys(figures).map(line),
    `  written to bench/results/startup.json`
  ].join('\n') + '\n'
)
