/**
 * How long each bundle takes to its first log line, against a bare
 * `node -e` that prints one line, measured in the same run, interleaved,
 * several rounds, medians (ratios, not absolute times: this machine is
 * noisy). The bundles run outside a job (no RUNNER_TEMP, no state), so each
 * prints its first line as soon as its modules are loaded: main an error
 * naming RUNNER_TEMP, post "Nothing to do".
 *
 *   npx tsx bench/startup.ts [--rounds 15] [--action-dir <dir with dist/>]
 *
 * Target (issue "Warm runs", item 3): each bundle <= 2x bare node.
 */
import { spawn } from 'node:child_process'
import { mkdir, mkdtemp, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { REPO_ROOT } from '../test-support/runner-harness/index.js'

const { values } = parseArgs({
  options: {
    rounds: { type: 'string', default: '15' },
    'action-dir': { type: 'string', default: REPO_ROOT }
  }
})
const ROUNDS = Number(values.rounds)
const ACTION_DIR = values['action-dir'] ?? REPO_ROOT
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

const subjects = {
  bare: ['-e', "process.stdout.write('ready\\n')"],
  main: [join(ACTION_DIR, 'dist', 'main', 'index.js')],
  post: [join(ACTION_DIR, 'dist', 'post', 'index.js')]
}
for (const bundle of [subjects.main[0], subjects.post[0]]) {
  if (!(await stat(bundle).catch(() => null))) {
    process.stdout.write(
      `startup: ${bundle} is missing: run npm run bundle first; skipped\n`
    )
    process.exit(0)
  }
}
const cwd = await mkdtemp(join(tmpdir(), 'skc-startup-'))
const times: Record<keyof typeof subjects, number[]> = {
  bare: [],
  main: [],
  post: []
}
try {
  // One warm-up round: the first start reads the files from disk.
  for (const args of Object.values(subjects)) await firstLineMs(args, cwd)
  for (let round = 0; round < ROUNDS; round++) {
    for (const [name, args] of Object.entries(subjects)) {
      times[name as keyof typeof subjects].push(await firstLineMs(args, cwd))
    }
  }
} finally {
  await rm(cwd, { recursive: true, force: true })
}
const bare = median(times.bare)
const ratio = (name: 'main' | 'post'): number => median(times[name]) / bare
const result = {
  benchmark: 'startup',
  action_dir: ACTION_DIR,
  rounds: ROUNDS,
  bare_ms: bare,
  main_ms: median(times.main),
  post_ms: median(times.post),
  main_ratio: ratio('main'),
  post_ratio: ratio('post'),
  target_ratio: TARGET,
  meets_target: ratio('main') <= TARGET && ratio('post') <= TARGET,
  machine: `${process.platform}/${process.arch}, node ${process.version}`,
  at: new Date().toISOString()
}
const dir = join(REPO_ROOT, 'bench', 'results')
await mkdir(dir, { recursive: true })
await writeFile(
  join(dir, 'startup.json'),
  `${JSON.stringify(result, null, 2)}\n`
)
const line = (name: 'main' | 'post'): string =>
  `  dist/${name}: ${result[`${name}_ms`].toFixed(0)} ms = ${ratio(name).toFixed(2)}x bare node (target <= ${TARGET}x) ${ratio(name) <= TARGET ? 'MET' : 'NOT MET'}`
process.stdout.write(
  [
    `startup (${ROUNDS} rounds, medians, time to the first log line):`,
    `  bare node -e: ${bare.toFixed(0)} ms`,
    line('main'),
    line('post'),
    `  written to bench/results/startup.json`
  ].join('\n') + '\n'
)
