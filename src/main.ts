/**
 * The main step (docs/design.md#the-main-step): inputs, plan, tools,
 * restore (beside cluster creation), cluster, patch, Dockerfile check, build,
 * report. Every decision and every resource created goes into the state as
 * soon as it exists, so the post step can clean up whatever main got to.
 */
import { renderMainSummary } from './summary.js'
import { errorMessage } from './errors.js'
import { inPhase, ownTimeSoFar } from './adapters/waits.js'
import { timed, type Context } from './phases/context.js'
import { realMainDeps, type MainDeps } from './deps/main.js'
import { plan } from './phases/plan.js'
import { installTools } from './phases/install.js'
import { prepareClusterAndCaches } from './phases/cluster.js'
import { patch } from './phases/patch.js'
import { build } from './phases/build.js'

/**
 * Runs the main step through deps (the real adapters by default); never
 * throws (failures go to core.setFailed).
 */
export async function runMain(deps: MainDeps = realMainDeps): Promise<void> {
  const { appendSummary, fail, log, setOutputs } = deps.actions
  let planned: Context | undefined
  try {
    const ctx = await plan(deps)
    planned = ctx
    const tools = await timed(ctx, 'tools', () => installTools(ctx))
    await prepareClusterAndCaches(ctx, tools.kind)
    const patched = await timed(ctx, 'patch', () => patch(ctx))
    await inPhase('build', () => build(ctx, tools.skaffold, patched))
  } catch (error) {
    fail(errorMessage(error))
  } finally {
    // Every change to the state was persisted as it was made.
    if (planned) {
      const ownTime = planned.record.update((state) => {
        state.ownTime = ownTimeSoFar()
        return state.ownTime
      })
      setOutputs({ 'own-time': ownTime.ownSeconds.toFixed(1) })
      await appendSummary(renderMainSummary(planned.state)).catch(
        (error: unknown) =>
          log.warning(`could not write the job summary: ${errorMessage(error)}`)
      )
    }
  }
}
