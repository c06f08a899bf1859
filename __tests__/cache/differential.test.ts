/**
 * The differential save, table-driven: what counts as new, the threshold
 * input, and the decision.
 */
import { describe, expect, it } from '@jest/globals'
import {
  decideDifferentialSave,
  newEntries,
  parseSaveThreshold,
  thresholdBytes,
  type NewEntries,
  type SaveThreshold
} from '../../src/cache/differential.js'
import { InputError, parseInputs } from '../../src/inputs.js'

const MiB = 1024 * 1024

describe('parseSaveThreshold', () => {
  it.each<[string, SaveThreshold | undefined]>([
    ['auto', { kind: 'auto' }],
    [' AUTO ', { kind: 'auto' }],
    ['always', { kind: 'always' }],
    ['0', { kind: 'always' }],
    ['0%', { kind: 'always' }],
    ['0MiB', { kind: 'always' }],
    ['5MiB', { kind: 'bytes', bytes: 5 * MiB }],
    ['5 MiB', { kind: 'bytes', bytes: 5 * MiB }],
    ['500kB', { kind: 'bytes', bytes: 500_000 }],
    ['1.5KiB', { kind: 'bytes', bytes: 1536 }],
    ['1048576', { kind: 'bytes', bytes: MiB }],
    ['2%', { kind: 'percent', percent: 2 }],
    ['0.5%', { kind: 'percent', percent: 0.5 }],
    ['101%', undefined],
    ['-1', undefined],
    ['5 parsecs', undefined],
    ['never', undefined],
    ['', undefined]
  ])('%j', (text, expected) => {
    expect(parseSaveThreshold(text)).toEqual(expected)
  })

  it('is the save-threshold input, auto by default, and names the input when wrong', () => {
    expect(parseInputs(() => '').saveThreshold).toEqual({ kind: 'auto' })
    expect(
      parseInputs((name) => (name === 'save-threshold' ? '2%' : ''))
        .saveThreshold
    ).toEqual({ kind: 'percent', percent: 2 })
    expect(() =>
      parseInputs((name) => (name === 'save-threshold' ? 'lots' : ''))
    ).toThrow(InputError)
    expect(() =>
      parseInputs((name) => (name === 'save-threshold' ? 'lots' : ''))
    ).toThrow(
      /Input 'save-threshold' has an invalid value "lots": expected auto/
    )
  })
})

describe('thresholdBytes', () => {
  it.each<[SaveThreshold, number, number]>([
    // auto: 1 MiB floor below a 100 MiB cache, 1% above it.
    [{ kind: 'auto' }, 0, MiB],
    [{ kind: 'auto' }, 59.5 * MiB, MiB],
    [{ kind: 'auto' }, 1000 * MiB, 10 * MiB],
    [{ kind: 'always' }, 1000 * MiB, 0],
    [{ kind: 'bytes', bytes: 5 * MiB }, 1000 * MiB, 5 * MiB],
    [{ kind: 'percent', percent: 2 }, 100 * MiB, 2 * MiB]
  ])('%j of %d bytes is %d', (threshold, total, expected) => {
    expect(thresholdBytes(threshold, total)).toBe(expected)
  })
})

describe('newEntries', () => {
  it('counts names the restore did not hold, whatever their mtimes', () => {
    const restored = new Set(['ab/old-a', 'ab/old-d', 'README'])
    expect(
      newEntries(restored, [
        { path: 'ab/old-a', size: 100 },
        { path: 'ab/old-d', size: 1000 },
        { path: 'README', size: 10 },
        { path: 'cd/new-a', size: 5 },
        { path: 'cd/new-d', size: 50 }
      ])
    ).toEqual({ files: 2, bytes: 55, totalBytes: 1165 })
  })

  it('does not count restored entries the build dropped', () => {
    expect(
      newEntries(new Set(['ab/gone', 'ab/kept']), [
        { path: 'ab/kept', size: 7 }
      ])
    ).toEqual({ files: 0, bytes: 0, totalBytes: 7 })
  })
})

describe('decideDifferentialSave', () => {
  const warm: NewEntries = {
    files: 4,
    bytes: 10_854,
    totalBytes: 59.5 * MiB
  }
  const changedDependency: NewEntries = {
    files: 900,
    bytes: 14 * MiB,
    totalBytes: 73 * MiB
  }
  const nothing: NewEntries = { files: 0, bytes: 0, totalBytes: 59.5 * MiB }
  it.each<[string, SaveThreshold, NewEntries, boolean]>([
    ['auto, a warm run with 4 tiny new files', { kind: 'auto' }, warm, false],
    ['auto, a changed dependency', { kind: 'auto' }, changedDependency, true],
    ['auto, nothing new', { kind: 'auto' }, nothing, false],
    ['always, a warm run', { kind: 'always' }, warm, true],
    ['always, nothing new', { kind: 'always' }, nothing, true],
    ['1 byte, nothing new', { kind: 'bytes', bytes: 1 }, nothing, false],
    ['10 kB, a warm run', { kind: 'bytes', bytes: 10_000 }, warm, true],
    ['20 kB, a warm run', { kind: 'bytes', bytes: 20_000 }, warm, false],
    [
      '25%, a changed dependency',
      { kind: 'percent', percent: 25 },
      changedDependency,
      false
    ],
    [
      '1%, a changed dependency',
      { kind: 'percent', percent: 1 },
      changedDependency,
      true
    ]
  ])('%s', (_name, threshold, found, save) => {
    expect(decideDifferentialSave(threshold, found).save).toBe(save)
  })
})
