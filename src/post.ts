/**
 * The post step (design section 5). Warns, never fails, and exits once done.
 */
import { loadMainState, log } from './adapters/actions.js'

/** Runs the post step; never throws, never fails the job. */
export async function runPost(): Promise<void> {
  try {
    const state = loadMainState()
    if (!state) {
      log.info('Nothing to do: the main step recorded no state.')
      return
    }
    await Promise.resolve()
  } catch (error) {
    log.warning(
      `post step: ${error instanceof Error ? error.message : String(error)}`
    )
  }
}
