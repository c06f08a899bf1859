/**
 * Property-based tests: random configs assembled from the schema's shapes,
 * and random mutations of corpus files. The patcher either patches correctly
 * (mounts + volumes, no new schema error, idempotent, deterministic) or
 * throws its user error; never anything else.
 */
import { expect, it } from '@jest/globals'
import fc from 'fast-check'
import { stringify } from 'yaml'
import {
  PatchOptionsError,
  SkaffoldConfigError
} from '../../src/skaffold/errors.js'
import {
  DEFAULT_PATCH_OPTIONS,
  type PatchOptions
} from '../../src/skaffold/options.js'
import { patchSkaffoldConfigs } from '../../src/skaffold/patch.js'
import {
  artifactPath,
  checkMounts,
  checkNamespaces,
  clusterPaths,
  CORPUS,
  SCHEMAS,
  describeWithData,
  listCorpus,
  newSchemaErrors,
  readCorpus,
  toDocs
} from './helpers.js'
import { configureProperties } from '../../test-support/property/index.js'

configureProperties()

const VERSIONS = [
  'v2beta9',
  'v2beta10',
  'v2beta11',
  'v2beta16',
  'v2beta29',
  'v3',
  'v4beta1',
  'v4beta2',
  'v4beta14'
]
const NAMES = [
  'gomodcache',
  'gobuildcache',
  'gomodcache-2',
  'kaniko-cache',
  'docker-cfg',
  'other'
]
const PATHS = [
  '/var/run/gomodcache',
  '/var/run/gobuildcache',
  '/other',
  '/var/run/x'
]

const volume = fc
  .record({
    name: fc.constantFrom(...NAMES),
    source: fc.constantFrom<object>(
      { hostPath: { path: '/var/lib/skaffold-kaniko-cache/gomodcache' } },
      {
        hostPath: {
          path: '/var/lib/skaffold-kaniko-cache/gobuildcache',
          type: 'DirectoryOrCreate'
        }
      },
      { hostPath: { path: '/elsewhere' } },
      { configMap: { name: 'cm' } },
      { emptyDir: {} }
    )
  })
  .map(({ name, source }) => ({ name, ...source }))

const mount = fc.record({
  name: fc.constantFrom(...NAMES),
  mountPath: fc.constantFrom(...PATHS)
})

const buildArgs = fc.dictionary(
  fc.constantFrom('GOPROXY', 'GOCACHE', 'GOMODCACHE', 'CGO_ENABLED', 'X'),
  fc.constantFrom(
    '/var/run/gobuildcache',
    '/var/run/gomodcache',
    'http://proxy',
    '0',
    '{{.IMAGE_TAG}}',
    'true'
  )
)

const kanikoBlock = fc.record(
  {
    buildArgs,
    volumeMounts: fc.uniqueArray(mount, {
      maxLength: 3,
      selector: (m) => m.mountPath
    }),
    target: fc.constant('build'),
    registryMirror: fc.constant('my.mirror')
  },
  { requiredKeys: [] }
)

const artifactBody = fc.oneof(
  kanikoBlock.map((k) => ({ kaniko: k })),
  fc.constant({ docker: {} }),
  fc.constant({ custom: { buildCommand: './build.sh' } }),
  fc.constant({})
)

const builder = fc.oneof(
  fc.record({
    cluster: fc.record(
      {
        namespace: fc.constant('ns'),
        volumes: fc.array(volume, { maxLength: 3 })
      },
      { requiredKeys: [] }
    )
  }),
  fc.constant({ local: {} }),
  fc.constant({ googleCloudBuild: {} }),
  fc.constant({})
)

const artifacts = fc.array(artifactBody, { maxLength: 3 })

const profile = fc.record({
  builder,
  artifacts,
  hasBuild: fc.boolean()
})

const document = fc.record({
  version: fc.constantFrom(...VERSIONS),
  builder,
  artifacts,
  profiles: fc.array(profile, { maxLength: 2 })
})

type GeneratedDoc = typeof document extends fc.Arbitrary<infer T> ? T : never
type GeneratedProfile = GeneratedDoc['profiles'][number]

let imageCounter = 0
function assemble(doc: GeneratedDoc, d: number): object {
  const withImages = (list: object[]) =>
    list.map((a) => ({ image: `img-${d}-${imageCounter++}`, ...a }))
  const out: Record<string, unknown> = {
    apiVersion: `skaffold/${doc.version}`,
    kind: 'Config'
  }
  const build: Record<string, unknown> = { ...doc.builder }
  if (doc.artifacts.length > 0) build.artifacts = withImages(doc.artifacts)
  if (Object.keys(build).length > 0) out.build = build
  if (doc.profiles.length > 0) {
    out.profiles = doc.profiles.map((p: GeneratedProfile, i: number) => {
      const pb: Record<string, unknown> = { ...p.builder }
      if (p.artifacts.length > 0) pb.artifacts = withImages(p.artifacts)
      return p.hasBuild ? { name: `p${i}`, build: pb } : { name: `p${i}` }
    })
  }
  return out
}

