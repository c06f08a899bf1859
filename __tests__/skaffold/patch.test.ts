/** Table-driven tests of the patcher's rules: versions, merging, collisions, profiles, errors. */
import { describe, expect, it } from '@jest/globals'
import { parse } from 'yaml'
import {
  PatchOptionsError,
  SkaffoldConfigError
} from '../../src/skaffold/errors.js'
import {
  artifactKey,
  DEFAULT_PATCH_OPTIONS,
  patchOptionsFromInputs,
  type PatchOptions
} from '../../src/skaffold/options.js'
import {
  patchSkaffoldConfigs,
  patchSkaffoldText
} from '../../src/skaffold/patch.js'
import { SCHEMAS, itWithData, newSchemaErrors } from './helpers.js'

/** The tests that validate against skaffold's schemas skip without them. */
const itSchemas = itWithData(SCHEMAS)

/** A parsed YAML tree, indexed freely; the assertions check the values. */
interface Any {
  readonly [key: string]: Any
}

const O = DEFAULT_PATCH_OPTIONS

function patch(text: string, options: Partial<PatchOptions> = {}) {
  return patchSkaffoldText(
    { path: 'skaffold.yaml', text },
    { ...O, ...options }
  )
}

function errorOf(fn: () => unknown): SkaffoldConfigError {
  try {
    fn()
  } catch (error) {
    if (error instanceof SkaffoldConfigError) return error
    throw error
  }
  throw new Error('expected a SkaffoldConfigError')
}

const kaniko = (apiVersion: string, kanikoBlock = '{}', cluster = '{}') =>
  `apiVersion: skaffold/${apiVersion}
kind: Config
build:
  artifacts:
    - image: app
      kaniko: ${kanikoBlock}
  cluster: ${cluster}
`

describe('apiVersion spelling', () => {
  itSchemas(
    'writes lowercase mountpath and volumesource.hostpath for v2beta9 and v2beta10',
    () => {
      for (const v of ['v2beta9', 'v2beta10']) {
        const input = kaniko(v)
        const { text } = patch(input)
        const doc = parse(text) as Any
        expect(doc.build.artifacts[0].kaniko.volumeMounts).toEqual([
          { name: 'gomodcache', mountpath: O.mountPaths.mod },
          { name: 'gobuildcache', mountpath: O.mountPaths.build }
        ])
        expect(doc.build.cluster.volumes[0]).toEqual({
          name: 'gomodcache',
          volumesource: {
            hostpath: {
              path: '/var/lib/skaffold-kaniko-cache/gomodcache',
              type: 'DirectoryOrCreate'
            }
          }
        })
        expect(newSchemaErrors(input, text)).toEqual([])
      }
    }
  )

  it('writes camelCase from v2beta11 and ignorePaths only from v4beta2', () => {
    const v11 = parse(patch(kaniko('v2beta11')).text) as Any
    expect(v11.build.artifacts[0].kaniko.volumeMounts[0]).toEqual({
      name: 'gomodcache',
      mountPath: O.mountPaths.mod
    })
    expect(v11.build.artifacts[0].kaniko.ignorePaths).toBeUndefined()
    const v4b1 = parse(patch(kaniko('v4beta1')).text) as Any
    expect(v4b1.build.artifacts[0].kaniko.ignorePaths).toBeUndefined()
    const v4b2 = parse(patch(kaniko('v4beta2')).text) as Any
    // kind mount-product-files.sh copies both product files into the root.
    expect(v4b2.build.artifacts[0].kaniko.ignorePaths).toEqual([
      '/product_uuid',
      '/product_name'
    ])
  })

  it.each(['v2beta8', 'v1beta11', 'v2alpha1'])(
    'refuses kaniko configs at %s with "skaffold fix"',
    (v) => {
      const error = errorOf(() => patch(kaniko(v)))
      expect(error.reason).toMatch(/skaffold fix/)
      expect(error.line).toBe(1)
    }
  )

  it('leaves an old config with nothing kaniko in it alone', () => {
    const input =
      'apiVersion: skaffold/v1beta2\nkind: Config\nbuild:\n  artifacts:\n  - image: a\n'
    const { text, report } = patch(input)
    expect(text).toBe(input)
    expect(report.documents[0]).toEqual(
      expect.objectContaining({
        status: 'nothing-to-patch',
        reason: expect.stringMatching(/old apiVersion/) as unknown
      })
    )
  })

  it.each([
    ['skaffold/v9beta1', /unknown apiVersion "skaffold\/v9beta1"/],
    ['v2beta16', /unknown apiVersion "v2beta16"/],
    ['3', /unknown apiVersion 3/]
  ])('refuses apiVersion %s', (v, message) => {
    const error = errorOf(() => patch(`apiVersion: ${v}\nkind: Config\n`))
    expect(error.reason).toMatch(message)
    expect(error.line).toBe(1)
  })

  it('refuses a document without apiVersion', () => {
    const error = errorOf(() => patch('kind: Config\nbuild: {}\n'))
    expect(error.reason).toMatch(/no apiVersion/)
  })
})

