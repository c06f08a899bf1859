/**
 * The build phase: skaffold build on the patched config, and the outputs.
 */
import * as path from 'node:path'
import { buildCommandArgs } from '../build-command.js'
import { makeRedactor } from '../redact.js'
import { pushRefusal } from '../push-target.js'
import { type MainState } from '../state.js'
import { UserError } from '../errors.js'
import type { Context } from './context.js'
import type { Patched } from './patch.js'

/** Runs skaffold build and reports the result. */
export async function build(
  ctx: Context,
  skaffold: string,
  patched: Patched
): Promise<void> {
  const { inputs, state, record } = ctx
  // The local registry exists only on a kind cluster the action set up
  // (not with a PVC on an existing cluster): push there only if it was started.
  const registry = state.cluster?.registry
  const registryHost = registry ? `${registry.name}:${registry.port}` : ''
  const fileOutput = path.join(
    ctx.runner.runnerTemp,
    `skaffold-kaniko-cache-${process.pid}-build.json`
  )
  const args = buildCommandArgs({
    patchedFile: patched.path,
    fileOutput,
    kubeContext: state.cluster?.context ?? '',
    defaultRepo: inputs.defaultRepo || registryHost,
    insecureRegistries: registryHost ? [registryHost] : [],
    profiles: inputs.profiles,
    modules: inputs.modules,
    extraArgs: inputs.skaffoldArgs
  })
  const redact = makeRedactor(ctx.secrets)
  const result = await ctx.deps.actions.group('skaffold build', () => {
    ctx.deps.actions.log.info(
      `skaffold ${args.map((a) => redact(a)).join(' ')}`
    )
    return ctx.deps.skaffoldBuild.runSkaffoldBuild(
      skaffold,
      args,
      ctx.workingDir,
      fileOutput,
      redact,
      ctx.deps.actions.log.info
    )
  })
  record.update((state) => {
    state.timings.build = result.seconds
    state.build = {
      succeeded: result.exitCode === 0,
      seconds: result.seconds,
      startedAt: result.startedAt,
      images: result.images
    }
  })
  ctx.deps.actions.setOutputs({
    'build-time': result.seconds.toFixed(1),
    images: JSON.stringify(result.images),
    'mod-cache-hit': cacheHitOutput(state, 'mod'),
    'build-cache-hit': cacheHitOutput(state, 'build'),
    'patched-skaffold-file': patched.path,
    'build-artifacts': fileOutput,
    'kube-context':
      state.cluster?.context ?? (await ctx.deps.cluster.currentKubeContext())
  })
  if (result.exitCode !== 0) {
    // The summary names the registry that refused the push, too.
    const refusal = pushRefusal(result.tail)
    if (refusal)
      record.update((state) => {
        state.warnings.push(refusal)
      })
    throw new UserError(
      `skaffold build failed (exit ${result.exitCode}) after ${result.seconds.toFixed(1)} s${refusal ? `: ${refusal}` : ''}. Last lines of its log (kaniko's output included):\n${result.tail.join('\n')}`
    )
  }
  record.update((state) => {
    state.mainSucceeded = true
  })
  ctx.deps.actions.log.info(
    `built ${result.images.length} image(s) in ${result.seconds.toFixed(1)} s`
  )
}

/** exact / partial / miss, or disabled when the Actions cache is not used. */
function cacheHitOutput(state: MainState, which: 'mod' | 'build'): string {
  if (!state.cache) return 'disabled'
  return state.cache.restored[which]?.result ?? 'miss'
}
