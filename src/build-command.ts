/**
 * The `skaffold build` argument array. Pure: everything comes from the plan.
 * Flags the action owns come first; the user's extra args last, so a flag the
 * user repeats (skaffold takes the last value of most flags) is theirs. The
 * inputs parser already refuses extra args that would fight the owned ones.
 */

export interface BuildCommandPlan {
  /** The patched copy of the root config. */
  patchedFile: string
  /** Where skaffold writes {"builds":[...]} (skaffold build --file-output). */
  fileOutput: string
  /**
   * Explicit for kind clusters: skaffold v2 takes the context only from the
   * CLI or kubeconfig. '' (an existing cluster) uses the current context.
   */
  kubeContext: string
  defaultRepo: string
  /** Plain-HTTP registries kaniko may push to (the local registry). */
  insecureRegistries: string[]
  profiles: string[]
  modules: string[]
  extraArgs: string[]
}

/** Returns the argument array for `skaffold build` (without the command name). */
export function buildCommandArgs(plan: BuildCommandPlan): string[] {
  const args = [
    'build',
    '-f',
    plan.patchedFile,
    '--file-output',
    plan.fileOutput
  ]
  if (plan.kubeContext !== '') args.push('--kube-context', plan.kubeContext)
  if (plan.defaultRepo !== '') args.push('--default-repo', plan.defaultRepo)
  for (const registry of plan.insecureRegistries) {
    args.push('--insecure-registry', registry)
  }
  for (const profile of plan.profiles) args.push('-p', profile)
  for (const module of plan.modules) args.push('-m', module)
  args.push(...plan.extraArgs)
  return args
}

export interface BuiltImage {
  imageName: string
  tag: string
}

/**
 * Parses skaffold's --file-output JSON. skaffold writes it even when the build
 * fails (builds may then be partial or null), with no trailing newline.
 */
export function parseBuildOutput(text: string): BuiltImage[] {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    return []
  }
  const builds = (value as { builds?: unknown } | null)?.builds
  if (!Array.isArray(builds)) return []
  return builds.flatMap((entry: unknown) => {
    const { imageName, tag } = (entry ?? {}) as Record<string, unknown>
    return typeof imageName === 'string' && typeof tag === 'string'
      ? [{ imageName, tag }]
      : []
  })
}
