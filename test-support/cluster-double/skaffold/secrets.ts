/**
 * The secrets skaffold's cluster builder makes before a build and deletes
 * after it (skaffold v2.24.0 pkg/skaffold/build/cluster/cluster.go PreBuild
 * and PostBuild; secret.go setupPullSecret and setupDockerConfigSecret), and
 * where the kaniko pod mounts them (pod.go addSecretVolume). Builds never
 * write state.json, so the live secrets are kept in the daemon's memory
 * (one daemon per docker host): a second build that makes the same secret
 * while the first runs fails as the API server's create does. skaffold
 * calls PostBuild only when every artifact built (pkg/skaffold/build/builder_mux.go
 * Build returns before it on an error), so after a failed build, or a
 * failed PreBuild, the secrets it created stay, and the next build that
 * creates the same name fails with "already exists".
 */
import { readFile } from 'node:fs/promises'
import { homedir } from 'node:os'
import { isAbsolute, resolve } from 'node:path'
import { CommandError } from '../io.js'
import { scalarText } from '../values.js'

/** One secret as the build saw it (never its content). */
export interface SecretRecord {
  kind: 'dockerConfig' | 'pullSecret'
  namespace: string
  name: string
  /** Where the kaniko container mounts it. */
  mountPath: string
  /** skaffold created it from a file (and deletes it after the build). */
  created: boolean
  /** Deleted after the build. */
  removed: boolean
}

/** What the kaniko pod gets from the secrets. */
export interface PodSecrets {
  /** /kaniko/.docker/config.json, when a docker config secret is mounted there. */
  dockerConfig?: string
  records: SecretRecord[]
  /** PostBuild: delete the secrets this build created. */
  teardown(): void
}

/** "<home>|<cluster>|<namespace>/<name>" → the secret's data. */
const live = new Map<string, string>()

// skaffold v2.24.0 pkg/skaffold/build/kaniko/types.go.
const DEFAULT_SECRET_NAME = 'kaniko-secret'
const DEFAULT_DOCKER_CONFIG_SECRET = 'docker-cfg'
const DOCKER_CONFIG_PATH = '/kaniko/.docker'
const DEFAULT_SECRET_MOUNT_PATH = '/secret'

/** homedir.Expand, then a relative path is read from skaffold's working dir (os.ReadFile). */
function expand(path: string, cwd: string): string {
  const home =
    path === '~' || path.startsWith('~/') ? homedir() + path.slice(1) : path
  return isAbsolute(home) ? home : resolve(cwd, home)
}

function errno(error: unknown, path: string): string {
  return (error as NodeJS.ErrnoException).code === 'ENOENT'
    ? `open ${path}: no such file or directory`
    : `open ${path}: ${(error as Error).message}`
}

/** One PreBuild's bookkeeping. */
interface PreBuild {
  key: (name: string) => string
  namespace: string
  cwd: string
  records: SecretRecord[]
  /** Keys of the secrets this PreBuild created. */
  created: string[]
  out: (text: string) => void
}

async function readSecretFile(
  path: string,
  cwd: string,
  fail: (reason: string, file: string) => string
): Promise<string> {
  const file = expand(path, cwd)
  try {
    return await readFile(file, 'utf8')
  } catch (error) {
    throw new CommandError(fail(errno(error, file), file))
  }
}

/** secret.go setupPullSecret. */
async function setupPullSecret(
  pre: PreBuild,
  cluster: Record<string, unknown>
): Promise<void> {
  // setDefaultClusterPullSecret (schema/defaults/defaults.go): the name
  // defaults only when a path is given.
  const path = scalarText(cluster.pullSecretPath)
  const name =
    scalarText(cluster.pullSecretName) ||
    (path === '' ? '' : DEFAULT_SECRET_NAME)
  if (name === '') return
  pre.out(`Checking for kaniko secret [${pre.namespace}/${name}]...\n`)
  const record: SecretRecord = {
    kind: 'pullSecret',
    namespace: pre.namespace,
    name,
    mountPath:
      scalarText(cluster.pullSecretMountPath) || DEFAULT_SECRET_MOUNT_PATH,
    created: false,
    removed: false
  }
  if (live.has(pre.key(name))) {
    pre.records.push(record)
    return
  }
  pre.out(`Creating kaniko secret [${pre.namespace}/${name}]...\n`)
  if (path === '')
    throw new CommandError(
      `setting up pull secret: secret ${name} does not exist. No path specified to create it`
    )
  const data = await readSecretFile(
    path,
    pre.cwd,
    (reason, file) =>
      `setting up pull secret: cannot create secret ${name} from path ${file}. reading pull secret: ${reason}`
  )
  live.set(pre.key(name), data)
  pre.created.push(pre.key(name))
  pre.records.push({ ...record, created: true })
}

/** secret.go setupDockerConfigSecret; resolves with the config the pod mounts. */
async function setupDockerConfigSecret(
  pre: PreBuild,
  cluster: Record<string, unknown>
): Promise<string | undefined> {
  const dockerConfig = cluster.dockerConfig
  if (dockerConfig === undefined || dockerConfig === null) return undefined
  const spec =
    typeof dockerConfig === 'object'
      ? (dockerConfig as Record<string, unknown>)
      : {}
  const name = scalarText(spec.secretName) || DEFAULT_DOCKER_CONFIG_SECRET
  const path = scalarText(spec.path)
  pre.out(`Creating docker config secret [${name}]...\n`)
  const record: SecretRecord = {
    kind: 'dockerConfig',
    namespace: pre.namespace,
    name,
    mountPath: DOCKER_CONFIG_PATH,
    created: false,
    removed: false
  }
  if (path === '') {
    const existing = live.get(pre.key(name))
    if (existing === undefined)
      throw new CommandError(
        `setting up docker config secret: checking for existing kaniko secret: secrets "${name}" not found`
      )
    pre.records.push(record)
    return existing
  }
  const data = await readSecretFile(
    path,
    pre.cwd,
    (reason) =>
      `setting up docker config secret: reading docker config: ${reason}`
  )
  if (live.has(pre.key(name)))
    throw new CommandError(
      `setting up docker config secret: creating docker config secret "${name}": secrets "${name}" already exists`
    )
  live.set(pre.key(name), data)
  pre.created.push(pre.key(name))
  pre.records.push({ ...record, created: true })
  return data
}

/**
 * PreBuild for one config's cluster block (cluster.go PreBuild: the pull
 * secret, then the docker config secret).
 * @param scope the daemon home and cluster the secrets live in
 * @throws CommandError with skaffold's text
 */
export async function setupSecrets(
  scope: string,
  cluster: Record<string, unknown>,
  namespace: string,
  cwd: string,
  out: (text: string) => void
): Promise<PodSecrets> {
  const pre: PreBuild = {
    key: (name) => `${scope}|${namespace}/${name}`,
    namespace,
    cwd,
    records: [],
    created: [],
    out
  }
  await setupPullSecret(pre, cluster)
  const dockerConfig = await setupDockerConfigSecret(pre, cluster)
  return {
    dockerConfig,
    records: pre.records,
    teardown: () => {
      for (const key of pre.created) live.delete(key)
      for (const r of pre.records) if (r.created) r.removed = true
    }
  }
}

/**
 * `kubectl delete secret`: removes a live secret; false when there is none.
 * @param scope the daemon home and cluster, as setupSecrets takes it
 */
export function deleteSecret(
  scope: string,
  namespace: string,
  name: string
): boolean {
  return live.delete(`${scope}|${namespace}/${name}`)
}