describe('user errors', () => {
  it('reports YAML syntax errors with line and column', () => {
    const error = errorOf(() =>
      patch('apiVersion: skaffold/v4beta14\nbuild:\n  artifacts: [\n')
    )
    expect(error.reason).toMatch(/YAML syntax error/)
    expect(error.line).toBeGreaterThan(0)
    expect(error.column).toBeGreaterThan(0)
  })

  it('refuses duplicate keys (skaffold does too)', () => {
    const error = errorOf(() =>
      patch('apiVersion: skaffold/v4beta14\napiVersion: skaffold/v4beta14\n')
    )
    expect(error.line).toBe(2)
  })

  it('refuses a document that is not a mapping, naming it', () => {
    const error = errorOf(() =>
      patch('apiVersion: skaffold/v4beta14\nkind: Config\n---\n- a\n- b\n')
    )
    expect(error.reason).toMatch(/document 2 is not a mapping/)
    expect(error.line).toBe(4)
  })

  it('refuses kaniko artifacts with no cluster builder', () => {
    const input =
      'apiVersion: skaffold/v4beta14\nkind: Config\nbuild:\n  artifacts:\n    - image: app\n      kaniko: {}\n'
    const error = errorOf(() => patch(input))
    expect(error.reason).toMatch(
      /uses kaniko but its build has no cluster builder/
    )
    expect(error.line).toBe(5)
  })

  it('refuses kaniko artifacts under the local builder', () => {
    const input =
      'apiVersion: skaffold/v4beta14\nkind: Config\nbuild:\n  local: {}\n  artifacts:\n    - image: app\n      kaniko: {}\n'
    expect(errorOf(() => patch(input)).reason).toMatch(/no cluster builder/)
  })

  it('refuses a profile the configs do not define', () => {
    const error = errorOf(() =>
      patch(kaniko('v4beta14'), { profiles: ['prod'] })
    )
    expect(error.reason).toMatch(/profile "prod" is not defined/)
  })

  it('refuses a buildArgs that is not a mapping', () => {
    const error = errorOf(() => patch(kaniko('v4beta14', '{buildArgs: [a]}')))
    expect(error.reason).toMatch(/buildArgs must be a mapping/)
  })

  it('rejects a cache path that skaffold or kaniko uses', () => {
    for (const path of [
      '/cache',
      '/secret/',
      '/kaniko/buildcontext',
      '/kaniko/x',
      'relative'
    ]) {
      expect(() =>
        patch(kaniko('v4beta14'), {
          mountPaths: { mod: path, build: '/var/run/b' }
        })
      ).toThrow(PatchOptionsError)
    }
  })
})

