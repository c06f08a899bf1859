/**
 * The double's support for the existing-cluster mode (cache-volume:
 * pvc:<claim>): the current kube context kind sets, `skaffold build` without
 * --kube-context, PersistentVolumeClaims made with `kubectl apply`, claim
 * volumes mounted with subPath, and the per-build records tests read.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { existsSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { stringify } from 'yaml'
import {
  loadState,
  readBuildRecords
} from '../../test-support/cluster-double/index.js'
import {
  countFiles,
  goCachesLine,
  kindConfig,
  newCacheFiles,
  seedDockerfile,
  startDoubleStack,
  writeHelloService,
  type DoubleStack
} from './stack.js'

let stack: DoubleStack
let serial = 0

beforeAll(async () => {
  stack = await startDoubleStack()
})

afterAll(async () => {
  await stack?.stop()
})

const home = (): string => stack.daemon.env.CLUSTER_DOUBLE_HOME

async function createCluster(name: string): Promise<void> {
  const config = join(stack.root, `kind-${name}.yaml`)
  writeFileSync(config, kindConfig([]))
  const created = await stack.run('kind', [
    'create',
    'cluster',
    '--name',
    name,
    '--config',
    config,
    '--wait',
    '60s'
  ])
  expect(created.code).toBe(0)
}

function claimManifest(
  name: string,
  namespace: string,
  spec: Record<string, unknown> = {
    accessModes: ['ReadWriteMany'],
    resources: { requests: { storage: '1Gi' } }
  }
): string {
  return stringify({
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: { name, namespace },
    spec
  })
}

function apply(context: string, manifest: string) {
  return stack.run('kubectl', ['--context', context, 'apply', '-f', '-'], {
    input: manifest
  })
}

/** A hello service whose two caches live on one claim volume, by subPath. */
function claimService(
  claim: string,
  subPaths = { mod: 'gomodcache', build: 'gobuildcache' }
): string {
  return writeHelloService(
    join(stack.root, `svc-${++serial}`),
    seedDockerfile(['GOCACHE', 'GOMODCACHE']),
    stringify({
      apiVersion: 'skaffold/v4beta14',
      kind: 'Config',
      metadata: { name: 'hello' },
      build: {
        artifacts: [
          {
            image: 'hello',
            kaniko: {
              dockerfile: 'Dockerfile',
              // kind's /product_uuid cannot be removed between stages (kaniko issue 2164).
              ignorePaths: ['/product_uuid'],
              buildArgs: {
                GOMODCACHE: '/var/run/gomodcache',
                GOCACHE: '/var/run/gobuildcache'
              },
              volumeMounts: [
                {
                  name: 'go-caches',
                  mountPath: '/var/run/gomodcache',
                  subPath: subPaths.mod
                },
                {
                  name: 'go-caches',
                  mountPath: '/var/run/gobuildcache',
                  subPath: subPaths.build
                }
              ]
            }
          }
        ],
        cluster: {
          namespace: 'default',
          volumes: [
            { name: 'go-caches', persistentVolumeClaim: { claimName: claim } }
          ]
        }
      }
    })
  )
}

function build(dir: string, extra: string[] = []) {
  return stack.run(
    'skaffold',
    ['build', '-f', 'skaffold.yaml', '--file-output', 'out.json', ...extra],
    { cwd: dir }
  )
}

describe('cluster double: current context', () => {
  it('kind create cluster sets it, skaffold build without --kube-context uses it, kind delete unsets it', async () => {
    await createCluster('first')
    await createCluster('current')
    expect((await loadState(home())).currentContext).toBe('kind-current')
    const created = await apply(
      'kind-current',
      claimManifest('caches', 'default')
    )
    expect(created).toEqual(
      expect.objectContaining({
        code: 0,
        stdout: 'persistentvolumeclaim/caches created\n'
      })
    )
    const dir = claimService('caches')
    const built = await build(dir)
    expect(built.stderr).not.toMatch(/WARN|ERROR/)
    expect(built.code).toBe(0)
    expect(built.stdout).toContain(
      'Building 1 artifact(s) with kaniko on cluster current'
    )
    const record = (await readBuildRecords(home())).at(-1)
    expect(record?.kubeContext).toBe('kind-current')
    expect(record?.args).not.toContain('--kube-context')

    await stack.run('kind', ['delete', 'cluster', '--name', 'current'])
    expect((await loadState(home())).currentContext).toBeUndefined()
    const none = await build(dir)
    expect(none.code).toBe(1)
    expect(none.stderr).toContain(
      'getting client config for kubeContext: "": invalid configuration: no configuration has been provided'
    )
    // An explicit context still works without a current one.
    const explicit = await build(dir, ['--kube-context', 'kind-first'])
    expect(explicit.code).toBe(1)
    expect(explicit.stderr).toContain(
      'persistentvolumeclaim "caches" not found'
    )
    await stack.run('kind', ['delete', 'cluster', '--name', 'first'])
  })
})

