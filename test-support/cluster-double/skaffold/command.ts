/**
 * `skaffold build` in the double (contract item 22): load and validate the
 * configs, apply profiles, check every link of each kaniko artifact, build
 * the Go service for real, and write the --file-output JSON.
 */
import { createHash } from 'node:crypto'
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises'
import { join, posix, resolve } from 'node:path'
import { CommandError } from '../io.js'
import { scalarText } from '../values.js'
import type { CommandContext } from '../context.js'
import { runProcess } from '../proc.js'
import {
  clusterForContext,
  type ClusterRecord,
  type NodeRecord
} from '../state.js'
import { parseBuildArgs } from './args.js'
import { runStages } from './build.js'
import { generateTag } from './tagger.js'
import { loadConfigs, selectModules, type LoadedConfig } from './config.js'
import { parseDockerfile } from './dockerfile.js'
import { contextExclusion } from './dockerignore.js'
import { checkGoBaseImage, checkPodImage, hostPlatform } from './images.js'
import {
  CACHE_ARGS,
  checkCacheArgs,
  checkDeclaredArgs,
  resolveMounts
} from './links.js'
import { applyProfiles, checkProfilesExist } from './profiles.js'
import { assembleImage } from './image.js'
import {
  PERMISSION_PREFIX,
  checkPushPermission,
  pushImage,
  resolvePodAuth,
  type PushTarget
} from './push.js'
import { containerRegistry, isRegistryContainer } from './registries.js'
import { setupSecrets, type PodSecrets } from './secrets.js'
import {
  writeBuildRecord,
  type ArtifactRecord,
  type BuildRecord
} from './records.js'

type Obj = Record<string, unknown>

function isRecord(value: unknown): value is Obj {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** The node a kaniko pod is scheduled on: a worker when there is one (kind taints the control plane then). */
function schedulingNode(cluster: ClusterRecord): NodeRecord {
  return cluster.nodes.find((n) => n.role === 'worker') ?? cluster.nodes[0]
}

/** Expands skaffold's Go templates in build args ({{.NAME}} from the environment). */
export function expandTemplate(
  value: string,
  env: Record<string, string | undefined>
): string {
  return value.replace(/\{\{\s*([^}]*?)\s*\}\}/g, (_m, expr: string) => {
    const match = /^\.([A-Za-z_][A-Za-z0-9_]*)$/.exec(expr)
    if (match === null)
      throw new CommandError(
        `cluster double: unsupported build arg template {{${expr}}} (only {{.NAME}})`,
        2
      )
    return env[match[1]] ?? '<no value>'
  })
}

/** skaffold's default-repo substitution (pkg/skaffold/docker/default_repo.go). */
export function substituteDefaultRepo(
  image: string,
  defaultRepo: string | undefined
): string {
  if (defaultRepo === undefined || defaultRepo === '') return image
  if (image.startsWith(`${defaultRepo}/`)) return image
  return `${defaultRepo}/${image.replace(/[/._:@]/g, '_')}`
}

/** Runs `skaffold build ...` in the daemon. */
export async function runSkaffoldBuild(
  ctx: CommandContext,
  args: string[]
): Promise<void> {
  const { io } = ctx
  const request = io.request
  const parsed = parseBuildArgs(args)
  const strict = request.env.CLUSTER_DOUBLE_STRICT_LINKS === '1'
  const warn = (message: string): void => {
    if (strict)
      throw new CommandError(
        `cluster double: ${message} (CLUSTER_DOUBLE_STRICT_LINKS=1)`
      )
    io.err(`WARN[0000] ${message}\n`)
  }
  // Without --kube-context skaffold uses the kubeconfig's current context.
  const kubeContext = parsed.kubeContext ?? ctx.state.currentContext
  if (kubeContext === undefined) {
    throw new CommandError(
      'getting client config for kubeContext: "": invalid configuration: no configuration has been provided, try setting KUBERNETES_MASTER environment variable (no current context: kind create cluster sets one)'
    )
  }
  const cluster = clusterForContext(ctx.state, kubeContext)
  if (cluster === undefined) {
    throw new CommandError(
      `getting client config for kubeContext: "${kubeContext}": context "${kubeContext}" does not exist (kind create cluster --name <n> makes "kind-<n>")`
    )
  }
  const record: BuildRecord = {
    startedAt: Date.now(),
    args,
    kubeContext,
    configTexts: {},
    artifacts: []
  }
  try {
    await buildAll(ctx, parsed, cluster, record, warn)
  } catch (error) {
    record.error = (error as Error).message
    throw error
  } finally {
    await writeBuildRecord(ctx.options.home, record)
  }
}

