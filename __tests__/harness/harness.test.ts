import { describe, expect, it } from '@jest/globals'
import { mkdir, mkdtemp, readFile, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import {
  REPO_ROOT,
  RUNNER_UID,
  parseAnnotations,
  parseFileCommands,
  runAction,
  runnerUser
} from '../../test-support/runner-harness/index.js'

// A stand-in action that uses the real @actions/core, so the harness is held
// to the client's own file formats rather than to what we think they are.
const CORE = pathToFileURL(
  join(REPO_ROOT, 'node_modules/@actions/core/lib/core.js')
).href

const MAIN = `
import * as core from '${CORE}'
import { readFileSync } from 'node:fs'
const event = JSON.parse(readFileSync(process.env.GITHUB_EVENT_PATH, 'utf8'))
core.setOutput('save-cache', core.getInput('save-cache'))
core.setOutput('multi', 'line one\\nline two')
core.setOutput('event', [process.env.GITHUB_EVENT_NAME, process.env.GITHUB_REF, event.repository.default_branch].join(' '))
core.setOutput('runner', [process.env.RUNNER_OS, process.env.HOME, process.env.RUNNER_TOOL_CACHE, process.cwd()].join(' '))
core.saveState('mainSucceeded', 'true')
core.saveState('Mixed_Case', { a: 1 })
core.exportVariable('FROM_MAIN', 'exported')
core.addPath('/opt/first')
core.addPath('/opt/second')
core.warning('Dockerfile has no ARG GOCACHE', { file: 'svc/Dockerfile', startLine: 3 })
await core.summary.addRaw('main part', true).write()
if (core.getInput('fail') === 'true') core.setFailed('Input save-cache: bad, 50%')
`

const POST = `
import * as core from '${CORE}'
core.info('state=' + core.getState('mainSucceeded') + ' ' + core.getState('Mixed_Case'))
core.info('env=' + process.env.FROM_MAIN)
core.info('path=' + process.env.PATH.split(':').slice(0, 3).join(','))
core.info('input=' + process.env['INPUT_SAVE-CACHE'])
await core.summary.addRaw('post part', true).write()
`

async function makeAction(main: string, post: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'fake-action-'))
  for (const [step, text] of [
    ['main', main],
    ['post', post]
  ]) {
    await mkdir(join(dir, 'dist', step), { recursive: true })
    await writeFile(join(dir, 'dist', step, 'index.mjs'), text)
    // The harness runs index.js; a one-line shim keeps it ESM without a package.json.
    await writeFile(
      join(dir, 'dist', step, 'index.js'),
      `import('./index.mjs')\n`
    )
  }
  return dir
}

async function makeDirs(): Promise<{ workspace: string; machineDir: string }> {
  const root = await mkdtemp(join(tmpdir(), 'harness-'))
  const workspace = join(root, 'workspace')
  await mkdir(workspace)
  return { workspace, machineDir: join(root, 'machine') }
}

