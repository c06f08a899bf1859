/**
 * Every error the user can fix extends one base class, and the step reports
 * it by class (its message alone), never by a name string an unrelated
 * error could carry.
 */
import { describe, expect, it } from '@jest/globals'
import { ClusterError } from '../../src/adapters/cluster-error.js'
import { ClusterCreateError } from '../../src/adapters/cluster.js'
import { CommandError } from '../../src/adapters/exec.js'
import { UserError, UserFixableError, errorMessage } from '../../src/errors.js'
import { InputError } from '../../src/inputs.js'
import { KindConfigError } from '../../src/kind/kind-config.js'
import {
  PatchOptionsError,
  SkaffoldConfigError
} from '../../src/skaffold/errors.js'
import { ToolError } from '../../src/tools/catalog.js'

const failure = { exitCode: 1, output: 'boom', logsDir: '' }
const userErrors: [string, Error][] = [
  ['InputError', new InputError('cluster-name', 'x y', 'no spaces')],
  ['UserError', new UserError('skaffold build failed')],
  ['SkaffoldConfigError', new SkaffoldConfigError('s.yaml', 3, 1, 'bad')],
  ['PatchOptionsError', new PatchOptionsError('pvc', 'the claim is empty')],
  ['KindConfigError', new KindConfigError('kind.yaml', ['line 2: bad'])],
  ['ToolError', new ToolError('no kind for this platform')],
  ['ClusterError', new ClusterError('kind get nodes failed')],
  ['ClusterCreateError', new ClusterCreateError('c', [failure, failure])],
  ['CommandError', new CommandError('docker ps failed', 1, 'out')]
]

describe('user-fixable errors', () => {
  it.each(userErrors)(
    '%s is a UserFixableError, reported by its message alone',
    (name, error) => {
      expect(error).toBeInstanceOf(UserFixableError)
      expect(error.name).toBe(name)
      expect(errorMessage(error)).toBe(error.message)
    }
  )

  it('reports any other error with its stack', () => {
    const error = new Error('internal')
    expect(errorMessage(error)).toBe(error.stack)
  })

  it('does not take an error for a user error by its name alone', () => {
    const error = new Error('something inside went wrong')
    error.name = 'InputError'
    expect(errorMessage(error)).toBe(error.stack)
  })

  it('reports a thrown non-error as text', () => {
    expect(errorMessage('plain')).toBe('plain')
  })
})