describe('merging with the user values', () => {
  it('keeps the user build args and reports them', () => {
    const input = kaniko(
      'v4beta14',
      '{buildArgs: {GOPROXY: https://corp.example, GOCACHE: /tmp/gc, KEEP: x}}'
    )
    const { text, report } = patch(input, { goProxy: 'http://athens' })
    const args = (parse(text) as Any).build.artifacts[0].kaniko.buildArgs
    expect(args).toEqual({
      GOPROXY: 'https://corp.example',
      GOCACHE: '/tmp/gc',
      KEEP: 'x',
      GOMODCACHE: O.mountPaths.mod
    })
    expect(report.artifacts[0].status).toBe('merged')
    expect(report.artifacts[0].kept.map((k) => k.key)).toEqual([
      'buildArgs.GOCACHE',
      'buildArgs.GOPROXY'
    ])
    expect(report.warnings.map((w) => w.message).join()).toMatch(
      /GOCACHE=.*cache will not be used/
    )
  })

  it('keeps a null build arg (skaffold reads it from the environment)', () => {
    const input = kaniko('v4beta14', '{buildArgs: {GOPROXY: }}')
    const { text, report } = patch(input, { goProxy: 'http://athens' })
    expect(
      (parse(text) as Any).build.artifacts[0].kaniko.buildArgs.GOPROXY
    ).toBeNull()
    expect(report.artifacts[0].kept[0]).toEqual({
      key: 'buildArgs.GOPROXY',
      userValue: null,
      ourValue: 'http://athens'
    })
  })

  it('adds GOPRIVATE and GONOSUMDB, extra build args, mirror, image, whitelistVarRun, insecureRegistry', () => {
    const { text } = patch(kaniko('v4beta14'), {
      goPrivate: 'github.com/corp/*',
      buildArgs: [['CGO_ENABLED', '0']],
      registryMirror: 'mirror.gcr.io',
      kanikoImage: 'gcr.io/kaniko-project/executor:v1.23.2',
      whitelistVarRun: true,
      insecureRegistries: ['kind-registry:5000']
    })
    const k = (parse(text) as Any).build.artifacts[0].kaniko
    expect(k.buildArgs).toEqual({
      GOMODCACHE: O.mountPaths.mod,
      GOCACHE: O.mountPaths.build,
      GOPRIVATE: 'github.com/corp/*',
      GONOSUMDB: 'github.com/corp/*',
      CGO_ENABLED: '0'
    })
    expect(k.registryMirror).toBe('mirror.gcr.io')
    expect(k.image).toBe('gcr.io/kaniko-project/executor:v1.23.2')
    expect(k.whitelistVarRun).toBe(true)
    expect(k.insecureRegistry).toEqual(['kind-registry:5000'])
  })

  it('keeps the user scalar kaniko settings', () => {
    const { report } = patch(
      kaniko('v4beta14', '{registryMirror: my.mirror, whitelistVarRun: false}'),
      {
        registryMirror: 'mirror.gcr.io',
        whitelistVarRun: true
      }
    )
    expect(report.artifacts[0].kept.map((k) => k.key)).toEqual([
      'registryMirror',
      'whitelistVarRun'
    ])
  })

  it('does not duplicate a mount or volume that is already there', () => {
    const once = patch(kaniko('v4beta14')).text
    const doc = parse(once) as Any
    expect(doc.build.artifacts[0].kaniko.volumeMounts).toHaveLength(2)
    expect(doc.build.cluster.volumes).toHaveLength(2)
    expect(patch(once).text).toBe(once)
  })

  it('turns `kaniko:` null and builder-less cluster artifacts into patched kaniko maps', () => {
    const nullKaniko =
      'apiVersion: skaffold/v4beta14\nkind: Config\nbuild:\n  artifacts:\n    - image: a\n      kaniko:\n    - image: b\n  cluster: {}\n'
    const { text, report } = patch(nullKaniko)
    const doc = parse(text) as Any
    expect(doc.build.artifacts[0].kaniko.volumeMounts).toHaveLength(2)
    expect(doc.build.artifacts[1].kaniko.volumeMounts).toHaveLength(2)
    expect(report.artifacts.map((a) => a.builder)).toEqual([
      'kaniko',
      'kaniko-implicit'
    ])
  })

  it('copies an anchored build args map instead of changing the anchor', () => {
    const input = `apiVersion: skaffold/v4beta14
kind: Config
build:
  artifacts:
    - image: a
      docker:
        buildArgs: &args
          X: "1"
  cluster: {}
profiles:
  - name: k
    build:
      artifacts:
        - image: b
          kaniko:
            buildArgs: *args
`
    const { text } = patch(input)
    const doc = parse(text, { merge: true }) as Any
    expect(doc.build.artifacts[0].docker.buildArgs).toEqual({ X: '1' })
    expect(doc.profiles[0].build.artifacts[0].kaniko.buildArgs).toEqual({
      X: '1',
      GOMODCACHE: O.mountPaths.mod,
      GOCACHE: O.mountPaths.build
    })
    expect(text).toContain('&args')
  })

  it('keeps keys that come through a merge key', () => {
    const input = `apiVersion: skaffold/v4beta14
kind: Config
.common: &common
  buildArgs:
    A: "1"
build:
  artifacts:
    - image: a
      kaniko:
        <<: *common
        target: run
  cluster: {}
`
    const { text } = patch(input)
    const doc = parse(text, { merge: true }) as Any
    expect(doc.build.artifacts[0].kaniko.buildArgs).toEqual({
      A: '1',
      GOMODCACHE: O.mountPaths.mod,
      GOCACHE: O.mountPaths.build
    })
    expect(doc['.common'].buildArgs).toEqual({ A: '1' })
    expect(patch(text).text).toBe(text)
  })

  it('keeps {{.IMAGE_REPO}} templates, quoting and comments', () => {
    const input = `# head
apiVersion: skaffold/v4beta14
kind: Config
build:
  artifacts:
    - image: app # the app
      kaniko:
        buildArgs:
          TAG: "{{.IMAGE_TAG}}"
          QUOTED: 'single'
  cluster: {}
`
    const { text } = patch(input)
    expect(text).toContain('TAG: "{{.IMAGE_TAG}}"')
    expect(text).toContain("QUOTED: 'single'")
    expect(text).toContain('# head')
    expect(text).toContain('- image: app # the app')
  })
})