async function buildAll(
  ctx: CommandContext,
  parsed: ReturnType<typeof parseBuildArgs>,
  cluster: ClusterRecord,
  record: BuildRecord,
  warn: (message: string) => void
): Promise<void> {
  const { io } = ctx
  const request = io.request
  const env = { ...process.env, ...request.env }
  const all = await loadConfigs(parsed.file, request.cwd, env, (m) =>
    io.err(`${m}\n`)
  )
  for (const file of new Set(all.map((c) => c.file))) {
    record.configTexts[file] = await readFile(file, 'utf8').catch(() => '')
  }
  const selected = selectModules(all, parsed.modules)
  checkProfilesExist(
    selected.map((c) => c.config),
    parsed.profiles
  )
  const configs = selected.map((c) => ({
    ...c,
    config: applyProfiles(c.config, parsed.profiles)
  }))

  const builds: { imageName: string; tag: string }[] = []
  const seenImages = new Set<string>()
  io.out('Generating tags...\n')
  const planned: { cfg: LoadedConfig; artifact: Obj; tag: string }[] = []
  let taggerFailed = false
  for (const cfg of configs) {
    const build = isRecord(cfg.config.build) ? cfg.config.build : {}
    const artifacts = Array.isArray(build.artifacts)
      ? build.artifacts.filter(isRecord)
      : []
    for (const artifact of artifacts) {
      const image = String(artifact.image)
      if (seenImages.has(image))
        throw new CommandError(
          `invalid skaffold config: duplicate image "${image}" found in ${cfg.file}`
        )
      seenImages.add(image)
      const workspace = resolve(
        cfg.baseDir,
        typeof artifact.context === 'string' ? artifact.context : '.'
      )
      let generated =
        parsed.tag ?? (await generateTag(build.tagPolicy, workspace))
      if (generated === undefined) {
        taggerFailed = true
        generated = 'latest'
      }
      const tag = `${substituteDefaultRepo(image, parsed.defaultRepo)}:${generated}`
      io.out(` - ${image} -> ${tag}\n`)
      planned.push({ cfg, artifact, tag })
    }
  }
  if (taggerFailed)
    io.out('Some taggers failed. Rerun with -vdebug for errors.\n')
  // skaffold joins --insecure-registry with every config's
  // build.insecureRegistries (pkg/skaffold/runner/runcontext/context.go GetRunContext).
  const insecureRegistries = [
    ...parsed.insecureRegistries,
    ...configs.flatMap((c) => {
      const b = isRecord(c.config.build) ? c.config.build : {}
      return Array.isArray(b.insecureRegistries)
        ? b.insecureRegistries.map(String)
        : []
    })
  ]
  io.out('Checking cache...\n')
  for (const p of planned)
    io.out(` - ${String(p.artifact.image)}: Not found. Building\n`)
  io.out(
    `Starting build...\nBuilding ${planned.length} artifact(s) with kaniko on cluster ${cluster.name}\n`
  )
  // PreBuild: each config's builder makes its secrets before any build
  // (skaffold v2.24.0 pkg/skaffold/build/builder_mux.go Build).
  const secrets = new Map<string, PodSecrets>()
  record.secrets = []
  for (const cfg of new Set(planned.map((p) => p.cfg))) {
    const b = isRecord(cfg.config.build) ? cfg.config.build : {}
    if (!isRecord(b.cluster)) continue
    const namespace = namespaceOf(b.cluster)
    if (!cluster.namespaces.includes(namespace)) continue
    const podSecrets = await setupSecrets(
      `${ctx.options.home}|${cluster.name}`,
      b.cluster,
      namespace,
      request.cwd,
      (t) => io.out(t)
    )
    secrets.set(cfg.file, podSecrets)
    record.secrets.push(...podSecrets.records)
  }
  for (const p of planned) {
    const digest = await buildArtifact(
      ctx,
      cluster,
      p.cfg,
      p.artifact,
      p.tag,
      insecureRegistries,
      env,
      warn,
      secrets.get(p.cfg.file)?.dockerConfig,
      (artifactRecord) => record.artifacts.push(artifactRecord)
    )
    builds.push({
      imageName: String(p.artifact.image),
      tag: `${p.tag}@sha256:${digest}`
    })
  }
  // PostBuild (cluster/cluster.go): only reached when every artifact built.
  for (const s of secrets.values()) s.teardown()
  io.send({
    t: 'file',
    path: resolve(request.cwd, parsed.fileOutput),
    d: Buffer.from(JSON.stringify({ builds })).toString('base64')
  })
}

