/**
 * The command-line preview's arguments: the help text, the option table
 * node:util parseArgs reads, and their translation into patch options.
 */
import { parseArgs } from 'node:util'
import { NODE_PATHS, VOLUME_NAMES } from '../cache/paths.js'
import {
  DEFAULT_PATCH_OPTIONS,
  PVC_VOLUME_NAME,
  type PatchOptions
} from '../skaffold/options.js'

export const HELP = `Usage:
  skaffold-kaniko-cache patch [options] FILE
  skaffold-kaniko-cache check [options] FILE

patch   Prints FILE with every kaniko artifact patched for the Go caches
        (stdout) and a report of what was found and done (stderr). When FILE
        requires other local configs, each patched file is printed after a
        "# file: <original> -> <copy>" line, the copy being where the action
        writes it. With nothing to patch, FILE is printed unchanged and the
        reason goes to stderr. A Dockerfile whose Go stage lacks the cache
        ARG lines is printed the same way, as the copy the action builds
        from (--patch-dockerfile auto, the default).
check   Prints the Dockerfile findings (missing ARG lines, ignored
        RUN --mount=type=cache, kaniko v1.7.0 with whitelistVarRun). FILE is a
        skaffold config (every patched artifact's Dockerfile is checked) or a
        Dockerfile (checked for the build args the options imply). "note:"
        lines name the Go build stage's base image, which kaniko unpacks on
        every build, what an -alpine one would save, and kaniko settings
        that only add work (stderr with --json).

Options (as the action's inputs):
  --profile NAME            profile the build activates (repeatable, or a,b)
  --mod-cache-path PATH     module cache mount path in the kaniko pod
                            (default ${DEFAULT_PATCH_OPTIONS.mountPaths.mod})
  --build-cache-path PATH   build cache mount path in the kaniko pod
                            (default ${DEFAULT_PATCH_OPTIONS.mountPaths.build})
  --mod-volume-name NAME    module cache volume name (default ${DEFAULT_PATCH_OPTIONS.volumeNames.mod})
  --build-volume-name NAME  build cache volume name (default ${DEFAULT_PATCH_OPTIONS.volumeNames.build})
  --mod-node-path PATH      hostPath of the module cache on the node
                            (default ${NODE_PATHS.mod})
  --build-node-path PATH    hostPath of the build cache on the node
                            (default ${NODE_PATHS.build})
  --hostpath-type TYPE      hostPath type (default DirectoryOrCreate; "" omits it)
  --pvc CLAIM               use an existing ReadWriteMany claim instead of
                            hostPath: one volume, two mounts with subPath
  --go-proxy URL            GOPROXY build arg
  --go-private PATTERNS     GOPRIVATE and GONOSUMDB build args
  --go-flags FLAGS          GOFLAGS build arg
  --build-arg KEY=VALUE     extra build arg (repeatable)
  --registry-mirror HOST    kaniko registryMirror
  --kaniko-image IMAGE      kaniko executor image
  --init-image IMAGE        kaniko initImage (the pod's init container)
                            (the action sets these three by default: a
                            mirror.gcr.io mirror and both images pinned by
                            digest; here they are added only when given)
  --whitelist-var-run       kaniko whitelistVarRun: true
  --insecure-registry HOST  kaniko insecureRegistry entry (repeatable), e.g.
                            kind-registry:5000 for the local plain-HTTP registry
  --no-ignore-paths         do not add ignorePaths: [/product_uuid, /product_name] (v4beta2+)
  --namespace NAME          namespace of the kaniko pods: added to every patched
                            cluster block that names none (a block's own
                            namespace is kept); without it the blocks keep
                            skaffold's default, the kube context's namespace.
                            The action's input is empty by default: the same
                            as here.
  --patch-dockerfile MODE   patch: auto (default) adds the missing ARG lines
                            to a Dockerfile copy and points the artifact at
                            it; never leaves the Dockerfiles alone
  --json                    print the report as JSON (on stderr for patch)
  --context DIR             patch, check: directory skaffold runs in (default: FILE's
                            directory); for a Dockerfile, unused
  --target STAGE            check of a Dockerfile: the stage built
  -h, --help                this help

Exit status: 0 success (also with nothing to patch, and with findings),
2 bad input (one line: file:line: what is wrong), 1 unexpected error.
`