describe('collisions', () => {
  it('picks the next free volume name when ours is taken by another source', () => {
    const input = kaniko(
      'v4beta14',
      '{}',
      '{volumes: [{name: gomodcache, configMap: {name: x}}]}'
    )
    const { text, report } = patch(input)
    const doc = parse(text) as Any
    expect(doc.build.cluster.volumes).toEqual([
      expect.objectContaining({ name: 'gomodcache' }),
      expect.objectContaining({ name: 'gomodcache-2' }),
      expect.objectContaining({ name: 'gobuildcache' })
    ])
    expect(doc.build.artifacts[0].kaniko.volumeMounts[0]).toEqual({
      name: 'gomodcache-2',
      mountPath: O.mountPaths.mod
    })
    expect(report.collisions).toEqual([
      expect.objectContaining({ wanted: 'gomodcache', chosen: 'gomodcache-2' })
    ])
    expect(patch(text).text).toBe(text)
  })

  it('avoids a name whose user mount is at another path', () => {
    const input = kaniko(
      'v4beta14',
      '{volumeMounts: [{name: gobuildcache, mountPath: /other}]}',
      '{volumes: [{name: gobuildcache, emptyDir: {}}]}'
    )
    const { report } = patch(input)
    expect(report.collisions.map((c) => c.chosen)).toEqual(['gobuildcache-2'])
  })

  it.each(['kaniko-emptydir', 'kaniko-secret', 'kaniko-cache', 'docker-cfg'])(
    "never uses skaffold's reserved volume name %s",
    (name) => {
      const { text, report } = patch(kaniko('v4beta14'), {
        volumeNames: { mod: name, build: 'b' }
      })
      expect((parse(text) as Any).build.cluster.volumes[0].name).toBe(
        `${name}-2`
      )
      expect(report.collisions[0].reason).toMatch(/reserved by skaffold/)
    }
  )

  it('refuses a pull secret mounted at our path', () => {
    const input = kaniko(
      'v4beta14',
      '{}',
      `{pullSecretName: s, pullSecretMountPath: ${O.mountPaths.mod}}`
    )
    expect(errorOf(() => patch(input)).reason).toMatch(
      /pullSecretMountPath \/var\/run\/gomodcache is where the action mounts/
    )
  })

  it('refuses a user mount at our path under another name', () => {
    const input = kaniko(
      'v4beta14',
      `{volumeMounts: [{name: mine, mountPath: ${O.mountPaths.build}/}]}`
    )
    const error = errorOf(() => patch(input))
    expect(error.reason).toMatch(
      /already mounts volume "mine" at \/var\/run\/gobuildcache/
    )
  })

  it('accepts the user own mount and volume when they match ours (case-insensitive keys)', () => {
    const input = kaniko(
      'v4beta14',
      `{volumeMounts: [{name: gomodcache, mountpath: ${O.mountPaths.mod}}]}`,
      '{volumes: [{name: gomodcache, hostPath: {path: /var/lib/skaffold-kaniko-cache/gomodcache}}]}'
    )
    const doc = parse(patch(input).text) as Any
    expect(doc.build.artifacts[0].kaniko.volumeMounts).toHaveLength(2)
    expect(doc.build.cluster.volumes).toHaveLength(2)
  })
})

describe('profiles', () => {
  const withProfiles = `apiVersion: skaffold/v4beta14
kind: Config
build:
  artifacts:
    - image: app
      kaniko: {}
  cluster:
    namespace: a
profiles:
  - name: other-cluster
    build:
      cluster:
        namespace: b
  - name: own
    build:
      artifacts:
        - image: tool
          kaniko: {}
  - name: add
    patches:
      - op: add
        path: /build/artifacts/1
        value: {image: extra}
      - op: replace
        path: /build/artifacts/0/kaniko/buildArgs
        value: {}
`

  itSchemas(
    'adds the volumes to a profile cluster block that replaces the base one',
    () => {
      const { text, report } = patch(withProfiles)
      const doc = parse(text) as Any
      expect(doc.build.cluster.volumes).toHaveLength(2)
      expect(doc.profiles[0].build.cluster.volumes).toHaveLength(2)
      expect(
        doc.profiles[1].build.artifacts[0].kaniko.volumeMounts
      ).toHaveLength(2)
      expect(report.artifacts.map((a) => a.place)).toEqual([
        { kind: 'base' },
        { kind: 'profile', name: 'own' }
      ])
      expect(newSchemaErrors(withProfiles, text)).toEqual([])
    }
  )

  it('warns about profile patches that add artifacts or overwrite build args', () => {
    const { report } = patch(withProfiles)
    const messages = report.warnings.map((w) => w.message)
    expect(messages).toEqual([
      expect.stringMatching(
        /profile "add" patch 0 \(add \/build\/artifacts\/1\) adds or replaces an artifact/
      ),
      expect.stringMatching(
        /profile "add" patch 1 \(replace \/build\/artifacts\/0\/kaniko\/buildArgs\) may overwrite/
      )
    ])
    expect(report.warnings[0].line).toBe(21)
  })

  it('skips kaniko under googleCloudBuild', () => {
    const input =
      'apiVersion: skaffold/v4beta14\nkind: Config\nbuild:\n  googleCloudBuild: {}\n  artifacts:\n    - image: a\n      kaniko: {}\n'
    const { text, report } = patch(input)
    expect(text).toBe(input)
    expect(report.artifacts[0].reason).toMatch(/googleCloudBuild/)
  })

  it('patches an implicit artifact only when the active profiles keep it on cluster', () => {
    const input = `apiVersion: skaffold/v4beta14
kind: Config
build:
  artifacts:
    - image: foo
  cluster: {}
profiles:
  - name: local
    build:
      local: {}
`
    expect(
      (parse(patch(input).text) as Any).build.artifacts[0].kaniko
    ).toBeDefined()
    const withLocal = patch(input, { profiles: ['local'] })
    expect(withLocal.text).toBe(input)
    expect(withLocal.report.artifacts[0].status).toBe('skipped')
  })
})

