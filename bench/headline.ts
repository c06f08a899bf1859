/**
 * The headline: the example service built through the whole action (the
 * bundle, run by the runner harness against the local stack), cold vs warm,
 * several pairs, medians and the ratio. Each pair: a cold run on a fresh
 * runner with a fresh cache prefix, then a warm run on another fresh runner
 * that restores what the cold run saved. The cold runs are the baseline, in
 * the same run on the same machine (ratios, not absolute times).
 *
 * For the warm run it also reports, counted the same way for this checkout's
 * bundle and for the previous behaviour (the committed bundle of another
 * revision, `--previous`, run on the same stack in the same run):
 * - own critical-path time: main's and post's wall time (node start-up
 *   included) less the time any child process they started was running,
 *   overlaps counted once (a preload logs every child process the step
 *   starts: bench/fixtures/process-log.mjs);
 * - tool processes started (docker, kind, kubectl, skaffold; tar and zstd
 *   apart), counted from that log;
 * - bytes uploaded to the cache service (blob bodies it received).
 *
 *   npx tsx bench/headline.ts [--runs 3] [--example feed-agg] [--previous dae8aff | none]
 *
 * Target (issue "The whole action end to end"): warm/cold build-time ratio
 * <= 0.10 (the seed's is 25/149 = 0.17).
 */
import {
  chmod,
  copyFile,
  mkdir,
  readFile,
  rm,
  writeFile
} from 'node:fs/promises'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { parseArgs } from 'node:util'
import { coveredMs } from '../src/own-time.js'
import { exportBundle } from './fixtures/previous-bundle.js'
import {
  runExample,
  startLocalStack,
  type LocalStack
} from '../test-support/local-stack/index.js'
import {
  REPO_ROOT,
  type ActionRun
} from '../test-support/runner-harness/index.js'

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '3' },
    example: { type: 'string', default: 'feed-agg' },
    previous: { type: 'string', default: 'dae8aff' }
  }
})
const RUNS = Number(values.runs)
const EXAMPLE = values.example ?? 'feed-agg'
const PREVIOUS = values.previous === 'none' ? undefined : values.previous
const TARGET_RATIO = 0.1
const SEED_RATIO = 25 / 149
const TOOLS = ['docker', 'kind', 'kubectl', 'skaffold']

interface RunFigures {
  build_s: number
  total_s: number
  cluster_s: number
  /** Everything the action adds on top of the build and the cluster. */
  overhead_s: number
  phases: Record<string, number>
  /** main + post wall time less the time a child process was running. */
  own_s: number
  /** docker, kind, kubectl, skaffold processes started, main + post. */
  tool_processes: number
  /** Every child process started, by executable. */
  processes: Record<string, number>
  uploaded_bytes: number
  /** What the action itself reports (own-time output + post), when it does. */
  reported_own_s?: number
}

interface ProcessRecord {
  step: string
  tool: string
  start: number
  end: number
}

