/**
 * Zero-edit adoption through the whole action (the committed bundle, the
 * runner harness, the local stack): a Dockerfile with no ARG lines at all,
 * and a .dockerignore that excludes every dotfile, still builds warm on the
 * second run, from a Dockerfile copy the summary lists. The user's
 * Dockerfile keeps its bytes and mtime through main and post.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { existsSync } from 'node:fs'
import { readFile, stat, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import {
  checkoutExamples,
  runExample,
  startLocalStack,
  type LocalStack
} from '../../test-support/local-stack/index.js'
import {
  assertSucceeded,
  goCacheUse,
  requireEndToEndPrerequisites
} from '../../test-support/local-stack/checks.js'
import {
  REPO_ROOT,
  type ActionRun
} from '../../test-support/runner-harness/index.js'

// Fail loudly, never pass, when what the suite needs is missing.
requireEndToEndPrerequisites(REPO_ROOT)

/**
 * examples/feed-agg/Dockerfile as a team has it before adopting the action:
 * no ARG line anywhere (CGO_ENABLED moves into the RUN line).
 */
const BASELINE_DOCKERFILE = `FROM golang:1.19 AS build
WORKDIR /workspace
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -ldflags='-s -w' -o /bin/feed-agg .

FROM gcr.io/distroless/static
COPY conf.yaml /etc/feed-agg/conf.yaml
COPY --from=build /bin/feed-agg /bin/feed-agg
ENTRYPOINT ["/bin/feed-agg"]
`

/** Excludes every dotfile, as many repositories do. */
const DOCKERIGNORE = '.*\n**/.*\n'

let stack: LocalStack

beforeAll(async () => {
  stack = await startLocalStack()
}, 120_000)

afterAll(async () => {
  await stack?.stop()
})

interface Fingerprint {
  text: string
  mtimeMs: number
}

async function fingerprint(path: string): Promise<Fingerprint> {
  return {
    text: await readFile(path, 'utf8'),
    mtimeMs: (await stat(path)).mtimeMs
  }
}

/** One run on a fresh runner machine with the unedited baseline Dockerfile. */
async function runBaseline(
  n: number,
  inputs: Record<string, string> = {}
): Promise<{ run: ActionRun; before: Fingerprint; after: Fingerprint }> {
  const machine = join(stack.root, `zero-edit-${n}`)
  const workspace = await checkoutExamples(machine)
  const dir = join(workspace, 'examples', 'feed-agg')
  await writeFile(join(dir, 'Dockerfile'), BASELINE_DOCKERFILE)
  await writeFile(join(dir, '.dockerignore'), DOCKERIGNORE)
  const before = await fingerprint(join(dir, 'Dockerfile'))
  const run = await runExample(stack, {
    example: 'feed-agg',
    machine,
    workspace,
    runId: 900 + n,
    inputs: { 'cache-key-prefix': 'e2e-zero-edit', ...inputs }
  })
  return { run, before, after: await fingerprint(join(dir, 'Dockerfile')) }
}

describe('an unedited Dockerfile without ARG lines', () => {
  let cold: Awaited<ReturnType<typeof runBaseline>>
  let warm: Awaited<ReturnType<typeof runBaseline>>

  beforeAll(async () => {
    cold = await runBaseline(1)
    assertSucceeded(cold.run)
    warm = await runBaseline(2)
    assertSucceeded(warm.run)
  }, 1_200_000)

  it('builds warm on the second run', () => {
    expect(warm.run.outputs['mod-cache-hit']).toBe('exact')
    expect(goCacheUse(cold.run)).toBeGreaterThan(100)
    expect(goCacheUse(warm.run)).toBeLessThanOrEqual(8)
  })

  it('lists the Dockerfile copy and the lines it adds in the summary', () => {
    for (const { run } of [cold, warm]) {
      expect(run.summary).toContain(
        '<td><code>examples/feed-agg/Dockerfile</code></td><td><code>examples/feed-agg/.skaffold-kaniko-cache.Dockerfile</code></td><td>after line 1: ARG GOMODCACHE, ARG GOCACHE</td>'
      )
      // The copy adds the lines: no "missing ARG" warning is left.
      expect(run.summary).not.toMatch(/does not declare ARG/)
    }
  })

  it('never writes the Dockerfile and removes the copy in post', () => {
    for (const { run, before, after } of [cold, warm]) {
      expect(after).toEqual(before)
      const copy = join(
        run.outputs['patched-skaffold-file'],
        '..',
        '.skaffold-kaniko-cache.Dockerfile'
      )
      expect(existsSync(copy)).toBe(false)
    }
  })
})

describe('patch-dockerfile: never', () => {
  it('builds from the Dockerfile as it is and warns about each missing ARG', async () => {
    const { run, before, after } = await runBaseline(3, {
      'patch-dockerfile': 'never',
      'cache-key-prefix': 'e2e-zero-edit-never'
    })
    expect(after).toEqual(before)
    expect(run.summary).not.toContain('.skaffold-kaniko-cache.Dockerfile')
    expect(run.summary).toMatch(/does not declare ARG GOCACHE after its FROM/)
  }, 600_000)
})