export const OPTIONS = {
  profile: { type: 'string', multiple: true },
  'mod-cache-path': { type: 'string' },
  'build-cache-path': { type: 'string' },
  'mod-volume-name': { type: 'string' },
  'build-volume-name': { type: 'string' },
  'mod-node-path': { type: 'string' },
  'build-node-path': { type: 'string' },
  'hostpath-type': { type: 'string' },
  pvc: { type: 'string' },
  'go-proxy': { type: 'string' },
  'go-private': { type: 'string' },
  'go-flags': { type: 'string' },
  'build-arg': { type: 'string', multiple: true },
  'registry-mirror': { type: 'string' },
  'kaniko-image': { type: 'string' },
  'init-image': { type: 'string' },
  'whitelist-var-run': { type: 'boolean' },
  'insecure-registry': { type: 'string', multiple: true },
  'no-ignore-paths': { type: 'boolean' },
  namespace: { type: 'string' },
  'patch-dockerfile': { type: 'string' },
  json: { type: 'boolean' },
  context: { type: 'string' },
  target: { type: 'string' },
  help: { type: 'boolean', short: 'h' }
} as const

/** Every option the CLI accepts (the help text documents each). */
export const CLI_OPTION_NAMES = Object.keys(OPTIONS)

export type Values = ReturnType<
  typeof parseArgs<{ options: typeof OPTIONS }>
>['values']

export class UsageError extends Error {}

export function isParseArgsError(error: unknown): boolean {
  const code = (error as { code?: string }).code ?? ''
  return code.startsWith('ERR_PARSE_ARGS')
}

export function toPatchOptions(values: Values): PatchOptions {
  const d = DEFAULT_PATCH_OPTIONS
  const buildArgs = (values['build-arg'] ?? []).map(
    (pair): [string, string] => {
      const eq = pair.indexOf('=')
      if (eq <= 0)
        throw new UsageError(`--build-arg "${pair}": expected KEY=VALUE`)
      return [pair.slice(0, eq), pair.slice(eq + 1)]
    }
  )
  const hostPath = d.volumeSource as Extract<
    PatchOptions['volumeSource'],
    { kind: 'hostPath' }
  >
  return {
    ...d,
    mountPaths: {
      mod: values['mod-cache-path'] ?? d.mountPaths.mod,
      build: values['build-cache-path'] ?? d.mountPaths.build
    },
    volumeNames: {
      mod: values['mod-volume-name'] ?? d.volumeNames.mod,
      build: values['build-volume-name'] ?? d.volumeNames.build
    },
    volumeSource:
      values.pvc !== undefined
        ? {
            kind: 'persistentVolumeClaim',
            claim: values.pvc,
            volumeName: PVC_VOLUME_NAME,
            subPaths: { ...VOLUME_NAMES }
          }
        : {
            kind: 'hostPath',
            paths: {
              mod: values['mod-node-path'] ?? hostPath.paths.mod,
              build: values['build-node-path'] ?? hostPath.paths.build
            },
            type: values['hostpath-type'] ?? hostPath.type
          },
    goProxy: values['go-proxy'] ?? '',
    goPrivate: values['go-private'] ?? '',
    goFlags: values['go-flags'] ?? '',
    buildArgs,
    registryMirror: values['registry-mirror'] ?? '',
    kanikoImage: values['kaniko-image'] ?? '',
    initImage: values['init-image'] ?? '',
    whitelistVarRun: values['whitelist-var-run'] ?? false,
    ignorePaths: values['no-ignore-paths'] ? [] : d.ignorePaths,
    insecureRegistries: values['insecure-registry'] ?? [],
    profiles: (values.profile ?? [])
      .flatMap((p) => p.split(','))
      .map((p) => p.trim())
      .filter((p) => p !== ''),
    defaultNamespace: values.namespace ?? d.defaultNamespace
  }
}
