/**
 * The runner's command protocol as the action writes it, held against
 * @actions/core writing the same calls (the library the runner's parser was
 * built with) and against the harness's parsers of the runner's formats.
 */
import {
  afterEach,
  beforeEach,
  describe,
  expect,
  it,
  jest
} from '@jest/globals'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import * as core from '@actions/core'
import * as ours from '../../src/adapters/workflow-commands.js'
import {
  parseAnnotations,
  parseFileCommands,
  parsePathFile
} from '../../test-support/runner-harness/file-commands.js'

let work: string
const savedEnv = { ...process.env }

beforeEach(async () => {
  work = await mkdtemp(join(tmpdir(), 'workflow-commands-'))
})

afterEach(async () => {
  process.env = { ...savedEnv }
  process.exitCode = undefined
  jest.restoreAllMocks()
  await rm(work, { recursive: true, force: true })
})

/** What fn wrote to stdout. */
function stdoutOf(fn: () => void): string {
  let written = ''
  const spy = jest
    .spyOn(process.stdout, 'write')
    .mockImplementation((chunk: string | Uint8Array) => {
      written += String(chunk)
      return true
    })
  try {
    fn()
  } finally {
    spy.mockRestore()
  }
  return written
}

const MESSAGES = [
  'plain',
  'with % percent, colon: and comma',
  'two\nlines\r\nand a carriage return',
  '::warning::a command inside a message',
  ''
]

describe('stdout commands: the bytes @actions/core writes', () => {
  it.each(MESSAGES)('warning, error, debug and add-mask of %j', (message) => {
    const where = { file: 'dir/a,b:c.yaml', line: 7, title: 'T: 100%' }
    const pairs: [() => void, () => void][] = [
      [() => ours.warning(message), () => core.warning(message)],
      [
        () => ours.warning(message, where),
        () =>
          core.warning(message, {
            file: where.file,
            startLine: where.line,
            title: where.title
          })
      ],
      [
        () => ours.error(message, { file: where.file }),
        () => core.error(message, { file: where.file })
      ],
      [() => ours.debug(message), () => core.debug(message)],
      [() => ours.setSecret(message), () => core.setSecret(message)],
      [() => ours.info(message), () => core.info(message)]
    ]
    for (const [mine, theirs] of pairs) {
      expect(stdoutOf(mine)).toBe(stdoutOf(theirs))
    }
  })

  it('the runner reads back the message and the annotation properties', () => {
    const log = stdoutOf(() =>
      ours.warning('50% done:\nnext', {
        file: 'a,b.yaml',
        line: 3,
        title: 'x:y'
      })
    )
    expect(parseAnnotations(log)).toEqual([
      {
        level: 'warning',
        message: '50% done:\nnext',
        properties: { title: 'x:y', file: 'a,b.yaml', line: '3' }
      }
    ])
  })

  it('group and endgroup around the work, also when it throws', async () => {
    let log = ''
    const spy = jest
      .spyOn(process.stdout, 'write')
      .mockImplementation((chunk: string | Uint8Array) => {
        log += String(chunk)
        return true
      })
    await expect(
      ours.group('Save the caches', () => Promise.reject(new Error('boom')))
    ).rejects.toThrow('boom')
    spy.mockRestore()
    expect(log).toBe('::group::Save the caches\n::endgroup::\n')
  })

  it('setFailed sets exit code 1 and writes an error', () => {
    const log = stdoutOf(() => ours.setFailed('Input x: bad'))
    expect(process.exitCode).toBe(1)
    expect(log).toBe('::error::Input x: bad\n')
  })
})

