/**
 * The cluster objects the action applies in one `kubectl apply`: the
 * namespaces first, then the registry's ConfigMap, as one YAML stream.
 */
import { describe, expect, it } from '@jest/globals'
import { parseAllDocuments } from 'yaml'
import {
  buildNamespaces,
  clusterManifest,
  localRegistryHostingObject
} from '../../src/kind/objects.js'

describe('buildNamespaces', () => {
  it.each([
    [['skaffold', '', 'skaffold'], '', ['skaffold']],
    [['b', 'a'], 'builds', ['a', 'b', 'builds']],
    [[''], '', []],
    [[], 'builds', ['builds']]
  ])('%j with the input %j -> %j', (blocks, input, expected) => {
    expect(buildNamespaces(blocks, input)).toEqual(expected)
  })
})

describe('clusterManifest', () => {
  it('puts every namespace before the ConfigMap, one document each', () => {
    const text = clusterManifest({
      namespaces: ['a', 'b'],
      registryHost: 'ci-registry:5000'
    })
    const documents = parseAllDocuments(text).map((d) => d.toJS() as unknown)
    expect(documents).toEqual([
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'a' } },
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'b' } },
      {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'local-registry-hosting', namespace: 'kube-public' },
        data: {
          'localRegistryHosting.v1':
            'host: "ci-registry:5000"\nhostFromClusterNetwork: "ci-registry:5000"\nhelp: "https://kind.sigs.k8s.io/docs/user/local-registry/"\n'
        }
      }
    ])
  })

  it('keeps a hostile namespace name a string value, never YAML structure', () => {
    const name = 'x\n---\nkind: Secret'
    const documents = parseAllDocuments(clusterManifest({ namespaces: [name] }))
    expect(documents).toHaveLength(1)
    expect(documents[0].toJS()).toMatchObject({ metadata: { name } })
  })

  it('is empty when there is nothing to apply (kubectl refuses an empty stream)', () => {
    expect(clusterManifest({ namespaces: [] })).toBe('')
    expect(clusterManifest({ namespaces: [], registryHost: 'r:1' })).toBe(
      `${localRegistryHostingObject('r:1')}\n`
    )
  })
})
