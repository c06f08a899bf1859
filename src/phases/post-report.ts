import type { PostDeps } from '../deps/post.js'
import type { PostReport } from '../summary.js'

/** A post warning: logged now, and listed in the job summary. */
export function warn(
  deps: PostDeps,
  report: PostReport,
  message: string
): void {
  deps.actions.log.warning(message)
  report.warnings.push(message)
}
