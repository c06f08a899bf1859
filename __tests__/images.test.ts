import { describe, expect, it } from '@jest/globals'
import {
  DEFAULT_ATHENS_IMAGE,
  DEFAULT_REGISTRY_IMAGE,
  isPinnedByDigest,
  parseImageReference
} from '../src/images.js'

const DIGEST = `sha256:${'0123456789abcdef'.repeat(4)}`

describe('the default images', () => {
  it('runs the registry by digest', () => {
    expect(parseImageReference(DEFAULT_REGISTRY_IMAGE)).toEqual({
      name: 'registry',
      tag: '2',
      digest:
        'sha256:a3d8aaa63ed8681a604f1dea0aa03f100d5895b6a58ace528858a7b332415373'
    })
    expect(isPinnedByDigest(DEFAULT_REGISTRY_IMAGE)).toBe(true)
  })

  it('runs Athens by tag: no two public sources agree on a digest for it', () => {
    expect(DEFAULT_ATHENS_IMAGE).toBe('gomods/athens:v0.18.0')
    expect(isPinnedByDigest(DEFAULT_ATHENS_IMAGE)).toBe(false)
  })
})

describe('parseImageReference', () => {
  it.each<[string, unknown]>([
    ['registry:2', { name: 'registry', tag: '2' }],
    ['gomods/athens:v0.18.0', { name: 'gomods/athens', tag: 'v0.18.0' }],
    [
      `gcr.io/kaniko-project/executor:v1.23.2@${DIGEST}`,
      {
        name: 'gcr.io/kaniko-project/executor',
        tag: 'v1.23.2',
        digest: DIGEST
      }
    ],
    [
      `ghcr.io/osscontainertools/kaniko@${DIGEST}`,
      { name: 'ghcr.io/osscontainertools/kaniko', digest: DIGEST }
    ],
    [
      `localhost:5000/team/my_image@${DIGEST}`,
      { name: 'localhost:5000/team/my_image', digest: DIGEST }
    ],
    [
      'mirror.example:8443/library/registry',
      { name: 'mirror.example:8443/library/registry' }
    ]
  ])('takes %s', (value, expected) => {
    expect(parseImageReference(value)).toEqual(expected)
  })

  it.each([
    [
      'a short digest',
      'registry@sha256:abc123',
      'sha256:<64 lowercase hex digits>'
    ],
    ['an uppercase digest', `registry@${DIGEST.toUpperCase()}`, 'sha256:<64'],
    ['another algorithm', `registry@sha512:${'a'.repeat(128)}`, 'sha256:<64'],
    ['a digest with no algorithm', `registry@${'a'.repeat(64)}`, 'sha256:<64'],
    ['an uppercase name', 'Registry:2', 'an image reference'],
    ['a flag', '--privileged', 'an image reference'],
    ['a space', 'registry:2 --rm', 'an image reference'],
    ['a newline', 'registry:2\nevil:1', 'an image reference'],
    ['a path', '../registry', 'an image reference'],
    ['an empty tag', 'registry:', 'an image reference'],
    ['a template', 'registry:{{.GITHUB_TOKEN}}', 'an image reference'],
    ['an empty string', '', 'an image reference']
  ])('refuses %s', (_label, value, message) => {
    const parsed = parseImageReference(value)
    expect('error' in parsed && parsed.error).toContain(message)
    expect(isPinnedByDigest(value)).toBe(false)
  })
})
