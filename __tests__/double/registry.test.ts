/**
 * The double's kaniko pushes to real registries (Debian's docker-registry):
 * an "external" one with TLS from a test CA and htpasswd auth, reached with
 * the docker config skaffold turns into the pod's secret, and the local
 * plain-HTTP registry container. The images are pulled back by digest.
 */
import { describe, expect, it, beforeAll, afterAll } from '@jest/globals'
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { gunzipSync } from 'node:zlib'
import { parse, stringify } from 'yaml'
import {
  readBuildRecords,
  readContainerRegistry
} from '../../test-support/cluster-double/index.js'
import {
  MANIFEST_ACCEPT,
  basicAuth,
  registryRequest,
  dockerLoginConfig,
  registryUnavailable,
  startRegistry,
  tarFiles,
  type RegistryEndpoint,
  type RunningRegistry
} from '../../test-support/registry/index.js'
import {
  kindConfig,
  seedDockerfile,
  skaffoldConfig,
  startDoubleStack,
  writeHelloService,
  type DoubleStack
} from './stack.js'

const UNAVAILABLE = registryUnavailable()
if (UNAVAILABLE !== undefined)
  console.log(`registry.test: skipping the real-registry tests: ${UNAVAILABLE}`)
const describeWithRegistry =
  UNAVAILABLE === undefined ? describe : describe.skip

const HOST = 'registry.example.test'
const USER = 'ci-bot'
const PASSWORD = 'right-password'
const PERMISSION =
  'error checking push permissions -- make sure you entered the correct tag name, and that you are authenticated correctly, and try again'

let stack: DoubleStack
let external: RunningRegistry
let n = 0

beforeAll(async () => {
  if (UNAVAILABLE !== undefined) return
  const root = join(
    process.env.TMPDIR ?? '/tmp',
    `registry-test-${process.pid}-${Date.now()}`
  )
  external = await startRegistry({
    dir: join(root, 'external'),
    tlsHostname: HOST,
    users: { [USER]: PASSWORD }
  })
  stack = await startDoubleStack({ registries: { [HOST]: external.endpoint } })
  const cluster = join(stack.root, 'kind.yaml')
  writeFileSync(cluster, kindConfig([]))
  const created = await stack.run('kind', [
    'create',
    'cluster',
    '--name',
    'push',
    '--config',
    cluster,
    '--wait',
    '60s'
  ])
  if (created.code !== 0) throw new Error(created.stderr)
}, 300_000)

afterAll(async () => {
  await stack?.stop()
  await external?.stop()
})

/** A docker config file as `docker login` writes it. */
function dockerConfig(content: unknown): string {
  const path = join(stack.root, `docker-config-${++n}.json`)
  writeFileSync(path, JSON.stringify(content))
  return path
}

function loginConfig(password: string): string {
  return dockerConfig(JSON.parse(dockerLoginConfig(HOST, USER, password)))
}

/** The hello service with `cluster` merged into build.cluster. */
function service(cluster: Record<string, unknown>): string {
  const dir = join(stack.root, `svc-${++n}`)
  mkdirSync(dir, { recursive: true })
  const config = parse(
    skaffoldConfig('hello', { volumes: [], mounts: [], buildArgs: {} })
  ) as { build: { cluster: Record<string, unknown> } }
  Object.assign(config.build.cluster, cluster)
  return writeHelloService(dir, seedDockerfile([]), stringify(config))
}

async function build(dir: string, extra: string[] = []) {
  const output = join(dir, 'images.json')
  const result = await stack.run(
    'skaffold',
    [
      'build',
      '-f',
      'skaffold.yaml',
      '--file-output',
      output,
      '--kube-context',
      'kind-push',
      ...extra
    ],
    { cwd: dir }
  )
  const record = (await readBuildRecords(stack.daemon.env.CLUSTER_DOUBLE_HOME))
    .filter((r) => r.args.includes(output))
    .at(-1)
  return { ...result, output, record }
}

const auth = { authorization: basicAuth(USER, PASSWORD) }

