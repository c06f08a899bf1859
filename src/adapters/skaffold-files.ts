/**
 * The file-system side of the skaffold patcher: read the root config and the
 * local configs it requires, write the patched copies (mode 0600), remove
 * them in the post step, read the Dockerfiles for the check. The decisions
 * are made by the pure modules in src/skaffold/ and src/dockerfile/.
 */
import { readFile, stat } from 'node:fs/promises'
import { dirname, isAbsolute, join, resolve } from 'node:path'
import {
  checkDockerfile,
  checkKanikoFlags,
  type DockerfileFinding
} from '../dockerfile/check.js'
import type { ArtifactDockerfile, DockerfileCopy } from '../dockerfile/patch.js'
import { SkaffoldConfigError } from '../skaffold/errors.js'
import { artifactKey, type PatchOptions } from '../skaffold/options.js'
import { checkProductFiles } from '../skaffold/product-files.js'
import {
  patchSkaffoldConfigs,
  type ConfigFile,
  type PatchResult
} from '../skaffold/patch.js'
import type { ArtifactReport, PatchReport } from '../skaffold/report.js'
import { listLocalRequires } from '../skaffold/requires.js'
import { readTextIfExists } from './files.js'
import { writeUntrackedCopies } from './patched-copies.js'

/**
 * Reads the root config and, recursively, every local `requires[].path`
 * config (a directory stands for its skaffold.yaml). Files that do not exist
 * are left out: the patcher reports them with the line of the requires entry.
 * @throws SkaffoldConfigError when the root config cannot be read.
 */
export async function readSkaffoldConfigs(
  rootPath: string
): Promise<ConfigFile[]> {
  const root = resolve(rootPath)
  let text: string
  try {
    text = await readFile(root, 'utf8')
  } catch (error) {
    throw new SkaffoldConfigError(
      rootPath,
      0,
      0,
      `cannot read the skaffold config: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}; check skaffold-file and working-directory`
    )
  }
  const files: ConfigFile[] = [{ path: root, text }]
  const seen = new Set([root])
  for (let i = 0; i < files.length; i++) {
    for (const r of listLocalRequires(files[i]).local) {
      const path = await configFileAt(r.resolved)
      if (path === null || seen.has(path)) continue
      seen.add(path)
      try {
        files.push({ path, text: await readFile(path, 'utf8') })
      } catch {
        // Unreadable: the patcher names it with the requires line.
      }
    }
  }
  return files
}

async function configFileAt(path: string): Promise<string | null> {
  try {
    const info = await stat(path)
    return info.isDirectory() ? join(path, 'skaffold.yaml') : path
  } catch {
    return null
  }
}

/** What preparePatchedConfigs did. */
export interface PreparedConfigs {
  /** Pass this to `skaffold -f`. */
  patchedRootPath: string
  /** Copies written (remove them in the post step). */
  writtenFiles: string[]
  report: PatchReport
  result: PatchResult
}

/**
 * Reads, patches and writes the copies beside the originals (mode 0600: they
 * may carry a proxy URL with credentials). The user's files are never changed.
 * @throws SkaffoldConfigError / PatchOptionsError for bad input.
 */
export async function preparePatchedConfigs(
  rootPath: string,
  options: PatchOptions
): Promise<PreparedConfigs> {
  const files = await readSkaffoldConfigs(rootPath)
  return writePatchedCopies(patchSkaffoldConfigs(files, options))
}

/**
 * Writes the copies a patch result needs beside their originals (mode 0600:
 * they may carry a proxy URL with credentials), each by a temporary file and
 * a rename, so nothing at the copy's path is followed.
 */
export async function writePatchedCopies(
  result: PatchResult
): Promise<PreparedConfigs> {
  const writtenFiles = await writeUntrackedCopies(
    result.files
      .filter((file) => file.needsCopy)
      .map((file) => ({ path: file.copyPath, text: file.text, mode: 0o600 }))
  )
  return {
    patchedRootPath: result.rootPath,
    writtenFiles,
    report: result.report,
    result
  }
}