describe('file commands', () => {
  const VALUES = ['one line', 'two\nlines', '', 'a=b<<c']

  async function fileCommandFiles(prefix: string): Promise<void> {
    for (const name of ['OUTPUT', 'STATE', 'PATH']) {
      const file = join(work, `${prefix}-${name}`)
      await writeFile(file, '')
      process.env[`GITHUB_${name}`] = file
    }
  }

  it.each(VALUES)(
    'output and state %j: what @actions/core writes, delimiters aside',
    async (value) => {
      const written: Record<string, string> = {}
      for (const [prefix, writer] of [
        ['ours', ours],
        ['core', core]
      ] as const) {
        await fileCommandFiles(prefix)
        writer.setOutput('image-tags', value)
        writer.saveState('skaffold-kaniko-cache', value)
        for (const name of ['OUTPUT', 'STATE']) {
          written[`${prefix}-${name}`] = (
            await readFile(join(work, `${prefix}-${name}`), 'utf8')
          ).replace(/ghadelimiter_[0-9a-f-]+/g, 'DELIMITER')
        }
      }
      expect(written['ours-OUTPUT']).toBe(written['core-OUTPUT'])
      expect(written['ours-STATE']).toBe(written['core-STATE'])
      await fileCommandFiles('ours')
      ours.setOutput('image-tags', value)
      expect(
        parseFileCommands(await readFile(join(work, 'ours-OUTPUT'), 'utf8'))
      ).toEqual({ 'image-tags': value })
    }
  )

  it('refuses a value that holds its delimiter', () => {
    expect(() => ours.formatKeyValue('a', 'x\nD\ny', 'D')).toThrow(
      'file command a: the name or value contains the delimiter D'
    )
  })

  it('a file command whose file is gone is an error, as in @actions/core', () => {
    process.env.GITHUB_OUTPUT = join(work, 'missing')
    expect(() => ours.setOutput('a', 'b')).toThrow(
      `Missing file at path: ${join(work, 'missing')}`
    )
  })

  it('without GITHUB_OUTPUT/GITHUB_STATE: the stdout forms @actions/core falls back to', () => {
    delete process.env.GITHUB_OUTPUT
    delete process.env.GITHUB_STATE
    expect(stdoutOf(() => ours.setOutput('a', 'b\nc'))).toBe(
      stdoutOf(() => core.setOutput('a', 'b\nc'))
    )
    expect(stdoutOf(() => ours.saveState('s', '{}'))).toBe(
      stdoutOf(() => core.saveState('s', '{}'))
    )
  })

  it('addPath writes GITHUB_PATH and puts the dir first on PATH', async () => {
    await fileCommandFiles('ours')
    process.env.PATH = '/usr/bin'
    ours.addPath('/opt/kind/0.32.0/x64')
    ours.addPath('/opt/skaffold/2.24.0/x64')
    expect(
      parsePathFile(await readFile(join(work, 'ours-PATH'), 'utf8'))
    ).toEqual(['/opt/kind/0.32.0/x64', '/opt/skaffold/2.24.0/x64'])
    expect(process.env.PATH).toBe(
      '/opt/skaffold/2.24.0/x64:/opt/kind/0.32.0/x64:/usr/bin'
    )
  })
})

describe('inputs, state and the job summary', () => {
  it.each([
    ['go-proxy', 'INPUT_GO-PROXY', '  https://proxy.golang.org  '],
    ['skaffold-file', 'INPUT_SKAFFOLD-FILE', 'skaffold.yaml'],
    ['a name', 'INPUT_A_NAME', 'x'],
    ['unset', 'INPUT_NOT_SET_ANYWHERE', undefined]
  ])('getInput(%j) reads %s as @actions/core does', (name, variable, value) => {
    if (value !== undefined) process.env[variable] = value
    expect(ours.getInput(name)).toBe(core.getInput(name))
    expect(ours.getInput(name)).toBe((value ?? '').trim())
  })

  it('getState reads STATE_<name>', () => {
    process.env['STATE_skaffold-kaniko-cache'] = '{"v":1}'
    expect(ours.getState('skaffold-kaniko-cache')).toBe('{"v":1}')
    expect(ours.getState('other')).toBe(core.getState('other'))
  })

  it('appends to the job summary as core.summary.addRaw(text, true).write()', async () => {
    for (const writer of ['ours', 'core']) {
      const file = join(work, `${writer}-summary`)
      await writeFile(file, '<p>earlier step</p>\n')
      process.env.GITHUB_STEP_SUMMARY = file
      const html = '<h3>build</h3>\n<p>9.1 s</p>'
      if (writer === 'ours') await ours.appendStepSummary(html)
      else await core.summary.addRaw(html, true).write()
      core.summary.emptyBuffer()
    }
    expect(await readFile(join(work, 'ours-summary'), 'utf8')).toBe(
      await readFile(join(work, 'core-summary'), 'utf8')
    )
  })

  it('names the variable when the runner offers no job summary', async () => {
    delete process.env.GITHUB_STEP_SUMMARY
    await expect(ours.appendStepSummary('x')).rejects.toThrow(
      'Unable to find environment variable for $GITHUB_STEP_SUMMARY'
    )
  })
})
