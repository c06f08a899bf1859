/**
 * The push target and the runner's docker login for it, between the inputs
 * and the patch: reads the runner's docker config through its adapter,
 * decides with src/push-target.ts, logs the decision and masks every
 * credential the file holds. The file's text goes no further than here.
 */
import { randomBytes } from 'node:crypto'
import * as path from 'node:path'
import { log, maskSecret } from './adapters/actions.js'
import { readRunnerDockerConfig } from './adapters/docker-config.js'
import type { Inputs } from './inputs.js'
import type { ClusterReport } from './skaffold/report.js'
import { serviceContainerNames } from './kind/containers.js'
import {
  dockerConfigSecretName,
  externalPushRegistries,
  planPushLogin,
  type PushTargetRequest
} from './push-target.js'

/** The push-target facts of these inputs. */
export function pushTarget(inputs: Inputs): PushTargetRequest {
  return {
    defaultRepo: inputs.defaultRepo,
    // The local registry exists only on a kind cluster the action sets up.
    registry: inputs.registry && inputs.cacheVolume.kind === 'hostpath',
    localRegistry: `${serviceContainerNames(inputs.clusterName).registry}:${inputs.registryPort}`
  }
}

/** What the patch gets, and what the rest of the run must know. */
export interface RunnerLogin {
  dockerConfig?: { path: string; secretName: string }
  /** Credentials from the file, for the redactor (already masked). */
  secrets: string[]
  /** Warnings, for the summary (already logged). */
  warnings: string[]
}

/**
 * Decides whether kaniko logs in with the runner's docker config, for the
 * images the patched configs build.
 */
export async function planRunnerLogin(
  inputs: Inputs,
  images: string[]
): Promise<RunnerLogin> {
  const registries = externalPushRegistries({ ...pushTarget(inputs), images })
  const config =
    registries.length > 0 && inputs.dockerConfig === 'auto'
      ? await readRunnerDockerConfig()
      : undefined
  const plan = planPushLogin({
    mode: inputs.dockerConfig,
    registries,
    config,
    // Per step: a secret a failed build left in the cluster must not block
    // the next step's (skaffold's create fails on an existing name).
    secretName: dockerConfigSecretName(randomBytes(4).toString('hex'))
  })
  for (const secret of plan.secrets) maskSecret(secret)
  const warnings: string[] = []
  for (const message of plan.messages) {
    if (message.level === 'warning') {
      log.warning(message.text)
      warnings.push(message.text)
    } else {
      log.info(message.text)
    }
  }
  return {
    ...(plan.dockerConfig ? { dockerConfig: plan.dockerConfig } : {}),
    secrets: plan.secrets,
    warnings
  }
}

/**
 * Logs what became of the runner's docker config in each cluster block the
 * patch touched; returns the warnings (a block whose apiVersion has no
 * cluster.dockerConfig), for the summary.
 */
export function logDockerConfigDecisions(
  clusters: ClusterReport[],
  workspace: string
): string[] {
  const warnings: string[] = []
  for (const cluster of clusters) {
    const decision = cluster.dockerConfig
    if (decision === undefined) continue
    const file = path.relative(workspace, cluster.file)
    if (decision.status === 'unsupported') {
      log.warning(decision.message, { file, line: cluster.line })
      warnings.push(`${file}:${cluster.line}: ${decision.message}`)
    } else {
      log.info(`${file}:${cluster.line}: ${decision.message}`)
    }
  }
  return warnings
}