function figures(
  run: ActionRun,
  log: ProcessRecord[],
  uploadedBytes: number
): RunFigures {
  if (run.main.exitCode !== 0 || run.post.exitCode !== 0) {
    throw new Error(`a run failed:\n${run.main.log}\n${run.post.log}`)
  }
  const state = JSON.parse(run.state['skaffold-kaniko-cache'] ?? '{}') as {
    timings?: Record<string, number>
  }
  const phases = state.timings ?? {}
  const build = Number(run.outputs['build-time'])
  const total = (run.main.durationMs + run.post.durationMs) / 1000
  const cluster = phases.cluster ?? 0
  const waited = (step: string): number =>
    coveredMs(log.filter((r) => r.step === step)) / 1000
  const processes: Record<string, number> = {}
  for (const r of log) processes[r.tool] = (processes[r.tool] ?? 0) + 1
  const reported = /This action's own work: ([\d.]+) s of/.exec(run.summary)
  return {
    build_s: build,
    total_s: total,
    cluster_s: cluster,
    overhead_s: total - build - cluster,
    phases,
    own_s: total - waited('main') - waited('post'),
    tool_processes: TOOLS.reduce((n, t) => n + (processes[t] ?? 0), 0),
    processes,
    uploaded_bytes: uploadedBytes,
    ...(reported ? { reported_own_s: Number(reported[1]) } : {})
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
}

/** One run with the process log preloaded; returns its figures. */
async function measuredRun(
  stack: LocalStack,
  preload: string,
  options: {
    machine: string
    runId: number
    prefix: string
    actionDir: string
  }
): Promise<RunFigures> {
  await mkdir(options.machine, { recursive: true })
  const logFile = join(options.machine, 'process-log.jsonl')
  await writeFile(logFile, '')
  // The steps may run as the runner user.
  await chmod(logFile, 0o666)
  const firstRequest = stack.cacheService.requests.length
  const run = await runExample(stack, {
    example: EXAMPLE,
    machine: options.machine,
    runId: options.runId,
    actionDir: options.actionDir,
    inputs: { 'cache-key-prefix': options.prefix },
    env: {
      NODE_OPTIONS: `--import ${pathToFileURL(preload).href}`,
      SKC_BENCH_PROCESS_LOG: logFile
    }
  })
  const uploaded = stack.cacheService.requests
    .slice(firstRequest)
    .filter((r) => r.blob === 'put-blob' || r.blob === 'put-block')
    .reduce((n, r) => n + r.bytes, 0)
  const log = (await readFile(logFile, 'utf8'))
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as ProcessRecord)
  return figures(run, log, uploaded)
}

const summary = (runs: RunFigures[]) => ({
  build_s: median(runs.map((r) => r.build_s)),
  total_s: median(runs.map((r) => r.total_s)),
  cluster_s: median(runs.map((r) => r.cluster_s)),
  overhead_s: median(runs.map((r) => r.overhead_s)),
  own_s: median(runs.map((r) => r.own_s)),
  tool_processes: median(runs.map((r) => r.tool_processes)),
  uploaded_bytes: median(runs.map((r) => r.uploaded_bytes)),
  runs
})

const stack = await startLocalStack()
const preload = join(stack.root, 'process-log.mjs')
await copyFile(join(REPO_ROOT, 'bench/fixtures/process-log.mjs'), preload)
await chmod(preload, 0o644)
const behaviours: { label: string; actionDir: string }[] = [
  { label: 'current', actionDir: REPO_ROOT }
]
if (PREVIOUS) {
  behaviours.push({
    label: `previous (${PREVIOUS})`,
    actionDir: await exportBundle(PREVIOUS)
  })
}
const measured: Record<string, { cold: RunFigures[]; warm: RunFigures[] }> = {}
try {
  for (const [b, behaviour] of behaviours.entries()) {
    const cold: RunFigures[] = []
    const warm: RunFigures[] = []
    measured[behaviour.label] = { cold, warm }
    for (let i = 1; i <= RUNS; i++) {
      const prefix = `bench-headline-${b}-${i}`
      process.stdout.write(`${behaviour.label} pair ${i}/${RUNS}: cold... `)
      cold.push(
        await measuredRun(stack, preload, {
          machine: join(stack.root, `${b}-cold-${i}`),
          runId: 1000 + 100 * b + 2 * i,
          prefix,
          actionDir: behaviour.actionDir
        })
      )
      process.stdout.write(`${cold[i - 1].build_s.toFixed(1)} s; warm... `)
      warm.push(
        await measuredRun(stack, preload, {
          machine: join(stack.root, `${b}-warm-${i}`),
          runId: 1001 + 100 * b + 2 * i,
          prefix,
          actionDir: behaviour.actionDir
        })
      )
      process.stdout.write(`${warm[i - 1].build_s.toFixed(1)} s\n`)
    }
  }
} finally {
  await stack.stop()
  for (const behaviour of behaviours.slice(1)) {
    await rm(behaviour.actionDir, { recursive: true, force: true })
  }
}