describe('runAction', () => {
  it('hands inputs, state, env and PATH from main to post as the runner does', async () => {
    const actionDir = await makeAction(MAIN, POST)
    const dirs = await makeDirs()
    const run = await runAction({
      ...dirs,
      actionDir,
      inputs: { 'save-cache': 'always' },
      pathPrepend: ['/opt/double'],
      timeoutMs: 120_000
    })

    expect(run.main.exitCode).toBe(0)
    expect(run.outputs['save-cache']).toBe('always')
    expect(run.outputs.multi).toBe('line one\nline two')
    expect(run.outputs.event).toBe('push refs/heads/main main')
    expect(run.outputs.runner).toBe(
      `Linux ${join(dirs.machineDir, 'home')} ${join(dirs.machineDir, 'tool-cache')} ${dirs.workspace}`
    )
    expect(run.state).toEqual({
      mainSucceeded: 'true',
      Mixed_Case: '{"a":1}'
    })
    expect(run.env).toEqual({ FROM_MAIN: 'exported' })
    expect(run.path).toEqual(['/opt/first', '/opt/second'])
    expect(run.main.annotations).toEqual([
      {
        level: 'warning',
        message: 'Dockerfile has no ARG GOCACHE',
        properties: { file: 'svc/Dockerfile', line: '3' }
      }
    ])

    expect(run.post.exitCode).toBe(0)
    expect(run.post.stdout).toContain('state=true {"a":1}')
    expect(run.post.stdout).toContain('env=exported')
    expect(run.post.stdout).toContain('path=/opt/second,/opt/first,/opt/double')
    expect(run.post.stdout).toContain('input=always')
    expect(run.summary).toBe('main part\npost part\n')
    await expect(
      readFile(join(run.runDir, 'job-summary.md'), 'utf8')
    ).resolves.toBe(run.summary)
  })

  it('presents a pull request on a non-default branch', async () => {
    const actionDir = await makeAction(MAIN, POST)
    const run = await runAction({
      ...(await makeDirs()),
      actionDir,
      event: 'pull-request',
      timeoutMs: 120_000
    })
    expect(run.outputs.event).toBe('pull_request refs/pull/7/merge main')
  })

  it('reports a failed main and still runs post', async () => {
    const actionDir = await makeAction(MAIN, POST)
    const run = await runAction({
      ...(await makeDirs()),
      actionDir,
      inputs: { fail: 'true' },
      timeoutMs: 120_000
    })
    expect(run.main.exitCode).toBe(1)
    expect(run.main.annotations).toContainEqual({
      level: 'error',
      message: 'Input save-cache: bad, 50%',
      properties: {}
    })
    expect(run.post.exitCode).toBe(0)
  })

  it('kills a step that runs past its time limit and says so', async () => {
    const actionDir = await makeAction(
      `setInterval(() => {}, 1000)\n`,
      `process.exit(0)\n`
    )
    const run = await runAction({
      ...(await makeDirs()),
      actionDir,
      timeoutMs: 1_000
    })
    expect(run.main.timedOut).toBe(true)
    expect(run.main.exitCode).not.toBe(0)
    expect(run.main.stderr).toMatch(/killed after 1000 ms/)
    expect(run.post.timedOut).toBe(false)
    expect(run.post.exitCode).toBe(0)
  })
})

const isRoot = process.getuid?.() === 0
if (!isRoot) {
  process.stdout.write(
    'harness: the runner-user test is skipped: only root can run the steps as the hosted runner uid 1001\n'
  )
}

const rootDescribe = isRoot ? describe : describe.skip

rootDescribe('the runner user', () => {
  it('runs both steps as uid 1001, which owns the checkout, HOME, the tool cache and RUNNER_TEMP', async () => {
    const writes = `
import * as core from '${CORE}'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
for (const dir of [process.cwd(), process.env.HOME, process.env.RUNNER_TOOL_CACHE, process.env.RUNNER_TEMP]) {
  writeFileSync(join(dir, 'written-by-' + process.argv[1].split('/').at(-2)), 'x')
}
core.setOutput('id', process.getuid() + ':' + process.getgid())
core.saveState('id', process.getuid() + ':' + process.getgid())
`
    const actionDir = await makeAction(writes, writes)
    const dirs = await makeDirs()
    await writeFile(join(dirs.workspace, 'checked-out'), 'root wrote it')
    const run = await runAction({ ...dirs, actionDir, timeoutMs: 120_000 })
    expect(run.main.stderr).toBe('')
    expect(run.post.stderr).toBe('')
    expect(run.outputs.id).toBe(`${RUNNER_UID}:${runnerUser()?.gid}`)
    expect(run.postFiles.outputs.id).toBe(run.outputs.id)
    expect((await stat(join(dirs.workspace, 'checked-out'))).uid).toBe(
      RUNNER_UID
    )
  })
})

describe('parseFileCommands', () => {
  it.each([
    ['a=1\nb=x=y\n', { a: '1', b: 'x=y' }],
    ['k<<EOF_1\nline\n\nmore\nEOF_1\n', { k: 'line\n\nmore' }],
    ['k=1\nk=2\n', { k: '2' }],
    ['', {}]
  ])('parses %j', (text, expected) => {
    expect(parseFileCommands(text)).toEqual(expected)
  })

  it('refuses an unclosed block', () => {
    expect(() => parseFileCommands('k<<D\nvalue\n')).toThrow(/never closed/)
  })
})

describe('parseAnnotations', () => {
  it('decodes properties and escapes', () => {
    expect(
      parseAnnotations(
        'plain\n::notice title=a%3Ab%2Cc::x%0Ay\n::debug::hidden\n'
      )
    ).toEqual([
      { level: 'notice', message: 'x\ny', properties: { title: 'a:b,c' } }
    ])
  })
})
