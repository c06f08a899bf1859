/**
 * What the action hands to the steps after it, and how it pushes outside
 * the job: the committed bundle (dist/) run by the runner harness against
 * the local stack, with a later step between main and post.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { existsSync } from 'node:fs'
import { mkdir, readFile, readdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import {
  machineDockerState,
  runExample,
  startLocalStack,
  type LocalStack
} from '../../test-support/local-stack/index.js'
import {
  STACK_TIMEOUT,
  assertSucceeded,
  jobsTimeout,
  requireEndToEndPrerequisites
} from '../../test-support/local-stack/checks.js'
import {
  REPO_ROOT,
  type ActionRun
} from '../../test-support/runner-harness/index.js'
import { basicAuth, pullImage } from '../../test-support/registry/index.js'

import { STATE_NAME, type MainState } from '../../src/state.js'

requireEndToEndPrerequisites(REPO_ROOT)

let stack: LocalStack

beforeAll(async () => {
  stack = await startLocalStack()
}, STACK_TIMEOUT)

afterAll(async () => {
  await stack?.stop()
})

/** The state main handed to post. */
function mainState(run: ActionRun): MainState {
  return JSON.parse(run.state[STATE_NAME]) as MainState
}

/** Every file under dir (symlinks not followed). */
async function filesUnder(dir: string): Promise<string[]> {
  const found: string[] = []
  for (const entry of await readdir(dir, { withFileTypes: true }).catch(
    () => []
  )) {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) found.push(...(await filesUnder(path)))
    else if (entry.isFile()) found.push(path)
  }
  return found
}

describe('the hand-off to later steps', () => {
  let run: ActionRun
  const later: {
    context?: string
    artifacts?: unknown
    namespace?: string
    registry?: string
  } = {}

  beforeAll(async () => {
    run = await runExample(stack, {
      example: 'feed-agg',
      machine: join(stack.root, 'machine-handoff'),
      inputs: { 'cache-key-prefix': 'e2e-handoff' },
      afterMain: async (setup, outputs) => {
        // What a `skaffold deploy --build-artifacts … --kube-context …`
        // step reads: the context answers, the file is there, the registry runs.
        later.context = outputs['kube-context']
        later.artifacts = JSON.parse(
          await readFile(outputs['build-artifacts'], 'utf8')
        )
        later.namespace = await setup.run('kubectl', [
          '--context',
          outputs['kube-context'],
          'get',
          'namespace',
          'default'
        ])
        later.registry = await setup.run('docker', [
          'inspect',
          '-f',
          '{{.State.Running}}',
          'skaffold-kaniko-cache-registry'
        ])
      }
    })
    assertSucceeded(run)
  }, jobsTimeout(1))

  it('gives the kind context, and the cluster answers on it before post', () => {
    expect(run.outputs['kube-context']).toBe('kind-skaffold-kaniko-cache')
    expect(later.context).toBe('kind-skaffold-kaniko-cache')
    expect(later.namespace).toContain('default')
    expect(later.registry?.trim()).toBe('true')
  })

  it('gives the --file-output JSON, whose images carry their digests', () => {
    const images = JSON.parse(run.outputs.images) as unknown[]
    expect(images).toEqual([
      {
        imageName: 'feed-agg',
        tag: expect.stringMatching(
          /^skaffold-kaniko-cache-registry:5000\/feed-agg:.+@sha256:[0-9a-f]{64}$/
        )
      }
    ])
    expect(later.artifacts).toEqual({ builds: images })
  })

  it('removes the cluster and the registry in post', async () => {
    const state = JSON.parse(
      await machineDockerState(join(stack.root, 'machine-handoff'))
    ) as { clusters: object; containers: object }
    expect(state.clusters).toEqual({})
    expect(state.containers).toEqual({})
  })
})