const current = measured.current
const coldSummary = summary(current.cold)
const warmSummary = summary(current.warm)
const previous = PREVIOUS ? measured[behaviours[1].label] : undefined
const previousWarm = previous ? summary(previous.warm) : undefined
const ratio = warmSummary.build_s / coldSummary.build_s
const overheadShare = warmSummary.overhead_s / warmSummary.total_s
const reported = current.warm
  .map((r) => r.reported_own_s)
  .filter((s) => s !== undefined)
const result = {
  benchmark: 'headline',
  example: EXAMPLE,
  runs: RUNS,
  cold: coldSummary,
  warm: warmSummary,
  ratio,
  target_ratio: TARGET_RATIO,
  seed_ratio: SEED_RATIO,
  meets_target: ratio <= TARGET_RATIO,
  warm_total_ratio: warmSummary.total_s / coldSummary.total_s,
  warm_overhead_share: overheadShare,
  warm_own_share: warmSummary.own_s / warmSummary.total_s,
  warm_reported_own_s: reported.length > 0 ? median(reported) : undefined,
  previous: previous
    ? {
        revision: PREVIOUS,
        cold: summary(previous.cold),
        warm: previousWarm
      }
    : undefined,
  simulated:
    'kind, docker, kubectl, skaffold and kaniko are the cluster double; the Go builds, the cache protocol and client, tar/zstd and the tool installs are real',
  machine: `${process.platform}/${process.arch}, node ${process.version}`,
  at: new Date().toISOString()
}
const dir = join(REPO_ROOT, 'bench', 'results')
await mkdir(dir, { recursive: true })
await writeFile(
  join(dir, 'headline.json'),
  `${JSON.stringify(result, null, 2)}\n`
)
const kib = (bytes: number): string => `${(bytes / 1024).toFixed(1)} KiB`
const beside = (
  now: string,
  pick: (s: ReturnType<typeof summary>) => number,
  format: (n: number) => string
): string =>
  previousWarm
    ? `${now} (previous ${PREVIOUS}: ${format(pick(previousWarm))})`
    : now
const processNames = (runs: RunFigures[]): string =>
  Object.entries(runs[Math.floor(runs.length / 2)]?.processes ?? {})
    .map(([tool, n]) => `${n} ${tool}`)
    .join(', ')
process.stdout.write(
  [
    `headline (${EXAMPLE}, ${RUNS} pairs, medians):`,
    `  skaffold build: cold ${coldSummary.build_s.toFixed(1)} s, warm ${warmSummary.build_s.toFixed(1)} s: ratio ${ratio.toFixed(3)} (target <= ${TARGET_RATIO}, seed ${SEED_RATIO.toFixed(2)}) ${ratio <= TARGET_RATIO ? 'MET' : 'NOT MET'}`,
    `  whole job (main + post): cold ${coldSummary.total_s.toFixed(1)} s, warm ${warmSummary.total_s.toFixed(1)} s`,
    `  warm run: everything but the build and the cluster phase ${warmSummary.overhead_s.toFixed(1)} s = ${(overheadShare * 100).toFixed(0)}% of the job (phases overlap: not the action's own cost)`,
    `  warm run, own critical-path time (wall less child processes running): ${beside(
      `${warmSummary.own_s.toFixed(1)} s of ${warmSummary.total_s.toFixed(1)} s`,
      (s) => s.own_s,
      (n) => `${n.toFixed(1)} s`
    )}${result.warm_reported_own_s === undefined ? '' : `; the action's own summary line says ${result.warm_reported_own_s.toFixed(1)} s`}`,
    `  warm run, tool processes started: ${beside(String(warmSummary.tool_processes), (s) => s.tool_processes, String)}; all children: ${processNames(current.warm)}${previous ? ` (previous: ${processNames(previous.warm)})` : ''}`,
    `  warm run, bytes uploaded: ${beside(kib(warmSummary.uploaded_bytes), (s) => s.uploaded_bytes, kib)}`,
    `  written to bench/results/headline.json`
  ].join('\n') + '\n'
)
