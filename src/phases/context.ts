/**
 * What every phase of the main step works from, the phase timer, and the
 * warnings main shows and repeats in the job summary.
 */
import type { Annotation, RunnerEnv } from '../adapters/actions.js'
import { inPhase } from '../adapters/waits.js'
import type { MainDeps } from '../deps/main.js'
import { type Inputs } from '../inputs.js'
import { type KindConfigResult } from '../kind/kind-config.js'
import { type CacheDirs } from '../cache/paths.js'
import { type ConfigFile } from '../skaffold/patch.js'
import type { MainState, Phase, StateRecorder } from '../state.js'
import { type Platform } from '../tools/catalog.js'

/** Everything main works from, decided once before any effect. */
export interface Context {
  /** The adapters every effect goes through. */
  deps: MainDeps
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
  /** cluster.dockerConfig for the patch: the runner's docker login, when kaniko gets it. */
  dockerConfig?: { path: string; secretName: string }
  /** The kind config, rendered in the plan (when the action creates the cluster). */
  kindConfig?: KindConfigResult
  /** The namespaces the kaniko pods run in, created on a kind cluster. */
  namespaces: string[]
  /** The state so far (read it here; change it through record.update). */
  state: MainState
  record: StateRecorder
}

/** Times one phase into the state. */
export async function timed<T>(
  ctx: Context,
  phase: Phase,
  fn: () => T | Promise<T>
): Promise<T> {
  const started = Date.now()
  try {
    return await inPhase(phase, () => Promise.resolve(fn()))
  } finally {
    // Added up: a phase may be measured in parts (the cluster, then its services).
    const seconds = (Date.now() - started) / 1000
    ctx.record.update((state) => {
      state.timings[phase] = (state.timings[phase] ?? 0) + seconds
    })
  }
}

/** Shows a warning now and records it for the job summary. */
export function warn(ctx: Context, message: string, where?: Annotation): void {
  ctx.deps.actions.log.warning(message, where)
  ctx.record.update((state) => state.warnings.push(message))
}
