/**
 * The release workflow is the one job with write access: it installs without
 * running dependency scripts, keeps the token out of .git/config, and hands
 * the token to the tag push alone.
 */
import { describe, expect, it } from '@jest/globals'
import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parse } from 'yaml'

interface Step {
  name?: string
  uses?: string
  run?: string
  with?: Record<string, unknown>
  env?: Record<string, unknown>
}

const workflow = parse(
  readFileSync(
    join(
      dirname(fileURLToPath(import.meta.url)),
      '..',
      '.github',
      'workflows',
      'release.yml'
    ),
    {
      encoding: 'utf8'
    }
  )
) as { jobs: Record<string, { steps: Step[] }> }
const steps = Object.values(workflow.jobs).flatMap((job) => job.steps)

const TOKEN = /\$\{\{\s*(github\.token|secrets\.)/

describe('release.yml', () => {
  it('installs with npm ci --ignore-scripts only', () => {
    const installs = steps.filter((s) =>
      /\bnpm (ci|install|i)\b/.test(s.run ?? '')
    )
    expect(installs.length).toBeGreaterThan(0)
    for (const step of installs) {
      expect(step.run).toMatch(/npm ci --ignore-scripts/)
    }
  })

  it('checks out without persisting credentials', () => {
    const checkouts = steps.filter((s) =>
      s.uses?.startsWith('actions/checkout@')
    )
    expect(checkouts.length).toBeGreaterThan(0)
    for (const step of checkouts) {
      expect(step.with?.['persist-credentials']).toBe(false)
    }
  })

  it('gives a token to the tag push step and to no other step', () => {
    const withToken = steps.filter((s) => TOKEN.test(JSON.stringify(s)))
    expect(withToken.map((s) => s.name)).toEqual(['Move the major tag'])
    expect(withToken[0].run).toMatch(/git .*push/s)
  })
})
