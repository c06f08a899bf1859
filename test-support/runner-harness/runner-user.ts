/**
 * The runner's user. GitHub's hosted Linux runners run every step as the
 * unprivileged `runner` user, uid 1001 (actions/runner images/Dockerfile:
 * `adduser ... --uid 1001 runner`; actions/runner-images issue 10936), while
 * the Docker daemon runs as root. When the tests run as root, the harness
 * runs the action as uid 1001 too, so files the daemon writes as root and
 * modes the runner user cannot get past show up as they would on GitHub.
 * As any other user (a developer's laptop) the action runs as that user.
 */
import { readFileSync, statSync } from 'node:fs'
import { chmod, chown, lstat, readdir, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join, relative, resolve } from 'node:path'

/** The hosted runner's uid. */
export const RUNNER_UID = 1001

/** A uid/gid pair to run a step as. */
export interface RunnerUser {
  uid: number
  gid: number
}

/** The gid of the `runner` user of /etc/passwd with RUNNER_UID, else RUNNER_UID. */
function runnerGid(): number {
  try {
    for (const line of readFileSync('/etc/passwd', 'utf8').split('\n')) {
      const fields = line.split(':')
      if (Number(fields[2]) === RUNNER_UID && fields[3] !== undefined)
        return Number(fields[3])
    }
  } catch {
    // No passwd file: the uid's own number as its group.
  }
  return RUNNER_UID
}

/**
 * The user steps run as: uid 1001 when the tests run as root (unless
 * RUNNER_HARNESS_AS_CURRENT_USER=1 asks otherwise), undefined when they run
 * as someone else, who is then the runner user.
 */
export function runnerUser(): RunnerUser | undefined {
  if (process.getuid?.() !== 0) return undefined
  if (process.env.RUNNER_HARNESS_AS_CURRENT_USER === '1') return undefined
  return { uid: RUNNER_UID, gid: runnerGid() }
}

let said = false
/** Prints once which user the steps run as (a laptop run says it is not the runner's uid). */
export function describeRunnerUser(): string {
  const user = runnerUser()
  const text = user
    ? `runner-harness: steps run as uid ${user.uid} gid ${user.gid}, like GitHub's runner user; the docker daemon double runs as root`
    : `runner-harness: steps run as the current user (uid ${process.getuid?.() ?? '?'}), not as the hosted runner's uid ${RUNNER_UID}: run the tests as root to run them as that user`
  if (!said) {
    said = true
    process.stdout.write(`${text}\n`)
  }
  return text
}

/**
 * Makes `path` reachable by every user: each of its directories under the
 * system temp dir that others cannot enter (mkdtemp makes them 0700) gets
 * o+rx. Paths outside the temp dir are left alone and must already be
 * reachable (the repository checkout is).
 */
export async function makeReachable(path: string): Promise<void> {
  const base = resolve(tmpdir())
  let dir = resolve(path)
  const chain: string[] = []
  while (dir !== base && relative(base, dir).split('/')[0] !== '..') {
    chain.push(dir)
    const up = dirname(dir)
    if (up === dir) break
    dir = up
  }
  if (dir !== base) return
  for (const entry of chain) {
    const info = await stat(entry).catch(() => undefined)
    if (info?.isDirectory() && (info.mode & 0o005) !== 0o005)
      await chmod(entry, info.mode | 0o055)
  }
}

/** chown -R, not following symlinks. */
export async function chownTree(path: string, user: RunnerUser): Promise<void> {
  const info = await lstat(path).catch(() => undefined)
  if (!info) return
  if (info.isDirectory()) {
    for (const name of await readdir(path))
      await chownTree(join(path, name), user)
  }
  if (!info.isSymbolicLink()) await chown(path, user.uid, user.gid)
}

/** True when `user` may enter `dir` and each directory above it. */
function searchable(dir: string, user: RunnerUser): boolean {
  let at = resolve(dir)
  for (;;) {
    let info
    try {
      info = statSync(at)
    } catch {
      return false
    }
    const bits =
      info.uid === user.uid ? 0o100 : info.gid === user.gid ? 0o010 : 0o001
    if ((info.mode & bits) === 0) return false
    const up = dirname(at)
    if (up === at) return true
    at = up
  }
}

/**
 * The PATH entries `user` can search. The harness inherits the host's PATH,
 * and root's own dirs there (/root/.cargo/bin, ...) are no part of a hosted
 * runner's PATH; left in, every tool lookup warns about them.
 */
export function pathFor(path: string, user: RunnerUser): string {
  return path
    .split(':')
    .filter((entry) => entry !== '' && searchable(entry, user))
    .join(':')
}
