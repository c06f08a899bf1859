import { beforeAll, describe, expect, it } from '@jest/globals'
import { existsSync } from 'node:fs'
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  REPO_ROOT,
  runAction,
  type ActionRun,
  type Annotation
} from '../../test-support/runner-harness/index.js'

// These run the committed bundle (dist/), not the sources: what users get.
const BUNDLES = ['dist/main/index.js', 'dist/post/index.js']

// Nothing here may reach the network: any download goes to a closed port and
// fails at once instead of hanging, so a check that comes too late shows up
// as the wrong error rather than a timeout.
const OFFLINE = {
  'kind-download-url': 'http://127.0.0.1:9/kind',
  'skaffold-download-url': 'http://127.0.0.1:9/skaffold',
  'kubectl-download-url': 'http://127.0.0.1:9/kubectl'
}

async function runIn(
  files: Record<string, string>,
  inputs: Record<string, string>
): Promise<ActionRun> {
  const root = await mkdtemp(join(tmpdir(), 'smoke-'))
  const workspace = join(root, 'workspace')
  await mkdir(workspace)
  for (const [name, text] of Object.entries(files)) {
    await writeFile(join(workspace, name), text)
  }
  return runAction({
    workspace,
    machineDir: join(root, 'machine'),
    inputs: { ...OFFLINE, ...inputs },
    timeoutMs: 120_000
  })
}

function errors(annotations: Annotation[]): string[] {
  return annotations.filter((a) => a.level === 'error').map((a) => a.message)
}

const SKAFFOLD = `apiVersion: skaffold/v4beta14
kind: Config
build:
  artifacts:
    - image: svc
      kaniko: {}
  cluster: {}
`

describe('the committed bundle, run as the runner runs it', () => {
  beforeAll(() => {
    const missing = BUNDLES.filter((f) => !existsSync(join(REPO_ROOT, f)))
    if (missing.length > 0) {
      throw new Error(
        `${missing.join(', ')} missing: run npm run bundle and commit dist/`
      )
    }
  })

  it('fails clearly on a missing skaffold file, and post still ends cleanly', async () => {
    const run = await runIn({}, { 'skaffold-file': 'deploy/skaffold.yaml' })

    expect(run.main.timedOut).toBe(false)
    expect(run.main.exitCode).toBe(1)
    const messages = errors(run.main.annotations)
    expect(messages).toHaveLength(1)
    expect(messages[0]).toContain('skaffold-file')
    expect(messages[0]).toContain('deploy/skaffold.yaml')
    // A user error, not a crash: no stack trace.
    expect(messages[0]).not.toMatch(/\n\s+at /)

    expect(run.post.exitCode).toBe(0)
    expect(errors(run.post.annotations)).toEqual([])
    expect(run.post.stderr).not.toMatch(/Error:|\n\s+at /)
  })

  it('fails clearly on a bad input value, naming the input, the value and what is accepted', async () => {
    const run = await runIn(
      { 'skaffold.yaml': SKAFFOLD },
      { 'save-cache': 'sometimes' }
    )

    expect(run.main.exitCode).toBe(1)
    const messages = errors(run.main.annotations)
    expect(messages).toHaveLength(1)
    expect(messages[0]).toContain('save-cache')
    expect(messages[0]).toContain('sometimes')
    expect(messages[0]).toMatch(/auto, always, never/)
    expect(messages[0]).not.toMatch(/\n\s+at /)

    expect(run.post.exitCode).toBe(0)
    expect(errors(run.post.annotations)).toEqual([])
    expect(run.post.stderr).not.toMatch(/Error:|\n\s+at /)
  })
  it('refuses a plain http:// download URL for an unpinned version before installing or creating anything', async () => {
    const run = await runIn(
      { 'skaffold.yaml': SKAFFOLD },
      { 'skaffold-download-url': 'http://mirror.invalid/skaffold' }
    )

    expect(run.main.exitCode).toBe(1)
    const messages = errors(run.main.annotations)
    expect(messages).toHaveLength(1)
    expect(messages[0]).toContain(
      'skaffold-download-url http://mirror.invalid/skaffold is plain http:// and the action has no pinned checksum for skaffold v2.24.0'
    )
    // Refused in the plan: kind (whose download would fail on the closed
    // port) was never fetched.
    expect(run.main.log).not.toContain('127.0.0.1:9/kind')
    expect(messages[0]).not.toMatch(/\n\s+at /)
    expect(run.post.exitCode).toBe(0)
  })
})
