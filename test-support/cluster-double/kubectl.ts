/** `kubectl` commands with an explicit --context (contract items 17-20). */
import { mkdirSync } from 'node:fs'
import { parseAllDocuments } from 'yaml'
import { CommandError, unsupported } from './io.js'
import type { CommandContext } from './context.js'
import { claimDataDir, clusterForContext, type ClusterRecord } from './state.js'
import { deleteSecret } from './skaffold/secrets.js'

type Form =
  'wait' | 'get-namespace' | 'create-namespace' | 'apply' | 'delete-secret'

function formOf(rest: readonly string[]): Form | undefined {
  const line = rest.join(' ')
  // kubectl parses flags with spf13/pflag: `--` ends the flags and the rest
  // is positional (spf13/pflag flag.go, parseArgs); `wait` and `get` read
  // every positional (kubectl pkg/cmd/wait/wait.go, pkg/cmd/get/get.go).
  if (
    /^wait --for=condition=Ready nodes --all --timeout=\d+[smh]?$/.test(line) ||
    /^wait --for=condition=Ready --all --timeout=\d+[smh]? -- nodes$/.test(line)
  )
    return 'wait'
  if (rest.length === 3 && rest[0] === 'get' && rest[1] === 'namespace')
    return 'get-namespace'
  if (
    rest.length === 4 &&
    rest[0] === 'get' &&
    rest[1] === 'namespace' &&
    rest[2] === '--'
  )
    return 'get-namespace'
  if (rest.length === 3 && rest[0] === 'create' && rest[1] === 'namespace')
    return 'create-namespace'
  if (line === 'apply -f -') return 'apply'
  // Only the form the action's post step runs.
  if (
    rest.length === 7 &&
    /^delete secret --namespace \S+ --ignore-not-found -- \S+$/.test(line)
  )
    return 'delete-secret'
  return undefined
}

/** Runs one kubectl command (other than `version --client`) in the daemon. */
export function runKubectl(ctx: CommandContext, args: string[]): void {
  if (args[0] !== '--context' || args[1] === undefined)
    throw unsupported('kubectl', args)
  const rest = args.slice(2)
  const form = formOf(rest)
  // The form is checked before the context, so a drift is reported as such.
  if (form === undefined) throw unsupported('kubectl', args)
  const cluster = clusterForContext(ctx.state, args[1])
  if (cluster === undefined)
    throw new CommandError(`error: context "${args[1]}" does not exist`)
  const { io } = ctx
  if (form === 'wait') {
    io.out(cluster.nodes.map((n) => `node/${n.name} condition met\n`).join(''))
    return
  }
  if (form === 'get-namespace') {
    const ns = rest[rest.length - 1]
    if (!cluster.namespaces.includes(ns)) {
      throw new CommandError(
        `Error from server (NotFound): namespaces "${ns}" not found`
      )
    }
    const width = Math.max(4, ns.length) + 3
    io.out(
      `${'NAME'.padEnd(width)}STATUS   AGE\n${ns.padEnd(width)}Active   1m\n`
    )
    return
  }
  if (rest.length === 3 && rest[0] === 'create' && rest[1] === 'namespace') {
    if (cluster.namespaces.includes(rest[2])) {
      throw new CommandError(
        `Error from server (AlreadyExists): namespaces "${rest[2]}" already exists`
      )
    }
    if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(rest[2])) {
      throw new CommandError(
        `The Namespace "${rest[2]}" is invalid: metadata.name: Invalid value: "${rest[2]}": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-'`
      )
    }
    cluster.namespaces.push(rest[2])
    io.out(`namespace/${rest[2]} created\n`)
    return
  }
  if (form === 'delete-secret') {
    // --ignore-not-found: "Treat \"resource not found\" as a successful
    // delete" (kubernetes kubectl pkg/cmd/delete/delete.go, the flag's help):
    // nothing printed, exit 0; a deleted object prints `<kind> "<name>"
    // deleted` (the same file, PrintObj with the "deleted" operation).
    const name = rest[6]
    if (deleteSecret(`${ctx.options.home}|${cluster.name}`, rest[3], name))
      io.out(`secret "${name}" deleted\n`)
    return
  }
  if (
    rest.length === 3 &&
    rest[0] === 'apply' &&
    rest[1] === '-f' &&
    rest[2] === '-'
  ) {
    applyManifest(
      cluster,
      Buffer.from(io.request.stdin, 'base64').toString('utf8'),
      (line) => io.out(line),
      ctx.options.home
    )
    return
  }
  throw unsupported('kubectl', args)
}

/**
 * `kubectl apply -f -`: every document of the YAML stream on stdin, in
 * stream order, each created or left alone when it matches, so a Namespace
 * earlier in the stream exists for what follows it (kubernetes/kubectl
 * pkg/cmd/apply/apply.go, Run: one applyOneObject per object, in order;
 * "no objects passed to apply" for an empty stream). kubectl goes on after a
 * failing object and reports them all; the double stops at the first.
 */
