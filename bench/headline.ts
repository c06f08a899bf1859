/**
 * The headline: the example service built through the whole action (the
 * bundle, run by the runner harness against the local stack), cold vs warm,
 * several pairs, medians and the ratio. Each pair: a cold run on a fresh
 * runner with a fresh cache prefix, then a warm run on another fresh runner
 * that restores what the cold run saved. The cold runs are the baseline, in
 * the same run on the same machine (ratios, not absolute times).
 *
 *   npx tsx bench/headline.ts [--runs 3] [--example feed-agg]
 *
 * Target (issue "The whole action end to end"): warm/cold build-time ratio
 * <= 0.10 (the seed's is 25/149 = 0.17).
 */
import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import {
  runExample,
  startLocalStack
} from '../test-support/local-stack/index.js'
import {
  REPO_ROOT,
  type ActionRun
} from '../test-support/runner-harness/index.js'

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '3' },
    example: { type: 'string', default: 'feed-agg' }
  }
})
const RUNS = Number(values.runs)
const EXAMPLE = values.example ?? 'feed-agg'
const TARGET_RATIO = 0.1
const SEED_RATIO = 25 / 149

interface RunFigures {
  build_s: number
  total_s: number
  cluster_s: number
  /** Everything the action adds on top of the build and the cluster. */
  overhead_s: number
  phases: Record<string, number>
}

function figures(run: ActionRun): RunFigures {
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
  return {
    build_s: build,
    total_s: total,
    cluster_s: cluster,
    overhead_s: total - build - cluster,
    phases
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
}

const stack = await startLocalStack()
const cold: RunFigures[] = []
const warm: RunFigures[] = []
try {
  for (let i = 1; i <= RUNS; i++) {
    const prefix = `bench-headline-${i}`
    process.stdout.write(`pair ${i}/${RUNS}: cold... `)
    cold.push(
      figures(
        await runExample(stack, {
          example: EXAMPLE,
          machine: join(stack.root, `cold-${i}`),
          runId: 1000 + 2 * i,
          inputs: { 'cache-key-prefix': prefix }
        })
      )
    )
    process.stdout.write(`${cold[i - 1].build_s.toFixed(1)} s; warm... `)
    warm.push(
      figures(
        await runExample(stack, {
          example: EXAMPLE,
          machine: join(stack.root, `warm-${i}`),
          runId: 1001 + 2 * i,
          inputs: { 'cache-key-prefix': prefix }
        })
      )
    )
    process.stdout.write(`${warm[i - 1].build_s.toFixed(1)} s\n`)
  }
} finally {
  await stack.stop()
}

const summary = (runs: RunFigures[]) => ({
  build_s: median(runs.map((r) => r.build_s)),
  total_s: median(runs.map((r) => r.total_s)),
  cluster_s: median(runs.map((r) => r.cluster_s)),
  overhead_s: median(runs.map((r) => r.overhead_s)),
  runs
})
const coldSummary = summary(cold)
const warmSummary = summary(warm)
const ratio = warmSummary.build_s / coldSummary.build_s
const overheadShare = warmSummary.overhead_s / warmSummary.total_s
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
process.stdout.write(
  [
    `headline (${EXAMPLE}, ${RUNS} pairs, medians):`,
    `  skaffold build: cold ${coldSummary.build_s.toFixed(1)} s, warm ${warmSummary.build_s.toFixed(1)} s: ratio ${ratio.toFixed(3)} (target <= ${TARGET_RATIO}, seed ${SEED_RATIO.toFixed(2)}) ${ratio <= TARGET_RATIO ? 'MET' : 'NOT MET'}`,
    `  whole job (main + post): cold ${coldSummary.total_s.toFixed(1)} s, warm ${warmSummary.total_s.toFixed(1)} s`,
    `  warm run: action overhead (everything but the build and the cluster) ${warmSummary.overhead_s.toFixed(1)} s = ${(overheadShare * 100).toFixed(0)}% of the job`,
    `  written to bench/results/headline.json`
  ].join('\n') + '\n'
)
