/**
 * Runs a Dockerfile's Go build stage for real with the host's Go toolchain,
 * seeing what kaniko's RUN would see.
 *
 * Paths: each stage has a scratch root standing for the container's
 * filesystem. Any absolute path a RUN command or a path variable uses maps
 * (1) into a kaniko volumeMount's backing dir (so GOCACHE=/var/run/gobuildcache
 * lands in the runner dir behind the kind extraMount), (2) /usr/local/go to the
 * host GOROOT, (3) /dev, /proc and /sys unchanged, (4) anything else under the
 * stage's scratch root. In RUN command text, every word (or the value after
 * `=`) that starts with `/` is rewritten this way before `sh -c` runs it, so
 * `go build -o /bin/app` writes <scratch>/bin/app. The scratch root is fresh
 * per build, so caches that land there (the golang image defaults
 * GOCACHE=/root/.cache/go-build and GOMODCACHE=/go/pkg/mod) are cold.
 */
import { createHash } from 'node:crypto'
import { existsSync, readdirSync, statSync, lstatSync } from 'node:fs'
import { chmod, cp, mkdir, readFile, readdir } from 'node:fs/promises'
import { basename, join, posix, relative, sep } from 'node:path'
import { CommandError } from '../io.js'
import { isWithin } from '../node-paths.js'
import { runProcess } from '../proc.js'
import {
  parseArg,
  parseEnv,
  splitFlags,
  splitWords,
  substitute,
  type Dockerfile,
  type Stage
} from './dockerfile.js'
import { goStages, mountFor, type PodMount } from './links.js'

/** What runStages needs. */
export interface StageRunInput {
  dockerfile: Dockerfile
  dockerfilePath: string
  /** The build context on the runner. */
  context: string
  /** True for a path under the context skaffold does not send (.dockerignore). */
  excluded?: (absPath: string) => boolean
  /** Collects the context-relative path of every context file a COPY/ADD copies. */
  copiedFromContext?: Set<string>
  buildArgs: Record<string, string | undefined>
  target?: string
  /** kaniko.skipUnusedStages: build only the stages the target needs. */
  skipUnusedStages: boolean
  /** kaniko.ignorePaths (`--ignore-path`). */
  ignorePaths: string[]
  mounts: PodMount[]
  scratch: string
  goroot: string
  /** PATH of the daemon (for sh, go and coreutils). */
  hostPath: string
  /** Maps one GOPROXY list entry as the pod would reach it. */
  mapProxy: (entry: string) => string
  /** Checks that kaniko can pull a Go stage's base image (images.ts checkGoBaseImage). */
  checkGoBase?: (ref: string, where: string) => void
  out: (text: string) => void
  err: (text: string) => void
}

/** What the built image holds: the target stage as kaniko would snapshot it. */
export interface FinalStage {
  /** The stage's scratch root (its filesystem on the runner). */
  root: string
  /** Pod paths the stage's COPY/ADD wrote, in order (the layer's content). */
  copied: string[]
  env: Record<string, string>
  user: string
  workdir: string
  entrypoint?: string[]
  cmd?: string[]
}

/** The result of a build: a hash of the image's inputs and the final stage. */
export interface StageRunResult {
  digest: string
  final: FinalStage
}

// The golang image's environment, the same in its Debian and alpine
// variants (docker-library/golang 1.19/bookworm/Dockerfile and
// 1.19/alpine3.18/Dockerfile: ENV GOPATH /go, PATH $GOPATH/bin:/usr/local/go/bin:$PATH).
// HOME is not in it: kaniko adds it per RUN (see runAs).
const GOLANG_IMAGE_ENV: Record<string, string> = {
  PATH: '/go/bin:/usr/local/go/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
  GOPATH: '/go'
}
const SKELETON = [
  'go/bin',
  'go/src',
  'root',
  'tmp',
  'bin',
  'usr/local/bin',
  'etc',
  'out'
]
const PATH_VARS = new Set([
  'GOCACHE',
  'GOMODCACHE',
  'GOBIN',
  'GOTMPDIR',
  'TMPDIR',
  'GOENV',
  'HOME',
  'XDG_CACHE_HOME',
  'GOROOT'
])
const PASSTHROUGH = ['/dev', '/proc', '/sys']
const PREDEFINED_ARGS = [
  'HTTP_PROXY',
  'HTTPS_PROXY',
  'FTP_PROXY',
  'NO_PROXY',
  'ALL_PROXY'
].flatMap((n) => [n, n.toLowerCase()])

