/**
 * The patch phase: patched copies of the skaffold configs, Dockerfile copies
 * with the missing ARG lines, and the checks of the Dockerfiles they build.
 */
import * as path from 'node:path'
import {
  patchOptionsFromInputs,
  type PatchOptions
} from '../skaffold/options.js'
import { patchSkaffoldConfigs, type PatchResult } from '../skaffold/patch.js'
import {
  planDockerfileCopies,
  type DockerfileCopyPlan
} from '../dockerfile/patch.js'
import { planContextIgnores } from '../dockerfile/ignore.js'
import { kanikoCostAdvice } from '../dockerfile/advice.js'
import type { PatchReport } from '../skaffold/report.js'
import { warn, type Context } from './context.js'
import { logDockerConfigDecisions } from '../push-login.js'
import type { ClusterReport } from '../skaffold/report.js'

export interface Patched {
  path: string
}

/**
 * Patches the configs; with patch-dockerfile: auto, each artifact whose
 * Dockerfile misses ARG lines is pointed at a copy that has them.
 */
async function patchWithDockerfileCopies(
  ctx: Context,
  options: PatchOptions
): Promise<{ result: PatchResult; copies: DockerfileCopyPlan }> {
  const result = patchSkaffoldConfigs(ctx.configFiles, options)
  if (ctx.inputs.patchDockerfile !== 'auto') {
    return { result, copies: { copies: [], overrides: {}, skipped: [] } }
  }
  const copies = planDockerfileCopies(
    await ctx.deps.skaffoldFiles.readArtifactDockerfiles(
      result.report,
      ctx.configPath,
      ctx.workingDir
    )
  )
  if (copies.copies.length === 0) return { result, copies }
  // Again, with each artifact's kaniko.dockerfile pointing at its copy.
  return {
    result: patchSkaffoldConfigs(ctx.configFiles, {
      ...options,
      dockerfileOverrides: copies.overrides
    }),
    copies
  }
}

/** Writes the Dockerfile copies, recording them for the post step and the summary. */
async function writeDockerfileCopiesFor(
  ctx: Context,
  copies: DockerfileCopyPlan
): Promise<void> {
  const { record } = ctx
  // Listed before writing, so the post step removes a half-written set.
  record.update((state) =>
    state.patchedFiles.push(...copies.copies.map((c) => c.copyPath))
  )
  await ctx.deps.skaffoldFiles.writeDockerfileCopies(copies.copies)
  const records = copies.copies.map((copy) => ({
    original: path.relative(ctx.runner.workspace, copy.original),
    copy: path.relative(ctx.runner.workspace, copy.copyPath),
    images: copy.images,
    added: copy.insertions.map(
      (i) => `after line ${i.afterLine}: ${i.lines.join(', ')}`
    )
  }))
  record.update((state) => {
    state.dockerfileCopies = records
  })
  for (const copy of records) {
    ctx.deps.actions.log.info(
      `${copy.original}: building from the copy ${copy.copy} (${copy.added.join('; ')})`
    )
  }
  for (const skipped of copies.skipped) {
    ctx.deps.actions.log.info(
      `${skipped.image}: no Dockerfile copy: ${skipped.reason}`
    )
  }
}

/**
 * Writes the ignore files that keep the copies out of the build contexts
 * (listed for the post step before they are written).
 */
async function keepCopiesOutOfContexts(
  ctx: Context,
  report: PatchResult['report'],
  copies: DockerfileCopyPlan
): Promise<void> {
  const plan = planContextIgnores(
    await ctx.deps.contextIgnore.readArtifactContexts(
      report,
      ctx.configPath,
      ctx.workingDir,
      copies.copies,
      copies.overrides
    ),
    ctx.state.patchedFiles
  )
  ctx.record.update((state) =>
    state.patchedFiles.push(...plan.files.map((f) => f.path))
  )
  await ctx.deps.contextIgnore.writeContextIgnores(plan.files)
  for (const file of plan.files) {
    ctx.deps.actions.log.info(
      `${path.relative(ctx.runner.workspace, file.path)}: keeps the action's copies out of the build context of ${file.images.join(', ')}`
    )
  }
  for (const left of plan.left) {
    ctx.deps.actions.log.info(
      `${left.image}: the build context still holds ${left.files.join(', ')} (${left.reason}); a COPY of the whole context copies them into the image`
    )
  }
}

