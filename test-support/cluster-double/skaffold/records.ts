/**
 * What each `skaffold build` saw, kept for tests: the config texts it read,
 * the kube context, and per artifact the expanded build args and where each
 * volumeMount landed. Builds run concurrently and never write state.json, so
 * each build writes its own file under `<home>/build-records/`.
 */
import { mkdir, readFile, readdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { SecretRecord } from './secrets.js'

/** One kaniko artifact as the double built it. */
export interface ArtifactRecord {
  image: string
  namespace: string
  /** Build args after template expansion (null: declared without a value). */
  buildArgs: Record<string, string | null>
  mounts: {
    mountPath: string
    backing: 'runner' | 'node' | 'pvc' | 'ephemeral'
    runnerPath: string
  }[]
  /** The push: the registry, whether a real one took it, the pod's credentials, the digest. */
  push?: {
    registry: string
    real: boolean
    auth?: 'anonymous' | 'basic'
    digest: string
  }
  /**
   * The context files (context-relative, sorted) the build's COPY/ADD steps
   * copied into a stage: what a `COPY . .` puts into the image. Absent when
   * the build failed.
   */
  contextFiles?: string[]
}

/** One `skaffold build` command. */
export interface BuildRecord {
  /** Milliseconds since the epoch when the build started. */
  startedAt: number
  /** The argument list after `build`. */
  args: string[]
  /** The context used: --kube-context, or the current context. */
  kubeContext: string
  /** Every config file the build loaded (-f and its requires), path → text. */
  configTexts: Record<string, string>
  artifacts: ArtifactRecord[]
  /** The secrets skaffold made or found for the kaniko pods (never their content). */
  secrets?: SecretRecord[]
  /** The failure message when the build failed. */
  error?: string
}

const RECORDS_DIR = 'build-records'

/** Writes one build's record (a file of its own). */
export async function writeBuildRecord(
  home: string,
  record: BuildRecord
): Promise<void> {
  const dir = join(home, RECORDS_DIR)
  await mkdir(dir, { recursive: true })
  const name = `${record.startedAt}-${process.hrtime.bigint()}.json`
  await writeFile(join(dir, name), JSON.stringify(record, null, 2))
}

/** Every build record of a double home, oldest first ([] when none). */
export async function readBuildRecords(home: string): Promise<BuildRecord[]> {
  const dir = join(home, RECORDS_DIR)
  const names = await readdir(dir).catch(() => [] as string[])
  const records = await Promise.all(
    names
      .filter((n) => n.endsWith('.json'))
      .map(
        async (n) =>
          JSON.parse(await readFile(join(dir, n), 'utf8')) as BuildRecord
      )
  )
  return records.sort((a, b) => a.startedAt - b.startedAt)
}
