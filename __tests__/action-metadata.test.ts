import { describe, expect, it } from '@jest/globals'
import { parse } from 'yaml'
import {
  checkContract,
  parseActionMetadata,
  readContractSources,
  readTable,
  MARKERS
} from '../scripts/readme-tables.js'

const sources = readContractSources()
const metadata = parseActionMetadata(sources.actionYml)

describe('action.yml', () => {
  it('runs the bundled entries on node24, post always', () => {
    const runs = (parse(sources.actionYml) as { runs: unknown }).runs
    expect(runs).toEqual({
      using: 'node24',
      main: 'dist/main/index.js',
      post: 'dist/post/index.js',
      'post-if': 'always()'
    })
  })

  it('declares the eight outputs', () => {
    expect(metadata.outputs.map((o) => o.name).sort()).toEqual(
      [
        'build-artifacts',
        'kube-context',
        'build-cache-hit',
        'build-time',
        'images',
        'mod-cache-hit',
        'own-time',
        'patched-skaffold-file'
      ].sort()
    )
  })

  it('agrees with src/inputs/names.ts and the README tables', () => {
    expect(checkContract(sources)).toEqual([])
  })

  it('has README tables with every input and output', () => {
    expect(readTable(sources.readme, MARKERS.inputs)?.map((r) => r[0])).toEqual(
      metadata.inputs.map((i) => i.name)
    )
    expect(
      readTable(sources.readme, MARKERS.outputs)?.map((r) => r[0])
    ).toEqual(metadata.outputs.map((o) => o.name))
  })
})

// The check must catch drift; these run it over altered copies.
describe('checkContract', () => {
  const extraInput = sources.actionYml.replace(
    /^inputs:\n/m,
    "inputs:\n  extra-knob:\n    description: 'Not known anywhere else.'\n    default: 'x'\n"
  )

  it('fails when an input is added to action.yml only', () => {
    expect(extraInput).not.toBe(sources.actionYml)
    expect(checkContract({ ...sources, actionYml: extraInput })).toEqual(
      expect.arrayContaining([
        "input 'extra-knob' is in action.yml but not in INPUT_NAMES (src/inputs/names.ts)",
        "input 'extra-knob' is in action.yml but not in the README inputs table"
      ])
    )
  })

  it('fails when the parser knows an input action.yml lacks', () => {
    expect(
      checkContract({
        ...sources,
        inputNames: [...sources.inputNames, 'ghost']
      })
    ).toContain(
      "input 'ghost' is in INPUT_NAMES (src/inputs/names.ts) but not in action.yml"
    )
  })

  it('fails when a default differs', () => {
    expect(
      checkContract({
        ...sources,
        inputDefaults: { ...sources.inputDefaults, 'save-cache': 'always' }
      })
    ).toContain(
      'input \'save-cache\' defaults to "auto" in action.yml but "always" in INPUT_DEFAULTS (src/inputs/names.ts)'
    )
  })

  it('fails when the README table lags behind', () => {
    const readme = sources.readme.replace(/^\| `athens` .*\n/m, '')
    expect(readme).not.toBe(sources.readme)
    expect(checkContract({ ...sources, readme })).toContain(
      "input 'athens' is in action.yml but not in the README inputs table"
    )
  })

  it('fails when a description is missing', () => {
    const actionYml = sources.actionYml.replace(
      /(\n {2}images:\n) {4}description: .*\n/,
      '$1'
    )
    expect(actionYml).not.toBe(sources.actionYml)
    expect(checkContract({ ...sources, actionYml })).toContain(
      "output 'images' has no description in action.yml"
    )
  })
})
