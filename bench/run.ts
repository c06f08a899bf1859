/**
 * npm run bench: every benchmark in turn, each printing its figures and
 * writing bench/results/<name>.json. Figures are ratios against a baseline
 * measured in the same run (this machine is noisy: compare ratios).
 */
import { spawnSync } from 'node:child_process'
import { join } from 'node:path'
import { REPO_ROOT } from '../test-support/runner-harness/index.js'

const BENCHMARKS = [
  'cache-growth.ts',
  'cache-collision.ts',
  'cache-throughput.ts',
  'startup.ts',
  'headline.ts'
]
const only = process.argv.slice(2)
let failed = 0
for (const bench of BENCHMARKS) {
  if (only.length > 0 && !only.some((name) => bench.startsWith(name))) continue
  process.stdout.write(`\n=== bench/${bench}\n`)
  const run = spawnSync(
    process.execPath,
    ['--import', 'tsx', join(REPO_ROOT, 'bench', bench)],
    { stdio: 'inherit', cwd: REPO_ROOT }
  )
  if (run.status !== 0) failed++
}
process.exit(failed === 0 ? 0 : 1)