async function buildArtifact(
  ctx: CommandContext,
  cluster: ClusterRecord,
  cfg: LoadedConfig,
  artifact: Obj,
  tag: string,
  cliInsecure: string[],
  env: Record<string, string | undefined>,
  warn: (m: string) => void,
  dockerConfig: string | undefined,
  recordArtifact: (record: ArtifactRecord) => void
): Promise<string> {
  const { io } = ctx
  const image = String(artifact.image)
  const build = isRecord(cfg.config.build) ? cfg.config.build : {}
  const builderKeys = [
    'docker',
    'bazel',
    'jib',
    'buildpacks',
    'custom',
    'ko'
  ].filter((k) => artifact[k] !== undefined)
  if (!isRecord(build.cluster)) {
    if (artifact.kaniko !== undefined) {
      throw new CommandError(
        `invalid skaffold config: ${cfg.file}: found a 'kaniko' artifact, which is incompatible with the '${build.googleCloudBuild ? 'googleCloudBuild' : 'local'}' builder: ${image}`
      )
    }
    throw new CommandError(
      `cluster double: ${cfg.file}: ${image} does not use the cluster (kaniko) builder; only kaniko builds are simulated`,
      2
    )
  }
  if (builderKeys.length > 0) {
    throw new CommandError(
      `invalid skaffold config: ${cfg.file}: found a '${builderKeys[0]}' artifact, which is incompatible with the 'cluster' builder: ${image}`
    )
  }
  const kaniko = isRecord(artifact.kaniko) ? artifact.kaniko : {}
  const clusterBlock = build.cluster
  const nodePlatform = ctx.options.nodePlatform ?? hostPlatform()
  io.out(`Building [${image}]...\nTarget platforms: [${nodePlatform}]\n`)

  const namespace = namespaceOf(clusterBlock)
  if (!cluster.namespaces.includes(namespace)) {
    throw new CommandError(
      `build [${image}] failed: creating kaniko pod: namespaces "${namespace}" not found (build.cluster.namespace in ${cfg.file})`
    )
  }
  // The pod's two images and skaffold's defaults for them (skaffold v2.24.0
  // pkg/skaffold/schema/defaults/defaults.go setKanikoArtifactDefaults; the
  // init container is named in build/cluster/kaniko.go, initContainer).
  checkPodImage(
    image,
    'kaniko-init-container',
    'kaniko.initImage',
    scalarText(kaniko.initImage) ||
      'gcr.io/k8s-skaffold/skaffold-helpers/busybox',
    nodePlatform
  )
  checkPodImage(
    image,
    'kaniko',
    'kaniko.image',
    scalarText(kaniko.image) || 'gcr.io/kaniko-project/executor:latest',
    nodePlatform
  )

  // A scratch root per build: the kaniko pod's own filesystem, gone after the build.
  await mkdir(join(ctx.options.home, 'builds'), { recursive: true })
  const scratch = await mkdtemp(
    join(ctx.options.home, 'builds', `${image.replace(/[^a-z0-9]/gi, '_')}-`)
  )
  try {
    const node = schedulingNode(cluster)
    const mounts = resolveMounts({
      home: ctx.options.home,
      node,
      apiVersion: cfg.apiVersion,
      volumes: Array.isArray(clusterBlock.volumes) ? clusterBlock.volumes : [],
      volumeMounts: Array.isArray(kaniko.volumeMounts)
        ? kaniko.volumeMounts
        : [],
      scratch,
      image,
      warn,
      claimDir: (claim) => cluster.claims?.[`${namespace}/${claim}`]?.dataDir
    })
    const rawArgs = isRecord(kaniko.buildArgs) ? kaniko.buildArgs : {}
    const repo = tag.slice(0, tag.lastIndexOf(':'))
    const templateEnv = {
      ...env,
      IMAGE_REPO: posix.dirname(repo),
      IMAGE_NAME: posix.basename(repo),
      IMAGE_TAG: tag.slice(repo.length + 1)
    }
    const buildArgs: Record<string, string | undefined> = {}
    for (const [k, v] of Object.entries(rawArgs)) {
      buildArgs[k] =
        v === null || v === undefined
          ? undefined
          : expandTemplate(scalarText(v), templateEnv)
    }
    const artifactRecord: ArtifactRecord = {
      image,
      namespace,
      buildArgs: Object.fromEntries(
        Object.entries(buildArgs).map(([k, v]) => [k, v ?? null])
      ),
      mounts: mounts.map((m) => ({
        mountPath: m.mountPath,
        backing: m.backing,
        runnerPath: m.runnerPath
      }))
    }
    recordArtifact(artifactRecord)
    checkCacheArgs(image, buildArgs, mounts, warn)

    const context = resolve(
      cfg.baseDir,
      typeof artifact.context === 'string' ? artifact.context : '.'
    )
    const dockerfilePath = resolve(
      context,
      typeof kaniko.dockerfile === 'string' ? kaniko.dockerfile : 'Dockerfile'
    )
    // skaffold always puts kaniko.dockerfile into the context it sends,
    // whatever .dockerignore says (skaffold v2.24.0
    // pkg/skaffold/docker/dependencies.go getDependencies).
    let dockerfileText: string
    try {
      dockerfileText = await readFile(dockerfilePath, 'utf8')
    } catch {
      throw new CommandError(
        `build [${image}] failed: reading Dockerfile: open ${dockerfilePath}: no such file or directory`
      )
    }
    let dockerfile
    try {
      dockerfile = parseDockerfile(dockerfileText)
    } catch (error) {
      throw new CommandError(
        `build [${image}] failed: ${dockerfilePath}: ${(error as Error).message}`
      )
    }
    const passed = [...CACHE_ARGS, 'GOPROXY'].filter(
      (n) => buildArgs[n] !== undefined
    )
    checkDeclaredArgs(dockerfilePath, dockerfile, image, passed, warn)
    // kaniko checks it may push before it builds (cmd/executor/cmd/root.go).
    const target = await pushTargetFor(
      ctx,
      tag,
      [...cliInsecure, ...insecureOf(kaniko)],
      kaniko.insecure === true
    )
    const auth =
      target === undefined ? undefined : resolvePermission(target, dockerConfig)
    if (target !== undefined && auth !== undefined)
      await checkPushPermission(target, auth)

    const goroot = (await runProcess('go', ['env', 'GOROOT'])).stdout
      .toString()
      .trim()
    if (goroot === '')
      throw new CommandError(
        'cluster double: no Go toolchain on the daemon PATH (go env GOROOT failed); install Go to run builds'
      )
    const copiedFromContext = new Set<string>()
    const result = await runStages({
      dockerfile,
      dockerfilePath,
      context,
      excluded: contextExclusion(context, dockerfilePath),
      copiedFromContext,
      buildArgs,
      target: typeof kaniko.target === 'string' ? kaniko.target : undefined,
      skipUnusedStages: kaniko.skipUnusedStages === true,
      ignorePaths: Array.isArray(kaniko.ignorePaths)
        ? kaniko.ignorePaths.map(String)
        : [],
      mounts,
      scratch,
      goroot,
      hostPath: process.env.PATH ?? '/usr/bin:/bin',
      mapProxy: (entry) =>
        mapProxyEntry(ctx, entry, proxyHosts(ctx.io.request.env)),
      checkGoBase: (ref, where) =>
        checkGoBaseImage(image, where, ref, nodePlatform),
      out: (t) => io.out(t),
      err: (t) => io.err(t)
    })
    artifactRecord.contextFiles = [...copiedFromContext].sort()
    let digest: string
    if (target !== undefined && auth !== undefined) {
      const built = await assembleImage(result.final, nodePlatform)
      digest = (await pushImage(target, auth, built, (t) => io.out(t))).slice(
        'sha256:'.length
      )
    } else {
      // No real registry stands for this host: nothing is pushed, and the
      // digest hashes the image's inputs.
      digest = createHash('sha256')
        .update(tag)
        .update(result.digest)
        .digest('hex')
      io.out(
        `INFO[0001] Pushing image to ${tag}\nINFO[0001] Pushed ${tag.slice(0, tag.lastIndexOf(':'))}@sha256:${digest} (cluster double: no registry stands for this host; nothing was pushed)\n`
      )
    }
    artifactRecord.push = {
      registry: target?.registry ?? tag.split('/')[0],
      real: target !== undefined,
      auth: auth?.kind,
      digest: `sha256:${digest}`
    }
    io.out(`Build [${image}] succeeded\n`)
    return digest
  } finally {
    await runProcess('chmod', ['-R', 'u+w', scratch])
    await rm(scratch, { recursive: true, force: true })
  }
}

