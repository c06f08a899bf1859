/**
 * Every real config of the corpus (SKAFFOLD_CORPUS_DIR): the curated files
 * named in EXPECTED have their outcome pinned; any other skaffold config
 * (skaffold's own examples, say) must be patched with every invariant, left
 * byte for byte unchanged, or refused with a located user error.
 */
import { join } from 'node:path'
import { describe, expect, it } from '@jest/globals'
import { readSkaffoldConfigs } from '../../src/adapters/skaffold-files.js'
import { DEFAULT_PATCH_OPTIONS } from '../../src/skaffold/options.js'
import { patchSkaffoldConfigs } from '../../src/skaffold/patch.js'
import { SkaffoldConfigError } from '../../src/skaffold/errors.js'
import {
  artifactPath,
  checkMounts,
  CORPUS,
  SCHEMAS,
  checkNamespaces,
  clusterPaths,
  commentLines,
  describeWithData,
  isObject,
  listCorpus,
  newSchemaErrors,
  readCorpus,
  schemaFor,
  toDocs
} from './helpers.js'

type Expected =
  | { outcome: 'patched' }
  | { outcome: 'nothing-to-patch'; reason: RegExp }
  | { outcome: 'refused'; error: RegExp }

const TOO_OLD = /too old .*run `skaffold fix --overwrite` first/

/** What the patcher must do to each corpus file with the default options. */
const EXPECTED: Record<string, Expected> = {
  'bank-of-anthos-requires-configs-v4beta1.yaml': {
    outcome: 'refused',
    error:
      /requires\[0\]\.path "src\/accounts\/skaffold.yaml" names a config that was not found/
  },
  'blog-feed-agg-v2beta16.yaml': {
    outcome: 'refused',
    error: /already mounts volume "modcache" at \/var\/run\/gomodcache/
  },
  'hydros-kaniko-configmap-volumes-v2beta13.yaml': { outcome: 'patched' },
  'kubeflow-code-intelligence-chatbot-v2alpha1.yaml': {
    outcome: 'refused',
    error: TOO_OLD
  },
  'kubeflow-code-intelligence-label-microservice-v2alpha1.yaml': {
    outcome: 'refused',
    error: TOO_OLD
  },
  'kubeflow-notebook-controller-v2alpha1.yaml': {
    outcome: 'refused',
    error: TOO_OLD
  },
  'kubeflow-testing-apps-cd-profiles-v2alpha1.yaml': {
    outcome: 'refused',
    error: TOO_OLD
  },
  'microservices-demo-multidoc-v3.yaml': {
    outcome: 'nothing-to-patch',
    reason: /docker/
  },
  'ranjith-devops-custom-on-cluster-kind-v4beta13.yaml': {
    outcome: 'nothing-to-patch',
    reason: /custom builder/
  },
  'ranjith-devops-kaniko-dockerconfig-v4beta10.yaml': { outcome: 'patched' },
  'skaffold-buildpacks-templated-env-v4beta14.yaml': {
    outcome: 'nothing-to-patch',
    reason: /buildpacks builder/
  },
  'skaffold-examples-kaniko-v2beta16.yaml': { outcome: 'patched' },
  'skaffold-examples-kaniko-v2beta29.yaml': { outcome: 'patched' },
  'skaffold-examples-kaniko-v4beta14.yaml': { outcome: 'patched' },
  'skaffold-gcb-kaniko-v4beta14.yaml': {
    outcome: 'nothing-to-patch',
    reason: /googleCloudBuild/
  },
  'skaffold-inspect-cluster-implicit-kaniko-v4beta14.yaml': {
    outcome: 'patched'
  },
  'skaffold-kaniko-explicit-repo-v4beta14.yaml': { outcome: 'patched' },
  'skaffold-kaniko-insecure-registry-profiles-v4beta14.yaml': {
    outcome: 'patched'
  },
  'skaffold-kaniko-local-buildcontext-v1beta11.yaml': {
    outcome: 'refused',
    error: TOO_OLD
  },
  'skaffold-kaniko-microservices-v2beta16.yaml': { outcome: 'patched' },
  'skaffold-kaniko-microservices-v4beta14.yaml': { outcome: 'patched' },
  'skaffold-kaniko-sub-folder-v4beta14.yaml': { outcome: 'patched' },
  'skaffold-kaniko-target-v4beta14.yaml': { outcome: 'patched' },
  'skaffold-multi-config-leeroy-app-v4beta14.yaml': {
    outcome: 'refused',
    error: /requires\[0\]\.path "\.\.\/base" names a config that was not found/
  },
  'skaffold-multi-config-root-requires-v4beta14.yaml': {
    outcome: 'refused',
    error:
      /requires\[0\]\.path "\.\/leeroy-app" names a config that was not found/
  },
  'skaffold-profile-patches-v4beta14.yaml': {
    outcome: 'nothing-to-patch',
    reason: /local builder/
  },
  'skaffold-remote-multi-config-git-requires-v4beta14.yaml': {
    outcome: 'nothing-to-patch',
    reason: /no artifacts/
  },
  'skaffold-templated-fields-v4beta14.yaml': {
    outcome: 'nothing-to-patch',
    reason: /custom builder/
  },
  'substratus-gcpmanager-tpl-v3.yaml': { outcome: 'patched' }
}

