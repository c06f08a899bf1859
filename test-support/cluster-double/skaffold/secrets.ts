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

/**
 * PreBuild for one config's cluster block.
 * @throws CommandError with skaffold's text
 */
export async function setupSecrets(
  scope: string,
  cluster: Record<string, unknown>,
  namespace: string,
  cwd: string,
  out: (text: string) => void
): Promise<PodSecrets> {
  const records: SecretRecord[] = []
  const created: string[] = []
  const teardown = (): void => {
    for (const key of created) live.delete(key)
    for (const r of records) if (r.created) r.removed = true
  }
  const keyOf = (name: string): string => `${scope}|${namespace}/${name}`
  {
    // setDefaultClusterPullSecret (schema/defaults/defaults.go): the name
    // defaults only when a path is given.
    const pullPath = scalarText(cluster.pullSecretPath)
    const pullName =
      scalarText(cluster.pullSecretName) ||
      (pullPath === '' ? '' : DEFAULT_SECRET_NAME)
    if (pullName !== '') {
      out(`Checking for kaniko secret [${namespace}/${pullName}]...\n`)
      const mountPath =
        scalarText(cluster.pullSecretMountPath) || DEFAULT_SECRET_MOUNT_PATH
      if (live.has(keyOf(pullName))) {
        records.push({
          kind: 'pullSecret',
          namespace,
          name: pullName,
          mountPath,
          created: false,
          removed: false
        })
      } else {
        out(`Creating kaniko secret [${namespace}/${pullName}]...\n`)
        if (pullPath === '')
          throw new CommandError(
            `setting up pull secret: secret ${pullName} does not exist. No path specified to create it`
          )
        const file = expand(pullPath, cwd)
        let data: string
        try {
          data = await readFile(file, 'utf8')
        } catch (error) {
          throw new CommandError(
            `setting up pull secret: cannot create secret ${pullName} from path ${file}. reading pull secret: ${errno(error, file)}`
          )
        }
        live.set(keyOf(pullName), data)
        created.push(keyOf(pullName))
        records.push({
          kind: 'pullSecret',
          namespace,
          name: pullName,
          mountPath,
          created: true,
          removed: false
        })
      }
    }
    const dockerConfig = cluster.dockerConfig
    if (dockerConfig === undefined || dockerConfig === null)
      return { records, teardown }
    const spec =
      typeof dockerConfig === 'object'
        ? (dockerConfig as Record<string, unknown>)
        : {}
    const name = scalarText(spec.secretName) || DEFAULT_DOCKER_CONFIG_SECRET
    const path = scalarText(spec.path)
    out(`Creating docker config secret [${name}]...\n`)
    const record: SecretRecord = {
      kind: 'dockerConfig',
      namespace,
      name,
      mountPath: DOCKER_CONFIG_PATH,
      created: false,
      removed: false
    }
    if (path === '') {
      const existing = live.get(keyOf(name))
      if (existing === undefined)
        throw new CommandError(
          `setting up docker config secret: checking for existing kaniko secret: secrets "${name}" not found`
        )
      records.push(record)
      return { dockerConfig: existing, records, teardown }
    }
    const file = expand(path, cwd)
    let data: string
    try {
      data = await readFile(file, 'utf8')
    } catch (error) {
      throw new CommandError(
        `setting up docker config secret: reading docker config: ${errno(error, file)}`
      )
    }
    if (live.has(keyOf(name)))
      throw new CommandError(
        `setting up docker config secret: creating docker config secret "${name}": secrets "${name}" already exists`
      )
    live.set(keyOf(name), data)
    created.push(keyOf(name))
    records.push({ ...record, created: true })
    return { dockerConfig: data, records, teardown }
  }
}
