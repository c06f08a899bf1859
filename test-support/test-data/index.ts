/**
 * Test data that is not part of the repository: skaffold's JSON schemas, a
 * corpus of real skaffold configs, and the write-up of the hand-built cache
 * setup this action automates. Each comes from an environment variable, else
 * from a folder beside the checkout when one is there. A suite whose data is
 * absent is skipped and prints why; it never passes without its data.
 *
 * CI on GitHub checks out skaffold at a pinned commit and points the
 * variables at its `docs-v2/content/en/schemas` and `examples` folders
 * (see .github/workflows/ci.yml and CONTRIBUTING.md).
 */
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, it } from '@jest/globals'

/** The repository root (test-support/test-data → ../..). */
export const REPO_ROOT = resolve(
  dirname(fileURLToPath(import.meta.url)),
  '../..'
)

/** One source of test data and whether it is here. */
export interface TestData {
  /** What it is, for the skip message. */
  what: string
  /** The environment variable that names it. */
  variable: string
  /** The path in use (from the variable, else the default). */
  path: string
  present: boolean
}

/**
 * Where one source of test data is, and whether it is usable: `usable`
 * tells an empty or wrong folder from the data (a variable pointing at an
 * empty dir counts as absent).
 */
function locate(
  variable: string,
  fallback: string,
  what: string,
  usable: (path: string) => boolean,
  env: NodeJS.ProcessEnv = process.env
): TestData {
  const fromEnv = env[variable]
  const path =
    fromEnv !== undefined && fromEnv !== ''
      ? resolve(fromEnv)
      : resolve(REPO_ROOT, fallback)
  let present: boolean
  try {
    present = usable(path)
  } catch {
    present = false
  }
  return { what, variable, path, present }
}

const isFile = (path: string): boolean =>
  existsSync(path) && statSync(path).isFile()

/** skaffold's JSON schemas, one `<apiVersion>.json` a version. */
export const SCHEMAS = locate(
  'SKAFFOLD_SCHEMAS_DIR',
  '../shared/skaffold-schemas',
  "skaffold's JSON schemas",
  (path) => readdirSync(path).some((n) => /^v\d\w*\.json$/.test(n))
)

/** Real skaffold configs, flat or in a tree (skaffold's own examples). */
export const CORPUS = locate(
  'SKAFFOLD_CORPUS_DIR',
  '../shared/skaffold-corpus',
  'a corpus of real skaffold configs',
  (path) => readdirSync(path).some((n) => !n.startsWith('.'))
)

/** The markdown write-up of the hand-built cache setup (its Dockerfiles and config). */
export const SEED_DOC = locate(
  'SKAFFOLD_SEED_DOC',
  '../shared/seed/skaffold-kaniko-docker-caching.md',
  'the hand-built cache setup write-up',
  isFile
)

/** Why a suite cannot run, or undefined when all its data is here. */
export function missingData(...needed: TestData[]): string | undefined {
  const absent = needed.filter((d) => !d.present)
  if (absent.length === 0) return undefined
  return absent
    .map((d) => `${d.what} not found at ${d.path} (set ${d.variable})`)
    .join('; ')
}

/**
 * `describe` when the data is here; otherwise `describe.skip` and a printed
 * reason, so a fresh clone without the data reports skipped tests, not passes.
 */
export function describeWithData(
  needed: TestData[],
  name: string,
  body: () => void
): void {
  const reason = missingData(...needed)
  if (reason === undefined) {
    describe(name, body)
    return
  }
  console.warn(`skipping "${name}": ${reason}`)
  describe.skip(name, body)
}

/**
 * `it` when the data is here; otherwise `it.skip`, with the reason printed
 * once per missing set, for a test inside a suite that mostly runs without it.
 */
export function itWithData(...needed: TestData[]): typeof it.skip {
  const reason = missingData(...needed)
  if (reason === undefined) return it
  if (!warned.has(reason)) {
    warned.add(reason)
    console.warn(`skipping the tests that need it: ${reason}`)
  }
  return it.skip
}
const warned = new Set<string>()

/**
 * The skaffold configs under the corpus folder, as paths relative to it: every
 * `.yaml`/`.yml` file (any depth) whose text has a skaffold apiVersion, so a
 * tree such as skaffold's `examples/` works as well as a flat folder.
 */
export function listCorpus(corpus: TestData = CORPUS): string[] {
  return corpus.present ? listCorpusAt(corpus.path) : []
}

function listCorpusAt(root: string): string[] {
  if (!existsSync(root) || !statSync(root).isDirectory()) return []
  const found: string[] = []
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name)
      if (name.startsWith('.')) continue // .git and other hidden trees
      if (statSync(path).isDirectory()) walk(path)
      else if (
        /\.ya?ml$/.test(name) &&
        /^apiVersion:\s*skaffold\//m.test(readFileSync(path, 'utf8'))
      )
        found.push(relative(root, path))
    }
  }
  walk(root)
  return found
}

/** The text of the hand-built setup write-up (SEED_DOC), or '' when it is absent (its suites skip). */
export function readSeedDoc(): string {
  return SEED_DOC.present ? readFileSync(SEED_DOC.path, 'utf8') : ''
}
