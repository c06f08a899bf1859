/**
 * Writes dist/source.sha256, the stamp of the sources dist/ was bundled
 * from; the last step of `npm run bundle`. The runner harness compares it
 * with the checkout before it runs dist/.
 */
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import {
  STAMP_FILE,
  sourceStamp
} from '../test-support/runner-harness/dist-stamp.js'
import { REPO_ROOT } from '../test-support/runner-harness/run-action.js'

writeFileSync(join(REPO_ROOT, STAMP_FILE), `${sourceStamp(REPO_ROOT)}\n`)
