/**
 * npm run demo [-- --json FILE] [-- --example NAME] [-- --summaries DIR]
 *
 * Runs the bundled action twice through the runner harness against the local
 * stack, for one example service: a cold run on a fresh runner machine, then
 * a warm run on another fresh machine that gets the caches from the (local)
 * Actions cache service. Prints both job summaries and the speed-up.
 */
import { spawnSync } from 'node:child_process'
import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import {
  runExample,
  startLocalStack,
  summaryText,
  type LocalStack
} from '../test-support/local-stack/index.js'
import type { ActionRun } from '../test-support/runner-harness/index.js'

const SIMULATED = `What is real and what is simulated here:
  real:      the bundled action (dist/), run as a GitHub runner runs it; the @actions/cache
             client against a local server that speaks the cache service protocol; tar and
             zstd archives; tool installs through @actions/tool-cache with sha256 checks;
             the Go builds of the example (go 1.19, GOCACHE/GOMODCACHE through the mounts).
  simulated: kind, docker, kubectl, skaffold and kaniko: a strict double that checks every
             link of the data path (extraMount -> hostPath volume -> volumeMount -> build arg
             -> Dockerfile ARG) and runs the Dockerfile's Go stage on this machine; the Go
             module proxy (served locally from Debian's Go sources).`

interface RunFigures {
  build_s: number
  total_s: number
  main_s: number
  post_s: number
  mod_cache_hit: string
  build_cache_hit: string
}

function checkPrerequisites(): string[] {
  const missing: string[] = []
  const probe = (cmd: string, args: string[], line: string): void => {
    const result = spawnSync(cmd, args, { encoding: 'utf8' })
    if (result.status !== 0) missing.push(line)
  }
  probe('go', ['version'], 'demo: Go is missing: apt-get install -y golang-go')
  probe(
    'tar',
    ['--version'],
    'demo: GNU tar is missing: apt-get install -y tar'
  )
  const tar = spawnSync('tar', ['--version'], { encoding: 'utf8' })
  if (tar.status === 0 && !/GNU tar/.test(tar.stdout)) {
    missing.push('demo: tar is not GNU tar, which @actions/cache needs')
  }
  return missing
}

function figures(run: ActionRun): RunFigures {
  return {
    build_s: Number(run.outputs['build-time'] ?? NaN),
    total_s: (run.main.durationMs + run.post.durationMs) / 1000,
    main_s: run.main.durationMs / 1000,
    post_s: run.post.durationMs / 1000,
    mod_cache_hit: run.outputs['mod-cache-hit'] ?? '',
    build_cache_hit: run.outputs['build-cache-hit'] ?? ''
  }
}

function requireSuccess(name: string, run: ActionRun): void {
  if (run.main.exitCode === 0 && run.post.exitCode === 0) return
  process.stderr.write(
    `demo: the ${name} run failed (main exit ${run.main.exitCode}, post exit ${run.post.exitCode}). Its log:\n${run.main.log}\n${run.post.log}\n`
  )
  process.exit(1)
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      json: { type: 'string' },
      example: { type: 'string', default: 'feed-agg' },
      summaries: { type: 'string' }
    }
  })
  const missing = checkPrerequisites()
  if (missing.length > 0) {
    for (const line of missing) process.stderr.write(`${line}\n`)
    process.exit(1)
  }
  const example = values.example ?? 'feed-agg'
  process.stdout.write(`${SIMULATED}\n\n`)
  let stack: LocalStack | undefined
  try {
    stack = await startLocalStack()
    process.stdout.write(
      `Local stack in ${stack.root}; cache service ${stack.cacheService.url}\n\n`
    )
    process.stdout.write(`Cold run of ${example} on a fresh runner...\n`)
    const cold = await runExample(stack, {
      example,
      machine: join(stack.root, 'machine-cold'),
      runId: 1001
    })
    requireSuccess('cold', cold)
    process.stdout.write(`\n${summaryText(cold.summary)}\n\n`)

    process.stdout.write(
      `Warm run of ${example} on another fresh runner (caches from the cache service)...\n`
    )
    const warm = await runExample(stack, {
      example,
      machine: join(stack.root, 'machine-warm'),
      runId: 1002
    })
    requireSuccess('warm', warm)
    process.stdout.write(`\n${summaryText(warm.summary)}\n\n`)

    const coldFigures = figures(cold)
    const warmFigures = figures(warm)
    const ratio = warmFigures.build_s / coldFigures.build_s
    process.stdout.write(
      `skaffold build: cold ${coldFigures.build_s.toFixed(1)} s, warm ${warmFigures.build_s.toFixed(1)} s: ratio ${ratio.toFixed(3)} (${(1 / ratio).toFixed(1)}× faster); whole job: cold ${coldFigures.total_s.toFixed(1)} s, warm ${warmFigures.total_s.toFixed(1)} s\n`
    )
    if (values.json) {
      await writeFile(
        values.json,
        `${JSON.stringify({ example, cold: coldFigures, warm: warmFigures, ratio }, null, 2)}\n`
      )
      process.stdout.write(`figures written to ${values.json}\n`)
    }
    if (values.summaries) {
      await mkdir(values.summaries, { recursive: true })
      await writeFile(join(values.summaries, 'cold.html'), cold.summary)
      await writeFile(join(values.summaries, 'warm.html'), warm.summary)
      process.stdout.write(`summaries written to ${values.summaries}\n`)
    }
  } finally {
    await stack?.stop()
  }
}

await main()
