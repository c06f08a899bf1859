/**
 * The kaniko settings the patcher adds or reports on: snapshotMode, advice
 * about costly settings the user wrote, and the runner's docker config in
 * the cluster blocks.
 */
import { readFileSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from '@jest/globals'
import { parse } from 'yaml'
import { adviceLines } from '../../src/skaffold/advice.js'
import { describeApiVersion } from '../../src/skaffold/api-version.js'
import { PatchOptionsError } from '../../src/skaffold/errors.js'
import {
  DEFAULT_PATCH_OPTIONS,
  type PatchOptions
} from '../../src/skaffold/options.js'
import { patchSkaffoldText } from '../../src/skaffold/patch.js'
import { REPO_ROOT } from '../../test-support/test-data/index.js'
import { SCHEMAS, itWithData, newSchemaErrors } from './helpers.js'

const itSchemas = itWithData(SCHEMAS)

/** A parsed YAML tree, indexed freely; the assertions check the values. */
interface Any {
  readonly [key: string]: Any
}

function patch(text: string, options: Partial<PatchOptions> = {}) {
  return patchSkaffoldText(
    { path: 'skaffold.yaml', text },
    { ...DEFAULT_PATCH_OPTIONS, ...options }
  )
}

const config = (kaniko: string, cluster = '{}', apiVersion = 'v4beta14') =>
  `apiVersion: skaffold/${apiVersion}
kind: Config
build:
  artifacts:
    - image: app
      kaniko: ${kaniko}
  cluster: ${cluster}
`

const EXAMPLES = join(REPO_ROOT, 'examples')
const exampleConfigs = readdirSync(EXAMPLES, { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => join('examples', d.name, 'skaffold.yaml'))

describe('snapshotMode', () => {
  it.each(exampleConfigs)(
    'sets snapshotMode: redo in the patched %s',
    (path) => {
      const text = readFileSync(join(REPO_ROOT, path), 'utf8')
      const { text: out, report } = patch(text)
      const doc = parse(out) as Any
      expect(doc.build.artifacts[0].kaniko.snapshotMode).toBe('redo')
      expect(report.artifacts[0].added).toContain('snapshotMode')
      expect(report.artifacts[0].snapshotMode).toBe('redo')
    }
  )

  it("keeps the user's snapshotMode: full and reports it as kept", () => {
    const input = config('{snapshotMode: full}')
    const { text, report } = patch(input)
    expect((parse(text) as Any).build.artifacts[0].kaniko.snapshotMode).toBe(
      'full'
    )
    expect(report.artifacts[0].added).not.toContain('snapshotMode')
    expect(report.artifacts[0].kept).toContainEqual({
      key: 'snapshotMode',
      userValue: 'full',
      ourValue: 'redo'
    })
    expect(report.artifacts[0].snapshotMode).toBe('full')
  })

  it("adds none with snapshotMode ''", () => {
    const { text, report } = patch(config('{}'), { snapshotMode: '' })
    expect(
      (parse(text) as Any).build.artifacts[0].kaniko.snapshotMode
    ).toBeUndefined()
    expect(report.artifacts[0].snapshotMode).toBe('')
  })

  itSchemas('stays valid for every apiVersion the patcher writes', () => {
    for (const v of ['v2beta9', 'v2beta16', 'v3', 'v4beta14']) {
      const input = config('{}', '{}', v)
      const { text } = patch(input)
      expect(text).toContain('snapshotMode: redo')
      expect(newSchemaErrors(input, text)).toEqual([])
    }
  })

  itSchemas(
    "knows, per apiVersion, whether kaniko.snapshotMode and cluster.dockerConfig exist (skaffold's schemas)",
    () => {
      const files = readdirSync(SCHEMAS.path).filter((f) =>
        /^v[0-9a-z]+\.json$/.test(f)
      )
      // Any schema set (the full one from skaffold's repository or a curated
      // one) must show both sides of snapshotMode's first version (v2beta9),
      // so the per-version fact is checked where it changes.
      const seen = new Set<boolean>()
      for (const f of files) {
        const schema = JSON.parse(
          readFileSync(join(SCHEMAS.path, f), 'utf8')
        ) as {
          definitions?: Record<string, { properties?: Record<string, unknown> }>
        }
        const defs = schema.definitions ?? {}
        const info = describeApiVersion(`skaffold/${f.replace('.json', '')}`)
        expect(info).not.toBeNull()
        const hasSnapshotMode =
          'snapshotMode' in (defs.KanikoArtifact?.properties ?? {})
        seen.add(hasSnapshotMode)
        expect([f, info?.hasSnapshotMode]).toEqual([f, hasSnapshotMode])
        expect([f, info?.hasClusterDockerConfig]).toEqual([
          f,
          'dockerConfig' in (defs.ClusterDetails?.properties ?? {})
        ])
      }
      expect([...seen].sort()).toEqual([false, true])
    }
  )
})

describe('advice about costly kaniko settings', () => {
  it('reports useNewRun with singleSnapshot, and reproducible, for examples/feed-agg', () => {
    const text = readFileSync(
      join(EXAMPLES, 'feed-agg', 'skaffold.yaml'),
      'utf8'
    )
    const { text: out, report } = patch(text)
    expect(report.artifacts[0].advice.map((a) => a.kind)).toEqual([
      'use-new-run-with-single-snapshot',
      'reproducible'
    ])
    const lines = adviceLines(report)
    expect(lines).toHaveLength(2)
    expect(lines[0]).toMatch(
      /^skaffold\.yaml:7: artifact "feed-agg": useNewRun .*singleSnapshot.*0\.6 s/
    )
    expect(lines[1]).toMatch(/reproducible: true re-tars every layer/)
    // The user's settings stay as written.
    const kaniko = (parse(out) as Any).build.artifacts[0].kaniko
    expect([
      kaniko.useNewRun,
      kaniko.singleSnapshot,
      kaniko.reproducible
    ]).toEqual([true, true, true])
  })

  it('gives none for useNewRun alone, singleSnapshot alone, or reproducible: false', () => {
    for (const kaniko of [
      '{useNewRun: true}',
      '{singleSnapshot: true}',
      '{reproducible: false}'
    ]) {
      const { report } = patch(config(kaniko))
      expect(report.artifacts[0].advice).toEqual([])
      expect(adviceLines(report)).toEqual([])
    }
  })

  it('gives none for an artifact the patcher skips', () => {
    const input = `apiVersion: skaffold/v4beta14
kind: Config
build:
  artifacts:
    - image: app
      docker: {}
  local: {}
`
    const { report } = patch(input)
    expect(report.artifacts[0].status).toBe('skipped')
    expect(report.artifacts[0].advice).toEqual([])
  })
})

describe('dockerConfig', () => {
  const ours = {
    path: '/home/runner/.docker/config.json',
    secretName: 'docker-cfg-ci'
  }

  it('adds the docker config to a cluster block with no credentials of its own', () => {
    const input = config('{}', '\n    namespace: ci')
    const { text, report } = patch(input, { dockerConfig: ours })
    expect((parse(text) as Any).build.cluster.dockerConfig).toEqual(ours)
    expect(report.clusters[0].added).toContain('dockerConfig')
    expect(report.clusters[0].dockerConfig).toEqual(
      expect.objectContaining({ status: 'added', secretName: 'docker-cfg-ci' })
    )
  })

  itSchemas('writes a dockerConfig the schema accepts', () => {
    const input = config('{}')
    const { text } = patch(input, { dockerConfig: ours })
    expect(text).toContain('secretName: docker-cfg-ci')
    expect(newSchemaErrors(input, text)).toEqual([])
  })

  it.each([
    ['pullSecretName', '\n    pullSecretName: gcr-json-key'],
    ['pullSecretPath', '\n    pullSecretPath: /creds/key.json'],
    ['dockerConfig', '\n    dockerConfig:\n      secretName: my-registry-cfg']
  ])(
    "leaves a block with the user's own %s alone and says so",
    (key, cluster) => {
      const input = config('{}', cluster)
      const { text, report } = patch(input, { dockerConfig: ours })
      const block = (parse(text) as Any).build.cluster
      expect(block.dockerConfig).toEqual(
        (parse(input) as Any).build.cluster.dockerConfig
      )
      expect(report.clusters[0].added).not.toContain('dockerConfig')
      expect(report.clusters[0].dockerConfig).toEqual(
        expect.objectContaining({ status: 'kept', key })
      )
      expect(report.clusters[0].dockerConfig?.message).toContain(key)
    }
  )

  it('treats a null dockerConfig as none', () => {
    const { text, report } = patch(config('{}', '\n    dockerConfig:'), {
      dockerConfig: ours
    })
    expect((parse(text) as Any).build.cluster.dockerConfig).toEqual(ours)
    expect(report.clusters[0].dockerConfig?.status).toBe('added')
  })

  it('adds nothing and reports nothing without the option', () => {
    const { text, report } = patch(config('{}'))
    expect((parse(text) as Any).build.cluster.dockerConfig).toBeUndefined()
    expect(report.clusters[0].dockerConfig).toBeUndefined()
  })

  it('patches the cluster block of each profile that runs kaniko', () => {
    const input = `apiVersion: skaffold/v4beta14
kind: Config
build:
  artifacts:
    - image: app
      kaniko: {}
  cluster: {}
profiles:
  - name: own
    build:
      cluster:
        pullSecretName: mine
`
    const { report } = patch(input, { dockerConfig: ours, profiles: ['own'] })
    expect(
      report.clusters.map((c) => [c.place.kind, c.dockerConfig?.status])
    ).toEqual([
      ['base', 'added'],
      ['profile', 'kept']
    ])
  })

  it('refuses a relative path or a bad secret name', () => {
    expect(() =>
      patch(config('{}'), { dockerConfig: { ...ours, path: 'config.json' } })
    ).toThrow(PatchOptionsError)
    expect(() =>
      patch(config('{}'), { dockerConfig: { ...ours, secretName: 'Bad_Name' } })
    ).toThrow(PatchOptionsError)
  })
})