function applyManifest(
  cluster: ClusterRecord,
  text: string,
  print: (line: string) => void,
  home: string
): void {
  const documents = parseAllDocuments(text)
  if (documents.every((doc) => doc.errors.length === 0 && doc.toJS() === null))
    throw new CommandError('error: no objects passed to apply')
  for (const doc of documents) {
    if (doc.errors.length > 0)
      throw new CommandError(
        `error: error parsing STDIN: ${doc.errors[0].message}`
      )
    const obj = doc.toJS() as Record<string, unknown> | null
    if (obj === null) continue
    const meta = (obj.metadata ?? {}) as { name?: string; namespace?: string }
    if (typeof meta.name !== 'string' || meta.name === '') {
      throw new CommandError(
        'error: error validating "STDIN": metadata.name is required'
      )
    }
    if (obj.apiVersion === 'v1' && obj.kind === 'Namespace') {
      // The API server validates a namespace name as a DNS-1123 label
      // (kubernetes pkg/apis/core/validation/validation.go, ValidateNamespace).
      if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(meta.name)) {
        throw new CommandError(
          `The Namespace "${meta.name}" is invalid: metadata.name: Invalid value: "${meta.name}": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-'`
        )
      }
      const created = !cluster.namespaces.includes(meta.name)
      if (created) cluster.namespaces.push(meta.name)
      print(`namespace/${meta.name} ${created ? 'created' : 'unchanged'}\n`)
    } else if (obj.apiVersion === 'v1' && obj.kind === 'ConfigMap') {
      const ns = meta.namespace ?? 'default'
      if (!cluster.namespaces.includes(ns)) {
        throw new CommandError(
          `Error from server (NotFound): error when creating "STDIN": namespaces "${ns}" not found`
        )
      }
      const data = (obj.data ?? {}) as Record<string, string>
      const key = `${ns}/${meta.name}`
      const before = cluster.configMaps[key]
      cluster.configMaps[key] = data
      const verb =
        before === undefined
          ? 'created'
          : JSON.stringify(before) === JSON.stringify(data)
            ? 'unchanged'
            : 'configured'
      print(`configmap/${meta.name} ${verb}\n`)
    } else if (
      obj.apiVersion === 'v1' &&
      obj.kind === 'PersistentVolumeClaim'
    ) {
      const verb = applyClaim(
        cluster,
        obj,
        meta.name,
        meta.namespace ?? 'default',
        home
      )
      print(`persistentvolumeclaim/${meta.name} ${verb}\n`)
    } else {
      throw new CommandError(
        `cluster double: kubectl apply supports v1 ConfigMap, Namespace and PersistentVolumeClaim only, got ${String(obj.apiVersion)} ${String(obj.kind)}`,
        2
      )
    }
  }
}

/**
 * A PersistentVolumeClaim, bound at once to a volume whose data lives in the
 * daemon home (so it persists across builds on this cluster). The checks
 * are the API server's: the namespace must exist, accessModes and a storage
 * request are required, and a bound claim's access modes cannot change.
 */
function applyClaim(
  cluster: ClusterRecord,
  obj: Record<string, unknown>,
  name: string,
  namespace: string,
  home: string
): 'created' | 'unchanged' {
  if (!cluster.namespaces.includes(namespace)) {
    throw new CommandError(
      `Error from server (NotFound): error when creating "STDIN": namespaces "${namespace}" not found`
    )
  }
  const spec = (obj.spec ?? {}) as {
    accessModes?: unknown
    resources?: { requests?: { storage?: unknown } }
  }
  const accessModes = Array.isArray(spec.accessModes)
    ? spec.accessModes.map(String)
    : []
  const invalid = (detail: string): CommandError =>
    new CommandError(
      `The PersistentVolumeClaim "${name}" is invalid: ${detail}`
    )
  if (accessModes.length === 0)
    throw invalid(
      'spec.accessModes: Required value: at least 1 access mode is required'
    )
  const known = [
    'ReadWriteOnce',
    'ReadOnlyMany',
    'ReadWriteMany',
    'ReadWriteOncePod'
  ]
  const unknown = accessModes.find((m) => !known.includes(m))
  if (unknown !== undefined)
    throw invalid(`spec.accessModes: Unsupported value: "${unknown}"`)
  if (spec.resources?.requests?.storage === undefined)
    throw invalid('spec.resources[storage]: Required value')
  const claims = (cluster.claims ??= {})
  const key = `${namespace}/${name}`
  const before = claims[key]
  if (before !== undefined) {
    if (before.accessModes.join(',') !== accessModes.join(',')) {
      throw invalid(
        'spec: Forbidden: spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims'
      )
    }
    return 'unchanged'
  }
  const dataDir = claimDataDir(home, cluster.name, namespace, name)
  mkdirSync(dataDir, { recursive: true })
  claims[key] = { accessModes, dataDir }
  return 'created'
}