describe('a builder-less artifact whose cluster builder comes from a profile', () => {
  const input = `apiVersion: skaffold/v4beta14
kind: Config
build:
  artifacts:
    - image: svc
  local: {}
profiles:
  - name: cluster
    build:
      cluster:
        namespace: ci
`

  // skaffold applies -p profiles after the base (schema/profiles.go
  // ApplyProfiles); the profile's cluster replaces build.local, and an
  // artifact without a builder key under cluster is kaniko
  // (schema/defaults/defaults.go).
  it('patches it as kaniko, with the volumes in the profile cluster block, for profile cluster', () => {
    const { text, report } = patch(input, { profiles: ['cluster'] })
    const doc = parse(text) as Any
    expect(report.artifacts).toEqual([
      expect.objectContaining({
        image: 'svc',
        builder: 'kaniko-implicit',
        status: 'patched'
      })
    ])
    expect(report.warnings).toEqual([])
    expect(doc.build.artifacts[0].kaniko.buildArgs).toEqual(
      expect.objectContaining({ GOCACHE: O.mountPaths.build })
    )
    expect(
      (doc.profiles[0].build.cluster.volumes as unknown as Any[]).map(
        (v) => v.name
      )
    ).toEqual([O.volumeNames.mod, O.volumeNames.build])
    expect(doc.build.local).toEqual({})
  })

  it('leaves it to docker without the profile', () => {
    const { text, report } = patch(input)
    expect(text).toBe(input)
    expect(report.artifacts[0].status).toBe('skipped')
  })

  it('lets a -p profile win over auto-activated ones, and skips what only an auto-activated profile decides', () => {
    const withAuto = `${input}  - name: auto-local
    activation:
      - env: LOCAL=1
    build:
      local: {}
`
    const { report } = patch(withAuto, { profiles: ['cluster'] })
    expect(report.artifacts[0].status).toBe('patched')
    const reversed = `apiVersion: skaffold/v4beta14
kind: Config
build:
  artifacts:
    - image: svc
  local: {}
profiles:
  - name: auto-cluster
    activation:
      - env: CI=true
    build:
      cluster: {}
`
    const auto = patch(reversed)
    expect(auto.report.artifacts[0].status).toBe('skipped')
    expect(auto.report.warnings[0].message).toMatch(/several builders/)
  })
})

describe('persistentVolumeClaim source', () => {
  itSchemas('mounts one claim twice with a subPath per cache', () => {
    const input = kaniko('v4beta14')
    const { text } = patch(input, {
      volumeSource: {
        kind: 'persistentVolumeClaim',
        claim: 'go-rwx',
        volumeName: 'go-caches',
        subPaths: { mod: 'gomodcache', build: 'gobuildcache' }
      }
    })
    const doc = parse(text) as Any
    expect(doc.build.cluster.volumes).toEqual([
      { name: 'go-caches', persistentVolumeClaim: { claimName: 'go-rwx' } }
    ])
    expect(doc.build.artifacts[0].kaniko.volumeMounts).toEqual([
      { name: 'go-caches', mountPath: O.mountPaths.mod, subPath: 'gomodcache' },
      {
        name: 'go-caches',
        mountPath: O.mountPaths.build,
        subPath: 'gobuildcache'
      }
    ])
    expect(newSchemaErrors(input, text)).toEqual([])
  })
})

describe('requires', () => {
  const root =
    'apiVersion: skaffold/v4beta14\nkind: Config\nrequires:\n- path: ./app\n- path: ./web/skaffold.yaml\n'
  const app =
    'apiVersion: skaffold/v4beta14\nkind: Config\nrequires:\n- path: ../base\nbuild:\n  artifacts:\n  - image: app\n'
  const web =
    'apiVersion: skaffold/v4beta14\nkind: Config\nbuild:\n  artifacts:\n  - image: web\n    docker: {}\n'
  const base = kaniko('v4beta14')
  const files = [
    { path: '/r/skaffold.yaml', text: root },
    { path: '/r/app/skaffold.yaml', text: app },
    { path: '/r/web/skaffold.yaml', text: web },
    { path: '/r/base/skaffold.yaml', text: base }
  ]

  it('patches required files as copies and points the copies at the copies', () => {
    const result = patchSkaffoldConfigs(files, O)
    expect(result.rootPath).toBe('/r/.skaffold-kaniko-cache.skaffold.yaml')
    const byPath = Object.fromEntries(result.files.map((f) => [f.path, f]))
    expect(byPath['/r/web/skaffold.yaml'].needsCopy).toBe(false)
    expect(byPath['/r/base/skaffold.yaml'].needsCopy).toBe(true)
    expect(byPath['/r/app/skaffold.yaml'].needsCopy).toBe(true)
    expect((parse(byPath['/r/skaffold.yaml'].text) as Any).requires).toEqual([
      { path: './app/.skaffold-kaniko-cache.skaffold.yaml' },
      { path: './web/skaffold.yaml' }
    ])
    expect(
      (parse(byPath['/r/app/skaffold.yaml'].text) as Any).requires
    ).toEqual([{ path: '../base/.skaffold-kaniko-cache.skaffold.yaml' }])
    expect(byPath['/r/app/skaffold.yaml'].copyPath).toBe(
      '/r/app/.skaffold-kaniko-cache.skaffold.yaml'
    )
  })

  it('fails on a missing required file with the line of the entry', () => {
    const error = errorOf(() => patchSkaffoldConfigs(files.slice(0, 3), O))
    expect(error.file).toBe('/r/app/skaffold.yaml')
    expect(error.line).toBe(4)
    expect(error.reason).toMatch(
      /requires\[0\]\.path "\.\.\/base" names a config that was not found/
    )
  })

  it('fails on a requires cycle', () => {
    const a =
      'apiVersion: skaffold/v4beta14\nkind: Config\nrequires:\n- path: ./b.yaml\n'
    const b =
      'apiVersion: skaffold/v4beta14\nkind: Config\nrequires:\n- path: ./a.yaml\n'
    const error = errorOf(() =>
      patchSkaffoldConfigs(
        [
          { path: '/c/a.yaml', text: a },
          { path: '/c/b.yaml', text: b }
        ],
        O
      )
    )
    expect(error.reason).toMatch(/requires cycle/)
  })

  it('warns about git requires', () => {
    const input =
      'apiVersion: skaffold/v4beta14\nkind: Config\nrequires:\n- git:\n    repo: https://x\n'
    const { report } = patch(input)
    expect(report.warnings[0].message).toMatch(/comes from git/)
    expect(report.warnings[0].line).toBe(4)
  })
})

