import { describe, expect, it } from '@jest/globals'
import { buildCommandArgs, parseBuildOutput } from '../../src/build-command.js'

describe('buildCommandArgs', () => {
  const base = {
    patchedFile: '/w/.skaffold-kaniko-cache.skaffold.yaml',
    fileOutput: '/tmp/out.json',
    kubeContext: 'kind-skc',
    defaultRepo: '',
    insecureRegistries: [],
    profiles: [],
    modules: [],
    extraArgs: []
  }

  it('always names the patched file, the file output and the context', () => {
    expect(buildCommandArgs(base)).toEqual([
      'build',
      '-f',
      base.patchedFile,
      '--file-output',
      '/tmp/out.json',
      '--kube-context',
      'kind-skc'
    ])
  })

  it('adds repo, registries, profiles, modules, then the user args last', () => {
    expect(
      buildCommandArgs({
        ...base,
        defaultRepo: 'kind-registry:5000',
        insecureRegistries: ['kind-registry:5000'],
        profiles: ['ci', 'fast'],
        modules: ['app'],
        extraArgs: ['--cache-artifacts=false']
      }).slice(7)
    ).toEqual([
      '--default-repo',
      'kind-registry:5000',
      '--insecure-registry',
      'kind-registry:5000',
      '-p',
      'ci',
      '-p',
      'fast',
      '-m',
      'app',
      '--cache-artifacts=false'
    ])
  })
})

describe('parseBuildOutput', () => {
  it.each<[string, { imageName: string; tag: string }[]]>([
    [
      '{"builds":[{"imageName":"a","tag":"r/a:1@sha256:00"}]}',
      [{ imageName: 'a', tag: 'r/a:1@sha256:00' }]
    ],
    ['{"builds":null}', []],
    [
      '{"builds":[{"imageName":"a"},{"imageName":"b","tag":"t"}]}',
      [{ imageName: 'b', tag: 't' }]
    ],
    ['', []],
    ['{broken', []]
  ])('parses %j', (text, expected) => {
    expect(parseBuildOutput(text)).toEqual(expected)
  })
})
