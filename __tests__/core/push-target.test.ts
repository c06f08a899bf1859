/**
 * The push target and the runner's docker login for it (src/push-target.ts).
 */
import { describe, expect, it } from '@jest/globals'
import {
  classifyLogin,
  dockerConfigSecretName,
  externalPushRegistries,
  localRegistrySkipped,
  localRegistryWanted,
  planPushLogin,
  pushRefusal,
  registryHost
} from '../../src/push-target.js'
import { INPUT_DEFAULTS, parseInputs } from '../../src/inputs.js'

const LOCAL = 'skaffold-kaniko-cache-registry:5000'
const PASSWORD = 'hunter2-known-password'
const AUTH = Buffer.from(`octocat:${PASSWORD}`).toString('base64')
const PATH = '/home/runner/.docker/config.json'
const SECRET = 'skaffold-kaniko-cache-docker-config-0a1b2c3d'

function plan(config: unknown, registries = ['ghcr.io'], mode = 'auto') {
  return planPushLogin({
    mode: mode as 'auto' | 'false',
    registries,
    config: { path: PATH, text: JSON.stringify(config) },
    secretName: SECRET
  })
}

function allText(result: ReturnType<typeof planPushLogin>): string {
  return result.messages.map((m) => m.text).join('\n')
}

describe('registryHost', () => {
  it.each([
    ['ghcr.io/org/app', 'ghcr.io'],
    ['europe-docker.pkg.dev/p/r', 'europe-docker.pkg.dev'],
    ['localhost/app', 'localhost'],
    [`${LOCAL}/app`, LOCAL],
    ['octocat/app', 'docker.io'],
    ['app', 'docker.io'],
    ['index.docker.io/octocat', 'docker.io'],
    ['docker.io/octocat', 'docker.io']
  ])('%s is on %s', (reference, host) => {
    expect(registryHost(reference)).toBe(host)
  })
})

describe('the push target', () => {
  const target = (defaultRepo: string, registry = true) => ({
    defaultRepo,
    registry,
    localRegistry: LOCAL
  })

  it('starts the local registry only when the images go there', () => {
    expect(localRegistryWanted(target(''))).toBe(true)
    expect(localRegistryWanted(target(`${LOCAL}/team`))).toBe(true)
    expect(localRegistryWanted(target('ghcr.io/org'))).toBe(false)
    expect(localRegistryWanted(target('', false))).toBe(false)
  })

  it('says why registry: true does not start it beside an external default-repo', () => {
    expect(localRegistrySkipped(target('ghcr.io/org'))).toMatch(
      /default-repo ghcr\.io\/org is the push target, so the local registry .* is not started/
    )
    expect(localRegistrySkipped(target(''))).toBe('')
    expect(localRegistrySkipped(target('ghcr.io/org', false))).toBe('')
  })

  it('lists the registries outside the job: default-repo, else each image', () => {
    expect(
      externalPushRegistries({ ...target('ghcr.io/org'), images: ['a', 'b'] })
    ).toEqual(['ghcr.io'])
    expect(
      externalPushRegistries({ ...target(''), images: ['ghcr.io/a'] })
    ).toEqual([])
    expect(
      externalPushRegistries({
        ...target('', false),
        images: ['ghcr.io/o/a', 'octocat/b', 'ghcr.io/o/c']
      })
    ).toEqual(['docker.io', 'ghcr.io'])
  })
})

describe('classifyLogin', () => {
  it('finds a credential in auths, by host or by a key with a scheme', () => {
    expect(
      classifyLogin({ auths: { 'ghcr.io': { auth: AUTH } } }, 'ghcr.io')
    ).toEqual({ kind: 'auth' })
    expect(
      classifyLogin(
        { auths: { 'https://ghcr.io/v2/': { auth: AUTH } } },
        'ghcr.io'
      )
    ).toEqual({ kind: 'auth' })
    expect(
      classifyLogin(
        { auths: { 'https://index.docker.io/v1/': { auth: AUTH } } },
        'docker.io'
      )
    ).toEqual({ kind: 'auth' })
  })

  it('an empty auths entry is no login', () => {
    expect(classifyLogin({ auths: { 'ghcr.io': {} } }, 'ghcr.io')).toEqual({
      kind: 'none'
    })
    expect(classifyLogin({}, 'ghcr.io')).toEqual({ kind: 'none' })
  })

  it('a helper wins over auths, as in docker/cli', () => {
    expect(
      classifyLogin(
        { auths: { 'ghcr.io': { auth: AUTH } }, credsStore: 'desktop' },
        'ghcr.io'
      )
    ).toEqual({
      kind: 'helper',
      helper: 'desktop',
      via: 'credsStore',
      inKaniko: false
    })
    expect(
      classifyLogin(
        { credHelpers: { 'europe-docker.pkg.dev': 'gcr' } },
        'europe-docker.pkg.dev'
      )
    ).toEqual({
      kind: 'helper',
      helper: 'gcr',
      via: 'credHelpers',
      inKaniko: true
    })
  })
})

