/**
 * Checks shared by the end-to-end suites: prerequisites that must fail
 * loudly, and what a run's log says about its build.
 */
import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import type { ActionRun } from '../runner-harness/index.js'

/**
 * Jest time limit for a test that runs `n` jobs (main and post each) of the
 * action. A job takes a minute or two on an idle machine; the limit is a
 * guard against hangs with room for a loaded 2-core machine, never a
 * measure of speed.
 */
export function jobsTimeout(n: number): number {
  return n * 1_200_000
}

/** Jest time limit for starting the local stack. */
export const STACK_TIMEOUT = 300_000

/** Throws one clear line when Go or the bundle is missing (never a silent pass). */
export function requireEndToEndPrerequisites(actionDir: string): void {
  if (spawnSync('go', ['version']).status !== 0) {
    throw new Error(
      'the end-to-end suites build Go for real: install Go (apt-get install -y golang-go)'
    )
  }
  const bundle = join(actionDir, 'dist', 'main', 'index.js')
  if (!existsSync(bundle)) {
    throw new Error(`${bundle} is missing: run npm run bundle`)
  }
}

/** Throws with both steps' logs unless main and post exited 0. */
export function assertSucceeded(run: ActionRun): void {
  if (run.main.exitCode !== 0 || run.post.exitCode !== 0) {
    throw new Error(
      `the run failed (main ${run.main.exitCode}, post ${run.post.exitCode}):\n${run.main.log}\n${run.post.log}`
    )
  }
}

/**
 * The double's evidence of how warm a build was: the number of files the
 * build added to GOCACHE (0 or a handful when warm, hundreds when cold).
 */
export function goCacheUse(run: ActionRun): number {
  const match = /go cache use: GOCACHE \+(\d+) files/.exec(run.main.log)
  if (!match) throw new Error(`no "go cache use" line in:\n${run.main.log}`)
  return Number(match[1])
}
