/**
 * Golden: the seed's "baseline" config patched with the seed's inputs is the
 * seed's "final" config, key for key. Both YAMLs are extracted from the seed
 * markdown at test time.
 */
import { expect, it } from '@jest/globals'
import { parse } from 'yaml'
import {
  DEFAULT_PATCH_OPTIONS,
  type PatchOptions
} from '../../src/skaffold/options.js'
import { patchSkaffoldText } from '../../src/skaffold/patch.js'
import {
  SCHEMAS,
  SEED_DOC,
  describeWithData,
  newSchemaErrors,
  readSeedDoc
} from './helpers.js'

const SEED = readSeedDoc()

/** The first ```yaml block after a heading. */
function yamlAfter(heading: string): string {
  if (SEED === '') return '' // absent: the suite is skipped
  const start = SEED.indexOf(heading)
  if (start < 0) throw new Error(`seed has no heading ${heading}`)
  const match = /```yaml\n([\s\S]*?)```/.exec(SEED.slice(start))
  if (!match) throw new Error(`no yaml block after ${heading}`)
  return match[1]
}

/** The seed's inputs (section "mounted caches" and "final setup"). */
const SEED_OPTIONS: PatchOptions = {
  ...DEFAULT_PATCH_OPTIONS,
  mountPaths: { mod: '/var/run/gomodcache', build: '/var/run/gobuildcache' },
  volumeNames: { mod: 'modcache', build: 'buildcache' },
  volumeSource: {
    kind: 'hostPath',
    paths: {
      mod: '/opt/kind/cluster30/kaniko-gomodcache',
      build: '/opt/kind/cluster30/kaniko-gobuildcache'
    },
    // The seed's volumes have no hostPath type.
    type: ''
  },
  goProxy: 'http://athens.athens.svc.cluster.local',
  registryMirror: 'mirror.gcr.io',
  whitelistVarRun: true,
  // The seed's final config sets no snapshotMode (the action adds redo).
  snapshotMode: ''
}

describeWithData([SEED_DOC, SCHEMAS], 'the seed (golden)', () => {
  const baseline = yamlAfter('#### _baseline_')
  const final = yamlAfter('#### _final_ setup')

  it('extracts the two configs from the seed', () => {
    expect(baseline).toContain('apiVersion: skaffold/v2beta16')
    expect(final).toContain('volumes:')
    expect(baseline).not.toContain('volumes:')
  })

  it('patches the baseline into the final config, key for key', () => {
    const { text, report } = patchSkaffoldText(
      { path: 'skaffold.yaml', text: baseline },
      SEED_OPTIONS
    )
    expect(parse(text)).toEqual(parse(final))
    expect(report.artifacts).toHaveLength(1)
    expect(report.artifacts[0].status).toBe('patched')
    expect(newSchemaErrors(baseline, text)).toEqual([])
  })

  it('finds nothing to add in the final config', () => {
    const { text, report } = patchSkaffoldText(
      { path: 'skaffold.yaml', text: final },
      SEED_OPTIONS
    )
    expect(text).toBe(final)
    expect(report.artifacts[0].status).toBe('already-patched')
    expect(report.documents[0].status).toBe('unchanged')
  })

  it('adds type: DirectoryOrCreate by default and ignorePaths from v4beta2', () => {
    const v4 = baseline.replace('skaffold/v2beta16', 'skaffold/v4beta2')
    const { text } = patchSkaffoldText(
      { path: 'skaffold.yaml', text: v4 },
      {
        ...SEED_OPTIONS,
        volumeSource: {
          ...SEED_OPTIONS.volumeSource,
          type: 'DirectoryOrCreate'
        } as PatchOptions['volumeSource']
      }
    )
    const doc = parse(text) as {
      build: {
        artifacts: { kaniko: { ignorePaths: string[] } }[]
        cluster: { volumes: { hostPath: { type: string } }[] }
      }
    }
    expect(doc.build.artifacts[0].kaniko.ignorePaths).toEqual([
      '/product_uuid',
      '/product_name'
    ])
    expect(doc.build.cluster.volumes.map((v) => v.hostPath.type)).toEqual([
      'DirectoryOrCreate',
      'DirectoryOrCreate'
    ])
    expect(newSchemaErrors(v4, text)).toEqual([])
  })
})
