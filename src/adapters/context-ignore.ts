/**
 * The file-system side of src/dockerfile/ignore.ts: read each artifact's
 * ignore files, write the planned ones (mode 0644, by a temporary file and a
 * rename) and list them in git's info/exclude like the other copies.
 */
import { promises as fs } from 'node:fs'
import { resolve } from 'node:path'
import type { DockerfileCopy } from '../dockerfile/patch.js'
import type {
  ArtifactContext,
  ContextIgnoreFile
} from '../dockerfile/ignore.js'
import { artifactKey } from '../skaffold/options.js'
import type { PatchReport } from '../skaffold/report.js'
import { writeUntrackedCopies } from './patched-copies.js'
import { contextPath, dockerfilePath } from './skaffold-files.js'

/**
 * The text of the ignore file at `path`: undefined when nothing is there;
 * '' when something is there that cannot be read (it is still the user's).
 */
async function ignoreText(path: string): Promise<string | undefined> {
  const info = await fs.lstat(path).catch(() => undefined)
  if (info === undefined) return undefined
  return fs.readFile(path, 'utf8').catch(() => '')
}

/**
 * Each patched artifact's context, Dockerfile (and the copy it builds from,
 * per `overrides`, the copy plan's artifactKey() → value map) and ignore
 * files.
 */
export async function readArtifactContexts(
  report: PatchReport,
  rootPath: string,
  workingDir: string,
  copies: DockerfileCopy[],
  overrides: Record<string, string>
): Promise<ArtifactContext[]> {
  const root = resolve(rootPath)
  const out: ArtifactContext[] = []
  for (const artifact of report.artifacts) {
    if (artifact.status === 'skipped') continue
    const context = contextPath(artifact, root, workingDir)
    const dockerfile = dockerfilePath(artifact, root, workingDir)
    const copy =
      artifactKey(artifact) in overrides
        ? copies.find((c) => c.original === dockerfile)
        : undefined
    out.push({
      image: artifact.image,
      context,
      dockerfile,
      used: copy?.copyPath ?? dockerfile,
      ownIgnore: await ignoreText(`${dockerfile}.dockerignore`),
      contextIgnore: await ignoreText(resolve(context, '.dockerignore'))
    })
  }
  return out
}

/**
 * Writes the planned ignore files and hides them from git like the copies
 * (an untracked file makes skaffold's git tagger append -dirty).
 * @returns the paths written (remove them in the post step).
 */
export async function writeContextIgnores(
  files: ContextIgnoreFile[]
): Promise<string[]> {
  return writeUntrackedCopies(
    files.map((file) => ({ path: file.path, text: file.text, mode: 0o644 }))
  )
}