function insecureOf(kaniko: Obj): string[] {
  return Array.isArray(kaniko.insecureRegistry)
    ? kaniko.insecureRegistry.map(String)
    : []
}

/** build.cluster.namespace, default `default`. */
function namespaceOf(clusterBlock: Obj): string {
  return typeof clusterBlock.namespace === 'string' &&
    clusterBlock.namespace !== ''
    ? clusterBlock.namespace
    : 'default'
}

/** The credentials and the check, with kaniko's text when resolving them fails. */
function resolvePermission(
  target: PushTarget,
  dockerConfig: string | undefined
): ReturnType<typeof resolvePodAuth> {
  try {
    return resolvePodAuth(dockerConfig, target.registry)
  } catch (error) {
    if (error instanceof CommandError && error.exitCode === 2) throw error
    // go-containerregistry remote/check.go CheckPushPermission, wrapped by
    // kaniko pkg/executor/push.go and cmd/executor/cmd/root.go.
    throw new CommandError(
      `${PERMISSION_PREFIX}: checking push permission for "${target.destination}": ${(error as Error).message}`
    )
  }
}

/**
 * Where a push goes: the real registry standing for the tag's host, or
 * undefined when none does (a Docker Hub name, a domain the daemon was not
 * given). A registry container must run on the kind network and, being
 * plain HTTP, be insecure; a single-label host that is no container fails
 * like a DNS miss (the double simulates no Service).
 */