describe('profiles this build does not activate', () => {
  const input = `apiVersion: skaffold/v4beta14
kind: Config
build:
  artifacts:
    - image: app
      docker: {}
profiles:
  - name: broken
    build:
      artifacts:
        - image: k
          kaniko: {}
`
  it('skips a kaniko artifact with no cluster builder in an inactive profile, with a warning', () => {
    const { text, report } = patch(input)
    expect(text).toBe(input)
    expect(report.warnings[0].message).toMatch(/profile has no cluster builder/)
    expect(report.warnings[0].line).toBe(11)
  })

  it('refuses it when the profile is activated', () => {
    expect(
      errorOf(() => patch(input, { profiles: ['broken'] })).reason
    ).toMatch(/no cluster builder/)
  })

  it('reports the kaniko image and whitelistVarRun the patch set', () => {
    const { report } = patch(kaniko('v4beta14'), {
      kanikoImage: 'gcr.io/kaniko-project/executor:v1.7.0',
      whitelistVarRun: true
    })
    expect(report.artifacts[0].kanikoImage).toBe(
      'gcr.io/kaniko-project/executor:v1.7.0'
    )
    expect(report.artifacts[0].whitelistVarRun).toBe(true)
  })
})

describe('text shape', () => {
  it('keeps a CRLF file CRLF', () => {
    const input = kaniko('v4beta14', '{}', '\n    namespace: x').replace(
      /\n/g,
      '\r\n'
    )
    const { text } = patch(input)
    expect(text).toContain('mountPath: /var/run/gomodcache\r\n')
    expect(text.replace(/\r\n/g, '')).not.toContain('\n')
    expect(patch(text).text).toBe(text)
  })

  it('knows skaffold/v1 and v1beta17 as too old', () => {
    for (const v of ['v1', 'v1beta17']) {
      expect(errorOf(() => patch(kaniko(v))).reason).toMatch(/too old/)
    }
  })

  it('keeps a file without a trailing newline without one', () => {
    const input = kaniko('v4beta14', '{}', '\n    namespace: x').trimEnd()
    const { text } = patch(input)
    expect(text.endsWith('\n')).toBe(false)
    expect(text).toContain('    namespace: x\n    volumes:')
  })
})

describe('minimal diff', () => {
  const input = `# top
apiVersion: skaffold/v4beta6
kind: Config
build:
  tagPolicy:
    sha256: { }
  artifacts:
  - image: svc   # spaced comment
    kaniko:
      buildArgs:
        MULTI: |
          line1
          line2
  cluster:
    namespace:    odd-spacing
    volumes: [{name: extra, emptyDir: {}}]
`
  itSchemas('adds lines and leaves every other line as it was', () => {
    const { text } = patch(input)
    const out = text.split('\n')
    let next = 0
    for (const line of input.split('\n')) {
      if (line.includes('volumes: [')) continue
      const at = out.indexOf(line, next)
      expect({ line, found: at >= 0 }).toEqual({ line, found: true })
      next = at + 1
    }
    // Keys added to the block scalar's map land inside it, above the parent's new keys.
    expect(text).toContain(
      '          line2\n        GOMODCACHE: /var/run/gomodcache\n        GOCACHE: /var/run/gobuildcache\n      volumeMounts:\n'
    )
    // A changed flow list becomes a block list that keeps the user's entry,
    // in the file's own sequence indentation.
    expect(text).toContain(
      '    volumes:\n    - {name: extra, emptyDir: {}}\n    - name: gomodcache\n'
    )
    expect(newSchemaErrors(input, text)).toEqual([])
    expect(patch(text).text).toBe(text)
  })
})

