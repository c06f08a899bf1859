/**
 * The tools phase: kind (unless a PVC cluster is used), skaffold, and
 * kubectl where missing.
 */
import {
  DEFAULT_VERSIONS,
  skaffoldFallbackBase,
  type ToolDownloadRequest
} from '../tools/catalog.js'
import type { Context } from './context.js'

interface InstalledTools {
  kind?: string
  skaffold: string
}

/** What to install: kind (unless a PVC cluster is used), skaffold, kubectl. */
export function toolRequests(ctx: Pick<Context, 'inputs' | 'platform'>): {
  kind?: ToolDownloadRequest
  skaffold: ToolDownloadRequest
  kubectl: ToolDownloadRequest
} {
  const { inputs, platform } = ctx
  return {
    ...(inputs.cacheVolume.kind === 'hostpath'
      ? {
          kind: {
            tool: 'kind',
            version: inputs.kindVersion,
            platform,
            baseUrl: inputs.kindDownloadUrl
          }
        }
      : {}),
    skaffold: {
      tool: 'skaffold',
      version: inputs.skaffoldVersion,
      platform,
      baseUrl: inputs.skaffoldDownloadUrl,
      fallbackBaseUrl: skaffoldFallbackBase(inputs.skaffoldDownloadUrl)
    },
    // kubectl is installed only where missing; its default version is the
    // one checked here.
    kubectl: {
      tool: 'kubectl',
      version: inputs.kubectlVersion || DEFAULT_VERSIONS.kubectl,
      platform,
      baseUrl: inputs.kubectlDownloadUrl
    }
  }
}

/** kind (unless a PVC cluster is used), skaffold, and kubectl where missing. */
export async function installTools(ctx: Context): Promise<InstalledTools> {
  const { inputs, platform, record } = ctx
  const requests = toolRequests(ctx)
  return ctx.deps.actions.group('Install tools', async () => {
    const kind = requests.kind
      ? await ctx.deps.tools.installTool(requests.kind)
      : undefined
    const skaffold = await ctx.deps.tools.installTool(requests.skaffold)
    const kubectl = await ctx.deps.tools.ensureKubectl({
      version: inputs.kubectlVersion,
      platform,
      baseUrl: inputs.kubectlDownloadUrl
    })
    for (const tool of [kind, skaffold, kubectl]) {
      if (tool && 'checksum' in tool) {
        record.update((state) =>
          state.tools.push({
            tool: tool.tool,
            version: tool.version,
            fromCache: tool.fromCache,
            checksum: tool.checksum
          })
        )
        ctx.deps.actions.log.info(
          `${tool.tool} ${tool.version}: ${tool.fromCache ? 'from the tool cache' : 'downloaded'}, sha256 ${tool.sha256} (${tool.checksum})`
        )
      }
    }
    return { kind: kind?.path, skaffold: skaffold.path }
  })
}