const PATH = '/work/repo/skaffold.yaml'
const MOUNTS = DEFAULT_PATCH_OPTIONS.mountPaths

const FILES = listCorpus()
const CURATED = FILES.filter((name) => name in EXPECTED)
const OTHERS = FILES.filter((name) => !(name in EXPECTED))
/** `describe.each` refuses an empty table; a corpus may lack either kind. */
const eachOf = (names: string[]) =>
  describe.each(names.length > 0 ? names : ['(none)'])

/**
 * The general rules for a config with no pinned outcome, as a list of what
 * broke them (empty when the config was patched with every invariant, left
 * byte for byte unchanged, or refused with a located user error).
 */
async function generalRuleBreaks(path: string): Promise<string[]> {
  const files = await readSkaffoldConfigs(path)
  let result
  try {
    result = patchSkaffoldConfigs(files)
  } catch (error) {
    return error instanceof SkaffoldConfigError && error.line >= 0
      ? []
      : [`not a located user error: ${String(error)}`]
  }
  const breaks: string[] = []
  const patched = result.files
  files.forEach((file, i) => {
    const out = patched[i]
    if (!out.needsCopy) {
      if (out.text !== file.text) breaks.push(`${file.path}: changed, no copy`)
      return
    }
    breaks.push(...newSchemaErrors(file.text, out.text))
    const kept = commentLines(out.text)
    for (const line of commentLines(file.text))
      if (!kept.includes(line)) breaks.push(`${file.path}: lost ${line}`)
  })
  const root = patched[0]
  const docs = toDocs(root.text) as Record<string, unknown>[]
  for (const a of result.report.artifacts) {
    if (a.status === 'skipped' || a.file !== root.path) continue
    const doc = docs[a.document]
    for (const cluster of clusterPaths(doc, a))
      breaks.push(...checkMounts(doc, artifactPath(doc, a), cluster, MOUNTS))
  }
  if (files.length === 1) {
    const again = patchSkaffoldConfigs([{ path: root.path, text: root.text }])
    if (again.files[0].text !== root.text) breaks.push('not idempotent')
  }
  return breaks
}

