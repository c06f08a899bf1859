/**
 * The adapters the main step works through, as one object: the real ones by
 * default, fakes in tests. Pure helpers that live beside them (kubeContext,
 * athensStorageDir) are imported directly.
 */
import * as actions from '../adapters/actions.js'
import { readInputs } from '../adapters/action-inputs.js'
import * as athens from '../adapters/athens.js'
import * as cache from '../adapters/cache.js'
import * as cacheFiles from '../adapters/cache-files.js'
import * as cluster from '../adapters/cluster.js'
import * as contextIgnore from '../adapters/context-ignore.js'
import * as exec from '../adapters/exec.js'
import * as files from '../adapters/files.js'
import * as hash from '../adapters/hash.js'
import * as ownership from '../adapters/ownership.js'
import * as registry from '../adapters/registry.js'
import * as skaffoldBuild from '../adapters/skaffold-build.js'
import * as skaffoldFiles from '../adapters/skaffold-files.js'
import * as tools from '../adapters/tools.js'

export interface MainDeps {
  actions: Pick<
    typeof actions,
    | 'appendSummary'
    | 'fail'
    | 'group'
    | 'log'
    | 'maskSecret'
    | 'readRunnerEnv'
    | 'saveMainState'
    | 'setOutputs'
  > & { readInputs: typeof readInputs }
  athens: Pick<typeof athens, 'startAthens'>
  cache: Pick<typeof cache, 'restoreBothCaches'>
  cacheFiles: Pick<
    typeof cacheFiles,
    | 'backdateBuildCache'
    | 'checkRestoredCache'
    | 'emptyCacheDir'
    | 'readStatsFile'
    | 'recordRestoredEntries'
  >
  cluster: Pick<
    typeof cluster,
    | 'checkDocker'
    | 'clusterExists'
    | 'currentKubeContext'
    | 'copyCachesIntoNode'
    | 'createCluster'
    | 'applyObjects'
    | 'nodeNames'
    | 'openCacheDirsToAllUsers'
    | 'requireCluster'
    | 'waitForNodes'
  >
  contextIgnore: Pick<
    typeof contextIgnore,
    'readArtifactContexts' | 'writeContextIgnores'
  >
  exec: Pick<typeof exec, 'passEnvironment'>
  files: Pick<typeof files, 'ensureRealDir' | 'pathKind' | 'readTextIfExists'>
  hash: Pick<typeof hash, 'hashDependencyFiles' | 'listDependencyFiles'>
  ownership: Pick<typeof ownership, 'openToAllUsers'>
  registry: Pick<typeof registry, 'startRegistry'>
  skaffoldBuild: Pick<typeof skaffoldBuild, 'runSkaffoldBuild'>
  skaffoldFiles: Pick<
    typeof skaffoldFiles,
    | 'checkDockerfilesFor'
    | 'readArtifactDockerfiles'
    | 'readSkaffoldConfigs'
    | 'writeDockerfileCopies'
    | 'writePatchedCopies'
  >
  tools: Pick<typeof tools, 'ensureKubectl' | 'installTool'>
}

export const realMainDeps: MainDeps = {
  actions: { ...actions, readInputs },
  athens,
  cache,
  cacheFiles,
  cluster,
  contextIgnore,
  exec,
  files,
  hash,
  ownership,
  registry,
  skaffoldBuild,
  skaffoldFiles,
  tools
}