describe('cluster double: PersistentVolumeClaims', () => {
  beforeAll(async () => {
    await createCluster('claims')
  })

  afterAll(async () => {
    await stack.run('kind', ['delete', 'cluster', '--name', 'claims'])
  })

  it.each([
    [
      'a missing namespace',
      claimManifest('c', 'nowhere'),
      'Error from server (NotFound): error when creating "STDIN": namespaces "nowhere" not found'
    ],
    [
      'no access mode',
      claimManifest('c', 'default', {
        resources: { requests: { storage: '1Gi' } }
      }),
      'The PersistentVolumeClaim "c" is invalid: spec.accessModes: Required value'
    ],
    [
      'an unknown access mode',
      claimManifest('c', 'default', {
        accessModes: ['ReadWriteAll'],
        resources: { requests: { storage: '1Gi' } }
      }),
      'spec.accessModes: Unsupported value: "ReadWriteAll"'
    ],
    [
      'no storage request',
      claimManifest('c', 'default', { accessModes: ['ReadWriteMany'] }),
      'The PersistentVolumeClaim "c" is invalid: spec.resources[storage]: Required value'
    ]
  ])(
    'refuses a claim with %s like the API server',
    async (_what, manifest, message) => {
      const result = await apply('kind-claims', manifest)
      expect(result.code).toBe(1)
      expect(result.stderr).toContain(message)
    }
  )

  it('keeps a claim: unchanged when applied again, access modes immutable', async () => {
    expect(
      (await apply('kind-claims', claimManifest('kept', 'default'))).stdout
    ).toBe('persistentvolumeclaim/kept created\n')
    expect(
      (await apply('kind-claims', claimManifest('kept', 'default'))).stdout
    ).toBe('persistentvolumeclaim/kept unchanged\n')
    const changed = await apply(
      'kind-claims',
      claimManifest('kept', 'default', {
        accessModes: ['ReadWriteOnce'],
        resources: { requests: { storage: '1Gi' } }
      })
    )
    expect(changed.code).toBe(1)
    expect(changed.stderr).toContain('spec is immutable after creation')
    const state = await loadState(home())
    const claim = state.clusters.claims.claims?.['default/kept']
    expect(claim?.accessModes).toEqual(['ReadWriteMany'])
    expect(existsSync(claim?.dataDir ?? '/nonexistent')).toBe(true)
  })

  it('still refuses kinds it does not simulate, naming them (exit 2)', async () => {
    const result = await apply(
      'kind-claims',
      stringify({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' } })
    )
    expect(result.code).toBe(2)
    expect(result.stderr).toContain('got v1 Secret')
  })

  it('fails the build when the claim is not in the pod namespace', async () => {
    await stack.run('kubectl', [
      '--context',
      'kind-claims',
      'create',
      'namespace',
      'elsewhere'
    ])
    await apply('kind-claims', claimManifest('other-ns', 'elsewhere'))
    const result = await build(claimService('other-ns'), [
      '--kube-context',
      'kind-claims'
    ])
    expect(result.code).toBe(1)
    expect(result.stderr).toContain(
      'persistentvolumeclaim "other-ns" not found'
    )
  })

  it.each([
    ['/abs', 'must be a relative path'],
    ['a/../../b', "must not contain '..'"]
  ])('refuses subPath %s like the API server', async (subPath, message) => {
    await apply('kind-claims', claimManifest('sub', 'default'))
    const result = await build(
      claimService('sub', { mod: subPath, build: 'gobuildcache' }),
      ['--kube-context', 'kind-claims']
    )
    expect(result.code).toBe(1)
    expect(result.stderr).toContain(
      `subPath: Invalid value: "${subPath}": ${message}`
    )
  })

  it('keeps each cache in its subPath of the claim, warm on the next build', async () => {
    await apply('kind-claims', claimManifest('warm', 'default'))
    const dataDir = (await loadState(home())).clusters.claims.claims?.[
      'default/warm'
    ]?.dataDir as string
    const args = ['--kube-context', 'kind-claims']
    const cold = await build(claimService('warm'), args)
    expect(cold.code).toBe(0)
    expect(goCachesLine(cold.stdout)).toEqual({
      GOCACHE: `pvc:${join(dataDir, 'gobuildcache')}`,
      GOMODCACHE: `pvc:${join(dataDir, 'gomodcache')}`
    })
    expect(countFiles(join(dataDir, 'gobuildcache'))).toBeGreaterThan(10)
    expect(countFiles(join(dataDir, 'gomodcache'))).toBeGreaterThan(0)
    const record = (await readBuildRecords(home())).at(-1)
    expect(record?.artifacts[0].mounts).toEqual([
      {
        mountPath: '/var/run/gomodcache',
        backing: 'pvc',
        runnerPath: join(dataDir, 'gomodcache')
      },
      {
        mountPath: '/var/run/gobuildcache',
        backing: 'pvc',
        runnerPath: join(dataDir, 'gobuildcache')
      }
    ])
    const warm = await build(claimService('warm'), args)
    expect(warm.code).toBe(0)
    expect(newCacheFiles(warm.stdout)).toBeLessThan(newCacheFiles(cold.stdout))
  })
})

describe('cluster double: push targets on a cluster the action did not set up', () => {
  it('fails a push to a single-label registry host that is no container, like a DNS miss', async () => {
    await createCluster('pushes')
    await apply('kind-pushes', claimManifest('push', 'default'))
    const dir = claimService('push')
    const args = ['--kube-context', 'kind-pushes']
    const missing = await build(dir, [
      ...args,
      '--default-repo',
      'kind-registry:5000',
      '--insecure-registry',
      'kind-registry:5000'
    ])
    expect(missing.code).toBe(1)
    expect(missing.stderr).toContain(
      'failed to push to destination kind-registry:5000/hello:latest: dial tcp: lookup kind-registry: no such host'
    )
    // A registry with a domain name is taken as reachable (not simulated).
    const external = await build(dir, [
      ...args,
      '--default-repo',
      'registry.example.test/team'
    ])
    expect(external.stderr).not.toContain('no such host')
    expect(external.code).toBe(0)
    await stack.run('kind', ['delete', 'cluster', '--name', 'pushes'])
  })
})
