/**
 * The Go caches inside a kind node that has no mounts for them (reuse mode):
 * copied in and out with `docker cp`, and opened to every user for a stage
 * that runs as a non-root USER. Commands run through exec.ts as argument
 * arrays, in the forms the cluster double implements.
 */

import { mkdir } from 'node:fs/promises'
import path from 'node:path'
import { mustRun as must } from './exec.js'

/** One cache dir on the runner and where it lives in the node. */
export interface NodeCopy {
  runnerDir: string
  nodePath: string
  /** The part copied back out ('' for all of it). */
  savedSubdir?: string
}

/**
 * Reuse mode: the node has no mounts for the caches, so their content is
 * copied in. `<dir>/.` copies the dir's content into the
 * node path rather than the dir itself (docker cp semantics).
 */
export async function copyCachesIntoNode(
  node: string,
  dirs: NodeCopy[]
): Promise<void> {
  for (const dir of dirs) {
    // The saved part goes in even when empty, so that copying it back out
    // finds it after a build that downloaded no module.
    await mkdir(path.join(dir.runnerDir, dir.savedSubdir ?? ''), {
      recursive: true
    })
    await must('docker', ['exec', '--', node, 'mkdir', '-p', dir.nodePath])
    await must('docker', [
      'cp',
      '--',
      `${dir.runnerDir}/.`,
      `${node}:${dir.nodePath}`
    ])
  }
}

/**
 * Reuse mode: copies the saved part of each cache back out of the node
 * (`docker cp <node>:<dir>/. <runner dir>`). The docker CLI extracts every
 * directory with its final mode before writing into it (moby/go-archive
 * archive.go, Unpack and createTarFile), so the read-only trees Go extracts
 * into the module cache would fail with EACCES for the runner user: they are
 * left in the node.
 */
export async function copyCachesFromNode(
  node: string,
  dirs: NodeCopy[]
): Promise<void> {
  for (const dir of dirs) {
    const sub = dir.savedSubdir ?? ''
    const nodePath = sub === '' ? dir.nodePath : `${dir.nodePath}/${sub}`
    const runnerDir = sub === '' ? dir.runnerDir : `${dir.runnerDir}/${sub}`
    await mkdir(runnerDir, { recursive: true })
    await must('docker', ['cp', '--', `${node}:${nodePath}/.`, runnerDir])
  }
}

/**
 * Opens the cache dirs in the node to every user (`docker exec <node> chmod
 * -R a+rwX`, as root in the node): kaniko runs a stage's RUN as its USER
 * (kaniko pkg/commands/run.go), and the restored dirs belong to the runner
 * user with mode 0755, so Go as any other user could not write its caches.
 */
export async function openCacheDirsToAllUsers(
  node: string,
  nodePaths: string[]
): Promise<void> {
  await must('docker', [
    'exec',
    '--',
    node,
    'chmod',
    '-R',
    'a+rwX',
    ...nodePaths
  ])
}