describe('dockerConfigSecretName', () => {
  it('is the fixed prefix and a per-step suffix, a valid Kubernetes name', () => {
    const name = dockerConfigSecretName('0a1b2c3d')
    expect(name).toBe(SECRET)
    expect(name).not.toBe(dockerConfigSecretName('9f8e7d6c'))
    // DNS-1123 subdomain, at most 253 characters.
    expect(name).toMatch(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/)
    expect(name.length).toBeLessThanOrEqual(253)
  })

  it('refuses a suffix that would make an invalid name', () => {
    expect(() => dockerConfigSecretName('')).toThrow('lower-case')
    expect(() => dockerConfigSecretName('A-b')).toThrow('lower-case')
  })
})

describe('planPushLogin', () => {
  it('gives kaniko the runner config when it logs in to the push registry', () => {
    const result = plan({ auths: { 'ghcr.io': { auth: AUTH } } })
    expect(result.dockerConfig).toEqual({
      path: PATH,
      secretName: SECRET
    })
    expect(allText(result)).toContain(`the secret ${SECRET}`)
    expect(result.secrets).toEqual(expect.arrayContaining([AUTH, PASSWORD]))
    expect(allText(result)).not.toContain(PASSWORD)
    expect(allText(result)).not.toContain(AUTH)
  })

  it('refuses a credsStore config and says the file holds no secret', () => {
    const result = plan({ auths: { 'ghcr.io': {} }, credsStore: 'desktop' })
    expect(result.dockerConfig).toBeUndefined()
    const warning = result.messages.find((m) => m.level === 'warning')
    expect(warning?.text).toContain('credential helper desktop')
    expect(warning?.text).toContain(
      'the file alone holds no secret for ghcr.io'
    )
    expect(warning?.text).toMatch(/gcr\.io .*ECR.*ACR/)
  })

  it('refuses a config whose credHelpers name a helper kaniko lacks', () => {
    const result = plan({
      auths: { 'ghcr.io': { auth: AUTH } },
      credHelpers: { 'gcr.io': 'gcloud' }
    })
    expect(result.dockerConfig).toBeUndefined()
    expect(allText(result)).toContain('gcloud')
  })

  it('passes nothing when the file has no login for the push registry', () => {
    const result = plan({ auths: { 'quay.io': { auth: AUTH } } })
    expect(result.dockerConfig).toBeUndefined()
    expect(allText(result)).toContain('ghcr.io: no login in')
  })

  it('passes nothing with docker-config: false, no config, or no external push', () => {
    expect(
      plan({ auths: { 'ghcr.io': { auth: AUTH } } }, ['ghcr.io'], 'false')
        .dockerConfig
    ).toBeUndefined()
    expect(
      planPushLogin({
        mode: 'auto',
        registries: ['ghcr.io'],
        secretName: SECRET
      }).dockerConfig
    ).toBeUndefined()
    expect(
      plan({ auths: { 'ghcr.io': { auth: AUTH } } }, []).dockerConfig
    ).toBeUndefined()
  })

  it('warns about a file that is not JSON, without its text', () => {
    const result = planPushLogin({
      mode: 'auto',
      registries: ['ghcr.io'],
      config: { path: PATH, text: `{"auths": ${PASSWORD}` },
      secretName: SECRET
    })
    expect(result.dockerConfig).toBeUndefined()
    expect(allText(result)).toContain('is not a JSON object')
    expect(allText(result)).not.toContain(PASSWORD)
  })
})

describe('the docker-config input', () => {
  const parse = (value: string) =>
    parseInputs((name) => (name === 'docker-config' ? value : ''))

  it('is auto by default and takes false', () => {
    expect(INPUT_DEFAULTS['docker-config']).toBe('auto')
    expect(parse('').dockerConfig).toBe('auto')
    expect(parse('false').dockerConfig).toBe('false')
  })

  it('refuses anything else, naming the input', () => {
    expect(() => parse('yes')).toThrow(
      /Input 'docker-config' has an invalid value "yes": expected auto/
    )
  })
})

describe('pushRefusal', () => {
  // kaniko's line when the registry refuses the credentials (as measured
  // against a distribution registry with htpasswd auth).
  const refused =
    'error checking push permissions -- make sure you entered the correct tag name, and that you are authenticated correctly, and try again: checking push permission for "ghcr.io/octo/feed-agg:v1": POST https://ghcr.io/v2/octo/feed-agg/blobs/uploads/: UNAUTHORIZED: authentication required; [map[Action:pull Class: Name:octo/feed-agg Type:repository]]'

  it('names the registry that refused, the image and the fix', () => {
    expect(pushRefusal(['Building [feed-agg]...', refused, 'exit 1'])).toBe(
      "the registry ghcr.io refused kaniko's push of ghcr.io/octo/feed-agg:v1 (UNAUTHORIZED): log in to ghcr.io before this step (docker/login-action or docker login) with a credential that may push to that repository"
    )
  })

  it('names Docker Hub for a short image name, and DENIED too', () => {
    expect(
      pushRefusal([
        'checking push permission for "octo/app:v1": POST https://index.docker.io/v2/octo/app/blobs/uploads/: DENIED: requested access to the resource is denied'
      ])
    ).toContain(
      "the registry docker.io refused kaniko's push of octo/app:v1 (DENIED)"
    )
  })

  it('says nothing for other failures', () => {
    expect(
      pushRefusal([
        'checking push permission for "kind-registry:5001/hello:latest": Get "https://kind-registry:5001/v2/": http: server gave HTTP response to HTTPS client',
        'error building image: exit status 1'
      ])
    ).toBe('')
  })
})
