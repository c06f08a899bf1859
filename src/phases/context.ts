/**
 * What every phase of the main step works from, and the phase timer.
 */
import { type RunnerEnv } from '../adapters/actions.js'
import { inPhase } from '../adapters/waits.js'
import { type Inputs } from '../inputs.js'
import { type KindConfigResult } from '../kind/kind-config.js'
import { type CacheDirs } from '../cache/paths.js'
import { type ConfigFile } from '../skaffold/patch.js'
import { type MainState, type Phase } from '../state.js'
import { type Platform } from '../tools/catalog.js'

/** Everything main works from, decided once before any effect. */
export interface Context {
  inputs: Inputs
  runner: RunnerEnv
  platform: Platform
  workingDir: string
  configPath: string
  /** The root config and the local configs it requires, as read once. */
  configFiles: ConfigFile[]
  dirs: CacheDirs
  /** Secrets to keep out of every log line we write. */
  secrets: string[]
  /** GOPROXY of the Athens started for this job ('' when none). */
  athensProxy: string
  /** The kind config, rendered in the plan (when the action creates the cluster). */
  kindConfig?: KindConfigResult
  state: MainState
}

/** Times one phase into the state. */
export async function timed<T>(
  ctx: Context,
  phase: Phase,
  fn: () => Promise<T>
): Promise<T> {
  const started = Date.now()
  try {
    return await inPhase(phase, fn)
  } finally {
    // Added up: a phase may be measured in parts (the cluster, then its services).
    ctx.state.timings[phase] =
      (ctx.state.timings[phase] ?? 0) + (Date.now() - started) / 1000
  }
}