async function pushTargetFor(
  ctx: CommandContext,
  tag: string,
  insecure: string[],
  allInsecure: boolean
): Promise<PushTarget | undefined> {
  // Docker's rule: the first path component is a registry host only when
  // the reference has one more component and it has a '.' or ':' or is localhost.
  if (!tag.includes('/')) return undefined
  const host = tag.split('/')[0]
  if (!host.includes(':') && !host.includes('.') && host !== 'localhost')
    return undefined
  const name = host.split(':')[0]
  const rest = tag.slice(host.length + 1)
  const colon = rest.lastIndexOf(':')
  const base = {
    destination: tag,
    registry: host,
    repository: colon < 0 ? rest : rest.slice(0, colon),
    tag: colon < 0 ? 'latest' : rest.slice(colon + 1),
    insecure: allInsecure || insecure.includes(host)
  }
  const container = ctx.state.containers[name]
  if (container === undefined) {
    // A single-label name resolves in the pod only to a container on the
    // kind network or a Service, and the double simulates no Service.
    if (!name.includes('.') && name !== 'localhost') {
      throw new CommandError(
        `error pushing image: failed to push to destination ${tag}: dial tcp: lookup ${name}: no such host (no container named ${name} runs on the kind network; the double simulates no Service)`
      )
    }
    const endpoint = ctx.options.registries?.[host]
    return endpoint === undefined ? undefined : { ...base, endpoint }
  }
  if (!container.running || !container.networks.includes('kind')) {
    throw new CommandError(
      `error pushing image: failed to push to destination ${tag}: dial tcp: lookup ${name}: no such host (container ${container.name} is not on the kind network)`
    )
  }
  if (!isRegistryContainer(container))
    throw new CommandError(
      `cluster double: ${tag}: container ${container.name} runs ${container.image}, which the double does not model as a registry`,
      2
    )
  // Plain HTTP: unless insecure, kaniko's permission check fails (push.ts connect).
  const endpoint = await containerRegistry(
    ctx.options.home,
    container,
    host.includes(':') ? host.split(':')[1] : '80',
    tag
  )
  return { ...base, endpoint }
}

/**
 * Host names that stand for HTTPS module proxies on the internet (a
 * company's GOPROXY): CLUSTER_DOUBLE_PROXY_HOSTS, comma-separated.
 */
function proxyHosts(env: Record<string, string | undefined>): string[] {
  return (env.CLUSTER_DOUBLE_PROXY_HOSTS ?? '')
    .split(',')
    .map((h) => h.trim())
    .filter((h) => h !== '')
}

/** Maps a GOPROXY entry as the kaniko pod would reach it (see DaemonOptions.moduleProxyUrl). */
function mapProxyEntry(
  ctx: CommandContext,
  entry: string,
  internetProxies: readonly string[]
): string {
  const upstream = ctx.options.moduleProxyUrl
  if (entry === 'direct' || entry === 'off' || entry === '') return entry
  let url: URL
  try {
    url = new URL(entry)
  } catch {
    return entry
  }
  if (url.hostname === 'proxy.golang.org') return upstream ?? entry
  // An internet proxy is reached over HTTPS. The module proxy standing for
  // it is plain HTTP and ignores credentials, and Go refuses to send
  // credentials over plain HTTP, so the userinfo stays behind. A plain
  // http:// entry is left as it is (Go then refuses its credentials, as it
  // would in the pod).
  if (url.protocol === 'https:' && internetProxies.includes(url.hostname))
    return upstream ?? entry
  const container = ctx.state.containers[url.hostname]
  if (container !== undefined) {
    if (!container.running || !container.networks.includes('kind'))
      return `http://${url.hostname}.unreachable.invalid`
    if (container.image.startsWith('gomods/athens') && upstream !== undefined)
      return upstream
  }
  return entry
}