describeWithRegistry('cluster double: kaniko pushes to a real registry', () => {
  it('pushes with the docker config secret (created, mounted, removed); the image pulled back by digest holds the built binary', async () => {
    const dir = service({
      dockerConfig: { path: loginConfig(PASSWORD), secretName: 'regcred' }
    })
    const result = await build(dir, ['--default-repo', `${HOST}/team`])
    expect(result.code).toBe(0)
    expect(result.stderr).not.toContain('WARN')
    expect(result.stdout).toContain(
      'Creating docker config secret [regcred]...'
    )
    const tag = (
      JSON.parse(readFileSync(result.output, 'utf8')) as {
        builds: { tag: string }[]
      }
    ).builds[0].tag
    const match =
      /^registry\.example\.test\/team\/hello:latest@(sha256:[0-9a-f]{64})$/.exec(
        tag
      )
    expect(match).not.toBeNull()
    const digest = (match as RegExpExecArray)[1]
    expect(result.stdout).toContain(
      `INFO[0001] Pushed ${HOST}/team/hello@${digest}`
    )
    expect(result.record?.secrets).toEqual([
      {
        kind: 'dockerConfig',
        namespace: 'default',
        name: 'regcred',
        mountPath: '/kaniko/.docker',
        created: true,
        removed: true
      }
    ])
    expect(result.record?.artifacts[0].push).toEqual({
      registry: HOST,
      real: true,
      auth: 'basic',
      digest
    })
    // The secret's content never reaches the build record.
    expect(JSON.stringify(result.record)).not.toContain(
      Buffer.from(`${USER}:${PASSWORD}`).toString('base64')
    )

    // Pull it back from the registry by digest.
    const manifestRes = await registryRequest(
      external.endpoint,
      'GET',
      `/v2/team/hello/manifests/${digest}`,
      { host: HOST, headers: { ...auth, accept: MANIFEST_ACCEPT } }
    )
    expect(manifestRes.status).toBe(200)
    expect(manifestRes.headers['docker-content-digest']).toBe(digest)
    const manifest = JSON.parse(manifestRes.body.toString()) as {
      config: { digest: string }
      layers: { digest: string }[]
    }
    expect(manifest.layers).toHaveLength(1)
    const layer = await registryRequest(
      external.endpoint,
      'GET',
      `/v2/team/hello/blobs/${manifest.layers[0].digest}`,
      { host: HOST, headers: auth }
    )
    expect(layer.status).toBe(200)
    const files = tarFiles(gunzipSync(layer.body))
    expect([...files.keys()]).toEqual(['bin/hello'])
    const binary = files.get('bin/hello') as Buffer
    expect(binary.subarray(0, 4)).toEqual(Buffer.from('\x7fELF', 'latin1'))
    expect(binary.includes(Buffer.from('github.com/google/uuid'))).toBe(true)
    const config = await registryRequest(
      external.endpoint,
      'GET',
      `/v2/team/hello/blobs/${manifest.config.digest}`,
      { host: HOST, headers: auth }
    )
    expect(
      (
        JSON.parse(config.body.toString()) as {
          config: { Entrypoint: string[] }
        }
      ).config.Entrypoint
    ).toEqual(['/bin/hello'])
  }, 600_000)

  it("fails a wrong password with kaniko's unauthorized text naming the registry, before the build; the secret stays", async () => {
    const dir = service({
      dockerConfig: { path: loginConfig('wrong'), secretName: 'badcred' }
    })
    const result = await build(dir, ['--default-repo', `${HOST}/team`])
    expect(result.code).toBe(1)
    expect(result.stderr).toContain(
      `${PERMISSION}: checking push permission for "${HOST}/team/hello:latest": POST https://${HOST}/v2/team/hello/blobs/uploads/: UNAUTHORIZED: authentication required; [map[Action:pull Class: Name:team/hello Type:repository] map[Action:push Class: Name:team/hello Type:repository]]`
    )
    // kaniko checks before it builds: Go never ran.
    expect(result.stdout).not.toContain('go caches:')
    // skaffold's PostBuild runs only after a successful build.
    expect(result.record?.secrets?.[0]).toMatchObject({
      name: 'badcred',
      created: true,
      removed: false
    })
    const again = await build(dir, ['--default-repo', `${HOST}/team`])
    expect(again.code).toBe(1)
    expect(again.stderr).toContain(
      'setting up docker config secret: creating docker config secret "badcred": secrets "badcred" already exists'
    )
    // What the action's post step runs after a failed build.
    const namespace = result.record?.secrets?.[0]?.namespace ?? ''
    const remove = [
      '--context',
      'kind-push',
      'delete',
      'secret',
      '--namespace',
      namespace,
      '--ignore-not-found',
      '--',
      'badcred'
    ]
    const deleted = await stack.run('kubectl', remove)
    expect(deleted).toMatchObject({
      code: 0,
      stdout: 'secret "badcred" deleted\n'
    })
    expect(await stack.run('kubectl', remove)).toMatchObject({
      code: 0,
      stdout: ''
    })
    const third = await build(dir, ['--default-repo', `${HOST}/team`])
    expect(third.stderr).not.toContain('already exists')
    expect(third.stderr).toContain('UNAUTHORIZED: authentication required')
  }, 600_000)

  it('fails without credentials (no secret mounted), and with a credsStore-only config (no secret in the file)', async () => {
    const none = await build(service({}), ['--default-repo', `${HOST}/team`])
    expect(none.code).toBe(1)
    expect(none.stderr).toContain(
      `POST https://${HOST}/v2/team/hello/blobs/uploads/: UNAUTHORIZED: authentication required`
    )
    expect(none.record?.secrets).toEqual([])

    const store = await build(
      service({
        dockerConfig: {
          path: dockerConfig({ auths: { [HOST]: {} }, credsStore: 'desktop' }),
          secretName: 'storecred'
        }
      }),
      ['--default-repo', `${HOST}/team`]
    )
    expect(store.code).toBe(1)
    expect(store.stderr).toContain(
      `${PERMISSION}: checking push permission for "${HOST}/team/hello:latest": resolving authorization for ${HOST} failed: error getting credentials - err: exec: "docker-credential-desktop": executable file not found in $PATH`
    )
  }, 600_000)

  // Two cold Go builds: a generous limit for a loaded machine.
  it('pushes to the local plain-HTTP registry container only when it is insecure, with the same digest every time', async () => {
    const started = await stack.run('docker', [
      'run',
      '-d',
      '--restart=always',
      '--name',
      'kind-registry',
      '--network',
      'kind',
      '-e',
      'REGISTRY_HTTP_ADDR=0.0.0.0:5001',
      'registry:2'
    ])
    expect(started.code).toBe(0)
    const dir = service({})
    const repo = ['--default-repo', 'kind-registry:5001']
    const secure = await build(dir, repo)
    expect(secure.code).toBe(1)
    expect(secure.stderr).toContain(
      `${PERMISSION}: checking push permission for "kind-registry:5001/hello:latest": Get "https://kind-registry:5001/v2/": http: server gave HTTP response to HTTPS client`
    )
    const wrongPort = await build(dir, [
      '--default-repo',
      'kind-registry:5000',
      '--insecure-registry',
      'kind-registry:5000'
    ])
    expect(wrongPort.stderr).toContain(
      'dial tcp kind-registry:5000: connect: connection refused'
    )
    const insecure = ['--insecure-registry', 'kind-registry:5001']
    const first = await build(dir, [...repo, ...insecure])
    expect(first.code).toBe(0)
    expect(first.record?.artifacts[0].push).toMatchObject({
      registry: 'kind-registry:5001',
      real: true,
      auth: 'anonymous'
    })
    // The image is in the registry standing for the container.
    const local = await readContainerRegistry(
      stack.daemon.env.CLUSTER_DOUBLE_HOME,
      'kind-registry'
    )
    expect(local?.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
    const pulled = await registryRequest(
      local as RegistryEndpoint,
      'GET',
      `/v2/hello/manifests/${first.record?.artifacts[0].push?.digest}`,
      { headers: { accept: MANIFEST_ACCEPT } }
    )
    expect(pulled.status).toBe(200)
    const second = await build(dir, [...repo, ...insecure])
    expect(second.record?.artifacts[0].push?.digest).toBe(
      first.record?.artifacts[0].push?.digest
    )
  }, 1_200_000)
})