const OPTIONS = fc
  .record({
    goProxy: fc.constantFrom('', 'http://athens'),
    whitelistVarRun: fc.boolean(),
    pvc: fc.boolean(),
    registryMirror: fc.constantFrom('', 'mirror.gcr.io'),
    defaultNamespace: fc.constantFrom('', 'ci', 'ns')
  })
  .map(({ pvc, ...rest }): PatchOptions => ({
    ...DEFAULT_PATCH_OPTIONS,
    ...rest,
    insecureRegistries: ['kind-registry:5000'],
    volumeSource: pvc
      ? {
          kind: 'persistentVolumeClaim',
          claim: 'rwx',
          volumeName: 'go-caches',
          subPaths: { mod: 'mod', build: 'build' }
        }
      : DEFAULT_PATCH_OPTIONS.volumeSource
  }))

/** Runs the patcher and checks every invariant; user errors are fine. */
function checkPatch(
  text: string,
  options: PatchOptions,
  minimal = false
): 'patched' | 'unchanged' | 'refused' {
  let result
  try {
    result = patchSkaffoldConfigs([{ path: '/w/skaffold.yaml', text }], options)
  } catch (error) {
    if (
      error instanceof SkaffoldConfigError ||
      error instanceof PatchOptionsError
    ) {
      expect(error.message).not.toMatch(/undefined|\[object Object\]/)
      return 'refused'
    }
    throw error
  }
  const output = result.files[0].text
  expect(newSchemaErrors(text, output)).toEqual([])
  if (minimal) {
    // Only additions, and empty {} / [] / null values expanded.
    const out = output.split('\n')
    let next = 0
    for (const line of text.split('\n')) {
      const at = out.indexOf(line, next)
      if (at < 0) expect(line).toMatch(/^\s*(- )?[\w.-]+:( \{\}| \[\])?$/)
      else next = at + 1
    }
  }
  const docs = toDocs(output) as Record<string, unknown>[]
  for (const a of result.report.artifacts.filter(
    (x) => x.status !== 'skipped'
  )) {
    const doc = docs[a.document]
    for (const cluster of clusterPaths(doc, a)) {
      expect(
        checkMounts(doc, artifactPath(doc, a), cluster, options.mountPaths)
      ).toEqual([])
    }
  }
  expect(
    checkNamespaces(docs, result.report.clusters, options.defaultNamespace)
  ).toEqual([])
  const again = patchSkaffoldConfigs(
    [{ path: '/w/skaffold.yaml', text: output }],
    options
  )
  expect(again.files[0].text).toBe(output)
  const twice = patchSkaffoldConfigs(
    [{ path: '/w/skaffold.yaml', text }],
    options
  )
  expect(twice.files[0].text).toBe(output)
  return output === text ? 'unchanged' : 'patched'
}

describeWithData(
  [SCHEMAS],
  'property: random configs from the schema shapes',
  () => {
    it('patch correctly or fail with a user error', () => {
      const seen = { patched: 0, unchanged: 0, refused: 0 }
      fc.assert(
        fc.property(
          fc.array(document, { minLength: 1, maxLength: 2 }),
          OPTIONS,
          (docs, options) => {
            const text = docs
              .map((d, i) => stringify(assemble(d, i)))
              .join('---\n')
            seen[checkPatch(text, options, true)]++
          }
        ),
        { numRuns: 120 }
      )
      // The generator must reach all three outcomes, or it tests too little.
      expect(seen.patched).toBeGreaterThan(10)
      expect(seen.unchanged).toBeGreaterThan(5)
      expect(seen.refused).toBeGreaterThan(5)
    })
  }
)

describeWithData([SCHEMAS, CORPUS], 'property: mutated corpus files', () => {
  const corpus = listCorpus().map(readCorpus)
  const mutation = fc.record({
    file: fc.nat({ max: Math.max(0, corpus.length - 1) }),
    line: fc.nat(),
    kind: fc.constantFrom(
      'delete',
      'duplicate',
      'indent',
      'dedent',
      'insert',
      'truncate'
    ),
    token: fc.constantFrom(
      'kaniko: {}',
      '- image: x',
      'cluster:',
      'volumes: [',
      '---',
      'buildArgs: {GOCACHE: /tmp}',
      '  ',
      '&a',
      '*a',
      'apiVersion: skaffold/v2beta10'
    ),
    defaultNamespace: fc.constantFrom('', 'ci')
  })

  it('patch a mutated corpus file correctly or fail with a user error', () => {
    fc.assert(
      fc.property(mutation, ({ file, line, kind, token, defaultNamespace }) => {
        const lines = corpus[file].split('\n')
        const at = line % lines.length
        if (kind === 'delete') lines.splice(at, 1)
        if (kind === 'duplicate') lines.splice(at, 0, lines[at])
        if (kind === 'indent') lines[at] = '  ' + lines[at]
        if (kind === 'dedent') lines[at] = lines[at].replace(/^ {1,2}/, '')
        if (kind === 'insert') lines.splice(at, 0, token)
        if (kind === 'truncate')
          lines[at] = lines[at].slice(0, Math.floor(lines[at].length / 2))
        expect(['patched', 'unchanged', 'refused']).toContain(
          checkPatch(lines.join('\n'), {
            ...DEFAULT_PATCH_OPTIONS,
            defaultNamespace
          })
        )
      }),
      { numRuns: 120 }
    )
  })
})