describeWithData([CORPUS, SCHEMAS], 'the skaffold corpus', () => {
  it('is not empty, and holds every curated file or none of them', () => {
    expect(FILES.length).toBeGreaterThan(0)
    expect(CURATED.length === 0 ? [] : CURATED.sort()).toEqual(
      CURATED.length === 0 ? [] : Object.keys(EXPECTED).sort()
    )
  })

  eachOf(OTHERS)('%s (general rules)', (name) => {
    if (name === '(none)') return
    it('is patched with every invariant, left unchanged, or refused with a located user error', async () => {
      expect(await generalRuleBreaks(join(CORPUS.path, name))).toEqual([])
    })
  })

  eachOf(CURATED)('%s', (name) => {
    if (name === '(none)') return
    const text = readCorpus(name)
    const expected = EXPECTED[name]

    if (expected.outcome === 'refused') {
      it('is refused with a located user error', () => {
        let caught: unknown
        try {
          patchSkaffoldConfigs([{ path: PATH, text }])
        } catch (error) {
          caught = error
        }
        expect(caught).toBeInstanceOf(SkaffoldConfigError)
        const error = caught as SkaffoldConfigError
        expect(error.reason).toMatch(expected.error)
        expect(error.line).toBeGreaterThan(0)
        expect(error.message.startsWith(`${PATH}:${error.line}`)).toBe(true)
      })
      if (expected.error === TOO_OLD) {
        // What `skaffold fix` would start from: the same file at a version
        // the patcher accepts, with v2beta10's lowercase spelling and v2beta16's camelCase.
        it.each(['v2beta10', 'v2beta16'])(
          'is patched once moved to %s',
          (version) => {
            const moved = text.replace(
              /skaffold\/v[0-9a-z]+/,
              `skaffold/${version}`
            )
            const patched = patchSkaffoldConfigs([{ path: PATH, text: moved }])
            const out = patched.files[0].text
            expect(newSchemaErrors(moved, out)).toEqual([])
            const docs = toDocs(out) as Record<string, unknown>[]
            const kaniko = patched.report.artifacts.filter(
              (a) => a.status !== 'skipped'
            )
            expect(kaniko.length).toBeGreaterThan(0)
            for (const a of kaniko) {
              const doc = docs[a.document]
              for (const cluster of clusterPaths(doc, a)) {
                expect(
                  checkMounts(doc, artifactPath(doc, a), cluster, MOUNTS)
                ).toEqual([])
              }
            }
            const lower = version === 'v2beta10'
            expect(out.includes('mountpath: /var/run/gomodcache')).toBe(lower)
            expect(out.includes('volumesource:')).toBe(lower)
            expect(
              patchSkaffoldConfigs([{ path: PATH, text: out }]).files[0].text
            ).toBe(out)
          }
        )
      }
      return
    }

    const result = patchSkaffoldConfigs([{ path: PATH, text }])
    const output = result.files[0].text

    if (expected.outcome === 'nothing-to-patch') {
      it('is left byte for byte unchanged, with the reason reported', () => {
        expect(output).toBe(text)
        expect(result.files[0].needsCopy).toBe(false)
        expect(result.rootPath).toBe(PATH)
        for (const d of result.report.documents) {
          expect(d.status).toBe('nothing-to-patch')
        }
        expect(result.report.documents.map((d) => d.reason).join(' ')).toMatch(
          expected.reason
        )
      })
      return
    }

    it('is patched: every kaniko artifact mounts both caches from its cluster volumes', () => {
      expect(result.files[0].needsCopy).toBe(true)
      const patched = result.report.artifacts.filter(
        (a) => a.status !== 'skipped'
      )
      expect(patched.length).toBeGreaterThan(0)
      const docs = toDocs(output)
      for (const a of patched) {
        const doc = docs[a.document] as Record<string, unknown>
        const clusters = clusterPaths(doc, a)
        expect(clusters.length).toBeGreaterThan(0)
        for (const cluster of clusters) {
          expect(
            checkMounts(doc, artifactPath(doc, a), cluster, MOUNTS)
          ).toEqual([])
        }
        expect(a.buildArgs.GOMODCACHE).toBe(MOUNTS.mod)
        expect(a.buildArgs.GOCACHE).toBe(MOUNTS.build)
      }
    })

    it('validates against the schema of each document apiVersion (no new error)', () => {
      for (const doc of toDocs(output)) {
        const apiVersion = (doc as { apiVersion: string }).apiVersion
        expect(schemaFor(apiVersion)).not.toBeNull()
      }
      expect(newSchemaErrors(text, output)).toEqual([])
    })

    it('is idempotent and deterministic', () => {
      const again = patchSkaffoldConfigs([{ path: PATH, text: output }])
      expect(again.files[0].text).toBe(output)
      expect(again.files[0].needsCopy).toBe(false)
      const twice = patchSkaffoldConfigs([{ path: PATH, text }])
      expect(twice.files[0].text).toBe(output)
    })

    it('keeps the original lines: the edit only adds lines (and expands an empty {} or null value)', () => {
      const out = output.split('\n')
      let next = 0
      const dropped: string[] = []
      for (const line of text.split('\n')) {
        const at = out.indexOf(line, next)
        if (at < 0) dropped.push(line)
        else next = at + 1
      }
      for (const line of dropped)
        expect(line).toMatch(/^\s*(- )?[\w.-]+:( \{\}| \[\])?$/)
    })

    it('with a default namespace: every patched cluster block names one, valid, idempotent, lines only added', () => {
      const options = { ...DEFAULT_PATCH_OPTIONS, defaultNamespace: 'ci' }
      const withNs = patchSkaffoldConfigs([{ path: PATH, text }], options)
      const out = withNs.files[0].text
      expect(withNs.report.clusters.length).toBeGreaterThan(0)
      expect(
        checkNamespaces(toDocs(out), withNs.report.clusters, 'ci')
      ).toEqual([])
      expect(newSchemaErrors(text, out)).toEqual([])
      expect(
        patchSkaffoldConfigs([{ path: PATH, text: out }], options).files[0].text
      ).toBe(out)
      // Compared with the default run, only namespace lines are new.
      const extra = out.split('\n').filter((l) => !output.includes(l))
      for (const line of extra) expect(line).toMatch(/^\s*namespace: ci$/)
    })

    it('keeps every comment', () => {
      const out = commentLines(output)
      for (const line of commentLines(text)) expect(out).toContain(line)
    })

    it('leaves skipped artifacts and everything outside build unchanged', () => {
      const before = toDocs(text) as Record<string, unknown>[]
      const after = toDocs(output) as Record<string, unknown>[]
      for (const a of result.report.artifacts.filter(
        (x) => x.status === 'skipped'
      )) {
        const path = artifactPath(before[a.document], a)
        const get = (d: unknown): unknown =>
          path.reduce<unknown>(
            (v, k) => (v as Record<string | number, unknown>)?.[k],
            d
          )
        expect(get(after[a.document])).toEqual(get(before[a.document]))
      }
      before.forEach((doc, i) => {
        const strip = (d: Record<string, unknown>): Record<string, unknown> => {
          const rest = { ...d }
          delete rest.build
          const profiles = rest.profiles
          return {
            ...rest,
            profiles: Array.isArray(profiles)
              ? (profiles as unknown[]).map((p): unknown =>
                  isObject(p) ? { ...p, build: undefined } : p
                )
              : profiles
          }
        }
        expect(strip(after[i])).toEqual(strip(doc))
      })
    })
  })
})
