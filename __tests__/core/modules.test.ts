import { describe, expect, it } from '@jest/globals'
import { InputError } from '../../src/inputs.js'
import { checkModules } from '../../src/skaffold/modules.js'
import type { DocumentReport } from '../../src/skaffold/report.js'

const doc = (file: string, name: string): DocumentReport => ({
  file,
  document: 0,
  apiVersion: 'skaffold/v4beta14',
  name,
  status: 'patched',
  reason: ''
})

const files = [
  { path: '/w/skaffold.yaml', text: 'requires:\n  - path: ./web\n' },
  { path: '/w/web/skaffold.yaml', text: 'metadata:\n  name: web\n' }
]
const documents = [doc(files[0].path, 'app'), doc(files[1].path, 'web')]

describe('checkModules', () => {
  it('accepts names of the root config and of the configs it requires', () => {
    expect(() => checkModules(['web', 'app'], files, documents)).not.toThrow()
    expect(() => checkModules([], files, [])).not.toThrow()
  })

  it('refuses an unknown name beside known ones, listing the names found', () => {
    const run = () => checkModules(['app', 'wbe'], files, documents)
    expect(run).toThrow(InputError)
    expect(run).toThrow(
      /Input 'module' .*"app,wbe".*no skaffold config is named "wbe" .*named "app", "web"/
    )
  })

  it('leaves the names to skaffold when a config comes from git', () => {
    const remote = [
      {
        path: '/w/skaffold.yaml',
        text: 'requires:\n  - git:\n      repo: https://example.com/r\n'
      }
    ]
    expect(() =>
      checkModules(['elsewhere'], remote, [doc(remote[0].path, 'app')])
    ).not.toThrow()
  })
})