/** Patches copies of the configs and checks the Dockerfiles they build. */
export async function patch(ctx: Context): Promise<Patched> {
  const { inputs, record } = ctx
  return ctx.deps.actions.group('Patch skaffold config', async () => {
    const options = patchOptions(ctx)
    const { result, copies } = await patchWithDockerfileCopies(ctx, options)
    const prepared = await ctx.deps.skaffoldFiles.writePatchedCopies(result)
    record.update((state) => {
      state.patchedFiles = prepared.writtenFiles
    })
    await writeDockerfileCopiesFor(ctx, copies)
    await keepCopiesOutOfContexts(ctx, prepared.report, copies)

    const report = prepared.report
    for (const artifact of report.artifacts) {
      const where =
        artifact.place.kind === 'profile'
          ? ` (profile ${artifact.place.name})`
          : ''
      const kept =
        artifact.kept.length > 0
          ? `; kept your ${artifact.kept.map((k) => k.key).join(', ')}`
          : ''
      ctx.deps.actions.log.info(
        `${artifact.image}${where}: ${artifact.status}${artifact.reason ? ` (${artifact.reason})` : ''}${kept}`
      )
    }
    for (const collision of report.collisions) {
      ctx.deps.actions.log.info(
        `${collision.file}: ${collision.wanted} is taken (${collision.reason}); using ${collision.chosen}`
      )
    }
    const dockerConfigWarnings = logDockerConfigDecisions(
      report.clusters,
      ctx.runner.workspace
    )
    record.update((state) => state.warnings.push(...dockerConfigWarnings))
    await recordDockerConfigSecret(ctx, report.clusters)
    for (const warning of report.warnings) {
      ctx.deps.actions.log.warning(warning.message, {
        file: warning.file,
        line: warning.line
      })
      record.update((state) =>
        state.warnings.push(
          `${warning.file}:${warning.line}: ${warning.message}`
        )
      )
    }
    const cached = report.artifacts.filter((a) => a.status !== 'skipped')
    if (cached.length === 0) {
      warn(
        ctx,
        `No kaniko artifact on the cluster builder in ${ctx.configPath}${inputs.profiles.length ? ` with profiles ${inputs.profiles.join(', ')}` : ''}: the Go caches cannot reach the build.`
      )
    }

    const findings = await ctx.deps.skaffoldFiles.checkDockerfilesFor(
      report,
      ctx.configPath,
      ctx.workingDir
    )
    const copied = new Set(
      copies.copies.flatMap((c) =>
        copies.skipped.some((k) => k.path === c.original) ? [] : [c.original]
      )
    )
    for (const finding of findings) {
      // The copy adds these lines; the other findings still hold for it.
      if (finding.kind === 'missing-arg' && copied.has(finding.file)) continue
      let message = finding.message
      if (finding.kind === 'go-stage-user') {
        if (inputs.cacheVolume.kind === 'hostpath') {
          // openCachesToBuildUser has made them writable for every user.
          ctx.deps.actions.log.info(
            `${path.relative(ctx.runner.workspace, finding.file)}:${finding.line}: ${message}; the cache dirs are writable for every user`
          )
          continue
        }
        message += `; make the claim ${inputs.cacheVolume.claim}'s gomodcache and gobuildcache dirs writable by that user (e.g. the pod's fsGroup or a one-off chmod), or Go fails with "permission denied"`
      }
      ctx.deps.actions.log.warning(message, {
        file: path.relative(ctx.runner.workspace, finding.file),
        line: finding.line || undefined,
        title: 'skaffold-kaniko-cache'
      })
      record.update((state) =>
        state.warnings.push(
          `${path.relative(ctx.runner.workspace, finding.file)}${finding.line ? `:${finding.line}` : ''}: ${message}`
        )
      )
    }
    await recordKanikoAdvice(ctx, report)
    ctx.deps.actions.log.info(`patched config: ${prepared.patchedRootPath}`)
    return { path: prepared.patchedRootPath }
  })
}

/**
 * Records the secret skaffold will create from the runner's docker config
 * and the namespaces it goes to, so post can delete it after a failed build.
 */
async function recordDockerConfigSecret(
  ctx: Context,
  clusters: ClusterReport[]
): Promise<void> {
  const name = ctx.dockerConfig?.secretName
  const namespaces = [
    ...new Set(
      clusters
        .filter((c) => c.dockerConfig?.status === 'added')
        .map((c) => c.namespace)
    )
  ]
  if (name === undefined || namespaces.length === 0) return
  // The context skaffold build gets (--kube-context), or kubectl's current one.
  const context =
    ctx.state.cluster?.context ?? (await ctx.deps.cluster.currentKubeContext())
  ctx.record.update((state) => {
    state.dockerConfigSecret = { name, context, namespaces }
  })
}

/** The patch options: the inputs, with the GOPROXY of the Athens we started. */
export function patchOptions(ctx: Context): PatchOptions {
  const { inputs } = ctx
  // With Athens, private modules go through the proxy (which holds the
  // token): the build must not bypass it (GOPRIVATE), only skip the checksum
  // database for them (GONOSUMDB).
  const privateThroughAthens = inputs.athens && inputs.goPrivate !== ''
  const options = patchOptionsFromInputs({
    ...inputs,
    goProxy: inputs.goProxy || ctx.athensProxy,
    goPrivate: privateThroughAthens ? '' : inputs.goPrivate,
    buildArgs: privateThroughAthens
      ? [...inputs.buildArgs, ['GONOSUMDB', inputs.goPrivate]]
      : inputs.buildArgs
  })
  return ctx.dockerConfig
    ? { ...options, dockerConfig: ctx.dockerConfig }
    : options
}

/**
 * Logs the hints about kaniko's own cost (costly kaniko settings, the Go
 * build stage's base image) and keeps them for the job summary; they change
 * no setting.
 */
async function recordKanikoAdvice(
  ctx: Context,
  report: PatchReport
): Promise<void> {
  const advice = kanikoCostAdvice(
    report,
    await ctx.deps.skaffoldFiles.readArtifactDockerfiles(
      report,
      ctx.configPath,
      ctx.workingDir
    ),
    (file) => path.relative(ctx.runner.workspace, file)
  )
  for (const line of advice) ctx.deps.actions.log.info(line)
  ctx.record.update((state) => {
    state.advice = advice
  })
}