describe('patchOptionsFromInputs', () => {
  const inputs = {
    goProxy: 'http://athens',
    goPrivate: '',
    buildArgs: [['A', '1']] as [string, string][],
    registryMirror: '',
    kanikoImage: '',
    initImage: '',
    whitelistVarRun: false,
    profiles: ['ci'],
    namespace: 'builds'
  }
  it('maps the hostpath cache volume to the node paths of src/cache/paths.ts', () => {
    const options = patchOptionsFromInputs(
      { ...inputs, cacheVolume: { kind: 'hostpath' } },
      ['kind-registry:5000']
    )
    expect(options.volumeSource).toEqual(DEFAULT_PATCH_OPTIONS.volumeSource)
    expect(options.insecureRegistries).toEqual(['kind-registry:5000'])
    expect(options.profiles).toEqual(['ci'])
    expect(options.goProxy).toBe('http://athens')
    expect(options.defaultNamespace).toBe('builds')
  })
  it('maps pvc:<claim> to one volume with a subPath per cache', () => {
    const options = patchOptionsFromInputs({
      ...inputs,
      cacheVolume: { kind: 'pvc', claim: 'rwx' }
    })
    expect(options.volumeSource).toEqual({
      kind: 'persistentVolumeClaim',
      claim: 'rwx',
      volumeName: 'go-caches',
      subPaths: { mod: 'gomodcache', build: 'gobuildcache' }
    })
  })
})

describe('anchored artifacts', () => {
  const input = `apiVersion: skaffold/v4beta14
kind: Config
.common: &common
  kaniko:
    target: run
.art: &art
  image: aliased
  kaniko: {}
build:
  artifacts:
    - <<: *common
      image: merged
    - *art
  cluster: {}
`
  itSchemas(
    'patches an artifact built from a merge key and one that is an alias, keeping the anchors',
    () => {
      const { text, report } = patch(input)
      expect(report.artifacts.map((a) => [a.image, a.line, a.status])).toEqual([
        ['merged', 11, 'patched'],
        ['aliased', 13, 'patched']
      ])
      const doc = parse(text, { merge: true }) as Any
      expect(doc['.art'].kaniko).toEqual({})
      expect(doc['.common'].kaniko).toEqual({ target: 'run' })
      expect(doc.build.artifacts[0].kaniko.target).toBe('run')
      expect(doc.build.artifacts[1].kaniko.volumeMounts).toHaveLength(2)
      expect(text).toContain('  cluster:\n    volumes:\n')
      expect(newSchemaErrors(input, text)).toEqual([])
      expect(patch(text).text).toBe(text)
    }
  )
})