/**
 * Checks the Dockerfile of every patched artifact. Paths in the root config
 * resolve against the directory skaffold runs in (`workingDir`), paths in a
 * required config against that config's directory (skaffold pkg/skaffold/parser/config.go; docs/upstream-behaviour.md#multiple-configs-and-requires).
 */
export async function checkDockerfilesFor(
  report: PatchReport,
  rootPath: string,
  workingDir: string
): Promise<DockerfileFinding[]> {
  const root = resolve(rootPath)
  const findings: DockerfileFinding[] = []
  const checked = new Set<string>()
  for (const artifact of report.artifacts) {
    if (artifact.status === 'skipped') continue
    findings.push(
      ...checkKanikoFlags({
        file: artifact.file,
        line: artifact.line,
        image: artifact.image,
        kanikoImage: artifact.kanikoImage,
        whitelistVarRun: artifact.whitelistVarRun
      })
    )
    const path = dockerfilePath(artifact, root, workingDir)
    const key = `${path}#${artifact.target}#${Object.keys(artifact.buildArgs).join(',')}`
    if (checked.has(key)) continue
    checked.add(key)
    let text: string
    try {
      text = await readFile(path, 'utf8')
    } catch (error) {
      findings.push({
        file: path,
        line: 0,
        kind: 'dockerfile-missing',
        message: `cannot read the Dockerfile of artifact "${artifact.image}" (${(error as NodeJS.ErrnoException).code ?? 'error'}); skaffold needs it on the runner to evaluate build args`,
        fix: ''
      })
      continue
    }
    findings.push(
      ...checkDockerfile({
        file: path,
        text,
        target: artifact.target,
        buildArgs: Object.keys(artifact.buildArgs)
      }),
      ...checkProductFiles({
        file: artifact.file,
        line: artifact.line,
        image: artifact.image,
        apiVersion:
          report.documents.find(
            (d) => d.file === artifact.file && d.document === artifact.document
          )?.apiVersion ?? '',
        dockerfile: path,
        text,
        target: artifact.target
      })
    )
  }
  return findings
}

/** Where an artifact's context is: relative to the working dir for the root config, else to its config's dir. */
export function contextPath(
  artifact: ArtifactReport,
  rootPath: string,
  workingDir: string
): string {
  const base =
    resolve(artifact.file) === resolve(rootPath)
      ? resolve(workingDir)
      : dirname(resolve(artifact.file))
  return resolve(base, artifact.context)
}

/** Where an artifact's Dockerfile is: context + dockerfile (relative to context). */
export function dockerfilePath(
  artifact: ArtifactReport,
  rootPath: string,
  workingDir: string
): string {
  const context = contextPath(artifact, rootPath, workingDir)
  return isAbsolute(artifact.dockerfile)
    ? artifact.dockerfile
    : join(context, artifact.dockerfile)
}

/**
 * Reads the Dockerfile of every patched artifact, for the copy planner.
 * Unreadable ones are left out (the Dockerfile check reports them).
 */
export async function readArtifactDockerfiles(
  report: PatchReport,
  rootPath: string,
  workingDir: string
): Promise<ArtifactDockerfile[]> {
  const root = resolve(rootPath)
  const out: ArtifactDockerfile[] = []
  for (const artifact of report.artifacts) {
    if (artifact.status === 'skipped') continue
    const path = dockerfilePath(artifact, root, workingDir)
    const text = await readTextIfExists(path)
    if (text === undefined) continue
    out.push({
      key: artifactKey(artifact),
      image: artifact.image,
      path,
      dockerfile: artifact.dockerfile,
      target: artifact.target,
      buildArgs: Object.keys(artifact.buildArgs),
      text
    })
  }
  return out
}

/**
 * Writes each Dockerfile copy beside its original (temporary file and
 * rename; the original is only read). The copy's `.dockerignore` is planned
 * apart (src/dockerfile/ignore.ts) and written by writeContextIgnores.
 * @returns the paths written (remove them in the post step).
 */
export async function writeDockerfileCopies(
  copies: DockerfileCopy[]
): Promise<string[]> {
  return writeUntrackedCopies(
    copies.map((copy) => ({
      path: copy.copyPath,
      text: copy.text,
      mode: 0o644
    }))
  )
}