interface StageState {
  stage: Stage
  root: string
  env: Record<string, string>
  args: Record<string, string | undefined>
  workdir: string
  go: boolean
  /** The stage's USER ('' for the image default, root). */
  user: string
  copied: string[]
  entrypoint?: string[]
  cmd?: string[]
}

/** Who a RUN runs as, and its HOME when the stage sets none. */
interface RunUser {
  /** undefined: as the daemon (root in CI), like kaniko's own root. */
  uid?: number
  gid?: number
  home: string
}

/**
 * kaniko runs RUN as the stage's USER (kaniko pkg/commands/run.go,
 * runCommandInExec: `util.SyscallCredentials(userStr)`): a number that is no
 * user in the image's /etc/passwd is taken as the uid, with the same gid
 * unless `uid:gid` names one (pkg/util/command_util.go LookupUser,
 * getUIDAndGID); HOME, when unset, is /root for root and the user's home,
 * `/` for a bare uid, otherwise (run.go addDefaultHOME). The double cannot
 * read the image's /etc/passwd, so it refuses names other than root and uids
 * below 1000 (system users, whose group comes from that file).
 */
export function runAs(user: string, where: string): RunUser {
  const [name, group] = user.split(':')
  if (name === '' || name === 'root' || name === '0') {
    if (group === undefined || group === '0' || group === 'root')
      return { home: '/root' }
  }
  const refuse = (why: string): CommandError =>
    new CommandError(
      `${where}: USER ${user}: ${why}; the cluster double runs RUN only as root or as a uid of 1000 or more`,
      2
    )
  if (!/^\d+$/.test(name))
    throw refuse(
      "a user name needs the image's /etc/passwd, which the cluster double does not have"
    )
  const uid = Number(name)
  if (uid < 1000 && uid !== 0)
    throw refuse(
      "a system uid's group comes from the image's /etc/passwd, which the cluster double does not have"
    )
  if (group !== undefined && !/^\d+$/.test(group))
    throw refuse(
      "a group name needs the image's /etc/group, which the cluster double does not have"
    )
  return {
    uid,
    gid: group === undefined ? uid : Number(group),
    home: uid === 0 ? '/root' : '/'
  }
}

/** Maps a pod path to the runner (see the module comment). */
export function mapPodPath(
  podPath: string,
  root: string,
  mounts: readonly PodMount[],
  goroot: string
): string {
  const path = posix.normalize(podPath)
  const mount = mountFor(mounts, path)
  if (mount !== undefined)
    return posix.join(mount.runnerPath, path.slice(mount.mountPath.length))
  if (isWithin(path, '/usr/local/go'))
    return posix.join(goroot, path.slice('/usr/local/go'.length))
  if (PASSTHROUGH.some((p) => isWithin(path, p))) return path
  return posix.join(root, path)
}

/** Rewrites absolute paths in a shell command (words, or the value after `=`). */
export function rewriteCommand(
  command: string,
  map: (p: string) => string
): string {
  return command.replace(
    /(^|[\s='"])(\/[^\s'";|&<>()`$]*)/g,
    (_m, lead: string, path: string) => lead + map(path)
  )
}

function countFiles(dir: string): number {
  if (!existsSync(dir)) return 0
  let n = 0
  const walk = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (e.isDirectory()) walk(join(d, e.name))
      else n++
    }
  }
  walk(dir)
  return n
}

/** Describes where a cache ends up, for the `go caches:` line. */
function describeCache(
  podPath: string,
  declared: boolean,
  mounts: readonly PodMount[],
  root: string,
  goroot: string
): string {
  const mount = mountFor(mounts, podPath)
  if (mount === undefined) {
    return declared
      ? `pod-only:${podPath}(cold)`
      : `image-default:${podPath}(cold)`
  }
  const runner = mapPodPath(podPath, root, mounts, goroot)
  if (mount.backing === 'runner') return runner
  if (mount.backing === 'node')
    return `node-only:${mount.nodePath ?? podPath}(cold-next-job)`
  if (mount.backing === 'pvc') return `pvc:${runner}`
  return `emptyDir:${mount.volume}(cold)`
}