describe('namespace', () => {
  const NS = { defaultNamespace: 'ci' }
  const doc = (cluster: string, version = 'v4beta14') =>
    `apiVersion: skaffold/${version}
kind: Config
build:
  artifacts:
    - image: app
      kaniko: {}
  cluster:${cluster}
`

  itSchemas.each([
    ['no namespace', 'ci', ' {}', ['namespace'], []],
    ['namespace: (null)', 'ci', '\n    namespace:', ['namespace'], []],
    ['namespace: ""', 'ci', '\n    namespace: ""', ['namespace'], []],
    [
      'its own namespace',
      'team',
      '\n    namespace: team',
      [],
      [{ key: 'namespace', userValue: 'team', ourValue: 'ci' }]
    ],
    ['the same namespace', 'ci', '\n    namespace: ci', [], []]
  ])(
    'a base block with %s ends up in namespace %s',
    (_, namespace, cluster, added, kept) => {
      const input = doc(cluster)
      const { text, report } = patch(input, NS)
      expect((parse(text) as Any).build.cluster.namespace).toBe(namespace)
      expect(report.clusters).toHaveLength(1)
      const c = report.clusters[0]
      expect(c.namespace).toBe(namespace)
      expect(c.added.filter((a) => a === 'namespace')).toEqual(added)
      expect(c.kept).toEqual(kept)
      expect(newSchemaErrors(input, text)).toEqual([])
      expect(patch(text, NS).text).toBe(text)
    }
  )

  itSchemas.each([
    'v2beta9',
    'v2beta10',
    'v2beta11',
    'v3',
    'v4beta1',
    'v4beta14'
  ])('writes a schema-valid namespace at %s', (version) => {
    const input = doc(' {}', version)
    const { text } = patch(input, NS)
    expect((parse(text) as Any).build.cluster.namespace).toBe('ci')
    expect(newSchemaErrors(input, text)).toEqual([])
  })

  it('adds only the namespace line to a block that already has the volumes', () => {
    const patched = patch(doc(' {}')).text
    const { text, report } = patch(patched, NS)
    expect(text.split('\n')).toHaveLength(patched.split('\n').length + 1)
    expect(text.replace('    namespace: ci\n', '')).toBe(patched)
    expect(report.clusters[0].added).toEqual(['namespace'])
    expect(report.documents[0].status).toBe('patched')
  })

  const withProfiles = `apiVersion: skaffold/v4beta14
kind: Config
build:
  artifacts:
    - image: app
      kaniko: {}
  cluster: {}
profiles:
  - name: own-cluster
    build:
      cluster:
        pullSecretName: creds
  - name: named
    build:
      cluster:
        namespace: team
  - name: base-cluster
    build:
      artifacts:
        - image: tool
          kaniko: {}
`

  itSchemas(
    'gives each profile replacement block the default and lists every block with its namespace',
    () => {
      const { text, report } = patch(withProfiles, NS)
      const out = parse(text) as Any
      expect(out.build.cluster.namespace).toBe('ci')
      expect(out.profiles[0].build.cluster.namespace).toBe('ci')
      expect(out.profiles[0].build.cluster.pullSecretName).toBe('creds')
      expect(out.profiles[1].build.cluster.namespace).toBe('team')
      // A profile with no cluster block of its own uses the base one.
      expect(out.profiles[2].build.cluster).toBeUndefined()
      expect(
        report.clusters.map((c) => [c.place, c.namespace, c.kept.length])
      ).toEqual([
        [{ kind: 'base' }, 'ci', 0],
        [{ kind: 'profile', name: 'own-cluster' }, 'ci', 0],
        [{ kind: 'profile', name: 'named' }, 'team', 1]
      ])
      expect(newSchemaErrors(withProfiles, text)).toEqual([])
      expect(patch(text, NS).text).toBe(text)
    }
  )

  it("changes nothing with defaultNamespace '' and reports the blocks' own namespaces", () => {
    const { text, report } = patch(withProfiles, { defaultNamespace: '' })
    expect(text).toBe(patch(withProfiles).text)
    expect(text).not.toMatch(/namespace: (ci|default)/)
    expect(report.clusters.map((c) => [c.namespace, c.added, c.kept])).toEqual([
      ['', ['volumes[gomodcache]', 'volumes[gobuildcache]'], []],
      ['', ['volumes[gomodcache]', 'volumes[gobuildcache]'], []],
      ['team', ['volumes[gomodcache]', 'volumes[gobuildcache]'], []]
    ])
    const patched = patch(text, { defaultNamespace: '' })
    expect(patched.text).toBe(text)
    expect(patched.report.clusters.map((c) => c.added)).toEqual([[], [], []])
  })

  it('copies an anchored cluster block instead of changing the anchor', () => {
    const input = `apiVersion: skaffold/v4beta14
kind: Config
.cluster: &cluster
  pullSecretName: creds
build:
  artifacts:
    - image: app
      kaniko: {}
  cluster: *cluster
`
    const { text } = patch(input, NS)
    const out = parse(text, { merge: true }) as Any
    expect(out['.cluster']).toEqual({ pullSecretName: 'creds' })
    expect(out.build.cluster.namespace).toBe('ci')
    expect(out.build.cluster.pullSecretName).toBe('creds')
    expect(patch(text, NS).text).toBe(text)
  })

  it.each(['Team', 'a_b', '-ci', 'x'.repeat(64)])(
    'rejects the namespace %s',
    (bad) => {
      let error: unknown
      try {
        patch(doc(' {}'), { defaultNamespace: bad })
      } catch (caught) {
        error = caught
      }
      expect(error).toBeInstanceOf(PatchOptionsError)
      expect((error as PatchOptionsError).option).toBe('namespace')
      expect((error as PatchOptionsError).message).toMatch(/namespace name/)
    }
  )
})

describe('dockerfileOverrides', () => {
  const key = artifactKey({
    file: 'skaffold.yaml',
    document: 0,
    index: 0,
    place: { kind: 'base' }
  })

  it('points kaniko.dockerfile at the copy; the report keeps the original', () => {
    const text = kaniko('v4beta11', '{dockerfile: docker/Dockerfile}')
    const { text: out, report } = patch(text, {
      dockerfileOverrides: { [key]: 'docker/.skaffold-kaniko-cache.Dockerfile' }
    })
    const doc = parse(out) as Any
    expect(doc.build.artifacts[0].kaniko.dockerfile).toBe(
      'docker/.skaffold-kaniko-cache.Dockerfile'
    )
    expect(report.artifacts[0].dockerfile).toBe('docker/Dockerfile')
  })

  it('adds the key when the artifact names no Dockerfile', () => {
    const { text: out } = patch(kaniko('v4beta11'), {
      dockerfileOverrides: { [key]: '.skaffold-kaniko-cache.Dockerfile' }
    })
    expect((parse(out) as Any).build.artifacts[0].kaniko.dockerfile).toBe(
      '.skaffold-kaniko-cache.Dockerfile'
    )
  })

  it('leaves artifacts without an override alone', () => {
    const { text: out } = patch(kaniko('v4beta11'), {
      dockerfileOverrides: { 'other.yaml#0#base#0': 'x' }
    })
    expect(
      (parse(out) as Any).build.artifacts[0].kaniko.dockerfile
    ).toBeUndefined()
  })
})
