/**
 * A namespace read from a skaffold config reaches kubectl's argument list
 * (the action creates it) only when it is a namespace name; anything else
 * fails with the file and line, before any tool is installed.
 */
import { describe, expect, it } from '@jest/globals'
import { SkaffoldConfigError } from '../../src/skaffold/errors.js'
import { DEFAULT_PATCH_OPTIONS } from '../../src/skaffold/options.js'
import { patchSkaffoldText } from '../../src/skaffold/patch.js'

const config = (namespace: string, profile = false): string =>
  profile
    ? `apiVersion: skaffold/v4beta14
kind: Config
build:
  artifacts:
    - image: app
      kaniko: {}
  cluster: {}
profiles:
  - name: ci
    build:
      artifacts:
        - image: app
          kaniko: {}
      cluster:
        namespace: ${namespace}
`
    : `apiVersion: skaffold/v4beta14
kind: Config
build:
  artifacts:
    - image: app
      kaniko: {}
  cluster:
    namespace: ${namespace}
`

function patch(text: string, defaultNamespace = '') {
  const profiles = text.includes('profiles:') ? ['ci'] : []
  return patchSkaffoldText(
    { path: 'svc/skaffold.yaml', text },
    { ...DEFAULT_PATCH_OPTIONS, defaultNamespace, profiles }
  )
}

describe('cluster.namespace from the config', () => {
  it.each([
    ['--kubeconfig=./evil', false, 8],
    ['"-n"', false, 8],
    ['"../x"', false, 8],
    ['Builds', false, 8],
    ['"a\\nb"', false, 8],
    [`"${'a'.repeat(64)}"`, false, 8],
    ['--kubeconfig=./evil', true, 15]
  ])(
    'refuses %s (in a profile: %s), naming the file and line %i',
    (namespace, profile, line) => {
      let error: unknown
      try {
        patch(config(namespace, profile), 'ci')
      } catch (e) {
        error = e
      }
      expect(error).toBeInstanceOf(SkaffoldConfigError)
      const e = error as SkaffoldConfigError
      expect(e.file).toBe('svc/skaffold.yaml')
      expect(e.line).toBe(line)
      expect(e.message).toMatch(
        new RegExp(
          `^svc/skaffold\\.yaml:${line}: cluster\\.namespace .* is not a Kubernetes namespace name`
        )
      )
    }
  )

  it('refuses it whether or not the namespace input is set', () => {
    expect(() => patch(config('--kubeconfig=./evil'))).toThrow(
      SkaffoldConfigError
    )
  })

  it('keeps a valid namespace as it is', () => {
    const { report } = patch(config('team-a'), 'ci')
    expect(report.clusters.map((c) => c.namespace)).toEqual(['team-a'])
  })
})