async function hashPath(
  path: string,
  hash: ReturnType<typeof createHash>
): Promise<void> {
  const stat = lstatSync(path)
  if (stat.isDirectory()) {
    for (const name of (await readdir(path)).sort()) {
      hash.update(`${name}\n`)
      await hashPath(join(path, name), hash)
    }
  } else if (stat.isFile()) {
    hash.update(await readFile(path))
  }
}

function globSources(context: string, pattern: string): string[] {
  const rel = posix.normalize(pattern.replace(/^\.\//, ''))
  if (!/[*?]/.test(rel)) {
    const full = join(context, rel === '.' ? '' : rel)
    return existsSync(full) ? [full] : []
  }
  const dir = posix.dirname(rel)
  const re = new RegExp(
    `^${posix
      .basename(rel)
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '[^/]*')
      .replace(/\?/g, '[^/]')}$`
  )
  const full = join(context, dir === '.' ? '' : dir)
  if (!existsSync(full)) return []
  return readdirSync(full)
    .filter((n) => re.test(n))
    .sort()
    .map((n) => join(full, n))
}

/** Runs the stages the target needs; Go stages run for real, others are checked and hashed. */
export async function runStages(input: StageRunInput): Promise<StageRunResult> {
  const { dockerfile } = input
  const goIndexes = new Set(goStages(dockerfile).map((s) => s.index))
  const globals: Record<string, string | undefined> = {}
  for (const ins of dockerfile.globalArgs) {
    const { name, value } = parseArg(ins.args)
    globals[name] =
      input.buildArgs[name] ??
      (value === undefined ? undefined : substitute(value, globals))
  }
  const byRef = (ref: string): Stage | undefined =>
    dockerfile.stages.find((s) => s.name === ref.toLowerCase()) ??
    (/^\d+$/.test(ref) ? dockerfile.stages[Number(ref)] : undefined)
  const target =
    input.target === undefined
      ? dockerfile.stages[dockerfile.stages.length - 1]
      : byRef(input.target)
  if (target === undefined)
    throw new CommandError(
      `${input.dockerfilePath}: target stage "${input.target}" not found`
    )
  // The stages the target depends on (FROM <stage>, COPY --from=<stage>).
  const needed = new Set<number>()
  const need = (stage: Stage): void => {
    if (needed.has(stage.index)) return
    needed.add(stage.index)
    const parent = byRef(stage.from)
    if (parent !== undefined && parent.index < stage.index) need(parent)
    for (const ins of stage.instructions) {
      const from =
        ins.keyword === 'COPY' ? splitFlags(ins.args).flags.from : undefined
      const ref = from === undefined ? undefined : byRef(from)
      if (ref !== undefined) need(ref)
    }
  }
  need(target)
  const deleteFails = filesystemDeleteFails(input, target, needed)
  // A stage kaniko builds but the double skips (unused) fails just the same.
  if (deleteFails !== undefined && !needed.has(deleteFails.after))
    throw deleteFails.error
  // The container's / is root's with mode 0755, so a RUN as another USER
  // can walk into it (the scratch dir itself comes from mkdtemp, 0700).
  await chmod(input.scratch, 0o755)
  const states = new Map<number, StageState>()
  const digest = createHash('sha256')
  for (const stage of dockerfile.stages.filter((s) => needed.has(s.index))) {
    const parent = byRef(stage.from)
    const root = join(input.scratch, `stage-${stage.index}`)
    const state: StageState = {
      stage,
      root,
      env: {},
      args: {},
      workdir: '/',
      go: goIndexes.has(stage.index),
      user: '',
      copied: []
    }
    if (parent !== undefined && states.has(parent.index)) {
      const p = states.get(parent.index) as StageState
      await cp(p.root, root, { recursive: true })
      Object.assign(state, {
        env: { ...p.env },
        workdir: p.workdir,
        user: p.user,
        copied: [...p.copied],
        entrypoint: p.entrypoint,
        cmd: p.cmd
      })
    } else {
      if (state.go) {
        input.checkGoBase?.(
          substitute(stage.from, globals),
          `${input.dockerfilePath}:${stage.line}`
        )
      }
      for (const dir of SKELETON)
        await mkdir(join(root, dir), { recursive: true })
      // /tmp of the golang image is world-writable with the sticky bit, on
      // Debian as on alpine (alpinelinux/aports main/alpine-baselayout/APKBUILD
      // package(): install -d -m 1777 tmp).
      await chmod(join(root, 'tmp'), 0o1777)
      if (state.go) state.env = { ...GOLANG_IMAGE_ENV }
    }
    states.set(stage.index, state)
    digest.update(`FROM ${substitute(stage.from, globals)}\n`)
    if (state.go) {
      input.out(
        `INFO[0000] Retrieving image manifest ${substitute(stage.from, globals)}\n`
      )
    }
    for (const ins of stage.instructions) {
      await runInstruction(input, state, ins, states, byRef, digest)
    }
    if (deleteFails?.after === stage.index) throw deleteFails.error
  }
  const final = states.get(target.index) as StageState
  return {
    digest: digest.digest('hex'),
    final: {
      root: final.root,
      copied: final.copied,
      env: final.env,
      user: final.user,
      workdir: final.workdir,
      entrypoint: final.entrypoint,
      cmd: final.cmd
    }
  }
}

/** ENTRYPOINT/CMD: the JSON (exec) form, or the shell form run by /bin/sh -c (Dockerfile reference). */
function commandForm(args: string): string[] {
  const text = args.trim()
  if (text.startsWith('[')) {
    try {
      const parsed: unknown = JSON.parse(text)
      if (Array.isArray(parsed)) return parsed.map(String)
    } catch {
      // not JSON: the shell form, as Docker reads it
    }
  }
  return ['/bin/sh', '-c', text]
}

/**
 * kaniko wipes its root filesystem after every stage but the last it builds
 * (GoogleContainerTools/kaniko pkg/executor/build.go DoBuild, "deleting file
 * system after stage N"), skipping ignored paths (pkg/util/fs_util.go
 * DeleteFilesystem). On kind every container's root holds /product_uuid,
 * copied there by the node's createContainer hook and bind-mounted over
 * /sys/class/dmi/id/product_uuid (kubernetes-sigs/kind
 * images/base/files/kind/bin/mount-product-files.sh), and removing it fails:
 * `unlinkat //product_uuid: device or resource busy` (kaniko issue 2164),
 * unless `--ignore-path=/product_uuid`. Without skipUnusedStages kaniko
 * builds every stage up to the target.
 * @returns the stage after which the build fails, or undefined.
 */
function filesystemDeleteFails(
  input: StageRunInput,
  target: Stage,
  needed: Set<number>
): { after: number; error: CommandError } | undefined {
  if (input.ignorePaths.some((p) => posix.normalize(p) === '/product_uuid'))
    return undefined
  const built = input.skipUnusedStages
    ? [...needed].sort((a, b) => a - b)
    : Array.from({ length: target.index + 1 }, (_, i) => i)
  if (built.length < 2) return undefined
  return {
    after: built[0],
    error: new CommandError(
      `error building image: deleting file system after stage ${built[0]}: unlinkat //product_uuid: device or resource busy (${input.dockerfilePath}: a multi-stage build on kind needs kaniko.ignorePaths: [/product_uuid], skaffold/v4beta2 or newer)`
    )
  }
}

function vars(state: StageState): Record<string, string | undefined> {
  // Docker: ENV wins over an ARG of the same name.
  return { ...state.args, ...state.env }
}

async function runInstruction(
  input: StageRunInput,
  state: StageState,
  ins: { keyword: string; args: string; line: number },
  states: Map<number, StageState>,
  byRef: (ref: string) => Stage | undefined,
  digest: ReturnType<typeof createHash>
): Promise<void> {
  const where = `${input.dockerfilePath}:${ins.line}`
  const map = (p: string): string =>
    mapPodPath(p, state.root, input.mounts, input.goroot)
  const podPath = (p: string): string =>
    p.startsWith('/') ? posix.normalize(p) : posix.join(state.workdir, p)
  switch (ins.keyword) {
    case 'ARG': {
      const { name, value } = parseArg(ins.args)
      // A build arg reaches RUN only when the stage declares it (kaniko run.go FilterAllowed).
      state.args[name] =
        input.buildArgs[name] ??
        (value === undefined ? undefined : substitute(value, vars(state)))
      return
    }
    case 'ENV':
      for (const [k, v] of parseEnv(ins.args))
        state.env[k] = substitute(v, vars(state))
      digest.update(`ENV ${ins.args}\n`)
      return
    case 'WORKDIR':
      state.workdir = podPath(substitute(ins.args.trim(), vars(state)))
      await mkdir(map(state.workdir), { recursive: true })
      return
    case 'COPY':
    case 'ADD': {
      const { flags, rest } = splitFlags(ins.args)
      const words = splitWords(substitute(rest, vars(state)))
      if (words.length < 2)
        throw new CommandError(
          `${where}: ${ins.keyword} needs a source and a destination`
        )
      const dest = words[words.length - 1]
      const sources = words.slice(0, -1)
      const fromStage = flags.from === undefined ? undefined : byRef(flags.from)
      if (flags.from !== undefined && fromStage === undefined) {
        throw new CommandError(
          `${where}: COPY --from=${flags.from}: no such stage (the double does not pull images)`
        )
      }
      const resolved = sources.flatMap((s) => {
        if (fromStage !== undefined) {
          const src = states.get(fromStage.index) as StageState
          const path = mapPodPath(
            s.startsWith('/') ? s : posix.join(src.workdir, s),
            src.root,
            input.mounts,
            input.goroot
          )
          if (!existsSync(path))
            throw new CommandError(
              `${where}: COPY --from=${flags.from} ${s}: no such file or directory in stage ${flags.from}`
            )
          return [path]
        }
        if (/^https?:\/\//.test(s))
          throw new CommandError(
            `${where}: ADD from a URL is not supported by the cluster double`,
            2
          )
        // Only what skaffold put in the context tar reaches kaniko.
        const found = globSources(input.context, s).filter(
          (p) => !(input.excluded?.(p) ?? false)
        )
        if (found.length === 0)
          throw new CommandError(
            `${where}: ${ins.keyword} ${s}: no such file or directory in the build context ${input.context}`
          )
        return found
      })
      for (const src of resolved)
        await hashPath(src, digest.update(`COPY ${basename(src)}\n`))
      const destPod = podPath(dest)
      const destIsDir =
        dest.endsWith('/') || resolved.length > 1 || dest === '.'
      const destRunner = map(destPod)
      for (const src of resolved) {
        const isDir = statSync(src).isDirectory()
        const target = isDir
          ? destRunner
          : destIsDir
            ? join(destRunner, basename(src))
            : destRunner
        state.copied.push(
          isDir || !destIsDir ? destPod : posix.join(destPod, basename(src))
        )
        await mkdir(isDir ? target : posix.dirname(target), { recursive: true })
        await cp(src, target, {
          recursive: true,
          force: true,
          filter: (p) => {
            if (input.excluded?.(p) ?? false) return false
            if (fromStage === undefined && !lstatSync(p).isDirectory())
              input.copiedFromContext?.add(
                relative(input.context, p).split(sep).join('/')
              )
            return true
          }
        })
      }
      return
    }
    case 'RUN':
      if (!state.go) {
        throw new CommandError(
          `${where}: RUN in stage ${state.stage.name ?? state.stage.index} (FROM ${state.stage.from}) cannot run in the cluster double: only stages FROM a golang image run (with the host's Go toolchain)`,
          2
        )
      }
      await runCommand(input, state, ins.args, where)
      return
    case 'USER':
      // kaniko pkg/commands/user.go: the USER, env references resolved.
      state.user = substitute(ins.args.trim(), vars(state))
      digest.update(`USER ${ins.args}\n`)
      return
    case 'ENTRYPOINT':
    case 'CMD':
      if (ins.keyword === 'ENTRYPOINT') state.entrypoint = commandForm(ins.args)
      else state.cmd = commandForm(ins.args)
      digest.update(`${ins.keyword} ${ins.args}\n`)
      return
    case 'EXPOSE':
    case 'LABEL':
    case 'VOLUME':
    case 'STOPSIGNAL':
    case 'HEALTHCHECK':
    case 'SHELL':
    case 'ONBUILD':
    case 'MAINTAINER':
      digest.update(`${ins.keyword} ${ins.args}\n`)
      return
    default:
      throw new CommandError(`${where}: unknown instruction ${ins.keyword}`)
  }
}

async function runCommand(
  input: StageRunInput,
  state: StageState,
  command: string,
  where: string
): Promise<void> {
  const map = (p: string): string =>
    mapPodPath(p, state.root, input.mounts, input.goroot)
  const user = runAs(state.user, where)
  const daemonUid = process.getuid?.() ?? 0
  if (user.uid !== undefined && user.uid !== daemonUid && daemonUid !== 0) {
    throw new CommandError(
      `${where}: USER ${state.user}: running Go as uid ${user.uid} needs the cluster double's daemon to run as root (it runs as uid ${daemonUid})`,
      2
    )
  }
  const declared = vars(state)
  // run.go addDefaultHOME: a HOME the stage sets wins.
  const seen: Record<string, string | undefined> = {
    ...declared,
    HOME: declared.HOME ?? user.home
  }
  const env: Record<string, string> = {}
  for (const [k, v] of Object.entries(seen)) if (v !== undefined) env[k] = v
  for (const name of PREDEFINED_ARGS) {
    const value = input.buildArgs[name]
    if (value !== undefined && env[name] === undefined) env[name] = value
  }
  for (const name of Object.keys(env)) {
    if (PATH_VARS.has(name) && env[name].startsWith('/'))
      env[name] = map(env[name])
  }
  if (env.GOPATH !== undefined)
    env.GOPATH = env.GOPATH.split(':')
      .map((p) => (p.startsWith('/') ? map(p) : p))
      .join(':')
  const imagePath = (env.PATH ?? '')
    .split(':')
    .filter((p) => p.startsWith('/'))
    .map(map)
    .filter((p) => existsSync(p))
  env.PATH = [...imagePath, input.hostPath].join(':')
  const declaredProxy = env.GOPROXY
  if (env.GOPROXY !== undefined)
    env.GOPROXY = env.GOPROXY.split(/([,|])/)
      .map((part) =>
        part === ',' || part === '|'
          ? part
          : part.startsWith('file://')
            ? `file://${map(part.slice(7))}`
            : input.mapProxy(part)
      )
      .join('')
  else env.GOPROXY = input.mapProxy('https://proxy.golang.org') + ',direct'
  // Go 1.19 never switches toolchains; say so for newer hosts. GOFLAGS only
  // when the Dockerfile sets it. GOSUMDB=off stands for an Athens setup with
  // GONOSUM patterns: with a complete go.sum, go never asks the sum database.
  env.GOTOOLCHAIN = 'local'
  if (env.GOSUMDB === undefined) env.GOSUMDB = 'off'

  const gopath = (seen.GOPATH ?? '/go').split(':')[0]
  const gocache = seen.GOCACHE ?? `${seen.HOME ?? '/root'}/.cache/go-build`
  const gomodcache = seen.GOMODCACHE ?? `${gopath}/pkg/mod`
  const gocacheDir = map(gocache)
  const modDownloadDir = join(map(gomodcache), 'cache', 'download')
  input.out(
    `go caches: GOCACHE=${describeCache(gocache, seen.GOCACHE !== undefined, input.mounts, state.root, input.goroot)} ` +
      `GOMODCACHE=${describeCache(gomodcache, seen.GOMODCACHE !== undefined, input.mounts, state.root, input.goroot)}\n`
  )
  // The declared value too, as the build's own log would show it: a
  // credential in it must be redacted by whoever prints this output.
  input.out(
    declaredProxy !== undefined && declaredProxy !== env.GOPROXY
      ? `go proxy: GOPROXY=${env.GOPROXY} (declared ${declaredProxy})\n`
      : `go proxy: GOPROXY=${env.GOPROXY}\n`
  )
  const before = {
    cache: countFiles(gocacheDir),
    mods: countFiles(modDownloadDir)
  }

  const words = splitWords(command)
  const execForm = command.trim().startsWith('[')
  input.out(`INFO[0000] RUN ${command}\n`)
  const cwd = map(state.workdir)
  await mkdir(cwd, { recursive: true })
  const argv = execForm
    ? words.map((w) => rewriteCommand(w, map))
    : ['/bin/sh', '-c', rewriteCommand(command, map)]
  const result = await runProcess(argv[0], argv.slice(1), {
    cwd,
    env,
    uid: user.uid === daemonUid ? undefined : user.uid,
    gid: user.uid === daemonUid ? undefined : user.gid,
    onStdout: (c) => input.out(c.toString()),
    onStderr: (c) => input.err(c.toString())
  })
  const after = {
    cache: countFiles(gocacheDir),
    mods: countFiles(modDownloadDir)
  }
  input.out(
    `go cache use: GOCACHE +${after.cache - before.cache} files, GOMODCACHE/cache/download +${after.mods - before.mods} files\n`
  )
  if (result.code !== 0) {
    throw new CommandError(
      `build failed: ${where}: RUN ${command}: exit status ${result.code}`
    )
  }
}
