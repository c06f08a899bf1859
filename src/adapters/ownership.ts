/**
 * Gives the cache dirs back to the runner user. kaniko runs as root in the
 * kind node, so the files it writes into the hostPath mounts are root-owned on
 * the runner, and the runner user could neither trim nor (for unreadable
 * files) archive them (actions/cache #133). The node runs as root and docker
 * access is needed anyway, so `docker exec <node> chown -R` fixes it without
 * sudo.
 */
import { constants, type Stats } from 'node:fs'
import { access, chmod, lstat, readdir } from 'node:fs/promises'
import { join } from 'node:path'
import { run as runCommand } from './exec.js'

/** What to chown. */
export interface OwnershipRequest {
  /** The kind node container; undefined when there is no node. */
  node?: string
  /** The cache dirs as the node sees them (NODE_PATHS). */
  nodePaths: string[]
  /** The same dirs on the runner, checked afterwards. */
  runnerDirs: string[]
  /** The runner user; defaults to this process's uid and gid. */
  uid?: number
  gid?: number
}

/** The outcome: whether the runner user now owns everything, and if not why. */
export interface OwnershipResult {
  /** docker-exec: chown ran in the node; none: nothing ran (not needed or not possible). */
  method: 'docker-exec' | 'none'
  /** True when every file is now owned by the runner user. */
  ok: boolean
  /** Files and dirs still owned by someone else. */
  notOwned: number
  /** Files the runner user cannot read: tar would fail on them. */
  unreadable: number
  /**
   * Whether saving can work: every file is readable. The trim deletes only
   * what it can when ok is false, and counts the rest.
   */
  saveable: boolean
  /** Set when the chown did not happen or did not help; not fatal. */
  warning?: string
}

/**
 * Runs `docker exec <node> chown -R <uid>:<gid> <nodePath>...`. When that is
 * not possible (no node, docker missing or failing) nothing is changed: the
 * result says how many files stay foreign and whether they can still be
 * archived, the trim skips what it cannot delete, and the post step skips the
 * save of a dir that is not saveable. Never throws.
 */
export async function giveCacheDirsToRunner(
  req: OwnershipRequest
): Promise<OwnershipResult> {
  const uid = req.uid ?? process.getuid?.() ?? 0
  const gid = req.gid ?? process.getgid?.() ?? 0
  let method: OwnershipResult['method'] = 'none'
  let warning: string | undefined
  const before = await inspectDirs(req.runnerDirs, uid)
  if (before.notOwned === 0) {
    return { method, ok: true, ...before, saveable: before.unreadable === 0 }
  }
  if (req.node === undefined || req.node === '') {
    warning = `cache dirs hold ${before.notOwned} files not owned by uid ${uid} and there is no kind node to chown them in`
  } else {
    method = 'docker-exec'
    const args = [
      'exec',
      '--',
      req.node,
      'chown',
      '-R',
      `${uid}:${gid}`,
      ...req.nodePaths
    ]
    const run = await runCommand('docker', args)
    if (run.exitCode !== 0) {
      warning = `docker ${args.join(' ')} failed (exit ${run.exitCode}): ${run.stderr.trim() || run.stdout.trim()}`
    }
  }
  const after = await inspectDirs(req.runnerDirs, uid)
  if (after.notOwned > 0) {
    const what = after.unreadable
      ? `${after.unreadable} of them unreadable, so the cache cannot be saved`
      : 'all readable, so the save still works; the trim skips what it cannot delete'
    warning = `${warning ?? 'chown in the node did not take effect'}; ${after.notOwned} files stay foreign (${what})`
  }
  return {
    method,
    ok: after.notOwned === 0,
    ...after,
    saveable: after.unreadable === 0,
    ...(warning === undefined ? {} : { warning })
  }
}

/**
 * `chmod -R a+rwX` done by this process on dirs it owns: read and write for
 * everyone, search (x) on directories and on files some user may already
 * run (chmod's `X`: gnulib lib/modechange.c, MODE_X_IF_ANY_X); symlinks are
 * left alone, as chmod -R leaves those it meets (coreutils src/chmod.c,
 * process_file, case FTS_SL). Returns false when some entry could not be
 * changed (not this user's), so the caller can do it as root in the node.
 */
export async function openToAllUsers(
  dirs: readonly string[]
): Promise<boolean> {
  let complete = true
  for (const dir of dirs) {
    await walkTree(dir, async (path, info) => {
      if (info.isSymbolicLink()) return true
      const x = info.isDirectory() || (info.mode & 0o111) !== 0 ? 0o111 : 0
      const mode = (info.mode & 0o7777) | 0o666 | x
      if (mode === (info.mode & 0o7777)) return true
      try {
        await chmod(path, mode)
        return true
      } catch {
        complete = false
        return false
      }
    })
  }
  return complete
}

/**
 * Visits dir and everything under it, parents first; visit returns false to
 * skip what is under a directory. Symlinks are visited, never followed.
 */
async function walkTree(
  dir: string,
  visit: (path: string, info: Stats) => Promise<boolean>
): Promise<void> {
  const walk = async (path: string): Promise<void> => {
    const info = await lstat(path).catch(() => undefined)
    if (!info) return
    if (!(await visit(path, info)) || !info.isDirectory()) return
    const names = await readdir(path).catch(() => [] as string[])
    for (const name of names) await walk(join(path, name))
  }
  await walk(dir)
}

async function inspectDirs(
  dirs: string[],
  uid: number
): Promise<{ notOwned: number; unreadable: number }> {
  let notOwned = 0
  let unreadable = 0
  for (const dir of dirs) {
    await walkTree(dir, async (path, info) => {
      if (info.uid !== uid) notOwned++
      if (info.isSymbolicLink()) return false
      const mode = info.isDirectory()
        ? constants.R_OK | constants.X_OK
        : constants.R_OK
      const readable = await access(path, mode).then(
        () => true,
        () => false
      )
      if (!readable) unreadable++
      return readable
    })
  }
  return { notOwned, unreadable }
}