describe('an external default-repo with the runner docker login', () => {
  let password: string
  let auth: string
  let host: string
  let run: ActionRun
  let machine: string
  let configDir: string

  beforeAll(async () => {
    ;({ host, password } = stack.externalRegistry)
    auth = Buffer.from(
      `${stack.externalRegistry.username}:${password}`
    ).toString('base64')
    machine = join(stack.root, 'machine-login')
    // Where docker/login-action would have written it, outside the machine
    // dir so that every file the run wrote can be searched.
    configDir = join(stack.root, 'docker-login')
    await mkdir(configDir, { recursive: true })
    await writeFile(
      join(configDir, 'config.json'),
      stack.externalRegistry.dockerConfig()
    )
    run = await runExample(stack, {
      example: 'feed-agg',
      machine,
      inputs: {
        'cache-key-prefix': 'e2e-login',
        'default-repo': `${host}/team`
      },
      env: { DOCKER_CONFIG: configDir }
    })
  }, jobsTimeout(1))

  it('pushes to the external registry without starting the local one', () => {
    assertSucceeded(run)
    expect(run.main.log).toContain(
      `default-repo ${host}/team is the push target, so the local registry skaffold-kaniko-cache-registry:5000 is not started`
    )
    expect(JSON.parse(run.outputs.images)).toEqual([
      expect.objectContaining({
        tag: expect.stringMatching(
          new RegExp(
            `^${host.replace(/\./g, '\\.')}/team/feed-agg:.+@sha256:[0-9a-f]{64}$`
          )
        )
      })
    ])
  })

  it("the images output's digest pulls the built image back from the registry", async () => {
    const [image] = JSON.parse(run.outputs.images) as { tag: string }[]
    const digest = image.tag.slice(image.tag.indexOf('@') + 1)
    const pulled = await pullImage(
      stack.externalRegistry.registry.endpoint,
      'team/feed-agg',
      digest,
      {
        host,
        headers: {
          authorization: basicAuth(stack.externalRegistry.username, password)
        }
      }
    )
    expect(pulled).toMatchObject({ status: 200, digest })
    // The final stage's COPY --from=build /bin/feed-agg: a Go executable
    // built from the example's sources.
    const binary = pulled.files.get('bin/feed-agg')
    expect(binary?.subarray(0, 4)).toEqual(Buffer.from('\x7fELF', 'latin1'))
    expect(binary?.includes(Buffer.from('gopkg.in/yaml'))).toBe(true)
  })

  it("gives kaniko the runner's docker config as a secret", () => {
    expect(run.main.log).toMatch(
      /examples\/feed-agg\/skaffold\.yaml:\d+: kaniko pushes with the runner's docker config \(secret skaffold-kaniko-cache-docker-config-[0-9a-f]{8}, mounted at \/kaniko\/\.docker\)/
    )
    expect(run.main.log).toContain(
      `kaniko logs in to ${host} with the runner's docker config ${join(configDir, 'config.json')} (skaffold creates the secret skaffold-kaniko-cache-docker-config-`
    )
    // One name per step, recorded for post; skaffold deleted it after the
    // successful build, so post leaves it alone.
    expect(mainState(run)).toMatchObject({
      dockerConfigSecret: {
        name: expect.stringMatching(
          /^skaffold-kaniko-cache-docker-config-[0-9a-f]{8}$/
        ),
        context: 'kind-skaffold-kaniko-cache',
        namespaces: [expect.any(String)]
      }
    })
    expect(run.post.log).not.toContain('delete secret')
  })

  it('writes the credential nowhere: logs, summary, outputs, state, machine files, caches', async () => {
    // The runner takes ::add-mask:: lines out of the log (that is how the
    // action hands it the values to mask); everything else must be clean.
    const unmasked = (log: string): string =>
      log
        .split('\n')
        .filter((line) => !line.startsWith('::add-mask::'))
        .join('\n')
    expect(run.main.log).toContain(`::add-mask::${password}`)
    const texts = [
      unmasked(run.main.log),
      unmasked(run.post.log),
      run.summary,
      JSON.stringify(run.outputs),
      JSON.stringify(run.state),
      JSON.stringify(run.env),
      JSON.stringify(run.postFiles)
    ]
    const files = [
      ...(await filesUnder(machine)),
      ...(await filesUnder(join(stack.root, 'cache-service')))
    ]
    expect(files.length).toBeGreaterThan(0)
    for (const file of files)
      texts.push((await readFile(file)).toString('latin1'))
    for (const text of texts) {
      expect(text).not.toContain(password)
      expect(text).not.toContain(auth)
    }
    expect(existsSync(join(configDir, 'config.json'))).toBe(true)
  })
})

describe('a failed push with the runner docker login, on a cluster that stays', () => {
  let run: ActionRun
  let configDir: string

  beforeAll(async () => {
    configDir = join(stack.root, 'docker-login-wrong')
    await mkdir(configDir, { recursive: true })
    await writeFile(
      join(configDir, 'config.json'),
      stack.externalRegistry.dockerConfig('wrong-password')
    )
    run = await runExample(stack, {
      example: 'feed-agg',
      machine: join(stack.root, 'machine-login-wrong'),
      inputs: {
        'cache-key-prefix': 'e2e-login-wrong',
        'default-repo': `${stack.externalRegistry.host}/team`,
        cleanup: 'false'
      },
      env: { DOCKER_CONFIG: configDir }
    })
  }, jobsTimeout(1))

  it("fails the build with kaniko's unauthorized error, and the log and summary name the registry that refused", () => {
    const { host } = stack.externalRegistry
    expect(run.main.log).toContain(
      `checking push permission for "${host}/team/feed-agg:`
    )
    expect(run.main.log).toContain(
      `POST https://${host}/v2/team/feed-agg/blobs/uploads/: UNAUTHORIZED: authentication required`
    )
    const refusal = `the registry ${host} refused kaniko's push of ${host}/team/feed-agg:`
    expect(run.main.log).toContain(`skaffold build failed (exit 1) after`)
    expect(run.main.log).toContain(refusal)
    // The summary escapes the apostrophe.
    expect(run.summary).toContain(
      refusal.replace("'", '&#39;') + 'latest (UNAUTHORIZED)'
    )
  })

  it('post deletes the secret skaffold left with the credentials', () => {
    const secret = mainState(run).dockerConfigSecret?.name
    expect(secret).toMatch(/^skaffold-kaniko-cache-docker-config-[0-9a-f]{8}$/)
    // kubectl's own line: the secret was still there when post ran.
    expect(run.post.log).toContain(`secret "${secret}" deleted`)
    expect(run.post.log).toContain(
      `deleted the docker config secret ${secret} (the runner's registry login)`
    )
  })
})
