import { describe, expect, it } from '@jest/globals'
import {
  INPUT_DEFAULTS,
  INPUT_NAMES,
  InputError,
  parseInputs,
  type InputName
} from '../../src/inputs.js'
import { splitArgs } from '../../src/build-command.js'

function parse(values: Partial<Record<InputName, string>>) {
  return parseInputs((name) => values[name] ?? '')
}

describe('parseInputs', () => {
  it('gives the declared defaults when nothing is set', () => {
    const inputs = parse({})
    expect(inputs.skaffoldFile).toBe('skaffold.yaml')
    expect(inputs.saveCache).toBe('auto')
    expect(inputs.cache).toBe(true)
    expect(inputs.cacheDependencyPath).toEqual(['**/go.sum'])
    expect(inputs.kindVersion).toBe('v0.32.0')
    expect(inputs.skaffoldVersion).toBe('v2.24.0')
    expect(inputs.registryPort).toBe(5000)
    expect(inputs.cacheVolume).toEqual({ kind: 'hostpath' })
    expect(inputs.createCluster).toBe(true)
    expect(inputs.athens).toBe(false)
  })

  it('has a default entry for every input name and no other', () => {
    expect(Object.keys(INPUT_DEFAULTS).sort()).toEqual([...INPUT_NAMES].sort())
  })

  it.each<[string, Partial<Record<InputName, string>>, unknown]>([
    [
      'profiles split on commas and lines',
      { profile: 'a, b\nc' },
      { profiles: ['a', 'b', 'c'] }
    ],
    ['modules', { module: 'app,web' }, { modules: ['app', 'web'] }],
    [
      'build args keep "=" in values',
      { 'build-args': 'A=1\nB=x=y\n\n' },
      {
        buildArgs: [
          ['A', '1'],
          ['B', 'x=y']
        ]
      }
    ],
    [
      'versions get their v',
      { 'kind-version': '0.31.0' },
      { kindVersion: 'v0.31.0' }
    ],
    [
      'booleans in the runner spellings',
      { cache: 'FALSE', athens: 'True' },
      { cache: false, athens: true }
    ],
    [
      'a pvc cache volume',
      { 'cache-volume': 'pvc:go-caches', 'create-cluster': 'false' },
      { cacheVolume: { kind: 'pvc', claim: 'go-caches' } }
    ],
    [
      'trailing slashes dropped from base URLs',
      { 'kind-download-url': 'http://127.0.0.1:9/kind/' },
      { kindDownloadUrl: 'http://127.0.0.1:9/kind' }
    ],
    [
      'skaffold args split like a shell',
      { 'skaffold-args': `--cache-artifacts=false -b "my app"` },
      { skaffoldArgs: ['--cache-artifacts=false', '-b', 'my app'] }
    ]
  ])('parses %s', (_, values, expected) => {
    expect(parse(values)).toMatchObject(expected as object)
  })

  it.each<[InputName, string, RegExp]>([
    [
      'save-cache',
      'sometimes',
      /Input 'save-cache' has an invalid value "sometimes": expected one of auto, always, never/
    ],
    ['cache', 'yes', /Input 'cache' .*"yes".*expected true or false/],
    ['registry-port', '70000', /Input 'registry-port'.*1 to 65535/],
    [
      'kind-version',
      'latest',
      /Input 'kind-version'.*release tag such as v1\.2\.3/
    ],
    ['cluster-name', 'My_Cluster', /Input 'cluster-name'.*lowercase/],
    ['namespace', 'Build', /Input 'namespace'.*Kubernetes namespace/],
    ['build-args', 'NOEQUALS', /Input 'build-args'.*KEY=VALUE/],
    ['build-args', 'A=1\nA=2', /KEY A is given twice/],
    ['cache-volume', 'nfs', /Input 'cache-volume'.*hostpath, or pvc:<claim>/],
    ['cache-key-prefix', 'a,b', /Input 'cache-key-prefix'/],
    [
      'skaffold-download-url',
      'ftp://mirror/skaffold',
      /http:\/\/ or https:\/\//
    ],
    ['skaffold-args', '"unterminated', /unterminated " quote/],
    ['skaffold-args', '-p dev', /-p is set by the action itself/],
    [
      'skaffold-args',
      '--default-repo=x',
      /--default-repo is set by the action itself/
    ]
  ])(
    'refuses %s = %j naming the input and what is accepted',
    (name, value, message) => {
      expect(() => parse({ [name]: value })).toThrow(InputError)
      expect(() => parse({ [name]: value })).toThrow(message)
    }
  )

  it('runs the registry by digest and Athens by tag unless told otherwise', () => {
    const inputs = parse({})
    expect(inputs.registryImage).toBe(
      'registry:2@sha256:a3d8aaa63ed8681a604f1dea0aa03f100d5895b6a58ace528858a7b332415373'
    )
    expect(inputs.athensImage).toBe('gomods/athens:v0.18.0')
    // The kaniko executor is pinned too (see __tests__/skaffold/images.test.ts).
    expect(inputs.kanikoImage).toMatch(/@sha256:[0-9a-f]{64}$/)
  })

  it.each(['registry-image', 'athens-image', 'kaniko-image'] as const)(
    'takes %s pinned as name@sha256:<64 hex>',
    (name) => {
      const value = `mirror.example/team/image@sha256:${'ab'.repeat(32)}`
      const inputs = parse({ [name]: value })
      const key = {
        'registry-image': 'registryImage',
        'athens-image': 'athensImage',
        'kaniko-image': 'kanikoImage'
      }[name] as 'registryImage' | 'athensImage' | 'kanikoImage'
      expect(inputs[key]).toBe(value)
    }
  )

  it.each(['registry-image', 'athens-image', 'kaniko-image'] as const)(
    'refuses a malformed %s, naming it',
    (name) => {
      expect(() => parse({ [name]: 'image@sha256:1234' })).toThrow(
        new InputError(
          name,
          'image@sha256:1234',
          'expected a digest written sha256:<64 lowercase hex digits> after the @, not "sha256:1234"'
        )
      )
      expect(() => parse({ [name]: '--network=host' })).toThrow(
        `Input '${name}' has an invalid value`
      )
    }
  )

  it('refuses credentials for an http:// proxy, without echoing them', () => {
    const run = () =>
      parse({ 'go-proxy': 'http://bot:s3cret@goproxy.corp/,direct' })
    expect(run).toThrow(/Go refuses to send credentials to an http:\/\/ proxy/)
    expect(run).toThrow(/"http:\/\/\*\*\*@goproxy\.corp\/"/)
    expect(run).not.toThrow(/s3cret/)
    expect(
      parse({
        'go-proxy': 'https://bot:s3cret@goproxy.corp/|http://athens:3000'
      }).goProxy
    ).toBe('https://bot:s3cret@goproxy.corp/|http://athens:3000')
  })

  it('refuses a pvc cache with a cluster the action would create', () => {
    expect(() => parse({ 'cache-volume': 'pvc:c' })).toThrow(
      /set create-cluster: false/
    )
  })

  it('leaves the namespace to the config unless it is set', () => {
    expect(parse({}).namespace).toBe('')
    expect(parse({ namespace: 'builds' }).namespace).toBe('builds')
  })

  it.each<[Partial<Record<InputName, string>>, RegExp]>([
    [
      { 'cache-volume': 'pvc:c', 'create-cluster': 'false', athens: 'true' },
      /Input 'athens'.*kind network/
    ],
    [
      { 'create-cluster': 'false', 'node-image': 'kindest/node:v1.36.1' },
      /Input 'node-image'.*create-cluster: true/
    ]
  ])('refuses inputs that would be ignored: %j', (values, message) => {
    expect(() => parse(values)).toThrow(message)
  })

  it('refuses a kind config when the cluster is reused', () => {
    expect(() =>
      parse({ 'create-cluster': 'false', 'kind-config': 'kind.yaml' })
    ).toThrow(/Input 'kind-config'/)
  })
})

describe('pass-env', () => {
  it('lists the names of further variables the tools may see', () => {
    expect(parse({}).passEnv).toEqual([])
    expect(
      parse({ 'pass-env': 'VERSION, AWS_REGION\nNPM_CONFIG' }).passEnv
    ).toEqual(['VERSION', 'AWS_REGION', 'NPM_CONFIG'])
  })

  it.each([
    'ACTIONS_RUNTIME_TOKEN',
    'ACTIONS_ID_TOKEN_REQUEST_TOKEN',
    'INPUT_ATHENS',
    'GITHUB_TOKEN',
    'GITHUB_ENV'
  ])('refuses %s, which is never passed, naming the input', (name) => {
    expect(() => parse({ 'pass-env': `VERSION,${name}` })).toThrow(
      /^Input 'pass-env' has an invalid value .*never given to the tools/
    )
  })

  it('refuses what is not a variable name', () => {
    expect(() => parse({ 'pass-env': 'A=1' })).toThrow(InputError)
  })
})

describe('splitArgs', () => {
  it.each<[string, string[] | { error: string }]>([
    ['', []],
    ['  a   b ', ['a', 'b']],
    [`'a b' "c d" e\\ f`, ['a b', 'c d', 'e f']],
    [`"say \\"hi\\""`, ['say "hi"']],
    [`--x=''`, ['--x=']],
    [`'$HOME' "$(rm -rf /)"`, ['$HOME', '$(rm -rf /)']],
    [`'open`, { error: "unterminated ' quote" }]
  ])('splits %j', (value, expected) => {
    expect(splitArgs(value)).toEqual(expected)
  })
})

describe('parseInputs refuses what would reach the build unseen', () => {
  it.each<[InputName, string]>([
    ['build-args', 'TOKEN={{.GITHUB_TOKEN | b64enc}}'],
    ['go-proxy', 'https://proxy.golang.org,{{.ACTIONS_RUNTIME_TOKEN}}'],
    ['go-private', 'github.com/corp/*{{.GITHUB_TOKEN}}']
  ])('a template in %s (skaffold expands it)', (name, value) => {
    expect(() => parse({ [name]: value })).toThrow(InputError)
    expect(() => parse({ [name]: value })).toThrow(
      new RegExp(`Input '${name}'.*Go template`)
    )
  })

  it.each<InputName>([
    'go-proxy',
    'go-private',
    'kaniko-image',
    'registry-mirror',
    'node-image',
    'default-repo',
    'service'
  ])('a second line in the single-value input %s', (name) => {
    const run = () => parse({ [name]: 'first\nsecond' })
    expect(run).toThrow(InputError)
    expect(run).toThrow(new RegExp(`Input '${name}'.*single line`))
  })

  it('a NUL in any input, lists included', () => {
    expect(() => parse({ profile: 'a\u0000b' })).toThrow(
      /Input 'profile'.*U\+0000/
    )
    expect(() => parse({ 'skaffold-file': 'a\u0000.yaml' })).toThrow(
      /Input 'skaffold-file'/
    )
  })

  it('keeps lists on several lines', () => {
    expect(parse({ profile: 'a\r\nb' }).profiles).toEqual(['a', 'b'])
  })

  it.each<[string, string]>([
    ['https://user:p@ss@goproxy.corp/', 'user:p@ss'],
    ['https://proxy.golang.org|https://a@b:c@goproxy.corp', 'a@b:c']
  ])('a raw "@" in the credentials of %j, without echoing them', (value) => {
    const run = () => parse({ 'go-proxy': value })
    expect(run).toThrow(/Input 'go-proxy'.*percent-encode it as %40/)
    expect(run).not.toThrow(/p@ss|b:c/)
    expect(
      parse({ 'go-proxy': 'https://user:p%40ss@goproxy.corp/' }).goProxy
    ).toBe('https://user:p%40ss@goproxy.corp/')
  })

  it.each<InputName>([
    'kind-download-url',
    'skaffold-download-url',
    'kubectl-download-url'
  ])('a raw "@" in the credentials of %s', (name) => {
    const run = () => parse({ [name]: 'https://bot:p@ss@mirror.corp/kind' })
    expect(run).toThrow(new RegExp(`Input '${name}'.*percent-encode it as %40`))
    expect(run).not.toThrow(/p@ss/)
  })

  it.each<[string, string]>([
    ['-fother.yaml', '-f'],
    ['-pprod', '-p'],
    ['-p=prod', '-p'],
    ['-dX', '-d'],
    ['-mfoo', '-m'],
    ['-qpprod', '-p'],
    ['--cache-artifacts=false -mfoo', '-m']
  ])('the attached short flag %j in skaffold-args', (value, flag) => {
    expect(() => parse({ 'skaffold-args': value })).toThrow(
      new RegExp(`Input 'skaffold-args'.*${flag} is set by the action itself`)
    )
  })

  it.each<string>(['-vdebug', '-q', '-t fixed', '-b app', '-- -pprod'])(
    'keeps skaffold-args %j whose shorthands the action does not own',
    (value) => {
      expect(parse({ 'skaffold-args': value }).skaffoldArgs.length).toBe(
        value.split(' ').length
      )
    }
  )

  it.each<[Partial<Record<InputName, string>>, string]>([
    [{ 'build-args': 'GOCACHE=/tmp/x' }, 'GOCACHE'],
    [{ 'build-args': 'A=1\nGOMODCACHE=/go' }, 'GOMODCACHE'],
    [
      { 'build-args': 'GOPROXY=direct', 'go-proxy': 'https://p.example' },
      'GOPROXY'
    ],
    [{ 'build-args': 'GOPROXY=direct', athens: 'true' }, 'GOPROXY'],
    [
      { 'build-args': 'GONOSUMDB=x', 'go-private': 'github.com/corp/*' },
      'GONOSUMDB'
    ]
  ])('a build arg the action sets itself: %j', (values, key) => {
    expect(() => parse(values)).toThrow(
      new RegExp(`Input 'build-args'.*the action sets ${key} itself`)
    )
  })

  it('leaves GOPROXY and GOPRIVATE to build-args when the action sets neither', () => {
    expect(
      parse({ 'build-args': 'GOPROXY=direct\nGOPRIVATE=x' }).buildArgs
    ).toEqual([
      ['GOPROXY', 'direct'],
      ['GOPRIVATE', 'x']
    ])
  })

  it('shows a very long value cut short', () => {
    const run = () => parse({ 'kaniko-image': `${'a'.repeat(5000)}\nb` })
    expect(run).toThrow(/a{120}…"/)
  })
})
