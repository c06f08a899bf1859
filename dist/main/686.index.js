export const id = 686;
export const ids = [686];
export const modules = {

/***/ 686:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  runMain: () => (/* binding */ runMain)
});

// NAMESPACE OBJECT: ./src/adapters/exec.ts
var exec_namespaceObject = {};
__webpack_require__.r(exec_namespaceObject);
__webpack_require__.d(exec_namespaceObject, {
  CommandError: () => (CommandError),
  commandEnvironment: () => (commandEnvironment),
  commandOutput: () => (commandOutput),
  elapsed: () => (elapsed),
  firstLine: () => (firstLine),
  lastLines: () => (lastLines),
  lines: () => (lines),
  mustRun: () => (mustRun),
  passEnvironment: () => (passEnvironment),
  run: () => (exec_run),
  tryRun: () => (tryRun),
  withWorkflowCommandsStopped: () => (withWorkflowCommandsStopped)
});

// NAMESPACE OBJECT: ./src/adapters/registry.ts
var registry_namespaceObject = {};
__webpack_require__.r(registry_namespaceObject);
__webpack_require__.d(registry_namespaceObject, {
  runOrClaim: () => (runOrClaim),
  startRegistry: () => (startRegistry)
});

// NAMESPACE OBJECT: ./src/adapters/athens.ts
var athens_namespaceObject = {};
__webpack_require__.r(athens_namespaceObject);
__webpack_require__.d(athens_namespaceObject, {
  ATHENS_UPSTREAM_PROXY: () => (ATHENS_UPSTREAM_PROXY),
  athensGoBinaryEnv: () => (athensGoBinaryEnv),
  athensStorageDir: () => (athensStorageDir),
  startAthens: () => (startAthens)
});

// NAMESPACE OBJECT: ./src/adapters/files.ts
var files_namespaceObject = {};
__webpack_require__.r(files_namespaceObject);
__webpack_require__.d(files_namespaceObject, {
  ensureRealDir: () => (ensureRealDir),
  pathKind: () => (pathKind),
  readRegularText: () => (readRegularText),
  readTextIfExists: () => (readTextIfExists),
  replaceFile: () => (replaceFile),
  writeText: () => (writeText)
});

// NAMESPACE OBJECT: ./src/adapters/cache-files.ts
var cache_files_namespaceObject = {};
__webpack_require__.r(cache_files_namespaceObject);
__webpack_require__.d(cache_files_namespaceObject, {
  BACKDATE_MS: () => (BACKDATE_MS),
  backdateBuildCache: () => (backdateBuildCache),
  checkRestoredCache: () => (checkRestoredCache),
  emptyCacheDir: () => (emptyCacheDir),
  listExtractedModules: () => (listExtractedModules),
  listFiles: () => (listFiles),
  measureDir: () => (measureDir),
  pruneModuleCache: () => (pruneModuleCache),
  readRestoredEntries: () => (readRestoredEntries),
  readStatsFile: () => (readStatsFile),
  recordRestoredEntries: () => (recordRestoredEntries),
  removeLinksAndSpecialFiles: () => (removeLinksAndSpecialFiles),
  trimBuildCache: () => (trimBuildCache),
  writeStatsFile: () => (writeStatsFile)
});

// NAMESPACE OBJECT: ./src/adapters/cache.ts
var cache_namespaceObject = {};
__webpack_require__.r(cache_namespaceObject);
__webpack_require__.d(cache_namespaceObject, {
  DEFAULT_DEADLINE: () => (DEFAULT_DEADLINE),
  restoreBothCaches: () => (restoreBothCaches),
  restoreCacheDir: () => (restoreCacheDir),
  saveCacheDir: () => (saveCacheDir)
});

// NAMESPACE OBJECT: ./src/adapters/cluster.ts
var cluster_namespaceObject = {};
__webpack_require__.r(cluster_namespaceObject);
__webpack_require__.d(cluster_namespaceObject, {
  ClusterCreateError: () => (ClusterCreateError),
  ClusterError: () => (ClusterError),
  applyObjects: () => (applyObjects),
  checkDocker: () => (checkDocker),
  cleanupCluster: () => (cleanupCluster),
  clusterExists: () => (clusterExists),
  copyCachesFromNode: () => (copyCachesFromNode),
  copyCachesIntoNode: () => (copyCachesIntoNode),
  createCluster: () => (createCluster),
  currentKubeContext: () => (currentKubeContext),
  deleteSecret: () => (deleteSecret),
  kubeContext: () => (kubeContext),
  listClusters: () => (listClusters),
  nodeNames: () => (nodeNames),
  openCacheDirsToAllUsers: () => (openCacheDirsToAllUsers),
  requireCluster: () => (requireCluster),
  waitForNodes: () => (waitForNodes)
});

// NAMESPACE OBJECT: ./src/adapters/skaffold-files.ts
var skaffold_files_namespaceObject = {};
__webpack_require__.r(skaffold_files_namespaceObject);
__webpack_require__.d(skaffold_files_namespaceObject, {
  checkDockerfilesFor: () => (checkDockerfilesFor),
  contextPath: () => (contextPath),
  dockerfilePath: () => (dockerfilePath),
  preparePatchedConfigs: () => (preparePatchedConfigs),
  readArtifactDockerfiles: () => (readArtifactDockerfiles),
  readSkaffoldConfigs: () => (readSkaffoldConfigs),
  writeDockerfileCopies: () => (writeDockerfileCopies),
  writePatchedCopies: () => (writePatchedCopies)
});

// NAMESPACE OBJECT: ./src/adapters/context-ignore.ts
var context_ignore_namespaceObject = {};
__webpack_require__.r(context_ignore_namespaceObject);
__webpack_require__.d(context_ignore_namespaceObject, {
  readArtifactContexts: () => (readArtifactContexts),
  writeContextIgnores: () => (writeContextIgnores)
});

// NAMESPACE OBJECT: ./src/adapters/hash.ts
var hash_namespaceObject = {};
__webpack_require__.r(hash_namespaceObject);
__webpack_require__.d(hash_namespaceObject, {
  hashDependencyFiles: () => (hashDependencyFiles),
  listDependencyFiles: () => (listDependencyFiles)
});

// NAMESPACE OBJECT: ./src/adapters/ownership.ts
var ownership_namespaceObject = {};
__webpack_require__.r(ownership_namespaceObject);
__webpack_require__.d(ownership_namespaceObject, {
  giveCacheDirsToRunner: () => (giveCacheDirsToRunner),
  openToAllUsers: () => (openToAllUsers)
});

// NAMESPACE OBJECT: ./src/adapters/skaffold-build.ts
var skaffold_build_namespaceObject = {};
__webpack_require__.r(skaffold_build_namespaceObject);
__webpack_require__.d(skaffold_build_namespaceObject, {
  runSkaffoldBuild: () => (runSkaffoldBuild)
});

// NAMESPACE OBJECT: ./src/adapters/tools.ts
var tools_namespaceObject = {};
__webpack_require__.r(tools_namespaceObject);
__webpack_require__.d(tools_namespaceObject, {
  ensureKubectl: () => (ensureKubectl),
  findInToolCache: () => (findInToolCache),
  installTool: () => (installTool),
  sha256File: () => (sha256File)
});

;// CONCATENATED MODULE: ./src/summary.ts
/**
 * The job summary: one section per job (matrix jobs each write their own,
 * titled by service). Everything interpolated is HTML-escaped: the runner
 * renders the summary as Markdown with HTML, and @actions/core escapes nothing.
 * Pure.
 */

/** Escapes text for HTML element content and attribute values. */
function escapeHtml(text) {
    return text
        .replace(/&/g, '&amp;')
        .replace(/</g, '&lt;')
        .replace(/>/g, '&gt;')
        .replace(/"/g, '&quot;')
        .replace(/'/g, '&#39;');
}
/** Formats a byte count the way people read it (1024-based, one decimal). */
function formatBytes(bytes) {
    if (bytes < 1024)
        return `${bytes} B`;
    const units = ['KiB', 'MiB', 'GiB', 'TiB'];
    let value = bytes / 1024;
    let unit = 0;
    while (value >= 1024 && unit < units.length - 1) {
        value /= 1024;
        unit++;
    }
    return `${value.toFixed(1)} ${units[unit]}`;
}
/** Formats seconds with one decimal. */
function formatSeconds(seconds) {
    return `${seconds.toFixed(1)} s`;
}
function throughput(bytes, seconds) {
    if (bytes === 0 || seconds <= 0)
        return '';
    return `${(bytes / 1024 / 1024 / seconds).toFixed(1)} MiB/s`;
}
/** "6.0× faster than the last cold build (149.0 s)", or '' when not comparable. */
function speedUpLine(buildSeconds, lastColdSeconds) {
    if (lastColdSeconds === undefined || buildSeconds <= 0)
        return '';
    const ratio = lastColdSeconds / buildSeconds;
    if (ratio < 1.05)
        return '';
    return `${ratio.toFixed(1)}× faster than the last cold build (${formatSeconds(lastColdSeconds)})`;
}
function hitCell(record) {
    if (!record)
        return 'not restored';
    const labels = {
        exact: 'exact hit',
        partial: 'partial hit',
        miss: 'miss'
    };
    const key = record.matchedKey
        ? ` <code>${escapeHtml(record.matchedKey)}</code>`
        : '';
    return `${labels[record.result]}${key}`;
}
function saveCell(record) {
    if (!record)
        return 'not saved';
    const reason = record.reason ? `: ${escapeHtml(record.reason)}` : '';
    switch (record.outcome) {
        case 'saved': {
            const rate = throughput(record.bytes, record.seconds);
            return `saved ${formatBytes(record.bytes)}${rate ? ` (${rate})` : ''}`;
        }
        case 'exists':
            return `already saved under this key${reason}`;
        case 'reserved':
            // The service refused the reservation (409): the entry may be final,
            // still uploading, or a reservation an earlier failed upload left open.
            return `this key exists or is being saved by another job${reason}`;
        case 'skipped':
            return `not saved${reason}`;
        case 'failed':
            return `save failed${reason}`;
    }
}
function sizeCell(restore, trim) {
    const parts = [];
    if (restore && restore.bytes > 0) {
        const rate = throughput(restore.bytes, restore.seconds);
        parts.push(`restored ${formatBytes(restore.bytes)}${rate ? ` (${rate})` : ''}`);
    }
    if (trim) {
        const dropped = trim.removed === undefined ? '' : ` (${trim.removed} entries dropped)`;
        parts.push(`${formatBytes(trim.bytesBefore)} → ${formatBytes(trim.bytesAfter)} after trim${dropped}`);
    }
    return parts.join('<br>');
}
function table(header, rows) {
    const head = `<tr>${header.map((h) => `<th>${h}</th>`).join('')}</tr>`;
    const body = rows
        .map((row) => `<tr>${row.map((cell) => `<td>${cell}</td>`).join('')}</tr>`)
        .join('');
    return `<table>${head}${body}</table>`;
}
const MAIN_PHASES = ['tools', 'restore', 'cluster', 'patch', 'build'];
const POST_PHASES = (/* unused pure expression or super */ null && (['ownership', 'trim', 'save', 'cleanup']));
function phaseTable(phases, timings) {
    const rows = phases
        .filter((p) => timings[p] !== undefined)
        .map((p) => [p, formatSeconds(timings[p] ?? 0)]);
    return rows.length > 0 ? [table(['Phase', 'Time'], rows)] : [];
}
function warningList(warnings) {
    if (warnings.length === 0)
        return [];
    return [
        `<h3>Warnings</h3><ul>${warnings.map((w) => `<li>${escapeHtml(w)}</li>`).join('')}</ul>`
    ];
}
/**
 * Renders the main step's part of this job's section: the build, its phase
 * timings, the cache restores, the images, the tools and main's warnings.
 * Written at the end of main, so it is in the summary even when a later step
 * fails, and a later step of the job can read it. Every string is escaped.
 */
function renderMainSummary(state) {
    const out = [];
    out.push(`<h2>skaffold-kaniko-cache: ${escapeHtml(state.service)}</h2>`);
    const build = state.build;
    if (build) {
        const status = build.succeeded ? 'Built' : 'Build failed after';
        const count = build.images.length;
        const what = build.succeeded
            ? ` ${count} image${count === 1 ? '' : 's'} in`
            : '';
        const speed = build.succeeded
            ? speedUpLine(build.seconds, state.lastColdSeconds)
            : '';
        out.push(`<p><strong>${status}${what} ${formatSeconds(build.seconds)}</strong>${speed ? `: ${escapeHtml(speed)}` : ''}</p>`);
    }
    else {
        out.push('<p><strong>skaffold build did not run.</strong></p>');
    }
    out.push(...phaseTable(MAIN_PHASES, state.timings));
    if (state.cache) {
        const rows = ['mod', 'build'].map((which) => [
            which === 'mod' ? 'Go modules' : 'Go build',
            hitCell(state.cache?.restored[which]),
            sizeCell(state.cache?.restored[which], undefined)
        ]);
        out.push(table(['Cache', 'Restore', 'Restored'], rows));
    }
    else if (state.pvcClaim) {
        out.push(`<p>Caches live in the cluster on the ReadWriteMany claim <code>${escapeHtml(state.pvcClaim)}</code>; the Actions cache is not used.</p>`);
    }
    else {
        out.push('<p>The Actions cache is off for this job (<code>cache: false</code>).</p>');
    }
    if (build && build.images.length > 0) {
        out.push(table(['Image', 'Tag'], build.images.map((image) => [
            `<code>${escapeHtml(image.imageName)}</code>`,
            `<code>${escapeHtml(image.tag)}</code>`
        ])));
    }
    out.push(...dockerfileCopyTable(state));
    if (state.tools.length > 0) {
        const tools = state.tools
            .map((t) => `${escapeHtml(t.tool)} ${escapeHtml(t.version)} (${t.fromCache ? 'tool cache' : 'downloaded'}, ${escapeHtml(checksumText(t.checksum))})`)
            .join('; ');
        out.push(`<p>Tools: ${tools}.</p>`);
    }
    out.push(...kanikoCostSection(state.advice));
    out.push(...warningList(state.warnings));
    return out.join('\n') + '\n';
}
/**
 * The hints about kaniko's own cost: what each warm build pays for that a
 * setting or a base image the user chooses would cut. Never a warning: the
 * build works either way.
 */
function kanikoCostSection(advice) {
    if (advice === undefined || advice.length === 0)
        return [];
    return [
        `<h3>kaniko's own cost</h3><ul>${advice.map((a) => `<li>${escapeHtml(a)}</li>`).join('')}</ul>`
    ];
}
/** The Dockerfile copies the build used and the lines each one adds. */
function dockerfileCopyTable(state) {
    const copies = state.dockerfileCopies ?? [];
    if (copies.length === 0)
        return [];
    return [
        table(['Dockerfile', 'Built from the copy', 'Lines added'], copies.map((c) => [
            `<code>${escapeHtml(c.original)}</code>`,
            `<code>${escapeHtml(c.copy)}</code>`,
            c.added.map(escapeHtml).join('<br>')
        ]))
    ];
}
function checksumText(checksum) {
    if (checksum === 'pinned')
        return 'sha256 checked against a pinned value';
    if (checksum === 'same-origin') {
        return 'sha256 checked against a same-origin checksum file';
    }
    if (checksum === 'two-origins') {
        return 'sha256 checked against the checksum files of both release servers, which agree';
    }
    return checksum;
}
/**
 * Renders the post step's part: what was trimmed and saved, post's timings
 * and warnings. Every string is escaped.
 */
function renderPostSummary(state, post) {
    const out = [];
    out.push(`<h3>Caches after the build: ${escapeHtml(state.service)}</h3>`);
    if (state.cache) {
        const rows = ['mod', 'build'].map((which) => [
            which === 'mod' ? 'Go modules' : 'Go build',
            sizeCell(undefined, post.trim?.[which]) || '—',
            saveCell(post.save?.[which])
        ]);
        out.push(table(['Cache', 'Size', 'Save'], rows));
        out.push(`<p>Save policy: ${escapeHtml(state.cache.save.reason)}.</p>`);
    }
    out.push(...phaseTable(POST_PHASES, post.timings));
    out.push(...ownWorkLine(state.ownTime, post.ownTime));
    out.push(...warningList(post.warnings));
    return out.join('\n') + '\n';
}
/**
 * "this action's own work: 1.1 s of 12.6 s": main and post, node start-up
 * included, less the time a tool process (docker, kind, kubectl, skaffold,
 * tar) the action waited on was running, overlaps counted once. Nothing when
 * main recorded no account.
 */
function ownWorkLine(main, post) {
    if (!main)
        return [];
    const total = addOwnTimes(post ? [main, post] : [main]);
    return [
        `<p>This action's own work: ${formatSeconds(total.ownSeconds)} of ${formatSeconds(total.wallSeconds)} (the rest is waiting on ${total.processes} tool processes: ${formatSeconds(total.waitSeconds)}).</p>`
    ];
}

// EXTERNAL MODULE: ./src/errors.ts
var errors = __webpack_require__(3916);
// EXTERNAL MODULE: external "node:async_hooks"
var external_node_async_hooks_ = __webpack_require__(6698);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
var external_node_path_default = /*#__PURE__*/__webpack_require__.n(external_node_path_);
// EXTERNAL MODULE: external "node:perf_hooks"
var external_node_perf_hooks_ = __webpack_require__(643);
;// CONCATENATED MODULE: ./src/own-time.ts
/**
 * The action's own time: of a step's wall time, the part in which no tool
 * process the action waits on (docker, kind, kubectl, skaffold, tar) was
 * running. Waits that overlap (the restore's tar beside `kind create
 * cluster`) are counted once, so what is left is the action's own work on
 * the step's critical path: node start-up, loading, hashing, walking and
 * trimming the caches, HTTP to the cache service. Pure.
 */
/** Milliseconds the spans cover, overlapping stretches counted once. */
function coveredMs(spans) {
    const sorted = spans
        .filter((s) => s.end > s.start)
        .sort((a, b) => a.start - b.start);
    let total = 0;
    let start = -Infinity;
    let end = -Infinity;
    for (const span of sorted) {
        if (span.start > end) {
            if (end > start)
                total += end - start;
            start = span.start;
            end = span.end;
        }
        else if (span.end > end) {
            end = span.end;
        }
    }
    if (end > start)
        total += end - start;
    return total;
}
/** The parts of the spans that fall inside the windows. */
function clipSpans(spans, windows) {
    const clipped = [];
    for (const span of spans) {
        for (const window of windows) {
            const start = Math.max(span.start, window.start);
            const end = Math.min(span.end, window.end);
            if (end > start)
                clipped.push({ start, end });
        }
    }
    return clipped;
}
function ownTime(windows, waits) {
    const wall = coveredMs(windows);
    const wait = coveredMs(clipSpans(waits, windows));
    return {
        wallSeconds: wall / 1000,
        waitSeconds: wait / 1000,
        ownSeconds: (wall - wait) / 1000
    };
}
/**
 * The account of one step from `start` (the process's start) to `end`: the
 * whole step against every wait, each phase against the waits it started.
 */
function accountOwnTime(facts) {
    const step = ownTime([{ start: facts.start, end: facts.end }], facts.waits);
    const phases = {};
    for (const phase of new Set(facts.windows.map((w) => w.phase))) {
        phases[phase] = ownTime(facts.windows.filter((w) => w.phase === phase), facts.waits.filter((w) => w.phase === phase));
    }
    const processes = {};
    for (const wait of facts.waits) {
        processes[wait.tool] = (processes[wait.tool] ?? 0) + 1;
    }
    return { ...step, phases, processes };
}
/** Main and post together: their times and process counts added up. */
function own_time_addOwnTimes(accounts) {
    const sum = (pick) => accounts.reduce((total, a) => total + pick(a), 0);
    return {
        wallSeconds: sum((a) => a.wallSeconds),
        waitSeconds: sum((a) => a.waitSeconds),
        ownSeconds: sum((a) => a.ownSeconds),
        processes: sum((a) => Object.values(a.processes).reduce((n, count) => n + count, 0))
    };
}

;// CONCATENATED MODULE: ./src/adapters/waits.ts
/**
 * Where the step records the tool processes it waits on and the phases it
 * runs, for the own-time account (src/own-time.ts). The exec layer records
 * every command it runs; the cache call tracer records the processes the
 * cache client starts (tar, zstd). A phase is carried by async context, so
 * a process started by the restore is the restore's even while the cluster
 * is being created beside it.
 */




const current = new external_node_async_hooks_.AsyncLocalStorage();
const windows = [];
const waits = [];
/** Runs fn as (part of) a phase: its time and the processes it starts are the phase's. */
async function inPhase(phase, fn) {
    const start = Date.now();
    try {
        return await current.run(phase, fn);
    }
    finally {
        windows.push({ phase, start, end: Date.now() });
    }
}
/** Records one tool process the step waited on from start to end (epoch ms). */
function recordWait(command, start, end) {
    const phase = current.getStore();
    waits.push({
        tool: (0,external_node_path_.basename)(command),
        start,
        end,
        ...(phase === undefined ? {} : { phase })
    });
}
/**
 * The account of this step so far: from the process's start (node start-up
 * and loading the bundle included) to now.
 */
function ownTimeSoFar() {
    return accountOwnTime({
        start: Math.floor(external_node_perf_hooks_.performance.timeOrigin),
        end: Date.now(),
        windows,
        waits
    });
}

// EXTERNAL MODULE: ./src/inputs.ts + 5 modules
var src_inputs = __webpack_require__(6738);
// EXTERNAL MODULE: ./node_modules/yaml/dist/index.js
var dist = __webpack_require__(8815);
;// CONCATENATED MODULE: ./src/cache/paths.ts
/**
 * Where every piece of the data path lives (docs/design.md#the-data-path):
 *
 *   Actions cache -> runner dirs -> kind extraMounts -> node dirs
 *     -> cluster.volumes hostPath -> kaniko pod mounts <- GOMODCACHE/GOCACHE build args
 *
 * Every link must agree, so the names are decided here once. Pure.
 */
/** Paths inside the kaniko pod, under /var/run as in the hand-built recipe; kaniko keeps every mount out of the image wherever it is (docs/upstream-behaviour.md#mounts-are-never-snapshotted). */
const POD_PATHS = {
    mod: '/var/run/gomodcache',
    build: '/var/run/gobuildcache'
};
/** Volume names in cluster.volumes and kaniko.volumeMounts. */
const VOLUME_NAMES = {
    mod: 'gomodcache',
    build: 'gobuildcache'
};
/** Directories inside the kind node container (extraMounts containerPath = hostPath path). */
const NODE_PATHS = {
    mod: '/var/lib/skaffold-kaniko-cache/gomodcache',
    build: '/var/lib/skaffold-kaniko-cache/gobuildcache'
};
/**
 * Runner directories for one cluster. The cluster name is part of the path so
 * two jobs on one self-hosted machine (each with its own cluster) never share
 * a directory; it is an input, so the literal path is stable across runs.
 */
function cacheDirs(clusterName, facts) {
    const literalRoot = `~/.cache/skaffold-kaniko-cache/${clusterName}`;
    const absoluteRoot = `${facts.home.replace(/\/+$/, '')}/.cache/skaffold-kaniko-cache/${clusterName}`;
    return {
        cachePaths: {
            mod: `${literalRoot}/gomodcache`,
            build: `${literalRoot}/gobuildcache`
        },
        runnerDirs: {
            mod: `${absoluteRoot}/gomodcache`,
            build: `${absoluteRoot}/gobuildcache`
        },
        modSavePath: `${literalRoot}/gomodcache/${MOD_SAVE_SUBDIR}`,
        modSaveDir: `${absoluteRoot}/gomodcache/${MOD_SAVE_SUBDIR}`
    };
}
/** The part of the module cache that is saved: downloads, a GOPROXY layout. */
const MOD_SAVE_SUBDIR = 'cache/download';
/**
 * Each cache's runner dir and the node dir the kaniko pod's hostPath names:
 * the pairs a reused cluster copies in and out, since its node has no mounts.
 * `savedSubdir` is the part copied back out: only what is saved, since Go
 * makes its extracted module trees read-only (dirs 0555), which the docker
 * CLI cannot extract as the runner user.
 */
function nodeCopies(runnerDirs) {
    return [
        {
            runnerDir: runnerDirs.mod,
            nodePath: NODE_PATHS.mod,
            savedSubdir: MOD_SAVE_SUBDIR
        },
        { runnerDir: runnerDirs.build, nodePath: NODE_PATHS.build, savedSubdir: '' }
    ];
}

;// CONCATENATED MODULE: ./src/kind/validate.ts
/**
 * Validates a kind config against the kind.x-k8s.io/v1alpha4 Cluster fields
 * of kind v0.32.0 (kubernetes-sigs/kind pkg/apis/config/v1alpha4/types.go:
 * Cluster, Node, Networking, Mount, PortMapping, PatchJSON6902). kind decodes
 * its config strictly (pkg/internal/apis/config/encoding/load.go,
 * yamlUnmarshalStrict), so an unknown key is an error there too; reporting it
 * here names the file and line before a cluster is half created. Pure.
 */

/** The only Cluster apiVersion kind v0.32 accepts. */
const KIND_API_VERSION = 'kind.x-k8s.io/v1alpha4';
const MOUNT = {
    containerPath: 'string',
    hostPath: 'string',
    readOnly: 'boolean',
    selinuxRelabel: 'boolean',
    propagation: { enum: ['None', 'HostToContainer', 'Bidirectional'] }
};
const PORT_MAPPING = {
    containerPort: 'integer',
    hostPort: 'integer',
    listenAddress: 'string',
    protocol: { enum: ['TCP', 'UDP', 'SCTP'] }
};
const JSON6902 = {
    group: 'string',
    version: 'string',
    kind: 'string',
    patch: 'string'
};
const NODE = {
    role: { enum: ['control-plane', 'worker'] },
    image: 'string',
    labels: 'stringMap',
    extraMounts: { list: MOUNT },
    extraPortMappings: { list: PORT_MAPPING },
    kubeadmConfigPatches: 'stringList',
    kubeadmConfigPatchesJSON6902: { list: JSON6902 }
};
const NETWORKING = {
    ipFamily: { enum: ['ipv4', 'ipv6', 'dual'] },
    apiServerPort: 'integer',
    apiServerAddress: 'string',
    podSubnet: 'string',
    serviceSubnet: 'string',
    disableDefaultCNI: 'boolean',
    kubeProxyMode: { enum: ['iptables', 'ipvs', 'nftables', 'none'] },
    dnsSearch: 'stringList'
};
const CLUSTER = {
    kind: { enum: ['Cluster'] },
    apiVersion: { enum: [KIND_API_VERSION] },
    name: 'string',
    nodes: { list: NODE },
    networking: { map: NETWORKING },
    featureGates: 'booleanMap',
    runtimeConfig: 'stringMap',
    kubeadmConfigPatches: 'stringList',
    kubeadmConfigPatchesJSON6902: { list: JSON6902 },
    containerdConfigPatches: 'stringList',
    containerdConfigPatchesJSON6902: 'stringList'
};
/**
 * Checks a parsed kind config document: kind and apiVersion, every key of the
 * Cluster, its nodes, mounts, port mappings and networking, value types and
 * enums, and that there is a control-plane node.
 * @returns every issue found, in document order (empty when valid).
 */
function validateKindConfig(doc, lineCounter) {
    const issues = [];
    const lineOf = (node) => node?.range && lineCounter
        ? lineCounter.linePos(node.range[0]).line
        : undefined;
    const add = (node, at, message) => {
        const line = lineOf(node);
        issues.push({ ...(line === undefined ? {} : { line }), at, message });
    };
    const root = doc.contents;
    if (!(0,dist/* isMap */.jh)(root)) {
        add(root, '(top level)', 'expected a mapping with kind: Cluster');
        return issues;
    }
    for (const key of ['kind', 'apiVersion']) {
        if (!root.has(key)) {
            add(root, '(top level)', `missing ${key}: ${key === 'kind' ? 'Cluster' : KIND_API_VERSION}`);
        }
    }
    checkMap(root, CLUSTER, '', add);
    const nodes = root.get('nodes', true);
    if ((0,dist/* isSeq */.oP)(nodes)) {
        const roles = nodes.items.map((item) => (0,dist/* isMap */.jh)(item) ? (item.get('role') ?? 'control-plane') : undefined);
        // An invalid role is reported above; counting control planes then would
        // only repeat it.
        const valid = roles.every((r) => r === 'control-plane' || r === 'worker');
        if (valid && nodes.items.length > 0 && !roles.includes('control-plane')) {
            add(nodes, 'nodes', 'needs at least one node with role: control-plane (a node without a role is a control-plane)');
        }
    }
    return issues;
}
function checkMap(map, fields, at, add) {
    for (const pair of map.items) {
        const key = (0,dist/* isScalar */.jn)(pair.key) ? String(pair.key.value) : String(pair.key);
        const where = at === '' ? key : `${at}.${key}`;
        const type = fields[key];
        if (type === undefined) {
            add(pair.key, at === '' ? '(top level)' : at, `unknown key ${JSON.stringify(key)}; kind's v1alpha4 ${at === '' ? 'Cluster' : describePlace(at)} accepts ${Object.keys(fields).join(', ')}`);
            continue;
        }
        checkValue(pair.value, type, where, add);
    }
}
function describePlace(at) {
    const last = at
        .replace(/\[\d+\]$/, '')
        .split('.')
        .pop() ?? at;
    return ({
        nodes: 'node',
        extraMounts: 'extraMount',
        extraPortMappings: 'extraPortMapping',
        networking: 'networking',
        kubeadmConfigPatchesJSON6902: 'JSON 6902 patch',
        containerdConfigPatchesJSON6902: 'JSON 6902 patch'
    }[last] ?? last);
}
function checkValue(value, type, at, add) {
    if (typeof type === 'object' && 'list' in type) {
        if (!(0,dist/* isSeq */.oP)(value))
            return add(value, at, 'expected a list');
        value.items.forEach((item, index) => {
            const where = `${at}[${index}]`;
            if (!(0,dist/* isMap */.jh)(item))
                return add(item, where, 'expected a mapping');
            checkMap(item, type.list, where, add);
        });
        return;
    }
    if (typeof type === 'object' && 'map' in type) {
        if (!(0,dist/* isMap */.jh)(value))
            return add(value, at, 'expected a mapping');
        return checkMap(value, type.map, at, add);
    }
    if (type === 'stringList') {
        if (!(0,dist/* isSeq */.oP)(value))
            return add(value, at, 'expected a list of strings');
        value.items.forEach((item, index) => {
            if (!(0,dist/* isScalar */.jn)(item) || typeof item.value !== 'string') {
                add(item, `${at}[${index}]`, 'expected a string');
            }
        });
        return;
    }
    if (type === 'stringMap' || type === 'booleanMap') {
        if (!(0,dist/* isMap */.jh)(value))
            return add(value, at, 'expected a mapping');
        for (const pair of value.items) {
            const v = (0,dist/* isScalar */.jn)(pair.value) ? pair.value.value : undefined;
            const ok = type === 'booleanMap' ? typeof v === 'boolean' : typeof v === 'string';
            if (!ok) {
                add(pair.value ?? pair.key, `${at}.${(0,dist/* isScalar */.jn)(pair.key) ? String(pair.key.value) : ''}`, type === 'booleanMap'
                    ? 'expected true or false'
                    : 'expected a string (quote numbers and booleans)');
            }
        }
        return;
    }
    const scalar = (0,dist/* isScalar */.jn)(value) ? value.value : undefined;
    if (typeof type === 'object') {
        if (typeof scalar !== 'string' || !type.enum.includes(scalar)) {
            add(value, at, `${JSON.stringify(scalar ?? null)} is not one of ${type.enum.join(', ')}`);
        }
        return;
    }
    const ok = type === 'string'
        ? typeof scalar === 'string'
        : type === 'boolean'
            ? typeof scalar === 'boolean'
            : typeof scalar === 'number' && Number.isInteger(scalar);
    if (!ok) {
        add(value, at, `expected ${type === 'integer' ? 'an integer' : `a ${type}`}`);
    }
}

;// CONCATENATED MODULE: ./src/kind/kind-config.ts
/**
 * The kind cluster config: the cache extraMounts (runner dir -> node dir) on
 * every node, merged into the user's own kind config when there is one (their
 * nodes, mounts, patches, networking and comments kept), plus the containerd
 * setting the local registry needs (kind's local-registry recipe,
 * kind.sigs.k8s.io/docs/user/local-registry, as helm/kind-action applies it).
 * Pure. One room (about 400 lines) because the merge rules for nodes, mounts
 * and containerd patches read each other: splitting them would scatter one rule.
 */




/**
 * The containerd patch that makes it read per-registry hosts.toml files from
 * /etc/containerd/certs.d. kind's recipe says node images from v0.27.0 no
 * longer need it, but containerd 2.x still defaults config_path to '' there
 * (kubernetes-sigs/kind#3918), so helm/kind-action keeps it, and so do we.
 */
const REGISTRY_CONTAINERD_PATCH = '[plugins."io.containerd.grpc.v1.cri".registry]\n  config_path = "/etc/containerd/certs.d"';
/** Where containerd looks for hosts.toml files (the patch above). */
const CONTAINERD_CERTS_DIR = '/etc/containerd/certs.d';
/** A user error in the kind config: names the file, the line(s) and the fix. */
class KindConfigError extends errors/* UserFixableError */.xQ {
    file;
    problems;
    constructor(file, problems) {
        super(problems.length === 1
            ? `kind-config ${file}: ${problems[0]}`
            : `kind-config ${file} has ${problems.length} problems:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
        this.file = file;
        this.problems = problems;
        this.name = 'KindConfigError';
    }
}
/**
 * The two cache mounts: the runner dirs of cacheDirs() onto NODE_PATHS, the
 * dirs the kaniko pod's hostPath volumes name.
 */
function cacheMounts(runnerDirs) {
    return [
        { hostPath: runnerDirs.mod, containerPath: NODE_PATHS.mod },
        { hostPath: runnerDirs.build, containerPath: NODE_PATHS.build }
    ];
}
/**
 * Builds the kind config: a fresh one-node config, or the user's config with
 * the cache mounts added to every node and the registry setting added once.
 * @throws KindConfigError for a YAML error, an invalid config (unknown key,
 * wrong kind/apiVersion, bad value) or a mount clash, naming file and line.
 */
function renderKindConfig(request) {
    const notes = [];
    const warnings = [];
    const file = request.user?.file ?? '(generated)';
    const lineCounter = new dist/* LineCounter */.HN();
    const doc = request.user === undefined
        ? freshDocument()
        : parseUserDocument(request.user.text, file, lineCounter);
    const issues = validateKindConfig(doc, lineCounter);
    if (issues.length > 0) {
        throw new KindConfigError(file, issues.map((i) => `${i.line === undefined ? '' : `line ${i.line}: `}${i.at}: ${i.message}`));
    }
    const root = doc.contents;
    let nodes = root.get('nodes', true);
    if (nodes === undefined || nodes.items.length === 0) {
        // kind's default: one control-plane node.
        nodes = new dist/* YAMLSeq */.Rw();
        nodes.items.push(doc.createNode({ role: 'control-plane' }));
        root.set('nodes', nodes);
    }
    const problems = [];
    const roles = [];
    nodes.items.forEach((item, index) => {
        const node = item;
        const role = node.get('role') ?? 'control-plane';
        roles.push(role);
        const mounts = ensureSeq(node, 'extraMounts');
        for (const mount of request.mounts) {
            const existing = mounts.items.find((m) => (0,dist/* isMap */.jh)(m) && m.get('containerPath') === mount.containerPath);
            if (existing === undefined) {
                mounts.items.push(doc.createNode({ ...mount }));
                continue;
            }
            const theirs = existing.get('hostPath');
            if (theirs !== mount.hostPath) {
                problems.push(`${lineText(existing, lineCounter)}nodes[${index}] (${role}) mounts ${JSON.stringify(theirs)} at ${mount.containerPath}, where the action mounts its Go cache dir ${mount.hostPath}. Remove that extraMount from your kind config: the action adds this mount itself`);
            }
            else {
                notes.push(`nodes[${index}] already mounts ${mount.hostPath} at ${mount.containerPath}`);
            }
        }
    });
    if (problems.length > 0)
        throw new KindConfigError(file, problems);
    addRegistryPatch(root, file, lineCounter, request.registry, notes, warnings);
    const imageFlag = request.nodeImage ? request.nodeImage : undefined;
    if (imageFlag !== undefined) {
        const perNode = nodes.items.filter((n) => (0,dist/* isMap */.jh)(n) && n.has('image')).length;
        if (perNode > 0) {
            notes.push(`node-image ${imageFlag} is passed as --image, which overrides the image of the ${perNode} node(s) that set one in ${file}`);
        }
    }
    const name = root.get('name');
    if (request.clusterName !== undefined &&
        typeof name === 'string' &&
        name !== request.clusterName) {
        notes.push(`${file} names the cluster ${JSON.stringify(name)}; kind uses cluster-name ${JSON.stringify(request.clusterName)} (--name wins)`);
    }
    return {
        text: doc.toString({ lineWidth: 0 }),
        ...(imageFlag === undefined ? {} : { imageFlag }),
        roles,
        notes,
        warnings
    };
}
/**
 * The names kind gives the node containers of a cluster, in config order:
 * `<name>-<role>`, then `<name>-<role>2`, `<name>-<role>3`, ... per role
 * (kubernetes-sigs/kind pkg/cluster/internal/providers/common/namer.go,
 * MakeNodeNamer, called once per node in config order by
 * pkg/cluster/internal/providers/docker/provision.go, planCreation).
 */
function kindNodeNames(clusterName, roles) {
    const counts = { 'control-plane': 0, worker: 0 };
    return roles.map((role) => {
        counts[role] += 1;
        return `${clusterName}-${role}${counts[role] === 1 ? '' : counts[role]}`;
    });
}
function freshDocument() {
    const doc = new dist/* Document */.yo({ kind: 'Cluster', apiVersion: KIND_API_VERSION });
    doc.commentBefore =
        ' Generated by skaffold-kaniko-cache: the Go cache dirs are mounted into the\n node, where the kaniko pod mounts them as hostPath volumes.';
    return doc;
}
function parseUserDocument(text, file, lineCounter) {
    const parsed = (0,dist/* parseAllDocuments */.hR)(text, { lineCounter });
    // An empty (or comments-only) file is an EmptyStream or a null document.
    const docs = Array.isArray(parsed) ? parsed : [];
    if (docs.length === 0 || (docs.length === 1 && docs[0].contents === null)) {
        throw new KindConfigError(file, [
            `the file is empty; it needs kind: Cluster and apiVersion: ${KIND_API_VERSION}`
        ]);
    }
    if (docs.length !== 1) {
        throw new KindConfigError(file, [
            `has ${docs.length} YAML documents; kind reads exactly one Cluster`
        ]);
    }
    const doc = docs[0];
    if (doc.errors.length > 0) {
        throw new KindConfigError(file, doc.errors.map((e) => `line ${e.linePos?.[0].line ?? '?'}: ${e.message.split('\n')[0]}`));
    }
    return doc;
}
function ensureSeq(map, key) {
    const existing = map.get(key, true);
    if ((0,dist/* isSeq */.oP)(existing)) {
        // A flow list (`extraMounts: []`) would get our mounts in flow style too.
        existing.flow = false;
        return existing;
    }
    const seq = new dist/* YAMLSeq */.Rw();
    map.set(key, seq);
    return seq;
}
/**
 * Adds the registry's config_path patch, unless the user's patches set
 * registry mirrors: containerd's CRI plugin refuses `mirrors` together with
 * `config_path` (containerd internal/cri/config/config.go ValidateImageConfig,
 * "`mirrors` cannot be set when `config_path` is provided", v2.3.1 as in the
 * kind v0.32.0 node image), so the nodes would come up without a container
 * runtime and kind create would fail.
 */
function addRegistryPatch(root, file, lineCounter, registry, notes, warnings) {
    const existing = root.get('containerdConfigPatches', true);
    const items = (0,dist/* isSeq */.oP)(existing) ? existing.items : [];
    const mirrors = [];
    const configPaths = [];
    for (const item of items) {
        if (!(0,dist/* isScalar */.jn)(item) || typeof item.value !== 'string')
            continue;
        for (const found of findRegistrySettings(item.value)) {
            const setting = { node: item, ...found };
            if (found.value === undefined)
                mirrors.push(setting);
            else
                configPaths.push(setting);
        }
    }
    const where = (s) => `${lineText(s.node, lineCounter, s.lineInPatch)}containerdConfigPatches`;
    // A later merge patch overrides an earlier config_path.
    const ownPath = configPaths.at(-1);
    if (mirrors.length > 0 && ownPath !== undefined && ownPath.value !== '') {
        throw new KindConfigError(file, [
            `${where(mirrors[0])} sets registry mirrors and ${lineText(ownPath.node, lineCounter, ownPath.lineInPatch).replace(/: $/, '')} sets config_path = "${ownPath.value}": containerd refuses both together ("\`mirrors\` cannot be set when \`config_path\` is provided") and kind create fails. Move the mirrors to hosts.toml files under the config_path directory, or remove the config_path line`
        ]);
    }
    if (!registry)
        return;
    if (mirrors.length > 0) {
        warnings.push(`${file}: ${where(mirrors[0])} sets registry mirrors, which containerd refuses together with the config_path = "${CONTAINERD_CERTS_DIR}" the local registry needs ("\`mirrors\` cannot be set when \`config_path\` is provided"), so the action leaves that setting out: kaniko still pushes to the local registry, but the cluster's nodes cannot pull the built images from it. To have both, move the mirrors to hosts.toml files under ${CONTAINERD_CERTS_DIR} (containerd's docs/hosts.md); to silence this, set registry: false`);
        return;
    }
    if (ownPath !== undefined) {
        if (ownPath.value === CONTAINERD_CERTS_DIR) {
            notes.push(`${file} already sets containerd's config_path to ${CONTAINERD_CERTS_DIR}`);
            return;
        }
        throw new KindConfigError(file, [
            `${where(ownPath)} sets config_path = "${ownPath.value}", but the local registry's hosts.toml goes to ${CONTAINERD_CERTS_DIR}. Set config_path = "${CONTAINERD_CERTS_DIR}", or set registry: false`
        ]);
    }
    const patches = ensureSeq(root, 'containerdConfigPatches');
    const patch = new dist/* Scalar */.X5(REGISTRY_CONTAINERD_PATCH);
    patch.type = dist/* Scalar */.X5.BLOCK_LITERAL;
    patches.items.push(patch);
}
/**
 * The CRI registry settings in one containerd TOML patch: `mirrors` tables or
 * keys (any plugin id: io.containerd.grpc.v1.cri for config version 2,
 * io.containerd.cri.v1.images for version 3) and `config_path` values. A
 * line-level reading of TOML: table headers, dotted keys and inline tables
 * on one line, which is how these patches are written.
 */
function findRegistrySettings(text) {
    const found = [];
    let table = [];
    text.split('\n').forEach((raw, i) => {
        const line = raw.trim();
        if (line === '' || line.startsWith('#'))
            return;
        const header = /^\[\[?(.*?)\]\]?\s*(#.*)?$/.exec(line);
        if (header !== null) {
            table = splitKey(header[1]);
            if (isMirrorsPath(table))
                found.push({ lineInPatch: i + 1 });
            return;
        }
        const eq = /^((?:"(?:[^"\\]|\\.)*"|'[^']*'|[^=])+?)\s*=\s*(.*)$/.exec(line);
        if (eq === null)
            return;
        const path = [...table, ...splitKey(eq[1])];
        // Keys inside a mirrors table were counted with its header.
        if (isMirrorsPath(table))
            return;
        if (isMirrorsPath(path)) {
            found.push({ lineInPatch: i + 1 });
        }
        else if (path.at(-1) === 'registry' &&
            /(^|[{,\s])mirrors\s*=/.test(eq[2])) {
            found.push({ lineInPatch: i + 1 });
        }
        else if (path.at(-1) === 'config_path' && path.at(-2) === 'registry') {
            const value = /^"((?:[^"\\]|\\.)*)"|^'([^']*)'/.exec(eq[2]);
            found.push({ lineInPatch: i + 1, value: value?.[1] ?? value?.[2] ?? '' });
        }
    });
    return found;
}
function splitKey(key) {
    const parts = [];
    const re = /\s*(?:"((?:[^"\\]|\\.)*)"|'([^']*)'|([A-Za-z0-9_-]+))\s*(?:\.|$)/gy;
    let match;
    while ((match = re.exec(key)) !== null && match[0] !== '') {
        parts.push(match[1] ?? match[2] ?? match[3]);
    }
    return parts;
}
function isMirrorsPath(path) {
    const at = path.indexOf('registry');
    return at >= 0 && path[at + 1] === 'mirrors';
}
/**
 * `line N: ` for a node, or for a line inside a block scalar (its text starts
 * on the line after the `|` indicator).
 */
function lineText(node, lineCounter, lineInPatch) {
    if (!node.range || lineCounter.lineStarts.length === 0)
        return '';
    const start = lineCounter.linePos(node.range[0]).line;
    const block = (0,dist/* isScalar */.jn)(node) &&
        (node.type === dist/* Scalar */.X5.BLOCK_LITERAL || node.type === dist/* Scalar */.X5.BLOCK_FOLDED);
    return `line ${lineInPatch !== undefined && block ? start + lineInPatch : start}: `;
}

;// CONCATENATED MODULE: ./src/skaffold/api-version.ts
/**
 * skaffold apiVersions in release order, and what each one lets the patcher
 * write. Facts: docs/upstream-behaviour.md#schema-versions, #kaniko-fields-by-version and #volumes-and-mounts-decoding-by-apiversion.
 */
const ORDER = [
    ...range('v1alpha', 1, 5),
    ...range('v1beta', 1, 17),
    // skaffold 1.0 shipped `skaffold/v1` between v1beta17 and v2alpha1.
    'v1',
    ...range('v2alpha', 1, 4),
    ...range('v2beta', 1, 29),
    'v3alpha1',
    'v3',
    ...range('v4beta', 1, 14)
];
function range(prefix, from, to) {
    const out = [];
    for (let i = from; i <= to; i++)
        out.push(`${prefix}${i}`);
    return out;
}
/** The newest apiVersion this patcher knows. */
const LATEST_API_VERSION = ORDER[ORDER.length - 1];
/**
 * Looks up `skaffold/<version>`.
 * @returns the facts, or null when the value is not a known skaffold apiVersion.
 */
function describeApiVersion(apiVersion) {
    const match = /^skaffold\/(v[0-9a-z]+)$/.exec(apiVersion);
    if (!match)
        return null;
    const rank = ORDER.indexOf(match[1]);
    if (rank < 0)
        return null;
    return {
        version: match[1],
        rank,
        tooOld: rank < ORDER.indexOf('v2beta9'),
        lowercaseVolumes: rank <= ORDER.indexOf('v2beta10'),
        hasIgnorePaths: rank >= ORDER.indexOf('v4beta2'),
        hasSnapshotMode: rank >= ORDER.indexOf('v2beta9'),
        hasClusterDockerConfig: rank >= ORDER.indexOf('v1beta7')
    };
}

;// CONCATENATED MODULE: ./src/skaffold/advice.ts
/**
 * The advice for one artifact's kaniko map (as the user wrote it).
 * @returns one entry per costly combination, in a fixed order.
 */
function kanikoAdvice(kaniko) {
    const advice = [];
    if (kaniko.useNewRun === true && kaniko.singleSnapshot === true) {
        // The new RUN walks the whole filesystem before and after each RUN to
        // find what changed (kaniko v1.19.2 pkg/commands/run_marker.go
        // RunMarkerCommand.ExecuteCommand, util.GetFSInfoMap); singleSnapshot
        // takes one snapshot at the end anyway, so those walks buy nothing.
        advice.push({
            kind: 'use-new-run-with-single-snapshot',
            keys: ['useNewRun', 'singleSnapshot'],
            message: 'useNewRun does nothing useful with singleSnapshot: kaniko still walks the whole filesystem before and after every RUN (measured: dropping useNewRun saves ~0.6 s per warm build)'
        });
    }
    if (kaniko.reproducible === true) {
        // kaniko rewrites the final image canonically (kaniko v1.19.2
        // pkg/executor/build.go, mutate.Canonical), which re-tars every layer.
        advice.push({
            kind: 'reproducible',
            keys: ['reproducible'],
            message: "reproducible: true re-tars every layer of the final image, the base image's included, and pushes the rewritten base layers again (measured: +0.4 s with a distroless final stage, about +5 s per 100 MB of final base image); drop it unless you need byte-identical images"
        });
    }
    return advice;
}
/**
 * One line per piece of advice in the report, for the job summary.
 * @returns e.g. `skaffold.yaml:6: artifact "feed-agg": useNewRun does nothing...`
 */
function adviceLines(report) {
    return report.artifacts.flatMap((a) => a.advice.map((item) => `${a.file}:${a.line}: artifact "${a.image}": ${item.message}`));
}

;// CONCATENATED MODULE: ./src/skaffold/context.ts
/** Adds a warning at the line of path. */
function warnAt(ctx, path, message) {
    ctx.report.warnings.push({
        file: ctx.file,
        line: ctx.edit.lineOf(path),
        message
    });
}

;// CONCATENATED MODULE: ./src/skaffold/errors.ts
/**
 * The user errors of the skaffold patcher: a config the patcher cannot (or
 * must not) patch. Each names the file, the line and column when known, what
 * is wrong and the fix, so the CLI and the action print one line and no stack.
 */

class SkaffoldConfigError extends errors/* UserFixableError */.xQ {
    file;
    line;
    column;
    reason;
    constructor(file, line, column, reason) {
        super(formatLocation(file, line, column) + reason);
        this.file = file;
        this.line = line;
        this.column = column;
        this.reason = reason;
        this.name = 'SkaffoldConfigError';
    }
}
/** A bad patch option (a mount path skaffold reserves, an empty claim...). */
class PatchOptionsError extends errors/* UserFixableError */.xQ {
    option;
    reason;
    constructor(option, reason) {
        super(`${option}: ${reason}`);
        this.option = option;
        this.reason = reason;
        this.name = 'PatchOptionsError';
    }
}
/** Formats `file:line:column: ` (line and column only when known, 1-based). */
function formatLocation(file, line, column) {
    if (line <= 0)
        return `${file}: `;
    if (column <= 0)
        return `${file}:${line}: `;
    return `${file}:${line}:${column}: `;
}

;// CONCATENATED MODULE: ./src/skaffold/options.ts


/** Names one artifact of one document across patch runs. */
function artifactKey(artifact) {
    const place = artifact.place.kind === 'profile'
        ? `profile:${artifact.place.name}`
        : 'base';
    return `${artifact.file}#${artifact.document}#${place}#${artifact.index}`;
}
/** The defaults: the data path's names from src/cache/paths.ts. */
const options_DEFAULT_PATCH_OPTIONS = {
    mountPaths: { ...POD_PATHS },
    volumeNames: { ...VOLUME_NAMES },
    volumeSource: {
        kind: 'hostPath',
        paths: { ...NODE_PATHS },
        type: 'DirectoryOrCreate'
    },
    goProxy: '',
    goPrivate: '',
    goFlags: '',
    buildArgs: [],
    registryMirror: '',
    kanikoImage: '',
    initImage: '',
    whitelistVarRun: false,
    snapshotMode: 'redo',
    ignorePaths: ['/product_uuid', '/product_name'],
    insecureRegistries: [],
    profiles: [],
    defaultNamespace: ''
};
/** Volume names skaffold gives its own kaniko pod volumes (skaffold v2.24.0 pkg/skaffold/build/kaniko/types.go, used by pkg/skaffold/build/cluster/pod.go kanikoPodSpec; docs/upstream-behaviour.md#the-kaniko-pod). */
const RESERVED_VOLUME_NAMES = [
    'kaniko-emptydir',
    'kaniko-secret',
    'kaniko-cache',
    'docker-cfg'
];
/** Mount paths skaffold and kaniko use themselves (skaffold v2.24.0 pkg/skaffold/build/kaniko/types.go, used by pkg/skaffold/build/cluster/pod.go kanikoPodSpec; docs/upstream-behaviour.md#the-kaniko-pod). */
const RESERVED_MOUNT_PATHS = [
    '/kaniko/buildcontext',
    '/secret',
    '/cache',
    '/kaniko/.docker'
];
/** The build args the action passes, in the order they are added. */
function listOurBuildArgs(options) {
    const args = [
        ['GOMODCACHE', options.mountPaths.mod],
        ['GOCACHE', options.mountPaths.build]
    ];
    if (options.goProxy !== '')
        args.push(['GOPROXY', options.goProxy]);
    if (options.goPrivate !== '') {
        args.push(['GOPRIVATE', options.goPrivate]);
        // Private modules are not in the public checksum database either.
        args.push(['GONOSUMDB', options.goPrivate]);
    }
    if (options.goFlags !== '')
        args.push(['GOFLAGS', options.goFlags]);
    for (const [key, value] of options.buildArgs) {
        if (!args.some(([k]) => k === key))
            args.push([key, value]);
    }
    return args;
}
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
/**
 * Whether a name is a DNS-1123 label, the rule for namespace and volume names:
 * https://kubernetes.io/docs/concepts/overview/working-with-objects/names/#dns-label-names
 */
function isDnsLabel(name) {
    return DNS_LABEL.test(name);
}
const BUILD_ARG_KEY = /^[A-Za-z_][A-Za-z0-9_]*$/;
/**
 * Checks the options before any file is touched.
 * @throws PatchOptionsError naming the option and the fix.
 */
function validatePatchOptions(options) {
    validateMountPaths(options);
    validateVolumes(options);
    // Namespace names are DNS-1123 labels:
    // https://kubernetes.io/docs/concepts/overview/working-with-objects/names/#dns-label-names
    if (options.defaultNamespace !== '' &&
        !DNS_LABEL.test(options.defaultNamespace)) {
        throw new PatchOptionsError('namespace', `"${options.defaultNamespace}" is not a valid Kubernetes namespace name (lowercase letters, digits and "-", at most 63 characters)`);
    }
    validateDockerConfig(options.dockerConfig);
    for (const [key] of options.buildArgs) {
        if (!BUILD_ARG_KEY.test(key)) {
            throw new PatchOptionsError('build-arg', `"${key}" is not a build arg name (letters, digits and "_")`);
        }
    }
}
/** The two cache mount paths: absolute, apart, and not skaffold's or kaniko's own. */
function validateMountPaths(options) {
    const paths = [
        ['mod-cache-path', options.mountPaths.mod],
        ['build-cache-path', options.mountPaths.build]
    ];
    for (const [name, path] of paths) {
        if (!path.startsWith('/')) {
            throw new PatchOptionsError(name, `"${path}" must be an absolute path`);
        }
        const normal = normalizePath(path);
        if (RESERVED_MOUNT_PATHS.includes(normal) ||
            normal === '/kaniko' ||
            normal.startsWith('/kaniko/')) {
            throw new PatchOptionsError(name, `"${path}" is used by skaffold or kaniko itself; pick a path under /var/run`);
        }
    }
    if (normalizePath(options.mountPaths.mod) ===
        normalizePath(options.mountPaths.build)) {
        throw new PatchOptionsError('mod-cache-path', 'the module cache and the build cache need two different paths');
    }
}
/** The cache volumes: valid and distinct names, a claim or absolute node paths. */
function validateVolumes(options) {
    const names = options.volumeSource.kind === 'persistentVolumeClaim'
        ? [options.volumeSource.volumeName]
        : [options.volumeNames.mod, options.volumeNames.build];
    for (const name of names) {
        if (!DNS_LABEL.test(name)) {
            throw new PatchOptionsError('volume name', `"${name}" is not a valid Kubernetes volume name (lowercase letters, digits and "-")`);
        }
    }
    if (names.length === 2 && names[0] === names[1]) {
        throw new PatchOptionsError('volume name', 'the two cache volumes need two different names');
    }
    if (options.volumeSource.kind === 'persistentVolumeClaim') {
        if (options.volumeSource.claim === '') {
            throw new PatchOptionsError('pvc', 'the claim name is empty');
        }
    }
    else {
        for (const path of Object.values(options.volumeSource.paths)) {
            if (!path.startsWith('/')) {
                throw new PatchOptionsError('node path', `"${path}" must be an absolute path on the node`);
            }
        }
    }
}
/** A Kubernetes object name such as a Secret's (DNS-1123 subdomain). */
const DNS_SUBDOMAIN = /^(?=.{1,253}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
function validateDockerConfig(dockerConfig) {
    if (dockerConfig === undefined)
        return;
    if (!dockerConfig.path.startsWith('/')) {
        throw new PatchOptionsError('docker config', `"${dockerConfig.path}" must be an absolute path to a docker config.json on the runner`);
    }
    // skaffold names a Secret after it: https://kubernetes.io/docs/concepts/overview/working-with-objects/names/#dns-subdomain-names
    if (!DNS_SUBDOMAIN.test(dockerConfig.secretName)) {
        throw new PatchOptionsError('docker config', `secret name "${dockerConfig.secretName}" is not a Kubernetes object name (lowercase letters, digits, "-" and ".")`);
    }
}
/** Drops trailing slashes so `/cache/` and `/cache` compare equal. */
function normalizePath(path) {
    const trimmed = path.replace(/\/+$/, '');
    return trimmed === '' ? '/' : trimmed;
}
/**
 * The patch options for the action's inputs (the data path's names from
 * src/cache/paths.ts). `insecureRegistries` names the plain-HTTP local registry
 * (e.g. `kind-registry:5000`) when the action runs one. The `namespace`
 * input becomes `defaultNamespace`: the action creates it, so the cluster
 * blocks that name none run their kaniko pods there.
 */
function patchOptionsFromInputs(inputs, insecureRegistries = []) {
    return {
        ...options_DEFAULT_PATCH_OPTIONS,
        volumeSource: inputs.cacheVolume.kind === 'pvc'
            ? {
                kind: 'persistentVolumeClaim',
                claim: inputs.cacheVolume.claim,
                volumeName: PVC_VOLUME_NAME,
                subPaths: { ...VOLUME_NAMES }
            }
            : options_DEFAULT_PATCH_OPTIONS.volumeSource,
        goProxy: inputs.goProxy,
        goPrivate: inputs.goPrivate,
        buildArgs: inputs.buildArgs,
        registryMirror: inputs.registryMirror,
        kanikoImage: inputs.kanikoImage,
        initImage: inputs.initImage,
        whitelistVarRun: inputs.whitelistVarRun,
        insecureRegistries,
        profiles: inputs.profiles,
        defaultNamespace: inputs.namespace
    };
}
/** The one volume that carries a ReadWriteMany claim (both caches, by subPath). */
const PVC_VOLUME_NAME = 'go-caches';

// EXTERNAL MODULE: external "node:util"
var external_node_util_ = __webpack_require__(7975);
;// CONCATENATED MODULE: ./src/skaffold/splice.ts
/**
 * Minimal-diff rendering: instead of re-printing a whole edited document
 * (yaml's printer normalises indentation and spacing of lines we never
 * touched), splice only the new keys, items and replaced values into the
 * original text. Pure. The caller re-parses the result and falls back to
 * the full printer when the splice does not reproduce the edited document.
 */

class Unsupported extends Error {
}
const RENDER = { lineWidth: 0, flowCollectionPadding: false };
function rangeOf(node) {
    return node?.range ?? undefined;
}
/**
 * Applies the edits to the source text.
 * @returns the spliced text, or null when an edit has a shape it does not handle.
 */
function spliceEdits(input) {
    const edits = [];
    try {
        for (const doc of input.docs) {
            if (doc.contents)
                visit(doc.contents, input, edits);
        }
    }
    catch (error) {
        if (error instanceof Unsupported)
            return null;
        throw error;
    }
    // Keep a CRLF file CRLF.
    if (input.source.includes('\r\n')) {
        for (const edit of edits)
            edit.text = edit.text.replace(/\r?\n/g, '\r\n');
    }
    // Apply from the end. Two insertions at one offset: the one collected
    // later (an enclosing map) is applied first, so the nested one ends up
    // above it, inside its parent.
    const order = new Map(edits.map((edit, i) => [edit, i]));
    edits.sort((a, b) => b.start - a.start || order.get(b) - order.get(a));
    let text = input.source;
    let last = Infinity;
    for (const edit of edits) {
        if (edit.end > last)
            return null;
        text = text.slice(0, edit.start) + edit.text + text.slice(edit.end);
        last = edit.start;
    }
    return text;
}
function visit(node, input, edits) {
    if ((0,dist/* isScalar */.jn)(node)) {
        if (input.editedScalars.has(node)) {
            const range = rangeOf(node);
            if (!range)
                throw new Unsupported();
            edits.push({
                start: range[0],
                end: range[1],
                text: renderNode(node, input).trimEnd()
            });
        }
        return;
    }
    if (!(0,dist/* isCollection */.P3)(node))
        return;
    const range = rangeOf(node);
    if (!range)
        throw new Unsupported();
    const flowInSource = /^[[{]/.test(input.source.slice(range[0], range[0] + 1));
    if (flowInSource) {
        // Changed flow collections are replaced by their parent (see visitPair).
        if (hasNewContent(node, input))
            throw new Unsupported();
        return;
    }
    if ((0,dist/* isMap */.jh)(node)) {
        const fresh = [];
        for (const pair of node.items) {
            if (!rangeOf(pair.key)) {
                fresh.push(pair);
                continue;
            }
            visitPair(pair, input, edits);
        }
        if (fresh.length > 0) {
            const first = node.items.find((p) => rangeOf(p.key));
            if (!first)
                throw new Unsupported();
            const indent = columnOf(rangeOf(first.key)[0], input);
            const block = new dist/* YAMLMap */.CA();
            block.items = fresh;
            edits.push(insertAfter(node, indentLines(renderNode(block, input), indent), input));
        }
        return;
    }
    if ((0,dist/* isSeq */.oP)(node)) {
        const fresh = [];
        for (const item of node.items) {
            if (!rangeOf(item))
                fresh.push(item);
            else
                visit(item, input, edits);
        }
        if (fresh.length > 0) {
            const first = node.items.find((i) => rangeOf(i));
            if (!first)
                throw new Unsupported();
            const indent = dashColumn(rangeOf(first)[0], input);
            const block = new dist/* YAMLSeq */.Rw();
            block.items = fresh;
            edits.push(insertAfter(node, indentLines(renderNode(block, input), indent), input));
        }
    }
}
function visitPair(pair, input, edits) {
    const value = pair.value;
    const keyRange = rangeOf(pair.key);
    const replaced = input.replacedValues.get(pair);
    const valueRange = rangeOf(value);
    const flowChanged = valueRange !== undefined &&
        (0,dist/* isCollection */.P3)(value) &&
        /^[[{]/.test(input.source.slice(valueRange[0], valueRange[0] + 1)) &&
        hasNewContent(value, input);
    if (replaced || flowChanged) {
        const [start, end] = replaced ?? [valueRange[0], valueRange[1]];
        const colon = input.source.indexOf(':', keyRange[1]);
        if (colon < 0 || colon > start)
            throw new Unsupported();
        const keyColumn = columnOf(keyRange[0], input);
        let text;
        if ((0,dist/* isMap */.jh)(value) && value.items.length > 0) {
            const block = cloneBlock(value);
            text =
                '\n' + indentLines(renderNode(block, input), keyColumn + 2).trimEnd();
        }
        else if ((0,dist/* isSeq */.oP)(value) && value.items.length > 0) {
            const block = cloneBlock(value);
            const indent = keyColumn + (input.indentSeq ? 2 : 0);
            text = '\n' + indentLines(renderNode(block, input), indent).trimEnd();
        }
        else {
            text = ' ' + renderNode(value, input).trimEnd();
        }
        edits.push({ start: colon + 1, end, text });
        return;
    }
    if (value && valueRange)
        visit(value, input, edits);
    else if (value && !valueRange)
        throw new Unsupported();
}
function cloneBlock(node) {
    const copy = node.clone();
    copy.flow = false;
    return copy;
}
/** True when a collection (or anything below it) holds nodes not from the source. */
function hasNewContent(node, input) {
    if ((0,dist/* isScalar */.jn)(node))
        return input.editedScalars.has(node);
    if ((0,dist/* isMap */.jh)(node)) {
        return node.items.some((p) => !rangeOf(p.key) ||
            input.replacedValues.has(p) ||
            (p.value !== null && !rangeOf(p.value)) ||
            ((0,dist/* isCollection */.P3)(p.value) && hasNewContent(p.value, input)));
    }
    if ((0,dist/* isSeq */.oP)(node)) {
        return node.items.some((i) => !rangeOf(i) || ((0,dist/* isCollection */.P3)(i) && hasNewContent(i, input)));
    }
    return false;
}
function renderNode(node, input) {
    const doc = new dist/* Document */.yo();
    doc.contents = node;
    return doc.toString({ ...RENDER, indentSeq: input.indentSeq });
}
function indentLines(text, indent) {
    const pad = ' '.repeat(indent);
    return text
        .split('\n')
        .map((line) => (line === '' ? line : pad + line))
        .join('\n');
}
function columnOf(offset, input) {
    return input.lineCounter.linePos(offset).col - 1;
}
/** Column of the `-` that introduces a block sequence item starting at offset. */
function dashColumn(offset, input) {
    const lineStart = input.source.lastIndexOf('\n', offset - 1) + 1;
    const before = input.source.slice(lineStart, offset);
    const dash = before.lastIndexOf('-');
    if (dash < 0)
        throw new Unsupported();
    return dash;
}
/** Inserts text on the line after the collection's last original entry. */
function insertAfter(node, text, input) {
    const range = rangeOf(node);
    const src = input.source;
    // Block collections end after their last line; trailing blank lines and
    // comments that follow belong to what comes next.
    let end = range[1];
    while (end > range[0] && /\s/.test(src[end - 1]) && src[end - 1] !== '\n') {
        end--;
    }
    let at;
    if (end > 0 && src[end - 1] === '\n') {
        at = end;
    }
    else {
        const newline = src.indexOf('\n', end);
        if (newline < 0) {
            return { start: src.length, end: src.length, text: '\n' + text.trimEnd() };
        }
        at = newline + 1;
    }
    return { start: at, end: at, text: text.endsWith('\n') ? text : text + '\n' };
}

;// CONCATENATED MODULE: ./src/skaffold/yaml-edit.ts
/**
 * Editing one parsed YAML document through the `yaml` Document API, with no
 * skaffold knowledge: a plain-value view for reading, nodes for writing
 * (aliases and merge-key values become own copies so an anchor is never
 * edited for everyone), line lookups for messages, and the minimal-diff
 * rendering of an edited file. Pure.
 */



/** Whether a plain value is a mapping (not null, not a list). */
function isObject(value) {
    return typeof value === 'object' && value !== null && !Array.isArray(value);
}
/** Finds a key case-insensitively. */
function getLoose(obj, key) {
    const lower = key.toLowerCase();
    const found = Object.keys(obj).find((k) => k.toLowerCase() === lower);
    return found === undefined ? undefined : obj[found];
}
const TOJS = { maxAliasCount: 1000 };
/** One document under edit: reads see every write made so far. */
class YamlEditor {
    doc;
    lineCounter;
    trace;
    raise;
    /** True once any write changed the document. */
    changed = false;
    dirty = false;
    js = {};
    constructor(doc, lineCounter, trace, raise) {
        this.doc = doc;
        this.lineCounter = lineCounter;
        this.trace = trace;
        this.raise = raise;
    }
    /**
     * Re-reads the plain-value view.
     * @throws whatever `toJS` throws (e.g. too many aliases).
     */
    refresh() {
        const value = this.doc.toJS(TOJS);
        this.js = isObject(value) ? value : {};
    }
    /** The plain value at path (undefined when absent). */
    jsAt(path) {
        if (this.dirty) {
            this.dirty = false;
            this.refresh();
        }
        let value = this.js;
        for (const seg of path) {
            if (typeof seg === 'number') {
                if (!Array.isArray(value))
                    return undefined;
                value = value[seg];
            }
            else {
                if (!isObject(value))
                    return undefined;
                value = value[seg];
            }
        }
        return value;
    }
    /** A new node for a plain value. */
    createNode(value) {
        return this.doc.createNode(value);
    }
    /** The mapping at path for writing, created when absent or null. */
    writeMap(path) {
        const node = this.writeNode(path, () => new dist/* YAMLMap */.CA());
        if (!(0,dist/* isMap */.jh)(node))
            this.failAt(path, 'expected a mapping here');
        if (node.flow)
            node.flow = false;
        return node;
    }
    /** The list at path for writing, created when absent or null. */
    writeSeq(path) {
        const node = this.writeNode(path, () => new dist/* YAMLSeq */.Rw());
        if (!(0,dist/* isSeq */.oP)(node))
            this.failAt(path, 'expected a list here');
        if (node.flow)
            node.flow = false;
        return node;
    }
    /** Sets key in the mapping at path: an existing scalar is edited in place (a small diff). */
    setScalar(path, key, value) {
        const map = this.writeMap(path);
        const own = map.get(key, true);
        if ((0,dist/* isScalar */.jn)(own)) {
            own.value = value;
            this.trace.editedScalars.add(own);
        }
        else {
            map.set(this.createNode(key), this.createNode(value));
        }
        this.touch();
    }
    /** Replaces the value of key in the mapping at path (an empty or null value included). */
    replaceValue(path, key, value) {
        const map = this.writeMap(path);
        const pair = map.items.find((p) => (0,dist/* isScalar */.jn)(p.key) && p.key.value === key);
        if (pair) {
            this.recordReplaced(pair);
            pair.value = this.createNode(value);
        }
        else {
            map.set(this.createNode(key), this.createNode(value));
        }
        this.touch();
    }
    /** Appends plain values to the list at path. */
    append(path, values) {
        if (values.length === 0)
            return;
        const seq = this.writeSeq(path);
        for (const v of values)
            seq.add(this.createNode(v));
        this.touch();
    }
    /** Marks the document changed and the plain-value view stale. */
    touch() {
        this.changed = true;
        this.dirty = true;
    }
    /** The 1-based line of the node at path, or of its nearest parsed ancestor (0 when none). */
    lineOf(path) {
        for (let n = path.length; n >= 0; n--) {
            const node = this.nodeAt(path.slice(0, n));
            const start = node?.range?.[0];
            if (start !== undefined)
                return this.lineCounter.linePos(start).line;
        }
        return 0;
    }
    /** Raises at the line of path. */
    failAt(path, reason) {
        return this.raise(this.lineOf(path), 0, reason);
    }
    /** Raises at the line and column of a node. */
    failAtNode(node, reason) {
        const start = node.range?.[0];
        const pos = start === undefined
            ? { line: 0, col: 0 }
            : this.lineCounter.linePos(start);
        return this.raise(pos.line, pos.col, reason);
    }
    /** The node at path for writing: aliases and merge-key values become own copies. */
    writeNode(path, create) {
        let node = this.doc.contents;
        for (let i = 0; i < path.length; i++) {
            const seg = path[i];
            const make = i === path.length - 1 ? create : () => new dist/* YAMLMap */.CA();
            if ((0,dist/* isSeq */.oP)(node) && typeof seg === 'number') {
                node = this.blockIfFlow(this.ownItem(node, seg));
            }
            else if ((0,dist/* isMap */.jh)(node) && typeof seg === 'string') {
                node = this.blockIfFlow(this.ownValue(node, seg, make));
            }
            else {
                this.failAt(path.slice(0, i), `expected a ${typeof seg === 'number' ? 'list' : 'mapping'} here`);
            }
        }
        return node;
    }
    /** A list item for writing: an alias becomes a copy. */
    ownItem(seq, index) {
        const item = seq.items[index];
        if (!(0,dist/* isAlias */.Vj)(item))
            return item;
        const copy = this.copyOf(item.resolve(this.doc));
        seq.items[index] = copy;
        this.touch();
        return copy;
    }
    /** A mapping value for writing: an alias or a merged-in value becomes a copy, a missing one is made. */
    ownValue(map, key, make) {
        const pair = map.items.find((p) => (0,dist/* isScalar */.jn)(p.key) && p.key.value === key);
        let value = pair?.value;
        if (pair && (0,dist/* isAlias */.Vj)(value)) {
            this.recordReplaced(pair);
            value = this.copyOf(value.resolve(this.doc));
            pair.value = value;
            this.touch();
        }
        else if (!pair) {
            const merged = this.mergedValue(map, key);
            if (merged !== undefined) {
                value = this.copyOf(merged);
                map.set(this.createNode(key), value);
                this.touch();
            }
        }
        if (value === undefined ||
            value === null ||
            ((0,dist/* isScalar */.jn)(value) && value.value === null)) {
            const fresh = make();
            if (pair) {
                this.recordReplaced(pair);
                pair.value = fresh;
            }
            else {
                map.set(this.createNode(key), fresh);
            }
            value = fresh;
            this.touch();
        }
        return value;
    }
    /** A flow collection we write into becomes a block one (readable output). */
    blockIfFlow(node) {
        if (((0,dist/* isMap */.jh)(node) || (0,dist/* isSeq */.oP)(node)) && node.flow) {
            node.flow = false;
            this.touch();
        }
        return node;
    }
    mergedValue(map, key) {
        for (const pair of map.items) {
            if (!(0,dist/* isScalar */.jn)(pair.key) || !isMergeKey(pair.key.value))
                continue;
            const sources = (0,dist/* isSeq */.oP)(pair.value) ? pair.value.items : [pair.value];
            for (const s of sources) {
                const resolved = (0,dist/* isAlias */.Vj)(s) ? s.resolve(this.doc) : s;
                if ((0,dist/* isMap */.jh)(resolved)) {
                    const found = resolved.get(key, true);
                    if (found !== undefined) {
                        return (0,dist/* isAlias */.Vj)(found) ? found.resolve(this.doc) : found;
                    }
                }
            }
        }
        return undefined;
    }
    /**
     * A plain copy of an anchored node: editing the anchor itself would change
     * every other place that uses it.
     */
    copyOf(node) {
        return this.createNode(node.toJS(this.doc, TOJS));
    }
    recordReplaced(pair) {
        const range = pair.value?.range;
        if (range)
            this.trace.replacedValues.set(pair, [range[0], range[1]]);
    }
    nodeAt(path) {
        let node = this.doc.contents;
        for (const seg of path) {
            if ((0,dist/* isAlias */.Vj)(node))
                node = node.resolve(this.doc);
            if ((0,dist/* isSeq */.oP)(node) && typeof seg === 'number')
                node = node.items[seg];
            else if ((0,dist/* isMap */.jh)(node) && typeof seg === 'string')
                node = node.get(seg, true);
            else
                return undefined;
        }
        return (node ?? undefined);
    }
}
function isMergeKey(value) {
    return (value === '<<' || (typeof value === 'symbol' && value.description === '<<'));
}
const yaml_edit_RENDER = { lineWidth: 0, flowCollectionPadding: false };
const PARSE = { merge: true, uniqueKeys: true };
/**
 * Renders an edited file: the original text with only the additions spliced
 * in, or, when the splice cannot reproduce the edited documents exactly, the
 * whole file re-printed by yaml (comments and key order kept, spacing
 * normalised).
 */
function renderEditedFile(file) {
    const spliced = spliceEdits({
        source: file.source,
        docs: file.docs,
        lineCounter: file.lineCounter,
        indentSeq: file.indentSeq,
        replacedValues: file.trace.replacedValues,
        editedScalars: file.trace.editedScalars
    });
    if (spliced !== null && sameDocuments(spliced, file.docs))
        return spliced;
    return file.docs
        .map((doc) => doc.toString({ ...yaml_edit_RENDER, indentSeq: file.indentSeq }))
        .join('');
}
function sameDocuments(text, docs) {
    const reparsed = (0,dist/* parseAllDocuments */.hR)(text, PARSE);
    if (reparsed.length !== docs.length)
        return false;
    return reparsed.every((doc, i) => doc.errors.length === 0 &&
        (0,external_node_util_.isDeepStrictEqual)(doc.toJS(TOJS), docs[i].toJS(TOJS)));
}
/**
 * yaml re-indents block sequences one way for the whole file; picks the way
 * that changes fewer lines of this (valid) text, so the diff stays small.
 */
function chooseIndentSeq(text) {
    const lines = text.split('\n');
    const cost = (indentSeq) => {
        const out = (0,dist/* parseAllDocuments */.hR)(text, PARSE)
            .map((d) => d.toString({ ...yaml_edit_RENDER, indentSeq }))
            .join('')
            .split('\n');
        let diff = 0;
        for (let i = 0; i < Math.max(lines.length, out.length); i++) {
            if (lines[i] !== out[i])
                diff++;
        }
        return diff;
    };
    return cost(true) <= cost(false);
}

;// CONCATENATED MODULE: ./src/skaffold/volumes.ts
/**
 * The Go cache volumes and mounts the patcher adds: their names (free of the
 * document's own volumes and skaffold's reserved ones) and their YAML shape
 * per apiVersion. Pure.
 */


/** The volumes the options ask for, names not yet chosen. */
function wantedVolumes(o) {
    const source = o.volumeSource;
    if (source.kind === 'persistentVolumeClaim') {
        return [
            {
                wanted: source.volumeName,
                name: '',
                source: { claim: source.claim },
                mounts: ['mod', 'build'].map((cache) => ({
                    path: normalizePath(o.mountPaths[cache]),
                    subPath: source.subPaths[cache]
                }))
            }
        ];
    }
    return ['mod', 'build'].map((cache) => ({
        wanted: o.volumeNames[cache],
        name: '',
        source: { hostPath: normalizePath(source.paths[cache]) },
        mounts: [{ path: normalizePath(o.mountPaths[cache]), subPath: '' }]
    }));
}
/**
 * Names the cache volumes: the wanted name, or `<name>-2`... when the
 * document already uses it for another source or mount, or skaffold reserves it.
 * @param builds every `build` section of the document (plain values).
 * @returns the volumes and the renames, or the reason no name was free.
 */
function chooseVolumes(options, builds) {
    const wanted = wantedVolumes(options);
    const { volumes, mounts } = collectVolumes(builds);
    const taken = new Set();
    const renamed = [];
    for (const v of wanted) {
        let chosen = '';
        const why = [];
        for (let n = 1; n <= 100 && chosen === ''; n++) {
            const candidate = n === 1 ? v.wanted : `${v.wanted}-${n}`;
            if (taken.has(candidate))
                continue;
            const problem = nameProblem(candidate, v, volumes, mounts);
            if (problem === '')
                chosen = candidate;
            else
                why.push(problem);
        }
        if (chosen === '') {
            return {
                error: `no free volume name for the Go cache (${why.join('; ')})`
            };
        }
        taken.add(chosen);
        v.name = chosen;
        if (chosen !== v.wanted) {
            renamed.push({ wanted: v.wanted, chosen, reason: why.join('; ') });
        }
    }
    return { volumes: wanted, renamed };
}
/** Every volume and mount of the document, wherever it is. */
function collectVolumes(builds) {
    const volumes = [];
    const mounts = [];
    for (const build of builds) {
        if (!isObject(build))
            continue;
        if (isObject(build.cluster) && Array.isArray(build.cluster.volumes)) {
            volumes.push(...build.cluster.volumes.filter(isObject));
        }
        if (!Array.isArray(build.artifacts))
            continue;
        for (const a of build.artifacts) {
            if (isObject(a) &&
                isObject(a.kaniko) &&
                Array.isArray(a.kaniko.volumeMounts)) {
                mounts.push(...a.kaniko.volumeMounts.filter(isObject));
            }
        }
    }
    return { volumes, mounts };
}
/** Why a candidate name cannot be ours; '' when it can. */
function nameProblem(candidate, v, volumes, mounts) {
    if (RESERVED_VOLUME_NAMES.includes(candidate)) {
        return `"${candidate}" is reserved by skaffold`;
    }
    const clash = volumes.find((vol) => vol.name === candidate && !sameSource(volumeSourceOf(vol), v.source));
    if (clash)
        return `a volume "${candidate}" already exists with another source`;
    const mountClash = mounts.find((m) => m.name === candidate &&
        !v.mounts.some((ours) => normalizePath(mountPathOf(m)) === ours.path));
    if (mountClash) {
        return `volume "${candidate}" is already mounted at ${String(getLoose(mountClash, 'mountpath'))}`;
    }
    return '';
}
/** A mount's path; keys are read case-insensitively, as skaffold decodes them from v2beta11. */
function mountPathOf(mount) {
    const path = getLoose(mount, 'mountpath');
    return typeof path === 'string' ? path : '';
}
function volumeSourceOf(volume) {
    const wrapper = getLoose(volume, 'volumesource');
    const source = isObject(wrapper) ? wrapper : volume;
    const hostPath = getLoose(source, 'hostpath');
    if (isObject(hostPath)) {
        const path = getLoose(hostPath, 'path');
        return { hostPath: typeof path === 'string' ? normalizePath(path) : '' };
    }
    const pvc = getLoose(source, 'persistentvolumeclaim');
    if (isObject(pvc)) {
        const claim = getLoose(pvc, 'claimname');
        return { claim: typeof claim === 'string' ? claim : '' };
    }
    return {};
}
function sameSource(a, b) {
    if (a.hostPath !== undefined && b.hostPath !== undefined) {
        return a.hostPath === b.hostPath;
    }
    if (a.claim !== undefined && b.claim !== undefined)
        return a.claim === b.claim;
    return false;
}
/**
 * A kaniko volume mount; `lower` writes the lowercased keys v2beta9 and
 * v2beta10 decode (see ApiVersionInfo.lowercaseVolumes).
 */
function mountNode(name, path, subPath, lower) {
    const node = { name, [lower ? 'mountpath' : 'mountPath']: path };
    if (subPath)
        node[lower ? 'subpath' : 'subPath'] = subPath;
    return node;
}
/** A cluster volume for one of our cache volumes (see mountNode for `lower`). */
function volumeNode(v, options, lower) {
    const vs = options.volumeSource;
    let source;
    if (vs.kind === 'persistentVolumeClaim') {
        source = lower
            ? { persistentvolumeclaim: { claimname: vs.claim } }
            : { persistentVolumeClaim: { claimName: vs.claim } };
    }
    else {
        const host = { path: v.source.hostPath };
        if (vs.type)
            host.type = vs.type;
        source = lower ? { hostpath: host } : { hostPath: host };
    }
    return lower
        ? { name: v.name, volumesource: source }
        : { name: v.name, ...source };
}

;// CONCATENATED MODULE: ./src/skaffold/artifact.ts
/**
 * Patching one kaniko artifact: the Go cache build args and volume mounts,
 * the kaniko scalars and lists the options ask for, the Dockerfile copy, and
 * the artifact's line of the report. The user's own values always win and
 * are reported. Pure.
 */





/** Adds what is missing to one kaniko artifact. */
function patchArtifact(ctx, plan, ours) {
    const kanikoPath = [...plan.path, 'kaniko'];
    const edits = { added: [], kept: [], args: {} };
    const kanikoRaw = ctx.edit.jsAt(kanikoPath);
    if (kanikoRaw !== undefined && kanikoRaw !== null && !isObject(kanikoRaw)) {
        ctx.edit.failAt(kanikoPath, 'kaniko must be a mapping');
    }
    if (plan.implicit) {
        // Make skaffold's implicit kaniko explicit so it can carry the mounts.
        ctx.edit.writeMap(kanikoPath);
        edits.added.push('kaniko');
    }
    patchBuildArgs(ctx, kanikoPath, plan, edits);
    patchVolumeMounts(ctx, kanikoPath, plan, ours, edits);
    patchKanikoScalars(ctx, kanikoPath, edits);
    patchKanikoLists(ctx, kanikoPath, edits);
    return edits;
}
/** The artifact's kaniko map as it is now (empty when absent). */
function kanikoOf(ctx, kanikoPath) {
    const value = ctx.edit.jsAt(kanikoPath);
    return isObject(value) ? value : {};
}
/** The Go build args: the user's own values win and are reported. */
function patchBuildArgs(ctx, kanikoPath, plan, edits) {
    const userArgs = kanikoOf(ctx, kanikoPath).buildArgs;
    if (userArgs !== undefined && userArgs !== null && !isObject(userArgs)) {
        ctx.edit.failAt([...kanikoPath, 'buildArgs'], 'buildArgs must be a mapping');
    }
    const existing = isObject(userArgs) ? userArgs : {};
    const missing = [];
    for (const [key, value] of listOurBuildArgs(ctx.options)) {
        if (!Object.prototype.hasOwnProperty.call(existing, key)) {
            missing.push([key, value]);
            edits.args[key] = value;
            continue;
        }
        const user = existing[key];
        edits.args[key] =
            user === null
                ? ''
                : typeof user === 'string'
                    ? user
                    : JSON.stringify(user);
        if (user === value)
            continue;
        edits.kept.push({
            key: `buildArgs.${key}`,
            userValue: user,
            ourValue: value
        });
        if (key === 'GOMODCACHE' || key === 'GOCACHE') {
            warnAt(ctx, [...kanikoPath, 'buildArgs', key], `artifact "${String(plan.artifact.image)}" sets ${key}=${JSON.stringify(user)}, not the cache mount ${value}: that cache will not be used; remove the build arg to let the action set it`);
        }
    }
    if (missing.length === 0)
        return;
    const map = ctx.edit.writeMap([...kanikoPath, 'buildArgs']);
    for (const [key, value] of missing) {
        map.set(ctx.edit.createNode(key), ctx.edit.createNode(value));
        ctx.edit.touch();
        edits.added.push(`buildArgs.${key}`);
    }
}
/** The cache mounts: never a second mount at our path. */
function patchVolumeMounts(ctx, kanikoPath, plan, ours, edits) {
    const userMounts = kanikoOf(ctx, kanikoPath).volumeMounts;
    if (userMounts !== undefined &&
        userMounts !== null &&
        !Array.isArray(userMounts)) {
        ctx.edit.failAt([...kanikoPath, 'volumeMounts'], 'volumeMounts must be a list');
    }
    const mountList = (Array.isArray(userMounts) ? userMounts : []).filter(isObject);
    const newMounts = [];
    for (const v of ours) {
        for (const m of v.mounts) {
            const at = mountList.find((um) => normalizePath(mountPathOf(um)) === m.path);
            if (at) {
                if (at.name !== v.name) {
                    ctx.edit.failAt([...kanikoPath, 'volumeMounts'], `artifact "${String(plan.artifact.image)}" already mounts volume "${String(at.name)}" at ${m.path}, where the action mounts its Go cache; remove that mount or choose another cache path (--mod-cache-path / --build-cache-path)`);
                }
                continue;
            }
            newMounts.push(mountNode(v.name, m.path, m.subPath, ctx.info.lowercaseVolumes));
            edits.added.push(`volumeMounts[${v.name}:${m.path}]`);
        }
    }
    ctx.edit.append([...kanikoPath, 'volumeMounts'], newMounts);
}
/** The kaniko scalars to set where the user set none. */
function wantedScalars(o, hasSnapshotMode) {
    const scalars = [];
    if (o.registryMirror)
        scalars.push(['registryMirror', o.registryMirror]);
    if (o.kanikoImage)
        scalars.push(['image', o.kanikoImage]);
    if (o.initImage)
        scalars.push(['initImage', o.initImage]);
    if (o.whitelistVarRun)
        scalars.push(['whitelistVarRun', true]);
    if (o.snapshotMode && hasSnapshotMode) {
        scalars.push(['snapshotMode', o.snapshotMode]);
    }
    return scalars;
}
/** Scalars: added when asked; the user's own value wins. */
function patchKanikoScalars(ctx, kanikoPath, edits) {
    const scalars = wantedScalars(ctx.options, ctx.info.hasSnapshotMode);
    for (const [key, value] of scalars) {
        const current = kanikoOf(ctx, kanikoPath)[key];
        if (current === undefined) {
            ctx.edit.writeMap(kanikoPath).set(key, ctx.edit.createNode(value));
            ctx.edit.touch();
            edits.added.push(key);
        }
        else if (current !== value) {
            edits.kept.push({ key, userValue: current, ourValue: value });
        }
    }
}
/** Lists: our entries the user does not have are appended. */
function patchKanikoLists(ctx, kanikoPath, edits) {
    const o = ctx.options;
    const lists = [];
    if (ctx.info.hasIgnorePaths && o.ignorePaths.length > 0) {
        lists.push(['ignorePaths', o.ignorePaths]);
    }
    if (o.insecureRegistries.length > 0) {
        lists.push(['insecureRegistry', o.insecureRegistries]);
    }
    for (const [key, values] of lists) {
        const current = kanikoOf(ctx, kanikoPath)[key];
        if (current !== undefined && current !== null && !Array.isArray(current)) {
            edits.kept.push({ key, userValue: current, ourValue: values });
            continue;
        }
        const have = Array.isArray(current) ? current : [];
        const add = values.filter((v) => !have.includes(v));
        ctx.edit.append([...kanikoPath, key], add);
        edits.added.push(...add.map((v) => `${key}[${v}]`));
    }
}
/** Points `kaniko.dockerfile` at the Dockerfile copy when one was made. */
function overrideDockerfile(ctx, plan) {
    const value = ctx.options.dockerfileOverrides?.[artifactKey({
        file: ctx.file,
        document: ctx.index,
        index: plan.index,
        place: plan.section.place
    })];
    if (value === undefined)
        return;
    ctx.edit.setScalar([...plan.path, 'kaniko'], 'dockerfile', value);
}
/**
 * The report line of one artifact, read after patching: the kaniko image
 * and whitelistVarRun may be ours.
 */
function artifactReport(ctx, plan, line, status, edits) {
    const artifact = plan.artifact;
    const current = ctx.edit.jsAt([...plan.path, 'kaniko']);
    const kaniko = isObject(current) ? current : {};
    return {
        file: ctx.file,
        document: ctx.index,
        index: plan.index,
        image: typeof artifact.image === 'string' ? artifact.image : '',
        place: plan.section.place,
        line,
        builder: plan.builderName,
        status,
        ...(plan.skipReason ? { reason: plan.skipReason } : {}),
        added: edits.added,
        kept: edits.kept,
        context: typeof artifact.context === 'string' ? artifact.context : '.',
        dockerfile: typeof kaniko.dockerfile === 'string' ? kaniko.dockerfile : 'Dockerfile',
        target: typeof kaniko.target === 'string' ? kaniko.target : '',
        buildArgs: edits.args,
        kanikoImage: typeof kaniko.image === 'string' ? kaniko.image : '',
        whitelistVarRun: kaniko.whitelistVarRun === true,
        snapshotMode: typeof kaniko.snapshotMode === 'string' ? kaniko.snapshotMode : '',
        advice: plan.skipReason === '' ? kanikoAdvice(kaniko) : []
    };
}

;// CONCATENATED MODULE: ./src/skaffold/cluster-block.ts



/** Adds the cache volumes and the namespace to the cluster block of owner. */
function patchClusterBlock(ctx, owner, ours) {
    const clusterPath = [...owner.buildPath, 'cluster'];
    checkPullSecretPath(ctx, clusterPath, ours);
    const added = [];
    const kept = [];
    const namespace = patchNamespace(ctx, clusterPath, added, kept);
    const volumes = ctx.edit.jsAt([...clusterPath, 'volumes']);
    if (volumes !== undefined && volumes !== null && !Array.isArray(volumes)) {
        ctx.edit.failAt([...clusterPath, 'volumes'], 'cluster.volumes must be a list');
    }
    const have = (Array.isArray(volumes) ? volumes : []).filter(isObject);
    const add = ours.filter((v) => !have.some((h) => h.name === v.name));
    ctx.edit.append([...clusterPath, 'volumes'], add.map((v) => volumeNode(v, ctx.options, ctx.info.lowercaseVolumes)));
    added.push(...add.map((v) => `volumes[${v.name}]`));
    const dockerConfig = patchDockerConfig(ctx, clusterPath);
    if (dockerConfig?.status === 'added')
        added.push('dockerConfig');
    return {
        file: ctx.file,
        document: ctx.index,
        place: owner.place,
        line: ctx.edit.lineOf(clusterPath),
        added,
        kept,
        namespace,
        ...(dockerConfig ? { dockerConfig } : {})
    };
}
/**
 * The keys that give a cluster block its own registry credentials. A
 * `pullSecretPath` alone names the secret `kaniko-secret` (skaffold v2.24.0
 * pkg/skaffold/schema/defaults/defaults.go setDefaultClusterPullSecret).
 */
const OWN_CREDENTIALS = ['dockerConfig', 'pullSecretName', 'pullSecretPath'];
/**
 * Gives a cluster block with no credentials of its own the runner's docker
 * config (see PatchOptions.dockerConfig for what skaffold does with it).
 * @returns the decision, or undefined when the options ask for none.
 */
function patchDockerConfig(ctx, clusterPath) {
    const ours = ctx.options.dockerConfig;
    if (ours === undefined)
        return undefined;
    const cluster = ctx.edit.jsAt(clusterPath);
    const block = isObject(cluster) ? cluster : {};
    // skaffold treats an empty name or path and a null dockerConfig as unset.
    const own = OWN_CREDENTIALS.find((key) => block[key] !== undefined && block[key] !== null && block[key] !== '');
    if (own !== undefined) {
        return {
            status: 'kept',
            key: own,
            secretName: '',
            message: `cluster block has its own ${own}: the runner's docker config is not added`
        };
    }
    if (!ctx.info.hasClusterDockerConfig) {
        return {
            status: 'unsupported',
            key: 'dockerConfig',
            secretName: '',
            message: `skaffold/${ctx.info.version} has no cluster.dockerConfig: the runner's docker config could not be set; run \`skaffold fix --overwrite\` to move to a newer apiVersion`
        };
    }
    ctx.edit.replaceValue(clusterPath, 'dockerConfig', {
        path: ours.path,
        secretName: ours.secretName
    });
    return {
        status: 'added',
        key: 'dockerConfig',
        secretName: ours.secretName,
        message: `kaniko pushes with the runner's docker config (secret ${ours.secretName}, mounted at /kaniko/.docker)`
    };
}
/** skaffold mounts the pull secret at pullSecretMountPath in the same pod: it must not be a cache path. */
function checkPullSecretPath(ctx, clusterPath, ours) {
    const cluster = ctx.edit.jsAt(clusterPath);
    const secretPath = isObject(cluster) ? cluster.pullSecretMountPath : undefined;
    if (typeof secretPath === 'string' &&
        ours.some((v) => v.mounts.some((m) => m.path === normalizePath(secretPath)))) {
        ctx.edit.failAt([...clusterPath, 'pullSecretMountPath'], `cluster.pullSecretMountPath ${secretPath} is where the action mounts a Go cache; choose another cache path (--mod-cache-path / --build-cache-path)`);
    }
}
/**
 * Gives a cluster block that names no namespace the action's one: skaffold
 * creates the kaniko pod in `cluster.namespace`, or in the kube context's
 * namespace when it is empty, and the pod fails when that namespace does
 * not exist (skaffold pkg/skaffold/build/cluster/pod.go kanikoPodSpec,
 * ObjectMeta.Namespace). The block's own namespace wins.
 * @returns the namespace the block ends up with ('' for none).
 */
function patchNamespace(ctx, clusterPath, added, kept) {
    const ours = ctx.options.defaultNamespace;
    const cluster = ctx.edit.jsAt(clusterPath);
    const current = isObject(cluster) ? cluster.namespace : undefined;
    // skaffold reads an empty or null namespace as none.
    const own = current === undefined || current === null
        ? ''
        : typeof current === 'string'
            ? current
            : JSON.stringify(current);
    // The action hands this name to kubectl (it creates the namespace), and
    // skaffold to the API server as the kaniko pod's namespace
    // (pkg/skaffold/build/cluster/pod.go podTemplate): refuse anything that
    // is not a namespace name, such as "--kubeconfig=./evil".
    if (own !== '' && !isDnsLabel(own)) {
        ctx.edit.failAt([...clusterPath, 'namespace'], `cluster.namespace ${JSON.stringify(own)} is not a Kubernetes namespace name (lowercase letters, digits and "-", starting and ending with a letter or digit, at most 63 characters)`);
    }
    if (ours === '')
        return own;
    if (own !== '') {
        if (own !== ours) {
            kept.push({ key: 'namespace', userValue: current, ourValue: ours });
        }
        return own;
    }
    // `namespace:` or `namespace: ""` in the source: the value is replaced.
    ctx.edit.replaceValue(clusterPath, 'namespace', ours);
    added.push('namespace');
    return ours;
}

;// CONCATENATED MODULE: ./src/skaffold/sections.ts

/** The artifact builder keys of the skaffold schema (one per artifact). */
const BUILDER_KEYS = [
    'docker',
    'bazel',
    'jib',
    'kaniko',
    'buildpacks',
    'custom',
    'ko'
];
/** skaffold's oneOf: the first non-nil of local, googleCloudBuild, cluster. */
function builderOf(build) {
    for (const key of ['local', 'googleCloudBuild', 'cluster']) {
        if (build[key] !== undefined && build[key] !== null)
            return key;
    }
    return null;
}
function ownArtifacts(build) {
    return Array.isArray(build.artifacts) && build.artifacts.length > 0
        ? build.artifacts
        : null;
}
/** The base section first, then every profile that has a `build`. */
function listSections(js, profiles) {
    const build = js.build;
    const sections = [
        {
            place: { kind: 'base' },
            buildPath: ['build'],
            builder: isObject(build) ? builderOf(build) : null,
            artifacts: isObject(build) ? ownArtifacts(build) : null,
            active: true
        }
    ];
    if (!Array.isArray(js.profiles))
        return sections;
    js.profiles.forEach((p, i) => {
        if (!isObject(p) || !isObject(p.build))
            return;
        const name = String(p.name);
        const auto = Array.isArray(p.activation) && p.activation.length > 0;
        sections.push({
            place: { kind: 'profile', name },
            buildPath: ['profiles', i, 'build'],
            builder: builderOf(p.build),
            artifacts: ownArtifacts(p.build),
            active: profiles.includes(name) || (auto && !profiles.includes(`-${name}`))
        });
    });
    return sections;
}
/** The base `build.artifacts` list, empty included (null when absent). */
function baseArtifacts(js) {
    const build = js.build;
    if (!isObject(build) || !Array.isArray(build.artifacts))
        return null;
    return build.artifacts;
}
function contextsOf(sections) {
    const base = sections[0];
    return sections.map((s) => ({
        section: s,
        builder: s.builder ?? base.builder ?? 'local',
        artifactOwner: s.artifacts !== null ? s : base,
        clusterOwner: s.builder !== null ? s : base
    }));
}
/**
 * The builder and the artifact list the build ends up with. skaffold
 * applies the auto-activated profiles first, then the `-p` ones in order
 * (skaffold pkg/skaffold/schema/profiles.go activatedProfiles, ApplyProfiles);
 * a profile's builder replaces the one before it and a non-empty artifact
 * list replaces the list before it (overlayProfileField). A value set only
 * by a profile that may auto-activate is unknown here (null).
 */
function effectiveBuild(sections, profiles) {
    const base = sections[0];
    const others = sections.slice(1);
    const named = profiles
        .filter((p) => !p.startsWith('-'))
        .map((name) => others.find((s) => s.place.kind === 'profile' && s.place.name === name))
        .filter((s) => s !== undefined);
    const auto = others.filter((s) => s.active && !named.includes(s));
    const pick = (own, fallback) => {
        const last = named.filter((s) => own(s) !== null).at(-1);
        if (last !== undefined)
            return own(last);
        return auto.some((s) => own(s) !== null) ? null : fallback;
    };
    return {
        builder: pick((s) => s.builder, base.builder ?? 'local'),
        artifactOwner: pick((s) => (s.artifacts !== null ? s : null), base)
    };
}
/**
 * Decides, for every artifact of every section, whether it is a kaniko
 * artifact on the cluster builder (patched) or why not.
 */
function classifyArtifacts(js, sections, profiles) {
    const out = { plans: [], warnings: [], error: null };
    if (sections.length === 0)
        return out;
    const contexts = contextsOf(sections);
    const effective = effectiveBuild(sections, profiles);
    for (const section of sections) {
        const artifacts = section.artifacts ?? (section === sections[0] ? baseArtifacts(js) : null);
        if (artifacts === null)
            continue;
        const using = contexts.filter((c) => c.artifactOwner === section);
        // An implicit artifact becomes kaniko only under cluster; writing
        // `kaniko:` would break a profile that switches it to the local
        // builder, so only the sections this build can use decide.
        const activeUsing = using.filter((c) => c.section.active);
        // The copy runs only with the given profiles: when they settle which
        // builder these artifacts get, that builder alone decides.
        const activeBuilders = new Set(effective.artifactOwner === section && effective.builder !== null
            ? [effective.builder]
            : (activeUsing.length > 0 ? activeUsing : using).map((c) => c.builder));
        const scope = {
            builders: new Set(using.map((c) => c.builder)),
            activeBuilders,
            anyActive: activeUsing.length > 0
        };
        for (let index = 0; index < artifacts.length; index++) {
            const plan = classifyOne(section, index, artifacts[index], scope, out);
            if (out.error !== null)
                return out;
            out.plans.push(plan);
        }
    }
    return out;
}
function classifyOne(section, index, raw, scope, out) {
    const artifact = isObject(raw) ? raw : {};
    const builderKey = BUILDER_KEYS.find((k) => k in artifact) ?? '';
    const path = [...section.buildPath, 'artifacts', index];
    const plan = {
        section,
        index,
        path,
        artifact,
        implicit: builderKey === '',
        skipReason: '',
        builderName: builderKey === '' ? 'none' : builderKey
    };
    const image = String(artifact.image);
    if (builderKey === 'kaniko') {
        if (scope.builders.has('cluster'))
            return plan;
        if (scope.builders.has('googleCloudBuild')) {
            plan.skipReason =
                'kaniko under googleCloudBuild runs as a Cloud Build step: cluster volumes do not apply';
        }
        else if (!scope.anyActive) {
            // skaffold checks only the profiles it activates.
            plan.skipReason = `kaniko with no cluster builder in a profile this build does not activate`;
            out.warnings.push({
                path,
                message: `artifact "${image}" uses kaniko but its profile has no cluster builder; skaffold refuses it if the profile is activated`
            });
        }
        else {
            out.error = {
                path,
                message: `artifact "${image}" uses kaniko but its build has no cluster builder; add a build.cluster block (kaniko runs as a pod in the cluster)`
            };
        }
    }
    else if (builderKey === '') {
        const active = scope.activeBuilders;
        plan.builderName = active.has('cluster')
            ? 'kaniko-implicit'
            : 'docker-implicit';
        if (!active.has('cluster')) {
            plan.skipReason = `no builder key under the ${[...active].join('/')} builder: skaffold builds it with docker`;
        }
        else if (active.size > 1) {
            plan.skipReason = `no builder key: kaniko under cluster but docker under ${[...active].filter((b) => b !== 'cluster').join('/')} (active profiles); write an explicit kaniko: block to have it patched`;
            out.warnings.push({
                path,
                message: `artifact "${image}" has no builder key and runs under several builders; it is not patched`
            });
        }
    }
    else {
        plan.skipReason = `${builderKey} builder (only kaniko artifacts are patched)`;
    }
    return plan;
}
/** The sections whose cluster blocks the patched artifacts run under, in document order. */
function clusterOwners(sections, plans) {
    const owners = new Set();
    for (const c of contextsOf(sections)) {
        if (c.builder !== 'cluster')
            continue;
        const patched = plans.some((p) => p.section === c.artifactOwner && p.skipReason === '');
        if (patched)
            owners.add(c.clusterOwner);
    }
    return sections.filter((s) => owners.has(s));
}
/**
 * Profile `patches` (JSON patches skaffold applies to the config) that can
 * undo the patcher's additions: they run after the copy is written.
 */
function profilePatchWarnings(js) {
    const findings = [];
    if (!Array.isArray(js.profiles))
        return findings;
    js.profiles.forEach((p, i) => {
        if (!isObject(p) || !Array.isArray(p.patches))
            return;
        p.patches.forEach((patch, j) => {
            if (!isObject(patch) || typeof patch.path !== 'string')
                return;
            const op = typeof patch.op === 'string' ? patch.op : 'replace';
            if (op === 'test')
                return;
            const problem = patchProblem(op, patch.path);
            if (problem === '')
                return;
            findings.push({
                path: ['profiles', i, 'patches', j],
                message: `profile "${String(p.name)}" patch ${j} (${op} ${patch.path}) ${problem}`
            });
        });
    });
    return findings;
}
function patchProblem(op, path) {
    if (/^\/build\/?$/.test(path)) {
        return 'replaces the whole build section: its artifacts and cluster get no cache mounts or volumes';
    }
    if (/^\/build\/artifacts(\/[^/]+)?\/?$/.test(path)) {
        return op !== 'remove'
            ? 'adds or replaces an artifact: it gets no cache mounts or build args'
            : '';
    }
    if (/^\/build\/artifacts\/[^/]+\/kaniko(\/(buildArgs|volumeMounts)(\/.*)?)?\/?$/.test(path)) {
        return op !== 'add' ||
            /\/kaniko\/?$|\/(buildArgs|volumeMounts)\/?$/.test(path)
            ? 'may overwrite the cache build args or volume mounts'
            : '';
    }
    if (/^\/build\/cluster(\/volumes(\/.*)?)?\/?$/.test(path)) {
        return op !== 'add' || /\/cluster\/?$|\/volumes\/?$/.test(path)
            ? 'may replace the cache volumes of the cluster block'
            : '';
    }
    return '';
}

;// CONCATENATED MODULE: ./src/skaffold/document.ts









/**
 * Patches one document in place and appends its lines to the report.
 * @throws SkaffoldConfigError for a document the patcher cannot patch.
 */
function patchDocument(input, options, report) {
    const { file, index } = input;
    const addDocument = (apiVersion, name, status, reason) => {
        report.documents.push({
            file,
            document: index,
            apiVersion,
            name,
            status,
            reason
        });
    };
    const edit = new YamlEditor(input.doc, input.lineCounter, input.trace, (l, c, r) => {
        throw new SkaffoldConfigError(file, l, c, r);
    });
    const root = readRoot(edit, index);
    if (root === null) {
        addDocument('', '', 'skipped', 'empty document');
        return { changed: false, profileNames: [] };
    }
    const js = edit.jsAt([]);
    const { apiVersion, info } = checkApiVersion(edit, js, index, root);
    const { name, profileNames } = namesOf(js);
    if (info.tooOld) {
        refuseOld(edit, js, apiVersion, root.get('apiVersion', true) ?? root);
        addDocument(apiVersion, name, 'nothing-to-patch', 'an old apiVersion with no kaniko artifact or cluster builder');
        return { changed: false, profileNames };
    }
    const ctx = { file, index, edit, options, info, report };
    const before = report.artifacts.length;
    patchSections(ctx, js);
    const mine = report.artifacts.slice(before);
    const [status, reason] = documentStatus(edit.changed, mine);
    addDocument(apiVersion, name, status, reason);
    return { changed: edit.changed, profileNames };
}
/**
 * The document's root mapping, read into the editor's plain-value view.
 * @returns null for an empty document.
 */
function readRoot(edit, index) {
    const root = edit.doc.contents;
    if (root === null || ((0,dist/* isScalar */.jn)(root) && root.value === null))
        return null;
    if (!(0,dist/* isMap */.jh)(root)) {
        edit.failAtNode(root, `document ${index + 1} is not a mapping: a skaffold config is a mapping with apiVersion, kind, build...`);
    }
    try {
        edit.refresh();
    }
    catch (error) {
        edit.failAtNode(root, `cannot read document ${index + 1}: ${error.message}`);
    }
    return root;
}
/** The document's metadata.name ('' for none) and its profiles' names. */
function namesOf(js) {
    const name = isObject(js.metadata) && typeof js.metadata.name === 'string'
        ? js.metadata.name
        : '';
    const profileNames = (Array.isArray(js.profiles) ? js.profiles : [])
        .filter((p) => isObject(p) && typeof p.name === 'string')
        .map((p) => p.name);
    return { name, profileNames };
}
function checkApiVersion(edit, js, index, root) {
    const apiVersion = js.apiVersion;
    if (apiVersion === undefined) {
        edit.failAtNode(root, `document ${index + 1} has no apiVersion; add e.g. "apiVersion: skaffold/v4beta14"`);
    }
    const info = typeof apiVersion === 'string' ? describeApiVersion(apiVersion) : null;
    if (info === null) {
        const apiNode = root.get('apiVersion', true);
        edit.failAtNode(apiNode ?? root, `unknown apiVersion ${JSON.stringify(apiVersion)}; expected skaffold/<version> such as skaffold/v4beta14`);
    }
    return { apiVersion: apiVersion, info };
}
/** An old config with anything kaniko or cluster in its builds is refused; the rest is left alone. */
function refuseOld(edit, js, apiVersion, node) {
    const profilesHaveBuild = Array.isArray(js.profiles) &&
        js.profiles.some((p) => isObject(p) && isObject(p.build));
    if (!profilesHaveBuild && !isObject(js.build))
        return;
    const text = JSON.stringify([js.build ?? {}, js.profiles ?? []]);
    if (text.includes('"kaniko"') || text.includes('"cluster"')) {
        edit.failAtNode(node, `apiVersion ${apiVersion} is too old for kaniko volume mounts and build args (they need skaffold/v2beta9 or newer); run \`skaffold fix --overwrite\` first`);
    }
}
function documentStatus(changed, mine) {
    const patched = mine.filter((a) => a.status !== 'skipped');
    if (changed)
        return ['patched', `${patched.length} kaniko artifact(s) patched`];
    if (patched.length > 0) {
        return [
            'unchanged',
            'every kaniko artifact already has the cache mounts and args'
        ];
    }
    return [
        'nothing-to-patch',
        mine.length === 0
            ? 'no artifacts'
            : `no kaniko artifact on the cluster builder (${[...new Set(mine.map((a) => a.reason ?? ''))].join('; ')})`
    ];
}
/** Classifies, then patches the artifacts and the cluster blocks they use. */
function patchSections(ctx, js) {
    const edit = ctx.edit;
    const { options, report } = ctx;
    const sections = listSections(js, options.profiles);
    const found = classifyArtifacts(js, sections, options.profiles);
    if (found.error !== null)
        edit.failAt(found.error.path, found.error.message);
    // Lines are read before any edit: copied nodes have no source position.
    const lines = new Map(found.plans.map((p) => [p, edit.lineOf(p.path)]));
    const warn = (f) => warnAt(ctx, f.path, f.message);
    found.warnings.forEach(warn);
    profilePatchWarnings(js).forEach(warn);
    const none = { added: [], kept: [], args: {} };
    const push = (p, status, e) => {
        report.artifacts.push(artifactReport(ctx, p, lines.get(p) ?? 0, status, e));
    };
    if (found.plans.every((p) => p.skipReason !== '')) {
        for (const plan of found.plans)
            push(plan, 'skipped', none);
        return;
    }
    const chosen = chooseVolumes(options, sections.map((s) => edit.jsAt(s.buildPath)));
    if ('error' in chosen) {
        edit.failAtNode(edit.doc.contents, chosen.error);
    }
    for (const r of chosen.renamed) {
        report.collisions.push({ file: ctx.file, document: ctx.index, ...r });
    }
    for (const plan of found.plans) {
        if (plan.skipReason !== '') {
            push(plan, 'skipped', none);
            continue;
        }
        const edits = patchArtifact(ctx, plan, chosen.volumes);
        push(plan, artifactStatus(edits), edits);
        overrideDockerfile(ctx, plan);
    }
    for (const owner of clusterOwners(sections, found.plans)) {
        report.clusters.push(patchClusterBlock(ctx, owner, chosen.volumes));
    }
}
/** patched, merged (the user's values kept) or already-patched (nothing missing). */
function artifactStatus(edits) {
    if (edits.added.length === 0)
        return 'already-patched';
    return edits.kept.length > 0 ? 'merged' : 'patched';
}

;// CONCATENATED MODULE: ./src/skaffold/requires.ts


/** Prefix of the patched copies, written beside each original. */
const COPY_PREFIX = '.skaffold-kaniko-cache.';
/**
 * Where the patched copy of a config goes: same directory (so relative
 * `context`, `dockerfile` and `requires` paths keep working), a hidden name
 * that says what it is: `skaffold.yaml` -> `.skaffold-kaniko-cache.skaffold.yaml`.
 */
function copyPathFor(path) {
    return external_node_path_.posix.join(external_node_path_.posix.dirname(path), COPY_PREFIX + external_node_path_.posix.basename(path));
}
/**
 * Lists the `requires[].path` entries of one config file, resolved against
 * its directory (skaffold's makeConfigPathAbsolute). Unparsable text yields
 * no entries: the patcher reports the syntax error itself.
 */
function listLocalRequires(file) {
    const lineCounter = new dist/* LineCounter */.HN();
    const docs = (0,dist/* parseAllDocuments */.hR)(file.text, { lineCounter, merge: true });
    const local = [];
    const remote = [];
    if (!Array.isArray(docs))
        return { local, remote };
    docs.forEach((doc, document) => {
        if (doc.errors.length > 0 || !(0,dist/* isMap */.jh)(doc.contents))
            return;
        const requires = doc.contents.get('requires', true);
        if (!(0,dist/* isSeq */.oP)(requires))
            return;
        requires.items.forEach((item, index) => {
            if (!(0,dist/* isMap */.jh)(item))
                return;
            const path = item.get('path', true);
            const pos = lineCounter.linePos(item.range?.[0] ?? 0);
            if ((0,dist/* isScalar */.jn)(path) && typeof path.value === 'string' && path.value) {
                const at = lineCounter.linePos(path.range?.[0] ?? 0);
                local.push({
                    document,
                    index,
                    rawPath: path.value,
                    resolved: resolveRequirePath(file.path, path.value),
                    line: at.line,
                    column: at.col
                });
                return;
            }
            for (const kind of [
                'git',
                'googleCloudStorage',
                'googleCloudBuildRepoV2'
            ]) {
                if (item.has(kind)) {
                    remote.push({ document, index, kind, line: pos.line });
                }
            }
        });
    });
    return { local, remote };
}
/** Resolves a `requires[].path` against the directory of the file holding it. */
function resolveRequirePath(fromFile, raw) {
    return external_node_path_.posix.isAbsolute(raw)
        ? external_node_path_.posix.normalize(raw)
        : external_node_path_.posix.join(external_node_path_.posix.dirname(fromFile), raw);
}
/**
 * The file a resolved `requires` path stands for among the files read: the
 * path itself, or `skaffold.yaml` inside it when it is a directory.
 */
function findRequiredFile(resolved, paths) {
    const normal = external_node_path_.posix.normalize(resolved).replace(/\/+$/, '');
    return [normal, external_node_path_.posix.join(normal, 'skaffold.yaml')].find((p) => paths.includes(p));
}
/**
 * Writes the `requires[].path` value that points at `target` from `fromFile`,
 * keeping the user's form (absolute stays absolute, a leading `./` stays).
 */
function relativeRequirePath(fromFile, target, raw) {
    if (external_node_path_.posix.isAbsolute(raw))
        return target;
    const rel = external_node_path_.posix.relative(external_node_path_.posix.dirname(fromFile), target);
    return raw.startsWith('./') && !rel.startsWith('../') ? `./${rel}` : rel;
}

;// CONCATENATED MODULE: ./src/skaffold/patch.ts
/**
 * The skaffold patcher's driver: every kaniko artifact that runs on the
 * cluster builder gets the Go cache mounts and build args, every cluster
 * block they use gets the volumes (skaffold appends cluster.volumes to the
 * kaniko pod and kaniko.volumeMounts to its containers:
 * pkg/skaffold/build/cluster/pod.go kanikoPodSpec). This file parses the
 * files, patches each document (document.ts), follows local `requires`
 * (pointing a patched file's entries at the patched copies), refuses cycles
 * and unknown profiles, and renders. Pure: text in, text and a report out.
 * Edits go through the `yaml` Document API so comments, key order, quoting,
 * anchors and `{{.TEMPLATES}}` survive; a file with nothing to add is
 * returned byte for byte.
 */






/**
 * Patches the root config (files[0]) and the local configs it requires.
 * @throws SkaffoldConfigError for a config that cannot be patched (syntax,
 *   not a mapping, unknown or too old apiVersion, kaniko with no cluster
 *   builder, a requires cycle or missing file, an unresolvable collision).
 * @throws PatchOptionsError for a bad option.
 */
function patchSkaffoldConfigs(files, options = options_DEFAULT_PATCH_OPTIONS) {
    validatePatchOptions(options);
    if (files.length === 0)
        throw new Error('patchSkaffoldConfigs: no files');
    const report = {
        documents: [],
        artifacts: [],
        clusters: [],
        warnings: [],
        collisions: []
    };
    const paths = files.map((f) => f.path);
    const states = files.map((file) => patchFile(file, options, report));
    const edges = files.map((file) => linkRequires(file, paths, report));
    checkCycles(files, edges);
    checkProfiles(files[0].path, states, options.profiles);
    const needsCopy = new Map();
    const decide = (i) => {
        const known = needsCopy.get(i);
        if (known !== undefined)
            return known;
        const value = states[i].changed || edges[i].some((e) => decide(e.target));
        needsCopy.set(i, value);
        return value;
    };
    const out = files.map((file, i) => {
        const copy = decide(i);
        if (copy) {
            const copied = edges[i].filter((edge) => decide(edge.target));
            pointRequiresAtCopies(states[i], copied, files);
        }
        return {
            path: file.path,
            copyPath: copyPathFor(file.path),
            text: states[i].changed
                ? renderEditedFile({ ...states[i], source: file.text })
                : file.text,
            needsCopy: copy
        };
    });
    return {
        rootPath: out[0].needsCopy ? out[0].copyPath : out[0].path,
        files: out,
        report
    };
}
/** Points the `requires` entries of a copied file at the copies of the files they name. */
function pointRequiresAtCopies(state, edges, files) {
    for (const edge of edges) {
        const doc = state.docs[edge.document];
        const item = doc.contents.get('requires');
        const entry = item.items[edge.index];
        const scalar = entry.get('path', true);
        scalar.value = relativeRequirePath(state.file.path, copyPathFor(files[edge.target].path), edge.rawPath);
        state.trace.editedScalars.add(scalar);
        state.changed = true;
    }
}
/** Patches a single file that has no local `requires` (tests, the CLI check). */
function patchSkaffoldText(file, options = DEFAULT_PATCH_OPTIONS) {
    const result = patchSkaffoldConfigs([file], options);
    return { text: result.files[0].text, report: result.report };
}
function parseFile(file) {
    const lineCounter = new dist/* LineCounter */.HN();
    const docs = (0,dist/* parseAllDocuments */.hR)(file.text, {
        lineCounter,
        merge: true,
        uniqueKeys: true
    });
    for (const doc of docs) {
        const error = doc.errors[0];
        if (error) {
            const [line, col] = error.linePos?.[0]
                ? [error.linePos[0].line, error.linePos[0].col]
                : [0, 0];
            throw new SkaffoldConfigError(file.path, line, col, `YAML syntax error: ${error.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '')}`);
        }
    }
    return { docs, lineCounter };
}
function patchFile(file, options, report) {
    const { docs, lineCounter } = parseFile(file);
    const state = {
        file,
        docs,
        lineCounter,
        changed: false,
        indentSeq: true,
        profiles: [],
        trace: { replacedValues: new WeakMap(), editedScalars: new WeakSet() }
    };
    docs.forEach((doc, index) => {
        const outcome = patchDocument({ file: file.path, index, doc, lineCounter, trace: state.trace }, options, report);
        if (outcome.changed)
            state.changed = true;
        state.profiles.push(...outcome.profileNames);
    });
    if (state.changed)
        state.indentSeq = chooseIndentSeq(file.text);
    return state;
}
function linkRequires(file, paths, report) {
    const { local, remote } = listLocalRequires(file);
    for (const r of remote) {
        report.warnings.push({
            file: file.path,
            line: r.line,
            message: `requires[${r.index}] comes from ${r.kind}: skaffold fetches it at build time, so it cannot be patched here and its kaniko artifacts build without the Go caches`
        });
    }
    return local.map((r) => {
        const target = findRequiredFile(r.resolved, paths);
        if (target === undefined) {
            throw new SkaffoldConfigError(file.path, r.line, r.column, `requires[${r.index}].path "${r.rawPath}" names a config that was not found (${r.resolved}); add the file or remove the entry`);
        }
        return {
            document: r.document,
            index: r.index,
            rawPath: r.rawPath,
            target: paths.indexOf(target),
            line: r.line
        };
    });
}
function checkCycles(files, edges) {
    const color = files.map(() => 0);
    const visit = (i) => {
        color[i] = 1;
        for (const edge of edges[i]) {
            if (color[edge.target] === 1) {
                throw new SkaffoldConfigError(files[i].path, edge.line, 0, `requires cycle: "${edge.rawPath}" leads back to ${files[edge.target].path}; remove one of the requires entries`);
            }
            if (color[edge.target] === 0)
                visit(edge.target);
        }
        color[i] = 2;
    };
    files.forEach((_, i) => {
        if (color[i] === 0)
            visit(i);
    });
}
function checkProfiles(root, states, profiles) {
    const defined = new Set(states.flatMap((s) => s.profiles));
    for (const raw of profiles) {
        // `-p -name` deactivates an auto-activated profile; it need not match.
        if (raw.startsWith('-'))
            continue;
        if (!defined.has(raw)) {
            throw new SkaffoldConfigError(root, 0, 0, `profile "${raw}" is not defined in this config or the configs it requires (defined: ${[...defined].sort().join(', ') || 'none'}); skaffold would stop with "did not find profile"`);
        }
    }
}

;// CONCATENATED MODULE: ./src/tools/pins.ts
/**
 * sha256 pins for the default tool versions. Pure.
 *
 * The rule: a checksum goes in only when at least two independent public
 * sources that verify it in use agree, and they are cited beside it.
 * Everything else is checked against checksum files the release servers
 * publish next to the binary (for skaffold, both of its servers, which must
 * agree), and the summary says which it was.
 * Sources were read on 2026-11-29 from stored snapshots of public repositories.
 */
/** The pins shipped with the action (see the comment on each group for its sources). */
const PINNED_SHA256 = {
    // kind v0.32.0, all four platforms. Three sources agree:
    // - radius-project/radius build/tools.mk (@00ad7014) KIND_CHECKSUM_*, verified
    //   with `sha256sum -c` by build/scripts/install-kind.sh (@07abc4f7);
    // - cashapp/hermit-packages kind.hcl (@f0517fd7) sha256sums, checked by
    //   Hermit on every install;
    // - C5C3/forge hack/install-test-deps.sh (@2168f31c) KIND_SHA256_*, compared
    //   before install.
    // Another public file pins a different value for linux-amd64; no two
    // sources support it.
    'kind@v0.32.0/linux-amd64': '50030de23cf40a18505f20426f6a8506bedf13c6e509244bd1fa9463721b0f54',
    'kind@v0.32.0/linux-arm64': 'b92cd615e97585de8ddade28ed5cd7feb4248d717c233eea5b03c37298900f5d',
    'kind@v0.32.0/darwin-amd64': '295ac6d0d634c9819c9907df45e3017d1f13166bd13c3404c45e79f7faa47498',
    'kind@v0.32.0/darwin-arm64': 'dca67911095a110c2b5c36e26df6cac860c602033e456c0db47be498cdef1ebb',
    // skaffold v2.24.0: no pin. cashapp/hermit-packages skaffold.hcl
    // (@f0517fd7) lists all four sha256s; a Nix flake in
    // mailerlite/gcloud-setup-deploy-action (nix/flake.nix, fetchurl) has the
    // same linux-amd64 (7023440818…) and linux-arm64 (a8331e5992…) values, but
    // no revision of it that we can cite holds them, and no second source has
    // the darwin ones. Until two citable sources agree, skaffold is accepted
    // only when the .sha256 files on storage.googleapis.com and on the GitHub
    // release agree (or from the one mirror the user names).
    // kubectl v1.35.2, linux only. Two sources agree:
    // - cashapp/hermit-packages kubectl.hcl (@f0517fd7) sha256sums;
    // - rancher/shell hack/make/deps.mk (@86e6aa59, "update kubernetes
    //   dependencies to v1.35.2") KUBECTL_SUM_*, verified with `sha256sum -c`
    //   in package/Dockerfile.
    // darwin-amd64/arm64: only one attributable source, so no pin.
    'kubectl@v1.35.2/linux-amd64': '924eb50779153f20cb668117d141440b95df2f325a64452d78dff9469145e277',
    'kubectl@v1.35.2/linux-arm64': 'cd859449f54ad2cb05b491c490c13bb836cdd0886ae013c0aed3dd67ff747467'
};

;// CONCATENATED MODULE: ./src/tools/catalog.ts
/**
 * Where kind, skaffold and kubectl are downloaded from, how their checksum
 * files look, and which runner platform maps to which release asset. Pure.
 *
 * Layouts: kind per https://kind.sigs.k8s.io/docs/user/quick-start/ and
 * kubernetes-sigs/kind hack/release/build/cross.sh; skaffold per its
 * CHANGELOG.md download lines and Makefile `cross` target; kubectl per
 * https://kubernetes.io/releases/download/.
 */


/** Default versions (the action.yml defaults; kubectl has no input default). */
const DEFAULT_VERSIONS = {
    kind: 'v0.32.0',
    skaffold: 'v2.24.0',
    // kind v0.32.0 defaults to a v1.36 node; kubectl supports one minor of skew.
    // v1.35.2 is the newest 1.35 whose linux binaries have two agreeing pins.
    kubectl: 'v1.35.2'
};
/** Default download bases (the action.yml defaults of the *-download-url inputs). */
const DEFAULT_BASE_URLS = {
    kind: 'https://github.com/kubernetes-sigs/kind/releases/download',
    skaffold: 'https://storage.googleapis.com/skaffold/releases',
    // GitHub release assets of skaffold have gone missing for some releases
    // (GoogleContainerTools/skaffold#9811, #10085), and storage for others:
    // the one is the other's fallback.
    skaffoldGithub: 'https://github.com/GoogleContainerTools/skaffold/releases/download',
    kubectl: 'https://dl.k8s.io/release'
};
/** A user-facing error about a tool, its platform or its download. */
class ToolError extends errors/* UserFixableError */.xQ {
    constructor(message) {
        super(message);
        this.name = 'ToolError';
    }
}
/**
 * Maps the runner's `RUNNER_OS` / `RUNNER_ARCH` (Linux|macOS, X64|ARM64) to
 * the projects' names.
 * @throws ToolError for Windows, 32-bit or unknown runners.
 */
function platformFromRunner(runnerOs, runnerArch) {
    const os = { Linux: 'linux', macOS: 'darwin' }[runnerOs];
    const arch = { X64: 'amd64', ARM64: 'arm64' }[runnerArch];
    if (os === undefined) {
        throw new ToolError(`This runner's OS (RUNNER_OS=${runnerOs || '<unset>'}) is not supported: kind and kaniko need Linux (or macOS with Docker); use a Linux runner`);
    }
    if (arch === undefined) {
        throw new ToolError(`This runner's architecture (RUNNER_ARCH=${runnerArch || '<unset>'}) is not supported: kind, skaffold and kubectl publish amd64 and arm64 binaries only`);
    }
    return { os, arch };
}
/**
 * Maps Node's `process.platform` / `process.arch` (linux|darwin, x64|arm64)
 * to the projects' names, for runs outside a runner.
 * @throws ToolError for anything else.
 */
function platformFromNode(platform, arch) {
    const os = { linux: 'linux', darwin: 'darwin' }[platform];
    const cpu = { x64: 'amd64', arm64: 'arm64' }[arch];
    if (os === undefined || cpu === undefined) {
        throw new ToolError(`This machine (${platform}/${arch}) is not supported: kind, skaffold and kubectl are installed for linux or darwin on x64 or arm64 only`);
    }
    return { os, arch: cpu };
}
/** The pin table key of a tool binary. */
function pinKey(tool, version, platform) {
    return `${tool}@${withV(version)}/${platform.os}-${platform.arch}`;
}
/**
 * The second base for skaffold: GitHub releases, but only when the primary
 * base is the default storage URL. Both are Google's release servers, so an
 * unpinned skaffold is accepted only when their checksum files agree. A user
 * who set a mirror (GHES, an air-gapped runner) gets that mirror alone and
 * its own checksum file.
 */
function skaffoldFallbackBase(baseUrl) {
    return trimSlash(baseUrl) === DEFAULT_BASE_URLS.skaffold
        ? DEFAULT_BASE_URLS.skaffoldGithub
        : undefined;
}
/** Builds the download plan (URLs, checksum files, pin) for one tool binary. */
function planToolDownload(request) {
    const version = withV(request.version);
    const { os, arch } = request.platform;
    const base = trimSlash(request.baseUrl ?? DEFAULT_BASE_URLS[request.tool]);
    const bases = [base];
    if (request.tool === 'skaffold' && request.fallbackBaseUrl !== undefined) {
        bases.push(trimSlash(request.fallbackBaseUrl));
    }
    const sources = bases.map((b) => {
        switch (request.tool) {
            case 'kind': {
                // https://kind.sigs.k8s.io/docs/user/quick-start/#installing-from-release-binaries
                const url = `${b}/${version}/kind-${os}-${arch}`;
                return {
                    url,
                    checksumUrl: `${url}.sha256sum`,
                    checksumFormat: 'sha256sum'
                };
            }
            case 'skaffold': {
                // skaffold Makefile `cross`: shasum -a 256 <file> | tee <file>.sha256
                const url = `${b}/${version}/skaffold-${os}-${arch}`;
                return { url, checksumUrl: `${url}.sha256`, checksumFormat: 'sha256' };
            }
            case 'kubectl': {
                // https://kubernetes.io/docs/tasks/tools/install-kubectl-linux/
                const url = `${b}/${version}/bin/${os}/${arch}/kubectl`;
                return {
                    url,
                    checksumUrl: `${url}.sha256`,
                    checksumFormat: 'hash-only'
                };
            }
        }
    });
    const pinned = (request.pins ?? PINNED_SHA256)[pinKey(request.tool, version, request.platform)];
    if (pinned === undefined)
        refuseInsecureBases(request.tool, version, bases);
    const checksumMode = pinned !== undefined
        ? 'pinned'
        : sources.length > 1
            ? 'two-origins'
            : 'same-origin';
    return {
        tool: request.tool,
        version,
        platform: request.platform,
        sources,
        ...(pinned === undefined ? {} : { pinnedSha256: pinned }),
        checksumMode,
        binaryName: request.tool
    };
}
/**
 * An unpinned binary is only as good as its checksum file, and over plain
 * http:// both can be swapped on the way. Loopback is exempt: nothing on the
 * network sits between a runner and its own 127.0.0.1.
 * @throws ToolError naming the <tool>-download-url input.
 */
function refuseInsecureBases(tool, version, bases) {
    for (const base of bases) {
        if (isPlainHttp(base) && !isLoopback(base)) {
            throw new ToolError(`${tool}-download-url ${base} is plain http:// and the action has no pinned checksum for ${tool} ${version}: the binary and its checksum file could both be replaced in transit. Use an https:// mirror, or a version the action pins`);
        }
    }
}
function isPlainHttp(url) {
    return /^http:\/\//i.test(url);
}
function isLoopback(url) {
    let host;
    try {
        host = new URL(url).hostname;
    }
    catch {
        return false;
    }
    return (host === 'localhost' ||
        host === '[::1]' ||
        /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host));
}
const SHA256 = /^[0-9a-f]{64}$/;
/**
 * Reads the digest from a checksum file: its first field, whatever follows
 * (old skaffold files named `out/skaffold-…`, skaffold issue #6217).
 */
function parseChecksumFile(text) {
    const first = text
        .replace(/^\uFEFF/, '')
        .trim()
        .split(/\s+/)[0] ?? '';
    const sha256 = first.toLowerCase();
    if (SHA256.test(sha256))
        return { sha256 };
    if (looksLikeHtml(text)) {
        return { error: 'an HTML page was served instead of a checksum file' };
    }
    const shown = first.length > 40 ? `${first.slice(0, 40)}…` : first;
    return {
        error: `its first field ${JSON.stringify(shown)} is not a sha256 (64 hex digits)`
    };
}
/**
 * True when the start of a download is an HTML document: a proxy's login
 * page, a CDN error page or a release page served with status 200 instead of
 * the binary.
 */
function looksLikeHtml(head) {
    return /^\s*<(!doctype\s+html|html|head|body|\?xml[^>]*>\s*<!doctype\s+html)/i.test(head.replace(/^\uFEFF/, ''));
}
function withV(version) {
    return /^\d/.test(version) ? `v${version}` : version;
}
function trimSlash(url) {
    return url.replace(/\/+$/, '');
}

;// CONCATENATED MODULE: ./src/phases/context.ts






/** Times one phase into the state. */
async function timed(ctx, phase, fn) {
    const started = Date.now();
    try {
        return await inPhase(phase, () => Promise.resolve(fn()));
    }
    finally {
        // Added up: a phase may be measured in parts (the cluster, then its services).
        const seconds = (Date.now() - started) / 1000;
        ctx.record.update((state) => {
            state.timings[phase] = (state.timings[phase] ?? 0) + seconds;
        });
    }
}
/** Shows a warning now and records it for the job summary. */
function warn(ctx, message, where) {
    ctx.deps.actions.log.warning(message, where);
    ctx.record.update((state) => state.warnings.push(message));
}

// EXTERNAL MODULE: ./src/adapters/actions.ts
var actions = __webpack_require__(9719);
// EXTERNAL MODULE: ./src/adapters/action-inputs.ts
var action_inputs = __webpack_require__(6512);
// EXTERNAL MODULE: ./src/adapters/workflow-commands.ts
var workflow_commands = __webpack_require__(4370);
// EXTERNAL MODULE: external "node:fs/promises"
var promises_ = __webpack_require__(1455);
// EXTERNAL MODULE: ./src/images.ts
var src_images = __webpack_require__(4525);
// EXTERNAL MODULE: ./node_modules/@actions/exec/lib/exec.js + 1 modules
var exec = __webpack_require__(1955);
// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(7598);
// EXTERNAL MODULE: ./src/tool-env.ts
var tool_env = __webpack_require__(6255);
;// CONCATENATED MODULE: ./src/adapters/exec.ts
/**
 * The one way the action runs a command, in the manner of actions/checkout's
 * git command manager (src/git-command-manager.ts, execGit): an argument
 * array, never a shell; the output collected into a typed result; a minimal
 * environment (src/tool-env.ts); and output that is shown in the log is
 * fenced with `::stop-commands::`, so a line a tool prints cannot act as a
 * workflow command.
 *
 * Every command is recorded as a wait (src/adapters/waits.ts): the time
 * the action spends on a tool process is not its own work.
 *
 * `run` never throws (a missing executable is exit 127 with the reason in
 * stderr), `mustRun` throws a CommandError with the command's last lines,
 * `tryRun` answers whether the command succeeded.
 */






/** A command that had to succeed did not; the message has its last lines. */
class CommandError extends errors/* UserFixableError */.xQ {
    exitCode;
    output;
    constructor(message, exitCode, 
    /** stderr then stdout, trimmed. */
    output) {
        super(message);
        this.exitCode = exitCode;
        this.output = output;
        this.name = 'CommandError';
    }
}
let passNames = [];
/**
 * Names of further variables the tools may see (the pass-env input). Set
 * once by the orchestrator; variables that are never passed stay out anyway.
 */
function passEnvironment(names) {
    passNames = [...names];
}
/** The environment a command gets (exported for the tests). */
function commandEnvironment(extra = {}) {
    return { ...(0,tool_env/* toolEnvironment */.u)(process.env, passNames), ...extra };
}
/** Runs a command; never throws. */
async function exec_run(command, args, options = {}) {
    const shown = options.log === true && options.secret !== true;
    const lineListener = (line) => {
        if (shown)
            workflow_commands/* info */.pq(line);
        options.onLine?.(line);
    };
    const execute = async () => {
        if (shown)
            workflow_commands/* info */.pq(`[command]${[command, ...args].join(' ')}`);
        const started = Date.now();
        try {
            const result = await exec/* getExecOutput */.H(command, [...args], {
                ignoreReturnCode: true,
                silent: true,
                env: commandEnvironment(options.env),
                listeners: { stdline: lineListener, errline: lineListener },
                ...(options.cwd === undefined ? {} : { cwd: options.cwd }),
                ...(options.input === undefined
                    ? {}
                    : { input: Buffer.from(options.input) })
            });
            recordWait(command, started, Date.now());
            return result;
        }
        catch (error) {
            // Not started (no such executable): no process to wait on.
            return {
                exitCode: 127,
                stdout: '',
                stderr: error instanceof Error ? error.message : String(error)
            };
        }
    };
    return shown ? withWorkflowCommandsStopped(workflow_commands/* info */.pq, execute) : execute();
}
/**
 * Runs a command that must succeed.
 * @throws CommandError naming the command (only its tool and verb when
 * secret) with its exit code and last lines.
 */
async function mustRun(command, args, options = {}) {
    const result = await exec_run(command, args, options);
    if (result.exitCode !== 0) {
        const shown = options.secret
            ? `${command} ${args[0] ?? ''}`.trim()
            : [command, ...args].join(' ');
        throw new CommandError(`${shown} failed (exit ${result.exitCode}): ${lastLines(commandOutput(result), 3)}`, result.exitCode, commandOutput(result));
    }
    return result;
}
/** Runs a command whose failure is not an error; true when it succeeded. */
async function tryRun(command, args, options = {}) {
    return (await exec_run(command, args, options)).exitCode === 0;
}
/**
 * Runs fn between `::stop-commands::<token>` and `::<token>::`, so the lines
 * fn writes are shown as they are and never processed as workflow commands
 * (actions/runner src/Runner.Worker/ActionCommandManager.cs,
 * TryProcessCommand: while a stop token is set, only the command named by
 * the token resumes processing). The token is random per call, so the
 * output cannot guess it; the runner masks tokens longer than 6 characters.
 */
async function withWorkflowCommandsStopped(write, fn) {
    const token = (0,external_node_crypto_.randomUUID)();
    write(`::stop-commands::${token}`);
    try {
        return await fn();
    }
    finally {
        write(`::${token}::`);
    }
}
/** stderr then stdout, trimmed, without empty parts. */
function commandOutput(result) {
    return [result.stderr.trim(), result.stdout.trim()]
        .filter((s) => s !== '')
        .join('\n');
}
/** The first line of what the command printed. */
function firstLine(result) {
    return commandOutput(result).split('\n')[0] ?? '';
}
/** The last non-empty lines of a text, joined with " | ". */
function lastLines(text, count) {
    const all = text
        .trim()
        .split('\n')
        .filter((l) => l.trim() !== '');
    return all.slice(-count).join(' | ') || 'no output';
}
/** The non-empty lines of a text, trimmed. */
function lines(text) {
    return text
        .split('\n')
        .map((l) => l.trim())
        .filter((l) => l !== '');
}
/** Seconds since `started` (epoch ms), to the hundredth. */
function elapsed(started) {
    return Math.round((Date.now() - started) / 10) / 100;
}

;// CONCATENATED MODULE: ./src/adapters/cluster-error.ts
/** A cluster step failed; the message says which command and what it printed. */

class ClusterError extends errors/* UserFixableError */.xQ {
    log;
    constructor(message, 
    /** The command output that explains the failure. */
    log = '') {
        super(message);
        this.log = log;
        this.name = 'ClusterError';
    }
}

;// CONCATENATED MODULE: ./src/kind/containers.ts
/**
 * Names, labels and ownership of the containers the action runs beside a
 * kind cluster (the local registry, Athens), and which of a cluster's
 * containers are Kubernetes nodes. Pure.
 *
 * Docker daemons are shared on self-hosted runners, so a fixed name
 * ("athens", "kind-registry") would meet another job's container. Names
 * are per cluster, every container carries the cluster and the run in its
 * labels, and the action removes only containers labelled with its own run.
 */
/** Label keys the action puts on its containers. */
const LABELS = {
    cluster: 'io.skaffold-kaniko-cache.cluster',
    run: 'io.skaffold-kaniko-cache.run'
};
/** kind's node labels (kind pkg/cluster/internal/providers/docker/constants.go, nodeRoleLabelKey; pkg/cluster/constants/constants.go for the role values). */
const KIND_LABELS = {
    cluster: 'io.x-k8s.kind.cluster',
    role: 'io.x-k8s.kind.role'
};
/** The registry and Athens container names of a cluster. */
function serviceContainerNames(cluster) {
    return { registry: `${cluster}-registry`, athens: `${cluster}-athens` };
}
/** The value of the run label, e.g. `1234-1-build`. */
function runLabelValue(run) {
    return `${run.runId}-${run.runAttempt}-${run.job || 'job'}`;
}
/** `key=value` labels for a container this run starts for a cluster. */
function containerLabels(cluster, run) {
    return [`${LABELS.cluster}=${cluster}`, `${LABELS.run}=${runLabelValue(run)}`];
}
/**
 * What to do about the name the action wants for a service container: start
 * one (nothing there); reuse a running one the action started for this
 * cluster (another job's on a reused cluster); replace a stopped one the
 * action started for this cluster; refuse when anything else has the name,
 * since it is someone else's.
 */
function claimContainerName(existing, cluster) {
    if (existing === undefined)
        return 'start';
    if (existing.labels[LABELS.cluster] !== cluster)
        return 'refuse';
    return existing.running ? 'reuse' : 'replace';
}
/**
 * The Kubernetes nodes among a cluster's containers, control-plane first
 * (then workers, each group by name). kind also labels its external load
 * balancer (multi-control-plane clusters) and external etcd with the cluster
 * label; they run no kubelet or containerd, so they are left out.
 */
function kubernetesNodes(containers) {
    const byRole = (role) => containers
        .filter((c) => c.role === role)
        .map((c) => c.name)
        .sort();
    return [...byRole('control-plane'), ...byRole('worker')];
}

;// CONCATENATED MODULE: ./src/adapters/containers.ts
/**
 * Docker containers the action runs beside a kind cluster: what is there
 * under a name, and the removal of what this run started.
 */



// The state and labels in one line: `true {"k":"v"}` (`null` without labels).
const INSPECT_FORMAT = '{{json .State.Running}} {{json .Config.Labels}}';
/**
 * The container of that name, or undefined when there is none.
 * @throws ClusterError when docker fails otherwise.
 */
async function inspectContainer(name) {
    const result = await exec_run('docker', [
        'inspect',
        '--type',
        'container',
        '--format',
        INSPECT_FORMAT,
        '--',
        name
    ]);
    if (result.exitCode !== 0) {
        if (/No such (object|container)/i.test(commandOutput(result))) {
            return undefined;
        }
        throw new ClusterError(`docker inspect ${name} failed (exit ${result.exitCode}): ${firstLine(result)}`, commandOutput(result));
    }
    const line = result.stdout.trim();
    const match = /^(true|false) (null|\{.*\})$/.exec(line);
    if (match === null) {
        throw new ClusterError(`docker inspect ${name} printed ${JSON.stringify(line)}, not "<running> <labels as JSON>"`);
    }
    const labels = JSON.parse(match[2]);
    return { running: match[1] === 'true', labels: labels ?? {} };
}
/**
 * Removes those of `names` that carry this run's label (`docker ps -a
 * --filter label=...`, then `docker rm -f`), so a container of the same
 * name that another job started is left alone. Never throws.
 */
async function removeRunContainers(names, runLabel) {
    if (names.length === 0)
        return { removed: [], warnings: [] };
    const listed = await exec_run('docker', [
        'ps',
        '-a',
        '--filter',
        `label=${LABELS.run}=${runLabel}`,
        '--format',
        '{{.Names}}'
    ]);
    if (listed.exitCode !== 0) {
        return {
            removed: [],
            warnings: [
                `docker ps -a --filter label=${LABELS.run}=${runLabel} failed (exit ${listed.exitCode}): ${firstLine(listed)}; not removing ${names.join(', ')}`
            ]
        };
    }
    const ours = new Set(lines(listed.stdout));
    const targets = names.filter((name) => ours.has(name));
    if (targets.length === 0)
        return { removed: [], warnings: [] };
    // With -f, a container that went meanwhile is not an error: docker/cli
    // before v29.7 prints "No such container" on stderr and exits 0, later
    // versions print nothing (docker/cli cli/command/container/rm.go, runRm).
    const result = await exec_run('docker', ['rm', '-f', '--', ...targets]);
    if (result.exitCode !== 0) {
        return {
            removed: [],
            warnings: [
                `docker rm -f ${targets.join(' ')} failed (exit ${result.exitCode}): ${firstLine(result)}`
            ]
        };
    }
    const printed = new Set(lines(result.stdout));
    return { removed: targets.filter((n) => printed.has(n)), warnings: [] };
}

;// CONCATENATED MODULE: ./src/adapters/registry.ts
/**
 * The local registry, the helm/kind-action way: one name that works from the
 * runner (hosts file), the kaniko pod (kind network DNS) and the kubelet
 * (containerd hosts.toml).
 */








/**
 * Starts the local registry, so one name, `<name>:<port>`, works for
 * skaffold on the runner (hosts file), the kaniko pod (kind network DNS) and
 * the kubelet (containerd hosts.toml): docker run on the kind network, a
 * hosts.toml on every node, the hosts file line. The KEP-1755 ConfigMap goes
 * in with the other cluster objects (kind/objects.ts). A container of that
 * name is reused (running) or replaced (stopped) only when it carries this
 * cluster's label.
 * @throws ClusterError when a command fails or the name is taken by a
 * container the action did not start for this cluster; an unwritable hosts
 * file is only a warning.
 */
async function startRegistry(request) {
    const started = Date.now();
    const name = request.name;
    const host = `${name}:${request.port}`;
    const warnings = [];
    // `--` ends docker's options: docker's flag parser (spf13/pflag flag.go,
    // parseArgs) treats every later argument as positional. Straight onto the
    // kind network, which exists once the cluster does: kind makes it a
    // bridge network (kubernetes-sigs/kind
    // pkg/cluster/internal/providers/docker/network.go, createNetwork), where
    // docker publishes ports as on the default bridge, so no second `docker
    // network connect` is needed.
    const reused = await runOrClaim(name, request.cluster, [
        'run',
        '-d',
        '--restart=always',
        '--name',
        name,
        ...request.labels.flatMap((label) => ['--label', label]),
        '--network',
        'kind',
        // Loopback only: the registry has no authentication, and the runner
        // is its only client outside the kind network.
        '-p',
        `127.0.0.1:${request.port}:${request.port}`,
        '-e',
        `REGISTRY_HTTP_ADDR=0.0.0.0:${request.port}`,
        '--',
        request.image ?? src_images/* DEFAULT_REGISTRY_IMAGE */.cW
    ]);
    if (reused) {
        // A registry kept from an earlier job may have been started on another
        // network: docker says "already exists" when it is on kind already.
        const connect = await exec_run('docker', [
            'network',
            'connect',
            '--',
            'kind',
            name
        ]);
        if (connect.exitCode !== 0 &&
            !/already exists/.test(commandOutput(connect))) {
            throw new ClusterError(`Cannot connect the registry ${name} to the kind network: ${firstLine(connect)}`, commandOutput(connect));
        }
    }
    // https://github.com/containerd/containerd/blob/main/docs/hosts.md
    // One exec per node: `install -D` creates the missing leading dirs of the
    // target, then copies the source to it, a pipe's content included
    // (coreutils src/install.c: option -D, and cp_option_init sets
    // copy_as_regular); the kind node image is Debian with coreutils
    // (kubernetes-sigs/kind images/base/Dockerfile).
    const hostsToml = `[host."http://${host}"]\n`;
    for (const node of request.nodes) {
        await mustRun('docker', [
            'exec',
            '-i',
            '--',
            node,
            'install',
            '-D',
            '-m',
            '0644',
            '/dev/stdin',
            `${CONTAINERD_CERTS_DIR}/${host}/hosts.toml`
        ], { input: hostsToml });
    }
    const hostsFile = await addHostsEntry(request.hostsFile, name);
    if (hostsFile === 'not-writable') {
        warnings.push(`Cannot add "127.0.0.1 ${name}" to ${request.hostsFile} (not writable): skaffold on the runner cannot reach ${host}, so it cannot find images built by earlier runs there and builds every artifact again. The build, the push (from the kaniko pod) and the image digests (skaffold reads them from the kaniko pod's termination message) are not affected`);
    }
    return { name, host, reused, hostsFile, warnings, seconds: elapsed(started) };
}
/**
 * Runs `docker <runArgs>` (a `docker run --name <name>`) and only when the
 * name is taken looks at what holds it: docker refuses with "Conflict. The
 * container name ... is already in use" (moby daemon/names.go, reserveName,
 * and daemon/errors.go, nameConflictError) and starts nothing. Returns true when a running container of this cluster
 * is there to reuse.
 * @throws ClusterError when the name is taken by a container the action did
 * not start for this cluster, or docker run fails otherwise.
 */
async function runOrClaim(name, cluster, runArgs, options = {}) {
    const first = await exec_run('docker', runArgs, options);
    if (first.exitCode === 0)
        return false;
    if (!/Conflict\. The container name .* is already in use/.test(commandOutput(first))) {
        throw runFailed(runArgs, first, options);
    }
    if (await claimServiceName(name, cluster))
        return true;
    await mustRun('docker', runArgs, options);
    return false;
}
function runFailed(runArgs, result, options) {
    const shown = options.secret
        ? `docker ${runArgs[0]}`
        : ['docker', ...runArgs].join(' ');
    return new ClusterError(`${shown} failed (exit ${result.exitCode}): ${lastLines(commandOutput(result), 3)}`, commandOutput(result));
}
/**
 * Makes the name free for a new container, or says a running one is there
 * to reuse (true).
 * @throws ClusterError when the name is taken by a container the action did
 * not start for this cluster.
 */
async function claimServiceName(name, cluster) {
    const existing = await inspectContainer(name);
    switch (claimContainerName(existing, cluster)) {
        case 'reuse':
            return true;
        case 'replace':
            await mustRun('docker', ['rm', '-f', '--', name]);
            return false;
        case 'refuse':
            throw new ClusterError(`A container named ${name} exists and was not started by skaffold-kaniko-cache for kind cluster ${cluster}. Remove it (docker rm -f ${name}) or choose another cluster-name`);
        case 'start':
            return false;
    }
}
async function addHostsEntry(hostsFile, name) {
    const text = await (0,promises_.readFile)(hostsFile, 'utf8').catch(() => '');
    const present = text
        .split('\n')
        .some((line) => line.replace(/#.*/, '').trim().split(/\s+/).slice(1).includes(name));
    if (present)
        return 'present';
    const separator = text === '' || text.endsWith('\n') ? '' : '\n';
    const line = `${separator}127.0.0.1 ${name}\n`;
    try {
        await (0,promises_.appendFile)(hostsFile, line);
        return 'added';
    }
    catch {
        // GitHub-hosted runners run as a user with passwordless sudo, and
        // /etc/hosts is root's (helm/kind-action does the same). -n: never
        // prompt, fail at once where sudo needs a password or is absent.
        const added = await tryRun('sudo', ['-n', 'tee', '-a', '--', hostsFile], {
            input: line
        });
        return added ? 'added' : 'not-writable';
    }
}

;// CONCATENATED MODULE: ./src/adapters/athens.ts
/**
 * The Athens Go module proxy on the kind network: it holds the GitHub token
 * for private modules, so the build never sees it.
 */








/** Where Athens' own `go` fetches public modules: Go's default GOPROXY. */
const ATHENS_UPSTREAM_PROXY = 'https://proxy.golang.org,direct';
/**
 * Athens' storage dir: `.athens` inside the module cache's saved dir
 * (cache/download). Go module path elements cannot start with a dot, so it
 * never collides with a module, and it travels with the saved cache.
 */
function athensStorageDir(modSaveDir) {
    return external_node_path_default().join(modSaveDir, '.athens');
}
/**
 * ATHENS_GO_BINARY_ENV_VARS: the environment of the `go` Athens runs to
 * fetch a module. Athens' default is `GOPROXY=direct` (athens config.dev.toml
 * and pkg/config/config.go, defaultConfig GoBinaryEnvVars), which clones
 * every public module from its VCS; the public proxy is faster and needs no
 * VCS tools. Entries are separated by `;` because GOPROXY and GOPRIVATE use
 * commas (athens pkg/config/config.go, EnvList.Decode).
 */
function athensGoBinaryEnv(privatePatterns) {
    return [
        `GOPROXY=${ATHENS_UPSTREAM_PROXY}`,
        ...(privatePatterns.length > 0
            ? [`GOPRIVATE=${privatePatterns.join(',')}`]
            : [])
    ].join('; ');
}
/**
 * Runs Athens on the kind network with disk storage, so kaniko pods reach
 * it as `http://<name>:3000`. A GitHub token goes to Athens only
 * (ATHENS_GITHUB_TOKEN), so private modules resolve with no credentials in
 * the image; the command is run silently and the token masked. A running
 * Athens of that name (another job on a reused cluster) is used as it is.
 * @throws ClusterError when the container does not start or stay up, or the
 * name is taken by a container the action did not start for this cluster.
 */
async function startAthens(request) {
    const started = Date.now();
    const name = request.name;
    const goproxy = `http://${name}:3000`;
    await (0,promises_.mkdir)(request.storageDir, { recursive: true });
    const token = request.githubToken !== undefined && request.githubToken !== '';
    if (token)
        workflow_commands/* setSecret */.Pq(request.githubToken);
    const patterns = request.noSumPatterns ?? [];
    const reused = await runOrClaim(name, request.cluster, [
        'run',
        '-d',
        '--restart=always',
        '--name',
        name,
        ...request.labels.flatMap((label) => ['--label', label]),
        '--network',
        'kind',
        '-e',
        'ATHENS_STORAGE_TYPE=disk',
        '-e',
        'ATHENS_DISK_STORAGE_ROOT=/var/lib/athens',
        '-e',
        `ATHENS_GO_BINARY_ENV_VARS=${athensGoBinaryEnv(patterns)}`,
        // The name only: docker reads the value from its own environment, so
        // the token never shows in a process list (ps) or in the log.
        ...(token ? ['-e', 'ATHENS_GITHUB_TOKEN'] : []),
        ...(patterns.length > 0
            ? ['-e', `ATHENS_GONOSUM_PATTERNS=${patterns.join(',')}`]
            : []),
        '-v',
        `${request.storageDir}:/var/lib/athens`,
        '--',
        request.image ?? src_images/* DEFAULT_ATHENS_IMAGE */.IX
    ], {
        secret: true,
        ...(token
            ? { env: { ATHENS_GITHUB_TOKEN: request.githubToken } }
            : {})
    });
    if (reused) {
        return {
            name,
            goproxy,
            storageDir: request.storageDir,
            token: false,
            reused: true,
            seconds: elapsed(started)
        };
    }
    // `docker run -d` returns once the container started; Athens exits at
    // once on a bad setting, which only a look afterwards shows.
    if ((await inspectContainer(name))?.running !== true) {
        throw new ClusterError(`The Athens container ${name} is not running after docker run; see docker logs ${name}. Set athens: false to build without it`);
    }
    return {
        name,
        goproxy,
        storageDir: request.storageDir,
        token,
        reused: false,
        seconds: elapsed(started)
    };
}

;// CONCATENATED MODULE: ./src/cache/save-outcome.ts
/**
 * Why a save returned no entry, told from what the client call did (its
 * HTTP exchanges and annotations, as recorded by the call tracer). Pure.
 *
 * @actions/cache 6.3.0 logs every refused reservation (a 409, but also a
 * 429 or a 5xx) at info level as "another job may be creating this cache",
 * and a refused upload with the Azure SDK's message, which is empty when the
 * blob service answers an unexpected 2xx (actions/toolkit
 * packages/cache/src/cache.ts saveCacheV2; packages/cache/src/internal/
 * uploadUtils.ts uploadCacheArchiveSDK).
 */
const CREATE = '/CreateCacheEntry';
/** Explains a saveCache call that returned -1. */
function explainFailedSave(trace) {
    // The last try counts: the client retries a 5xx reservation.
    const createAt = trace.exchanges
        .map((e) => e.url.endsWith(CREATE))
        .lastIndexOf(true);
    const create = trace.exchanges[createAt];
    if (create?.status === 409 && trace.annotations.length === 0) {
        return { outcome: 'reserved' };
    }
    const detail = [];
    if (create !== undefined && create.status !== 200) {
        detail.push(`reserving the key: ${answered(create)}`);
    }
    else if (create !== undefined) {
        const uploads = trace.exchanges
            .slice(createAt + 1)
            .filter((e) => e.method === 'PUT');
        // Azure answers Put Blob, Put Block and Put Block List with 201 only.
        const refused = uploads.find((e) => e.status !== 201);
        if (uploads.length === 0) {
            detail.push('the service reserved the key but no upload was sent');
        }
        else if (refused) {
            detail.push(`upload: ${answered(refused)}, expected HTTP 201`);
        }
    }
    // "…cache archive: " with nothing after says nothing: leave it out.
    const said = trace.annotations
        .map((line) => line.trim())
        .filter((line) => !line.endsWith(':'));
    return {
        outcome: 'failed',
        reason: [...detail, ...said].join('; ') || 'the client gave no reason',
        clientWarned: trace.annotations.length > 0
    };
}
function answered(exchange) {
    const where = `${exchange.method} ${pathOf(exchange.url)}`;
    if (exchange.status === undefined)
        return `${where} got no answer`;
    const code = exchange.errorCode ? ` ${exchange.errorCode}` : '';
    return `${where} answered HTTP ${exchange.status}${code}`;
}
function pathOf(url) {
    try {
        return new URL(url).pathname;
    }
    catch {
        return url;
    }
}

// EXTERNAL MODULE: external "node:diagnostics_channel"
var external_node_diagnostics_channel_ = __webpack_require__(3053);
;// CONCATENATED MODULE: ./src/adapters/call-trace.ts
/**
 * Runs one @actions/cache client call with a deadline and tells what that
 * call, and only that call, did: the annotations it logged, the HTTP
 * exchanges it made, the child processes (tar) it started.
 *
 * Attribution is by async context (AsyncLocalStorage), not by time: a
 * ::warning:: written by other work running beside the call (kind creating
 * the cluster) is not the call's. @actions/cache 6.3.0 reports its failures
 * only as log lines (restoreCache and saveCache catch them and return
 * undefined or -1: actions/toolkit packages/cache/src/cache.ts,
 * restoreCacheV2 and saveCacheV2), written by core.warning / core.error
 * (actions/toolkit packages/core/src/core.ts, issueCommand) to stdout from
 * within the call's own promise chain, so they carry its context.
 *
 * When the deadline passes, the call is abandoned: its HTTP requests are
 * destroyed, its child processes killed (a late answer can then no longer
 * extract an archive into a dir the build is using), and whatever it logs
 * afterwards is written as plain text, not as an annotation.
 */



const calls = new external_node_async_hooks_.AsyncLocalStorage();
let installed = false;
/**
 * Runs fn in its own context and races it against the deadline. Never
 * rejects for a late fn; rejects only when fn itself rejects in time.
 */
async function traceCall(fn, deadlineMs) {
    install();
    const call = {
        annotations: [],
        exchanges: [],
        requests: new Map(),
        children: new Set(),
        abandoned: false
    };
    const trace = () => ({
        annotations: [...call.annotations],
        exchanges: call.exchanges.map((e) => ({ ...e }))
    });
    const work = calls.run(call, fn);
    let timer;
    const expired = new Promise((resolve) => {
        timer = setTimeout(() => resolve('expired'), deadlineMs);
    });
    try {
        const first = await Promise.race([work, expired]);
        if (first !== 'expired') {
            return { kind: 'done', value: first, trace: trace() };
        }
    }
    finally {
        clearTimeout(timer);
    }
    // A late rejection must not become an unhandled one.
    work.catch(() => undefined);
    await abandon(call);
    return { kind: 'expired', trace: trace() };
}
async function abandon(call) {
    call.abandoned = true;
    for (const request of call.requests.keys()) {
        request.destroy(new Error('abandoned at the cache call deadline'));
    }
    // Wait until the killed tar is gone, so the caller can empty its dir.
    await Promise.all([...call.children].map((child) => kill(child)));
}
function kill(child) {
    if (child.exitCode !== null || child.signalCode !== null) {
        return Promise.resolve();
    }
    return new Promise((resolve) => {
        const done = () => {
            clearTimeout(cap);
            resolve();
        };
        // A process that was never started emits 'error' and no 'exit'.
        const cap = setTimeout(done, 10_000);
        child.once('exit', done);
        child.once('error', done);
        child.kill('SIGKILL');
    });
}
/** Hooks stdout and the http / child_process diagnostics channels, once. */
function install() {
    if (installed)
        return;
    installed = true;
    const write = process.stdout.write.bind(process.stdout);
    process.stdout.write = (chunk, ...rest) => {
        const call = calls.getStore();
        if (call === undefined || typeof chunk !== 'string') {
            return write(chunk, ...rest);
        }
        return write(observe(call, chunk), ...rest);
    };
    // Published synchronously in the ClientRequest constructor, so in the
    // context of the code that made the request (nodejs/node lib/_http_client.js).
    (0,external_node_diagnostics_channel_.subscribe)('http.client.request.start', (message) => {
        const call = calls.getStore();
        if (call === undefined)
            return;
        const { request } = message;
        // The Host header carries the port; request.host does not.
        const host = request.getHeader('host');
        const exchange = {
            method: request.method,
            url: `${request.protocol}//${typeof host === 'string' ? host : request.host}${request.path.split('?')[0]}`
        };
        call.exchanges.push(exchange);
        call.requests.set(request, exchange);
        request.once('close', () => call.requests.delete(request));
        if (call.abandoned) {
            // A retry started after the deadline: stop it before it is sent.
            process.nextTick(() => request.destroy(new Error('abandoned at the cache call deadline')));
        }
    });
    (0,external_node_diagnostics_channel_.subscribe)('http.client.response.finish', (message) => {
        const { request, response } = message;
        const exchange = calls.getStore()?.requests.get(request);
        if (exchange === undefined)
            return;
        exchange.status = response.statusCode;
        const code = response.headers['x-ms-error-code'];
        if (typeof code === 'string')
            exchange.errorCode = code;
    });
    (0,external_node_diagnostics_channel_.subscribe)('child_process', (message) => {
        const call = calls.getStore();
        if (call === undefined)
            return;
        const { process: child } = message;
        call.children.add(child);
        // The client waits on its tar (and zstd): time on a tool, not the action's own.
        const started = Date.now();
        child.once('exit', () => {
            call.children.delete(child);
            recordWait(child.spawnfile, started, Date.now());
        });
        if (call.abandoned)
            process.nextTick(() => void kill(child));
    });
}
/**
 * Records the call's annotations; once the call is abandoned, writes them as
 * plain lines so a late failure adds no second warning.
 */
function observe(call, chunk) {
    return chunk
        .split('\n')
        .map((line) => {
        const match = /^::(warning|error)[^:]*::(.*)$/.exec(line.trimEnd());
        if (!match)
            return line;
        if (call.abandoned) {
            return `after the cache call deadline: ${match[2]}`;
        }
        call.annotations.push(unescapeCommand(match[2]));
        return line;
    })
        .join('\n');
}
// The inverse of escapeData in actions/toolkit packages/core/src/command.ts.
function unescapeCommand(text) {
    return text.replace(/%0A/g, '\n').replace(/%0D/g, '\r').replace(/%25/g, '%');
}

;// CONCATENATED MODULE: ./src/cache/stats.ts
/**
 * The stats file that travels inside the build cache, so a warm run can say
 * "25 s, 6.0x faster than the last cold build (149 s)".
 * Pure: parse, update, serialise.
 */
/** File name at the GOCACHE root; Go ignores files it does not know there. */
const STATS_FILE_NAME = 'skaffold-kaniko-cache-stats.json';
/** How many recent builds are kept. */
const MAX_RECENT = 10;
/** Stats with no history. */
function emptyStats() {
    return { version: 1, recent: [] };
}
/**
 * Parses the stats file; anything unreadable (garbage, another version, bad
 * records) gives empty stats or drops the bad records, never throws.
 */
function parseStats(text) {
    if (text === undefined)
        return emptyStats();
    let data;
    try {
        data = JSON.parse(text);
    }
    catch {
        return emptyStats();
    }
    if (!stats_isObject(data) || data.version !== 1)
        return emptyStats();
    const recent = Array.isArray(data.recent)
        ? data.recent.filter(isRecord).slice(-MAX_RECENT)
        : [];
    const stats = { version: 1, recent };
    if (isRecord(data.lastCold))
        stats.lastCold = data.lastCold;
    return stats;
}
/** Adds a build: appended to recent (bounded) and, when cold, the last cold build. */
function updateStats(stats, build) {
    const next = {
        version: 1,
        recent: [...stats.recent, build].slice(-MAX_RECENT)
    };
    const lastCold = build.cold ? build : stats.lastCold;
    if (lastCold)
        next.lastCold = lastCold;
    return next;
}
/** The file's text. */
function serializeStats(stats) {
    return `${JSON.stringify(stats)}\n`;
}
/**
 * How many times faster this build was than the last cold one, or undefined
 * when there is no cold build to compare with (or this build was cold).
 */
function speedupOverCold(stats, seconds, cold) {
    if (cold || !stats.lastCold || seconds <= 0)
        return undefined;
    return stats.lastCold.seconds / seconds;
}
function stats_isObject(value) {
    return typeof value === 'object' && value !== null && !Array.isArray(value);
}
function isRecord(value) {
    return (stats_isObject(value) &&
        typeof value.seconds === 'number' &&
        Number.isFinite(value.seconds) &&
        value.seconds >= 0 &&
        typeof value.at === 'string' &&
        typeof value.cold === 'boolean');
}

;// CONCATENATED MODULE: ./src/cache/trim.ts
/**
 * The GOCACHE trim decision. Go refreshes an entry's mtime
 * when it uses it, at most once an hour (cmd/go/internal/cache: mtimeInterval),
 * so once every restored entry is backdated by more than an hour, an entry
 * whose mtime is still older than the build's start was not used by it.
 * Pure: the adapter lists the files and deletes what this returns.
 */
/**
 * Go's own files at the GOCACHE root: its README, trim.txt (the time of Go's
 * last own trim) and testexpire.txt (go clean -testcache).
 */
const GO_OWN_FILES = ['README', 'trim.txt', 'testexpire.txt'];
const ENTRY_PATH = /^[0-9a-f]{2}\/[^/]+$/;
/**
 * Reads the output ID from an action entry ("<id>-a": "v1 <action id>
 * <output id> <size> <time>"), or undefined when the text is not one.
 */
function parseActionEntry(text) {
    const match = /^v1 [0-9a-f]{64} ([0-9a-f]{64}) /.exec(text);
    return match?.[1];
}
/**
 * Decides which GOCACHE files to delete: entries (files inside the 256 "xx/"
 * subdirectories) whose mtime is older than the build's start. Go's own files,
 * the caller's keepNames and anything not shaped like an entry are kept.
 *
 * An output ("<id>-d") that a kept action entry points to is kept whatever its
 * mtime: when a build produces an output that is already in the cache, Go
 * checks it and leaves it as it is without refreshing its mtime
 * (cmd/go/internal/cache copyFile), so its age says nothing about its use.
 */
function decideTrim(files, opts) {
    const threshold = opts.buildStartMs - (opts.slackMs ?? 60_000);
    const keepNames = new Set([...GO_OWN_FILES, ...(opts.keepNames ?? [])]);
    const referenced = new Set();
    for (const f of files) {
        if (f.mtimeMs >= threshold && f.outputId !== undefined) {
            referenced.add(`${f.outputId.slice(0, 2)}/${f.outputId}-d`);
        }
    }
    const remove = [];
    const keep = [];
    let bytesBefore = 0;
    let bytesAfter = 0;
    for (const file of files) {
        bytesBefore += file.size;
        const isEntry = ENTRY_PATH.test(file.path) &&
            !keepNames.has(file.path) &&
            !referenced.has(file.path);
        if (isEntry && file.mtimeMs < threshold) {
            remove.push(file.path);
        }
        else {
            keep.push(file.path);
            bytesAfter += file.size;
        }
    }
    const used = files.some((f) => ENTRY_PATH.test(f.path) && f.mtimeMs >= threshold);
    if (!used && remove.length > 0) {
        return {
            remove: [],
            keep: files.map((f) => f.path),
            bytesBefore,
            bytesAfter: bytesBefore,
            unused: true
        };
    }
    return { remove, keep, bytesBefore, bytesAfter, unused: false };
}

;// CONCATENATED MODULE: ./src/cache/layout.ts
/**
 * What may legitimately sit in the two cache dirs, and which module versions
 * the module cache keeps. A restored archive is extracted whole by the
 * client (tar -P), so anything it holds that Go never writes there is
 * dropped before a build sees it. Pure: paths in, decisions out.
 */


/**
 * GOCACHE: Go's own files at the root (README: cmd/go/internal/cache
 * default.go initDefaultCache; trim.txt: cache.go Trim; testexpire.txt:
 * cmd/go/internal/test) and entries `xx/<id>-a|-d`, where xx is the first
 * byte of the 32-byte SHA-256 id in hex (cache.go fileName).
 */
function isBuildCacheFile(path) {
    if (GO_OWN_FILES.includes(path) || path === STATS_FILE_NAME)
        return true;
    const match = /^([0-9a-f]{2})\/([0-9a-f]{64})-[ad]$/.exec(path);
    return match !== null && match[2].startsWith(match[1]);
}
/** GOCACHE dirs: only the 256 `xx` entry dirs, at the root. */
function isBuildCacheDir(path) {
    return /^[0-9a-f]{2}$/.test(path);
}
// One element of an escaped module path (golang.org/x/mod/module CheckPath:
// letters, digits and "-._~", no leading dot; upper case escaped as "!x").
const ELEM = '[a-z0-9~!_-][a-z0-9._~!-]*';
const MODULE = `${ELEM}(?:/${ELEM})*`;
// An escaped canonical version (module EscapeVersion of a semver): v1.2.3,
// pre-release and pseudo-versions, +incompatible.
const VERSION = 'v[0-9][0-9a-z.!+-]*';
// Athens' disk storage writes the module path and version as Go sends them
// (gomods/athens pkg/storage/fs fs.go versionLocation), so upper case appears.
const RAW_ELEM = '[A-Za-z0-9~_-][A-Za-z0-9._~-]*';
const RAW_MODULE = `${RAW_ELEM}(?:/${RAW_ELEM})*`;
const RAW_VERSION = 'v[0-9][0-9A-Za-z.+-]*';
/**
 * The download cache, relative to GOMODCACHE (cmd/go/internal/modfetch
 * cache.go CachePath): `cache/download/<module>/@v/<version>.{info,mod,zip,
 * ziphash,lock}`, the module's `@v/list` (cache.go rewriteVersionList), the
 * checksum-database cache `cache/download/sumdb/<host>/{lookup,tile}/…`
 * (modfetch/sumdb.go WriteCache), and the storage of the Athens this action
 * starts, `cache/download/.athens/<module>/<version>/{go.mod,source.zip,
 * <version>.info}` (gomods/athens pkg/storage/fs saver.go Save). Temporary
 * files (`….tmp`, modfetch cache.go tempFile) and `.partial` markers of an
 * interrupted extraction are not kept.
 */
const MODULE_FILE = new RegExp([
    `^cache/download/${MODULE}/@v/(?:${VERSION}\\.(?:info|mod|zip|ziphash|lock)|list)$`,
    `^cache/download/sumdb/[a-z0-9.-]+(?:/[a-z0-9._-]+)*/(?:lookup|tile)/[A-Za-z0-9._~!@+/-]+$`,
    `^cache/download/\\.athens/${RAW_MODULE}/(${RAW_VERSION})/(?:go\\.mod|source\\.zip|${RAW_VERSION}\\.info)$`
].join('|'));
/** Whether a file (relative to GOMODCACHE) is one Go or Athens writes there. */
function isModuleCacheFile(path) {
    if (path.split('/').some((e) => e === '.' || e === '..'))
        return false;
    if (!MODULE_FILE.test(path))
        return false;
    // Athens names the info file after its version directory.
    const info = /^cache\/download\/\.athens\/.+\/(v[^/]+)\/(v[^/]+)\.info$/.exec(path);
    return info === null || info[1] === info[2];
}
/** GOMODCACHE dirs a restore may create: cache/download and below. */
function isModuleCacheDir(path) {
    if (path === 'cache' || path === 'cache/download')
        return true;
    if (!path.startsWith('cache/download/'))
        return false;
    return path
        .slice('cache/download/'.length)
        .split('/')
        .every((e) => /^[A-Za-z0-9._~!@+-]+$/.test(e) && e !== '.' && e !== '..');
}
/** Escapes a module path or version the way Go names it on disk (upper case → "!x"). */
function escapeModule(text) {
    return text.replace(/[A-Z]/g, (c) => `!${c.toLowerCase()}`);
}
/**
 * The module versions named in go.sum files, as `<escaped path>@<escaped
 * version>`. go.sum holds a line for every module zip and every go.mod the
 * go command used, and a build stops on a missing one ("missing go.sum
 * entry": cmd/go/internal/modfetch fetch.go checkModSum), so it names every
 * version a build of that module can read.
 */
function goSumVersions(texts) {
    const versions = new Set();
    for (const text of texts) {
        for (const line of text.split('\n')) {
            const fields = line.trim().split(/\s+/);
            if (fields.length !== 3 || !fields[2].startsWith('h1:'))
                continue;
            const version = fields[1].replace(/\/go\.mod$/, '');
            versions.add(`${escapeModule(fields[0])}@${escapeModule(version)}`);
        }
    }
    return versions;
}
/**
 * The module version a download-cache file belongs to, as `<escaped
 * path>@<escaped version>`, or undefined for files of no single version
 * (`@v/list`, the checksum-database cache).
 */
function moduleVersionOf(path) {
    const download = /^cache\/download\/(.+)\/@v\/(v[^/]+)\.[a-z]+$/.exec(path);
    if (download && !download[1].startsWith('.athens/')) {
        return `${download[1]}@${download[2]}`;
    }
    const athens = /^cache\/download\/\.athens\/(.+)\/(v[^/]+)\/[^/]+$/.exec(path);
    if (athens)
        return `${escapeModule(athens[1])}@${escapeModule(athens[2])}`;
    return undefined;
}
/**
 * Keeps the files of the versions in `used` (the go.sum files' versions and
 * the modules the build extracted), and each kept module's `@v/list`. The
 * checksum-database cache goes: the go command consults it only for a
 * version go.sum does not name (modfetch fetch.go checkModSum), which a warm
 * build of the same go.sum never does. `files` are relative to GOMODCACHE.
 */
function decideModuleTrim(files, used) {
    const keptModules = new Set();
    for (const path of files) {
        const version = moduleVersionOf(path);
        if (version !== undefined && used.has(version)) {
            keptModules.add(version.slice(0, version.lastIndexOf('@')));
        }
    }
    const remove = [];
    const keep = [];
    const dropped = new Set();
    for (const path of files) {
        const version = moduleVersionOf(path);
        const list = /^cache\/download\/(.+)\/@v\/list$/.exec(path);
        const kept = version !== undefined
            ? used.has(version)
            : list !== null && keptModules.has(list[1]);
        if (kept)
            keep.push(path);
        else
            remove.push(path);
        if (!kept && version !== undefined)
            dropped.add(version);
    }
    return { remove, keep, droppedVersions: [...dropped].sort() };
}

// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(3024);
;// CONCATENATED MODULE: ./src/adapters/files.ts
/**
 * Plain file-system facts the orchestrators need. Typed results, no throwing
 * for "not there".
 */



/** Kind of the entry at path, or 'missing'. */
async function pathKind(path) {
    try {
        const stat = await external_node_fs_.promises.stat(path);
        if (stat.isFile())
            return 'file';
        if (stat.isDirectory())
            return 'directory';
        return 'other';
    }
    catch {
        return 'missing';
    }
}
/** Reads a UTF-8 text file, or undefined when it cannot be read. */
async function readTextIfExists(path) {
    try {
        return await external_node_fs_.promises.readFile(path, 'utf8');
    }
    catch {
        return undefined;
    }
}
/** Writes a UTF-8 file with the given mode, creating parent dirs. */
async function writeText(path, text, mode = 0o600) {
    await external_node_fs_.promises.mkdir((0,external_node_path_.dirname)(path), { recursive: true });
    await replaceFile(path, text, mode);
}
/**
 * Writes a file by a fresh temporary file beside it and a rename, so nothing
 * already at the path is followed: a symlink planted there is replaced, not
 * written through, and the content never exists with a wider mode. The
 * temporary file is created with O_EXCL ('wx'), which refuses a symlink.
 */
async function replaceFile(path, text, mode = 0o600) {
    const temp = (0,external_node_path_.join)((0,external_node_path_.dirname)(path), `.${(0,external_node_path_.basename)(path)}.${process.pid}-${(0,external_node_crypto_.randomBytes)(6).toString('hex')}.tmp`);
    try {
        await external_node_fs_.promises.writeFile(temp, text, { mode, flag: 'wx' });
        // The mode given to open is narrowed by the umask: set it exactly.
        await external_node_fs_.promises.chmod(temp, mode);
        await external_node_fs_.promises.rename(temp, path);
    }
    catch (error) {
        await external_node_fs_.promises.rm(temp, { force: true }).catch(() => undefined);
        throw error;
    }
}
/**
 * Reads a UTF-8 file without following a symlink at its path (O_NOFOLLOW);
 * undefined when it is missing, a link or not a regular file.
 */
async function readRegularText(path) {
    let handle;
    try {
        handle = await external_node_fs_.promises.open(path, external_node_fs_.constants.O_RDONLY | external_node_fs_.constants.O_NOFOLLOW);
        if (!(await handle.stat()).isFile())
            return undefined;
        return await handle.readFile('utf8');
    }
    catch {
        return undefined;
    }
    finally {
        await handle?.close();
    }
}
/**
 * Makes path a real directory: anything else there (a symlink, a file) is
 * removed first, so nothing mounted or written later lands elsewhere.
 */
async function ensureRealDir(path) {
    const info = await external_node_fs_.promises.lstat(path).catch(() => undefined);
    if (info && !info.isDirectory())
        await external_node_fs_.promises.rm(path, { force: true });
    await external_node_fs_.promises.mkdir(path, { recursive: true });
}

;// CONCATENATED MODULE: ./src/adapters/cache-files.ts
/**
 * File work on the cache dirs: backdating and trimming GOCACHE, pruning the
 * module cache to cache/download, measuring dirs, and the stats file. The
 * decisions are pure (src/cache/trim.ts, src/cache/stats.ts); this only walks,
 * stats, deletes and reads/writes.
 */






/**
 * Go refreshes an entry's mtime on use only when it is older than an hour
 * (cmd/go/internal/cache mtimeInterval); two hours back makes every use show.
 * Well short of Go's own 5-day trimLimit, so Go's trim does not fire on it.
 */
const BACKDATE_MS = 2 * 60 * 60 * 1000;
/** Measures a tree (symlinks are not followed; a missing dir is empty). */
async function measureDir(dir) {
    const files = await listFiles(dir);
    return {
        bytes: files.reduce((sum, f) => sum + f.size, 0),
        files: files.length
    };
}
/**
 * Sets the mtime (and atime) of every GOCACHE entry to `nowMs - ageMs`, right
 * after restore, so the trim after the build can see which entries the build
 * used. Returns how many entries were backdated.
 */
async function backdateBuildCache(dir, nowMs = Date.now(), ageMs = BACKDATE_MS) {
    const when = new Date(nowMs - ageMs);
    const files = (await listFiles(dir)).filter((f) => isEntry(f.path));
    await Promise.all(files.map((f) => (0,promises_.utimes)((0,external_node_path_.join)(dir, f.path), when, when)));
    return files.length;
}
/**
 * Deletes the GOCACHE entries the build did not touch (mtime older than its
 * start). Files that cannot be deleted are counted, not thrown.
 */
async function trimBuildCache(dir, buildStartMs) {
    const files = await Promise.all((await listFiles(dir)).map(async (f) => {
        if (!f.path.endsWith('-a') || f.size > 4096)
            return f;
        const text = await (0,promises_.readFile)((0,external_node_path_.join)(dir, f.path), 'utf8').catch(() => '');
        const outputId = parseActionEntry(text);
        return outputId === undefined ? f : { ...f, outputId };
    }));
    const decision = decideTrim(files, {
        buildStartMs,
        keepNames: [STATS_FILE_NAME]
    });
    let failed = 0;
    let failedBytes = 0;
    const sizes = new Map(files.map((f) => [f.path, f.size]));
    for (const path of decision.remove) {
        try {
            await (0,promises_.rm)((0,external_node_path_.join)(dir, path));
        }
        catch {
            failed++;
            failedBytes += sizes.get(path) ?? 0;
        }
    }
    return {
        bytesBefore: decision.bytesBefore,
        bytesAfter: decision.bytesAfter + failedBytes,
        removed: decision.remove.length - failed,
        kept: decision.keep.length + failed,
        failed,
        unused: decision.unused
    };
}
/**
 * Keeps only cache/download of a GOMODCACHE (the zips, a GOPROXY layout; Go
 * re-extracts on use), and in it only the module versions this build can
 * use: those the go.sum texts name and those the build extracted
 * (`<module>@<version>` dirs beside cache/: cmd/go/internal/modfetch
 * fetch.go download). Without go.sum texts the versions are left as they
 * are: the go.mod-only versions a build reads leave no other trace. Go makes
 * the extracted trees read-only (0444 files, 0555 dirs), so they are made
 * writable first or rm fails with EACCES (buildkit-cache-dance #26).
 * Symlinks are removed, never followed.
 */
async function pruneModuleCache(dir, goSums = []) {
    const before = await measureDir(dir);
    const extracted = await listExtractedModules(dir);
    for (const name of await (0,promises_.readdir)(dir).catch(() => [])) {
        if (name === 'cache' && (await isRealDir((0,external_node_path_.join)(dir, name))))
            continue;
        await removeTree((0,external_node_path_.join)(dir, name));
    }
    const cache = (0,external_node_path_.join)(dir, 'cache');
    for (const name of await (0,promises_.readdir)(cache).catch(() => [])) {
        if (name === 'download' && (await isRealDir((0,external_node_path_.join)(cache, name))))
            continue;
        await removeTree((0,external_node_path_.join)(cache, name));
    }
    let droppedVersions;
    const used = goSumVersions(goSums);
    if (used.size > 0) {
        for (const version of extracted)
            used.add(version);
        const files = (await listFiles(dir)).map((f) => f.path);
        const decision = decideModuleTrim(files, used);
        for (const path of decision.remove)
            await removeTree((0,external_node_path_.join)(dir, path));
        await removeEmptyDirs((0,external_node_path_.join)(dir, 'cache/download'));
        droppedVersions = decision.droppedVersions;
    }
    const after = await measureDir(dir);
    return {
        bytesBefore: before.bytes,
        bytesAfter: after.bytes,
        ...(droppedVersions === undefined ? {} : { droppedVersions })
    };
}
/**
 * The modules Go extracted into a GOMODCACHE, `<escaped path>@<escaped
 * version>`: the directories named `<module>@<version>` outside cache/
 * (cmd/go/internal/modfetch cache.go DownloadDir).
 */
async function listExtractedModules(dir) {
    const found = [];
    const walk = async (rel) => {
        const entries = await (0,promises_.readdir)((0,external_node_path_.join)(dir, rel), {
            withFileTypes: true
        }).catch(() => []);
        for (const entry of entries) {
            if (!entry.isDirectory())
                continue;
            const path = rel === '' ? entry.name : `${rel}/${entry.name}`;
            if (path === 'cache')
                continue;
            if (entry.name.includes('@'))
                found.push(path);
            else
                await walk(path);
        }
    };
    await walk('');
    return found.sort();
}
/**
 * Removes every symlink and every file that is neither a regular file nor a
 * directory (FIFO, socket, device) from a cache tree, without following
 * links. Go writes only regular files and directories into its caches
 * (cmd/go/internal/cache and cmd/go/internal/modfetch create files with
 * os.OpenFile / os.WriteFile and dirs with os.MkdirAll, never a link), so
 * anything else was planted by the build.
 */
async function removeLinksAndSpecialFiles(dir) {
    return dropUnexpected(dir, () => true, () => true);
}
/**
 * Checks a restored cache before any build sees it: keeps only regular files
 * and directories laid out as Go lays out that cache (src/cache/layout.ts)
 * and removes anything else, links and special files included.
 */
async function checkRestoredCache(dir, which) {
    return which === 'mod'
        ? dropUnexpected(dir, isModuleCacheFile, isModuleCacheDir)
        : dropUnexpected(dir, isBuildCacheFile, isBuildCacheDir);
}
/** Empties a cache dir (read-only trees included) without following links. */
async function emptyCacheDir(dir) {
    for (const name of await (0,promises_.readdir)(dir).catch(() => [])) {
        await removeTree((0,external_node_path_.join)(dir, name));
    }
}
async function dropUnexpected(dir, fileAllowed, dirAllowed) {
    const removed = [];
    const failed = [];
    const drop = async (path, shown) => {
        try {
            await removeTree((0,external_node_path_.join)(dir, path));
            removed.push(shown);
        }
        catch {
            failed.push(shown);
        }
    };
    const walk = async (rel) => {
        const entries = await (0,promises_.readdir)((0,external_node_path_.join)(dir, rel), {
            withFileTypes: true
        }).catch(() => []);
        for (const entry of entries) {
            const path = rel === '' ? entry.name : `${rel}/${entry.name}`;
            if (entry.isDirectory()) {
                if (dirAllowed(path))
                    await walk(path);
                else
                    await drop(path, `${path}/`);
            }
            else if (!entry.isFile() || !fileAllowed(path)) {
                await drop(path, path);
            }
        }
    };
    await walk('');
    return { removed: removed.sort(), failed: failed.sort() };
}
/**
 * Removes a file, link or tree; links are removed, never followed. Read-only
 * dirs (Go's extracted modules) are made writable first, the parent too.
 */
async function removeTree(path) {
    const info = await (0,promises_.lstat)(path).catch(() => undefined);
    if (!info)
        return;
    if (info.isDirectory())
        await makeWritable(path);
    try {
        await (0,promises_.rm)(path, { recursive: true, force: true });
    }
    catch {
        const parent = await (0,promises_.lstat)((0,external_node_path_.dirname)(path));
        await (0,promises_.chmod)((0,external_node_path_.dirname)(path), parent.mode | 0o200);
        await (0,promises_.rm)(path, { recursive: true, force: true });
    }
}
/** Removes the dirs under dir that hold no file (links are not followed). */
async function removeEmptyDirs(dir) {
    const entries = await (0,promises_.readdir)(dir, { withFileTypes: true }).catch(() => []);
    let empty = true;
    for (const entry of entries) {
        const path = (0,external_node_path_.join)(dir, entry.name);
        if (entry.isDirectory() && (await removeEmptyDirs(path))) {
            await (0,promises_.rm)(path, { recursive: true, force: true });
        }
        else {
            empty = false;
        }
    }
    return empty;
}
async function isRealDir(path) {
    const info = await (0,promises_.lstat)(path).catch(() => undefined);
    return info?.isDirectory() === true;
}
/**
 * Writes the relative path of every file under dir, one a line, to
 * listFile, for the differential save. Returns the count and total bytes.
 */
async function recordRestoredEntries(dir, listFile) {
    const files = await listFiles(dir);
    await replaceFile(listFile, files.map((f) => `${f.path}\n`).join(''), 0o600);
    return {
        files: files.length,
        bytes: files.reduce((sum, f) => sum + f.size, 0)
    };
}
/** The names recordRestoredEntries wrote, or undefined when unreadable. */
async function readRestoredEntries(listFile) {
    const text = await readRegularText(listFile);
    if (text === undefined)
        return undefined;
    return new Set(text.split('\n').filter((line) => line !== ''));
}
/** Reads the stats file from a GOCACHE dir; missing, a link or garbage gives empty stats. */
async function readStatsFile(buildDir) {
    return parseStats(await readRegularText((0,external_node_path_.join)(buildDir, STATS_FILE_NAME)));
}
/**
 * Writes the stats file into a GOCACHE dir (before the save), replacing
 * whatever is at its path rather than writing through it.
 */
async function writeStatsFile(buildDir, stats) {
    await replaceFile((0,external_node_path_.join)(buildDir, STATS_FILE_NAME), serializeStats(stats), 0o644);
}
/** Every regular file under dir, relative paths with "/" separators. */
async function listFiles(dir) {
    const out = [];
    const walk = async (rel) => {
        const entries = await (0,promises_.readdir)((0,external_node_path_.join)(dir, rel), {
            withFileTypes: true
        }).catch(() => []);
        for (const entry of entries) {
            const path = rel === '' ? entry.name : `${rel}/${entry.name}`;
            if (entry.isDirectory()) {
                await walk(path);
            }
            else if (entry.isFile()) {
                const info = await (0,promises_.lstat)((0,external_node_path_.join)(dir, path));
                out.push({ path, mtimeMs: info.mtimeMs, size: info.size });
            }
        }
    };
    await walk('');
    return out;
}
async function makeWritable(path) {
    const info = await (0,promises_.lstat)(path).catch(() => undefined);
    if (!info || info.isSymbolicLink())
        return;
    await (0,promises_.chmod)(path, info.mode | 0o200).catch(() => undefined);
    if (info.isDirectory()) {
        const names = await (0,promises_.readdir)(path).catch(() => []);
        for (const name of names)
            await makeWritable((0,external_node_path_.join)(path, name));
    }
}
function isEntry(path) {
    return /^[0-9a-f]{2}\/[^/]+$/.test(path);
}

;// CONCATENATED MODULE: ./src/adapters/cache.ts
/**
 * Restore and save through the real @actions/cache client, as typed results.
 * Cache trouble never throws out of here and never fails the job: every
 * failure becomes a miss or an unsaved cache with one warning.
 *
 * The client reports failures only as log lines (it catches them and returns
 * undefined or -1), so every call runs under traceCall, which tells this
 * call's annotations and HTTP exchanges apart from other work's, and races
 * the call against its deadline.
 */





let client;
/**
 * The @actions/cache client, loaded on the first restore or save: it brings
 * the Azure storage and HTTP stacks (about half of a bundle), which a step
 * that restores or saves nothing (a bad input, `cache: false`, the post step
 * after a failed build) need not load.
 */
function cacheClient() {
    client ??= Promise.all(/* import() */[__webpack_require__.e(838), __webpack_require__.e(377), __webpack_require__.e(88), __webpack_require__.e(312)]).then(__webpack_require__.bind(__webpack_require__, 9312));
    return client;
}
const DEFAULT_DEADLINE = { seconds: 300, hint: '' };
/**
 * Restores one cache into an empty dir. A failed download or extraction
 * leaves the dir empty, never a half tree.
 */
async function restoreCacheDir(req) {
    const started = Date.now();
    return settle(req, await lookUp(req), started);
}
/**
 * Restores both caches: the two lookups one after the other (milliseconds
 * each, and each failure is told apart from a miss), then the downloads and
 * extractions in parallel. When the service fails the
 * first lookup, the second is not tried: that would only repeat the client's
 * retries (about 30 s for a 5xx) for the same answer.
 */
async function restoreBothCaches(mod, build) {
    const started = Date.now();
    const modFound = await lookUp(mod);
    const serviceFailed = modFound.kind === 'done' && modFound.result.warning !== undefined;
    // Restore means an empty dir to start from, looked up or not.
    if (serviceFailed)
        await emptyDir(build.dir).catch(() => undefined);
    const buildFound = serviceFailed
        ? {
            kind: 'done',
            result: {
                result: 'miss',
                bytes: 0,
                warning: `${build.label}: not looked up, the cache service failed the ${mod.label} lookup; building cold`
            }
        }
        : await lookUp(build);
    const [modResult, buildResult] = await Promise.all([
        settle(mod, modFound, started),
        settle(build, buildFound, started)
    ]);
    return { mod: modResult, build: buildResult };
}
async function settle(req, found, started) {
    return found.kind === 'done'
        ? finish(found.result, started)
        : download(req, found.matchedKey, started);
}
/** Empties the dir and looks the keys up; a miss or a failure is final. */
async function lookUp(req) {
    try {
        await emptyDir(req.dir);
        const cache = await cacheClient();
        if (!cache.isFeatureAvailable()) {
            const warning = cache_warn(`${req.label}: the Actions cache service is not available (ACTIONS_RESULTS_URL / ACTIONS_CACHE_URL unset); building cold`);
            return { kind: 'done', result: { result: 'miss', bytes: 0, warning } };
        }
        // Look up first so a lookup failure, a miss and a broken download can be
        // told apart, and download exactly the entry that was found.
        const lookup = await traceCall(() => cache.restoreCache(req.paths, req.key, req.restoreKeys, {
            lookupOnly: true
        }), deadlineOf(req).seconds * 1000);
        if (lookup.kind === 'expired') {
            const warning = cache_warn(`${req.label}: the cache lookup got no answer within ${late(req)}; building cold${hintOf(req)}`);
            return { kind: 'done', result: { result: 'miss', bytes: 0, warning } };
        }
        if (lookup.value !== undefined) {
            return { kind: 'found', matchedKey: lookup.value };
        }
        const said = lookup.trace.annotations[0];
        return {
            kind: 'done',
            result: said === undefined
                ? { result: 'miss', bytes: 0 }
                : {
                    result: 'miss',
                    bytes: 0,
                    warning: `${req.label}: lookup failed, building cold: ${said}`
                }
        };
    }
    catch (error) {
        return { kind: 'done', result: await failed(req, error) };
    }
}
/** Downloads and extracts the entry found; empties the dir on failure. */
async function download(req, matchedKey, started) {
    try {
        const cache = await cacheClient();
        const restored = await traceCall(() => cache.restoreCache(req.paths, matchedKey, []), deadlineOf(req).seconds * 1000);
        if (restored.kind === 'expired') {
            // The download is cut and tar killed: nothing more lands in the dir.
            await emptyDir(req.dir);
            return finish({
                result: 'miss',
                bytes: 0,
                warning: cache_warn(`${req.label}: restoring ${matchedKey} took longer than ${late(req)} and was stopped; building cold with an empty cache dir${hintOf(req)}`)
            }, started);
        }
        if (restored.value !== matchedKey) {
            await emptyDir(req.dir);
            const annotations = restored.trace.annotations;
            const said = annotations[0] ?? 'the client returned no entry';
            const message = `${req.label}: restoring ${matchedKey} failed, building cold with an empty cache dir: ${said}`;
            return finish({
                result: 'miss',
                bytes: 0,
                warning: annotations.length > 0 ? message : cache_warn(message)
            }, started);
        }
        const size = await measureDir(req.dir);
        if (size.files === 0) {
            // The client extracts relative to GITHUB_WORKSPACE (tar -C, ../..
            // paths): an archive saved on a runner whose workspace sits elsewhere
            // relative to the cache dir lands in another directory, not this one.
            return finish({
                result: 'miss',
                bytes: 0,
                warning: cache_warn(`${req.label}: ${matchedKey} was restored but ${req.dir} is still empty: the archive was saved on a runner whose workspace sits at another place relative to the cache dir (@actions/cache stores paths relative to GITHUB_WORKSPACE); building cold`)
            }, started);
        }
        return finish({
            result: matchedKey === req.key ? 'exact' : 'partial',
            matchedKey,
            bytes: size.bytes
        }, started);
    }
    catch (error) {
        return finish(await failed(req, error), started);
    }
}
/**
 * restoreCache throws only on validation errors (a key over 512 characters or
 * with a comma); anything else here is a file-system error.
 */
async function failed(req, error) {
    await emptyDir(req.dir).catch(() => undefined);
    return {
        result: 'miss',
        bytes: 0,
        warning: cache_warn(`${req.label}: restore failed, building cold: ${messageOf(error)}`)
    };
}
function finish(result, started) {
    return { ...result, seconds: (Date.now() - started) / 1000 };
}
/**
 * Saves one cache under its key. The key is looked up first (lookupOnly), so
 * a key that exists costs one lookup and no archive or upload. Never throws.
 */
async function saveCacheDir(req) {
    const started = Date.now();
    const done = (r) => ({
        ...r,
        seconds: (Date.now() - started) / 1000
    });
    const notSaved = (outcome, warning) => done({ outcome, bytes: 0, warning });
    try {
        const cache = await cacheClient();
        if (!cache.isFeatureAvailable()) {
            return notSaved('skipped', cache_warn(`${req.label}: not saved, the Actions cache service is not available`));
        }
        // A cheap emptiness check: measuring the tree waits until it is saved.
        const names = await (0,promises_.readdir)(req.dir).catch(() => []);
        if (names.length === 0) {
            return notSaved('skipped', `${req.label}: not saved, ${req.dir} is empty`);
        }
        const ms = deadlineOf(req).seconds * 1000;
        const lookup = await traceCall(() => cache.restoreCache(req.paths, req.key, [], { lookupOnly: true }), ms);
        if (lookup.kind === 'expired') {
            return notSaved('skipped', cache_warn(`${req.label}: not saved, the cache lookup got no answer within ${late(req)}${hintOf(req)}`));
        }
        if (lookup.trace.annotations.length > 0) {
            // The service is failing (rate limit, 5xx, denied): archiving now would
            // cost minutes for an upload that would fail the same way.
            return notSaved('failed', `${req.label}: not saved, the cache lookup failed: ${lookup.trace.annotations.join('; ')}`);
        }
        // The primary key is prefix-matched too: only an equal key means "exists".
        if (lookup.value === req.key)
            return done({ outcome: 'exists', bytes: 0 });
        const saved = await traceCall(() => cache.saveCache(req.paths, req.key), ms);
        if (saved.kind === 'expired') {
            return notSaved('skipped', cache_warn(`${req.label}: not saved, archiving and uploading took longer than ${late(req)} and was stopped${hintOf(req)}`));
        }
        if (saved.value > 0) {
            const size = await measureDir(req.dir);
            return done({ outcome: 'saved', bytes: size.bytes });
        }
        const failure = explainFailedSave(saved.trace);
        if (failure.outcome === 'reserved') {
            return done({ outcome: 'reserved', bytes: 0 });
        }
        const message = `${req.label}: not saved: ${failure.reason}`;
        return notSaved('failed', failure.clientWarned ? message : cache_warn(message));
    }
    catch (error) {
        // saveCache rejects on a missing token, on paths that match nothing and on
        // validation errors (actions/toolkit packages/cache/src/cache.ts, saveCacheV2).
        return notSaved('failed', cache_warn(`${req.label}: not saved: ${messageOf(error)}`));
    }
}
function deadlineOf(req) {
    return req.deadline ?? DEFAULT_DEADLINE;
}
/** "300 s", for messages. */
function late(req) {
    return `${deadlineOf(req).seconds} s`;
}
function hintOf(req) {
    const { hint } = deadlineOf(req);
    return hint ? ` (${hint})` : '';
}
/** Logs a warning the client did not log itself, and returns it for the summary. */
function cache_warn(message) {
    workflow_commands/* warning */.$e(message);
    return message;
}
/** Empties a cache dir (read-only module trees included) and keeps it. */
async function emptyDir(dir) {
    await emptyCacheDir(dir);
    await (0,promises_.mkdir)(dir, { recursive: true });
}
function messageOf(error) {
    return error instanceof Error ? error.message : String(error);
}

;// CONCATENATED MODULE: ./src/adapters/node-caches.ts
/**
 * The Go caches inside a kind node that has no mounts for them (reuse mode):
 * copied in and out with `docker cp`, and opened to every user for a stage
 * that runs as a non-root USER. Commands run through exec.ts as argument
 * arrays, in the forms the cluster double implements.
 */



/**
 * Reuse mode: the node has no mounts for the caches, so their content is
 * copied in. `<dir>/.` copies the dir's content into the
 * node path rather than the dir itself (docker cp semantics).
 */
async function copyCachesIntoNode(node, dirs) {
    for (const dir of dirs) {
        // The saved part goes in even when empty, so that copying it back out
        // finds it after a build that downloaded no module.
        await (0,promises_.mkdir)(external_node_path_default().join(dir.runnerDir, dir.savedSubdir ?? ''), {
            recursive: true
        });
        await mustRun('docker', ['exec', '--', node, 'mkdir', '-p', dir.nodePath]);
        await mustRun('docker', [
            'cp',
            '--',
            `${dir.runnerDir}/.`,
            `${node}:${dir.nodePath}`
        ]);
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
async function copyCachesFromNode(node, dirs) {
    for (const dir of dirs) {
        const sub = dir.savedSubdir ?? '';
        const nodePath = sub === '' ? dir.nodePath : `${dir.nodePath}/${sub}`;
        const runnerDir = sub === '' ? dir.runnerDir : `${dir.runnerDir}/${sub}`;
        await (0,promises_.mkdir)(runnerDir, { recursive: true });
        await mustRun('docker', ['cp', '--', `${node}:${nodePath}/.`, runnerDir]);
    }
}
/**
 * Opens the cache dirs in the node to every user (`docker exec <node> chmod
 * -R a+rwX`, as root in the node): kaniko runs a stage's RUN as its USER
 * (kaniko pkg/commands/run.go), and the restored dirs belong to the runner
 * user with mode 0755, so Go as any other user could not write its caches.
 */
async function openCacheDirsToAllUsers(node, nodePaths) {
    await mustRun('docker', [
        'exec',
        '--',
        node,
        'chmod',
        '-R',
        'a+rwX',
        ...nodePaths
    ]);
}

;// CONCATENATED MODULE: ./src/adapters/cluster.ts
/**
 * The kind cluster: create (one retry, the first failure's log kept), wait
 * for the nodes, reuse an existing cluster (caches copied in and out with
 * `docker cp`, in node-caches.ts), the cluster objects (namespaces, the registry's ConfigMap) in
 * one `kubectl apply`, and the clean-up. The local registry is in
 * registry.ts, the Athens module proxy in athens.ts.
 *
 * Every command runs through exec.ts as an argument array, in the forms the
 * cluster double (test-support/cluster-double) implements.
 */









/** The kubectl context kind creates for a cluster. */
function kubeContext(cluster) {
    return `kind-${cluster}`;
}
/**
 * Checks that the docker daemon answers.
 * @throws ClusterError with docker's message and the fix.
 */
async function checkDocker() {
    const result = await exec_run('docker', ['info', '--format', '{{.ServerVersion}}']);
    if (result.exitCode !== 0) {
        throw new ClusterError(`Docker is not reachable (docker info exited ${result.exitCode}): ${firstLine(result).replace(/\.+$/, '')}. kind needs a running Docker daemon: use a Linux runner with Docker, or start the daemon`, commandOutput(result));
    }
    return { serverVersion: result.stdout.trim() };
}
/** The kind clusters that exist; [] when there are none. */
async function listClusters() {
    const result = await exec_run('kind', ['get', 'clusters']);
    if (result.exitCode !== 0) {
        throw new ClusterError(`kind get clusters failed (exit ${result.exitCode}): ${firstLine(result)}`, commandOutput(result));
    }
    // "No kind clusters found." goes to stderr; stdout is one name per line.
    return lines(result.stdout);
}
/** True when a kind cluster of that name exists. */
async function clusterExists(cluster) {
    return (await listClusters()).includes(cluster);
}
/**
 * The Kubernetes node containers of a cluster, control-plane first, e.g.
 * `<n>-control-plane`. Listed the way kind lists them (kind
 * pkg/cluster/internal/providers/docker/provider.go, ListNodes: `docker ps
 * -a` filtered by the cluster label), with the role label beside each name,
 * so the external load balancer of a multi-control-plane cluster, which
 * `kind get nodes` lists too, is left out.
 */
async function nodeNames(cluster) {
    const result = await exec_run('docker', [
        'ps',
        '-a',
        '--filter',
        `label=${KIND_LABELS.cluster}=${cluster}`,
        '--format',
        `{{.Names}}\t{{.Label "${KIND_LABELS.role}"}}`
    ]);
    const nodes = kubernetesNodes(lines(result.stdout).map((line) => {
        const [name, role = ''] = line.split('\t');
        return { name, role };
    }));
    if (result.exitCode !== 0 || nodes.length === 0) {
        throw new ClusterError(`kind cluster ${cluster} has no nodes (docker ps -a --filter label=${KIND_LABELS.cluster}=${cluster}: ${firstLine(result) || 'no output'})`, commandOutput(result));
    }
    return nodes;
}
/**
 * What kind prints when `--wait` ran out: it waits only for the
 * control-plane nodes to be Ready, and on a time-out prints this warning and
 * still exits 0 (kubernetes-sigs/kind
 * pkg/cluster/internal/create/actions/waitforready/waitforready.go, Execute).
 */
const KIND_WAIT_TIMED_OUT = /Timed out waiting for Ready/;
/** Both attempts failed; the first failure's log is kept next to the second's. */
class ClusterCreateError extends ClusterError {
    cluster;
    failures;
    constructor(cluster, failures) {
        const [first, second] = failures;
        super(`kind create cluster ${cluster} failed twice (exit ${first.exitCode}, then ${second.exitCode}). ` +
            `First attempt: ${lastLines(first.output, 5)}. Second attempt: ${lastLines(second.output, 5)}. ` +
            `Node logs: ${[first.logsDir, second.logsDir].filter((d) => d !== '').join(', ') || 'not exported'}. ` +
            `Check the node-image and kind-config inputs, and that Docker has enough disk and memory`, `--- attempt 1 ---\n${first.output}\n--- attempt 2 ---\n${second.output}`);
        this.cluster = cluster;
        this.failures = failures;
        this.name = 'ClusterCreateError';
    }
}
/**
 * Creates the cluster with the generated config, retrying once. The caller
 * has checked that no cluster of that name exists: the retry deletes the
 * failed attempt's cluster, which must be this run's.
 * `--retain` keeps a failed attempt's nodes so `kind export logs`
 * has something to export; the failed cluster is then deleted.
 * @throws ClusterCreateError when both attempts fail.
 */
async function createCluster(request) {
    const started = Date.now();
    for (const dir of request.hostDirs)
        await (0,promises_.mkdir)(dir, { recursive: true });
    const configPath = external_node_path_default().join(request.runnerTemp, `skaffold-kaniko-cache-kind-${request.name}.yaml`);
    await (0,promises_.writeFile)(configPath, request.configText, { mode: 0o600 });
    const args = [
        'create',
        'cluster',
        '--name',
        request.name,
        '--config',
        configPath,
        '--wait',
        request.wait ?? '120s',
        ...(request.image === undefined ? [] : ['--image', request.image]),
        '--retain'
    ];
    const failures = [];
    for (let attempt = 1; attempt <= 2; attempt++) {
        const result = await exec_run('kind', args, { log: true });
        if (result.exitCode === 0) {
            return {
                configPath,
                attempts: attempt,
                seconds: elapsed(started),
                controlPlaneReady: !KIND_WAIT_TIMED_OUT.test(commandOutput(result)),
                ...(failures[0] === undefined ? {} : { firstFailure: failures[0] })
            };
        }
        const logsDir = external_node_path_default().join(request.runnerTemp, `kind-logs-${request.name}-attempt${attempt}`);
        const exported = await exec_run('kind', [
            'export',
            'logs',
            '--name',
            request.name,
            '--',
            logsDir
        ]);
        failures.push({
            exitCode: result.exitCode,
            output: commandOutput(result),
            logsDir: exported.exitCode === 0 ? logsDir : ''
        });
        await tryRun('kind', ['delete', 'cluster', '--name', request.name]);
        if (attempt === 1) {
            workflow_commands/* warning */.$e(`kind create cluster ${request.name} failed (exit ${result.exitCode}); retrying once. ${lastLines(commandOutput(result), 3)}`);
        }
    }
    throw new ClusterCreateError(request.name, [failures[0], failures[1]]);
}
/**
 * Waits until every node reports Ready.
 * @throws ClusterError with kubectl's output.
 */
async function waitForNodes(cluster, timeout = '120s') {
    const started = Date.now();
    const result = await exec_run('kubectl', [
        '--context',
        kubeContext(cluster),
        'wait',
        '--for=condition=Ready',
        '--all',
        `--timeout=${timeout}`,
        '--',
        'nodes'
    ], { log: true });
    if (result.exitCode !== 0) {
        throw new ClusterError(`The nodes of kind cluster ${cluster} did not become Ready within ${timeout}: ${firstLine(result)}`, commandOutput(result));
    }
    return { seconds: elapsed(started) };
}
/**
 * For create-cluster: false: checks the cluster exists.
 * @throws ClusterError naming the clusters found and the fix.
 */
async function requireCluster(cluster) {
    const clusters = await listClusters();
    if (!clusters.includes(cluster)) {
        throw new ClusterError(`Input 'create-cluster' is false, but there is no kind cluster named ${cluster} (found: ${clusters.length === 0 ? 'none' : clusters.join(', ')}). Set cluster-name to an existing cluster, or set create-cluster: true`);
    }
}
/**
 * Applies the cluster objects (kind/objects.ts) in one `kubectl apply -f -`.
 * `apply` creates what is missing and leaves what matches alone, so nothing
 * is looked up first, and it creates the objects in the order of the stream,
 * so a Namespace comes before what lives in it (kubernetes/kubectl
 * pkg/cmd/apply/apply.go, Run: one pass over the objects read in order).
 * Names travel in the manifest on stdin, never as arguments kubectl parses.
 * @throws ClusterError with kubectl's output.
 */
async function applyObjects(cluster, manifest) {
    const context = kubeContext(cluster);
    const result = await exec_run('kubectl', ['--context', context, 'apply', '-f', '-'], {
        input: manifest
    });
    if (result.exitCode !== 0) {
        throw new ClusterError(`kubectl apply in ${context} failed (exit ${result.exitCode}): ${firstLine(result)}`, commandOutput(result));
    }
    return { lines: lines(result.stdout) };
}
/**
 * Post step: deletes the cluster and removes the service containers this
 * run started. Never throws; failures become warnings.
 */
async function cleanupCluster(request) {
    const warnings = [];
    let clusterDeleted = false;
    if (request.cluster !== undefined && request.cluster !== '') {
        const result = await exec_run('kind', ['delete', 'cluster', '--name', request.cluster], { log: true });
        clusterDeleted = result.exitCode === 0;
        if (!clusterDeleted) {
            warnings.push(`kind delete cluster --name ${request.cluster} failed (exit ${result.exitCode}): ${firstLine(result)}`);
        }
    }
    const removed = await removeRunContainers(request.containers, request.run);
    warnings.push(...removed.warnings);
    return {
        clusterDeleted,
        containersRemoved: removed.removed,
        warnings
    };
}
/**
 * Post step: deletes one secret, a missing one being no error (kubectl
 * pkg/cmd/delete/delete.go, --ignore-not-found). Never throws: returns the
 * command line, for a warning, and kubectl's first line when it failed.
 */
async function deleteSecret(request) {
    const args = [
        ...(request.context ? ['--context', request.context] : []),
        'delete',
        'secret',
        ...(request.namespace ? ['--namespace', request.namespace] : []),
        '--ignore-not-found',
        '--',
        request.name
    ];
    const result = await exec_run('kubectl', args, { log: true });
    const command = `kubectl ${args.join(' ')}`;
    return result.exitCode === 0
        ? { command }
        : { command, error: `exit ${result.exitCode}: ${firstLine(result)}` };
}
/** The kube context kubectl uses when none is named; '' when none is set. */
async function currentKubeContext() {
    const result = await exec_run('kubectl', ['config', 'current-context']);
    return result.exitCode === 0
        ? (result.stdout.trim().split('\n')[0] ?? '')
        : '';
}

;// CONCATENATED MODULE: ./src/skaffold/git-exclude.ts
/**
 * Entries that keep the patched copies out of git's view while they exist.
 * skaffold's default tagger appends `-dirty` to the tag when
 * `git status . --porcelain` prints anything in the artifact's workspace
 * (skaffold pkg/skaffold/tag/git_commit.go GenerateTag), and an untracked
 * copy beside the config counts. git also reads `.git/info/exclude`, which is
 * never committed (gitignore(5)), so the action lists each copy there and
 * removes exactly its own lines afterwards. Pure: text in, text out.
 */
/** The comment line that marks the entry after it as the action's. */
const EXCLUDE_MARKER = '# skaffold-kaniko-cache: patched skaffold config, removed by the post step';
/**
 * The exclude pattern for one file: anchored at the work tree root (leading
 * `/`), with gitignore's special characters escaped (gitignore(5)).
 * @param relativePath the path from the work tree root, `/`-separated.
 */
function excludePattern(relativePath) {
    const escaped = relativePath
        .replace(/[\\*?[\]!#]/g, (c) => `\\${c}`)
        .replace(/ $/, '\\ ');
    return `/${escaped}`;
}
/**
 * Adds each pattern, preceded by the marker, unless the file already has
 * that pattern (the user's line is left to do the job).
 */
function addExcludeEntries(text, patterns) {
    const lines = text === '' ? [] : text.replace(/\n$/, '').split('\n');
    const added = [];
    for (const pattern of patterns) {
        if (lines.includes(pattern) || added.includes(pattern))
            continue;
        added.push(pattern);
    }
    if (added.length === 0)
        return text;
    const head = text === '' || text.endsWith('\n') ? text : `${text}\n`;
    return head + added.map((p) => `${EXCLUDE_MARKER}\n${p}\n`).join('');
}
/** Removes the marker + pattern pairs the action added; every other line stays. */
function git_exclude_removeExcludeEntries(text, patterns) {
    const lines = text.split('\n');
    const out = [];
    for (let i = 0; i < lines.length; i++) {
        if (lines[i] === EXCLUDE_MARKER && patterns.includes(lines[i + 1])) {
            i++;
            continue;
        }
        out.push(lines[i]);
    }
    return out.join('\n');
}

;// CONCATENATED MODULE: ./src/adapters/patched-copies.ts
/**
 * The copies the action writes beside the user's files (patched skaffold
 * configs, Dockerfile copies) and their lines in git's info/exclude: listed
 * when written, removed by the post step. Kept apart from the skaffold and
 * Dockerfile code so the post step, which only removes the copies, loads
 * neither yaml nor dockerfile-ast.
 */




/**
 * Writes files the action puts beside the user's (each a new file renamed
 * into place, so a symlink already at the path is replaced, not written
 * through) and lists them in git's info/exclude: an untracked file would make
 * skaffold's git tagger append -dirty.
 * @returns the paths written (the post step removes them).
 */
async function writeUntrackedCopies(files) {
    const written = [];
    for (const file of files) {
        await replaceFile(file.path, file.text, file.mode);
        written.push(file.path);
    }
    await excludeCopiesFromGit(written);
    return written;
}
/** Lists the copies in their work tree's git info/exclude (best effort). */
async function excludeCopiesFromGit(files) {
    await editGitExcludes(files, addExcludeEntries);
}
/**
 * Where git keeps the info/exclude file for `file`'s work tree, and the
 * file's path from that work tree's root; null outside a git work tree. A
 * `.git` file (a linked worktree or submodule) names its git dir, whose
 * `commondir` names the repository's shared dir, where info/ lives
 * (gitrepository-layout(5)).
 */
async function gitExcludeFor(file) {
    let dir = (0,external_node_path_.dirname)((0,external_node_path_.resolve)(file));
    for (;;) {
        const dotGit = (0,external_node_path_.join)(dir, '.git');
        const info = await (0,promises_.stat)(dotGit).catch(() => null);
        if (info !== null) {
            let gitDir = dotGit;
            if (info.isFile()) {
                const match = /^gitdir:\s*(.+?)\s*$/m.exec(await (0,promises_.readFile)(dotGit, 'utf8'));
                if (match === null)
                    return null;
                gitDir = (0,external_node_path_.resolve)(dir, match[1]);
            }
            const common = await (0,promises_.readFile)((0,external_node_path_.join)(gitDir, 'commondir'), 'utf8').catch(() => '');
            const commonDir = common.trim() ? (0,external_node_path_.resolve)(gitDir, common.trim()) : gitDir;
            return {
                exclude: (0,external_node_path_.join)(commonDir, 'info', 'exclude'),
                relativePath: (0,external_node_path_.relative)(dir, (0,external_node_path_.resolve)(file)).split(external_node_path_.sep).join('/')
            };
        }
        const parent = (0,external_node_path_.dirname)(dir);
        if (parent === dir)
            return null;
        dir = parent;
    }
}
/**
 * Applies `edit` to the info/exclude file of each file's work tree with the
 * files' patterns. Best effort: a file outside git, or an exclude file that
 * cannot be written, only costs the `-dirty` suffix.
 */
async function editGitExcludes(files, edit) {
    const byExclude = new Map();
    for (const file of files) {
        const found = await gitExcludeFor(file).catch(() => null);
        if (found === null)
            continue;
        const patterns = byExclude.get(found.exclude) ?? [];
        patterns.push(excludePattern(found.relativePath));
        byExclude.set(found.exclude, patterns);
    }
    for (const [exclude, patterns] of byExclude) {
        try {
            const text = await (0,promises_.readFile)(exclude, 'utf8').catch(() => '');
            const edited = edit(text, patterns);
            if (edited === text)
                continue;
            // git writes info/exclude 0644; replaced, never written through a link.
            await writeText(exclude, edited, 0o644);
        }
        catch {
            // Not ours to fail over: the tag only gets -dirty.
        }
    }
}
/**
 * Removes the patched copies and their git exclude entries; never throws
 * (post step).
 */
async function removePatchedCopies(paths) {
    await editGitExcludes(paths, removeExcludeEntries);
    const removed = [];
    const failed = [];
    for (const path of paths) {
        try {
            await rm(path, { force: true });
            removed.push(path);
        }
        catch (error) {
            failed.push({ path, error: error.message });
        }
    }
    return { removed, failed };
}

// EXTERNAL MODULE: ./node_modules/dockerfile-ast/lib/main.js
var main = __webpack_require__(8390);
;// CONCATENATED MODULE: ./src/dockerfile/check.ts
/**
 * Dockerfile check (docs/design.md#the-dockerfile-check): a build arg reaches a `RUN` step only when
 * that stage declares `ARG NAME` after its `FROM` (kaniko filters the others
 * out, as docker does). One missing `ARG GOCACHE` and the build silently runs
 * cold. Pure: Dockerfile text in, findings out.
 */

/**
 * docker's predefined args reach RUN without an ARG line (moby
 * builder/dockerfile/buildargs.go builtinAllowedBuildArgs).
 */
const PREDEFINED_ARGS = new Set(['HTTP_PROXY', 'HTTPS_PROXY', 'FTP_PROXY', 'NO_PROXY', 'ALL_PROXY'].flatMap((name) => [name, name.toLowerCase()]));
/** Go commands that read the module and build caches. */
const GO_COMMAND = /(^|[\s;&|()`])go\s+(build|install|mod\s+download|test|run|generate|vet|get|list)\b/;
/** The stages of a Dockerfile, and the instructions before the first FROM. */
function splitStages(instructions) {
    const stages = [];
    const globals = [];
    for (const instruction of instructions) {
        const keyword = instruction.getKeyword().toUpperCase();
        if (keyword === 'FROM') {
            const args = (instruction.getArgumentsContent() ?? '').trim();
            const match = /\s+as\s+(\S+)\s*$/i.exec(args);
            const image = args
                .split(/\s+/)
                .filter((word) => !word.startsWith('--'))[0];
            stages.push({
                index: stages.length,
                name: match ? match[1] : '',
                from: image ?? '',
                fromLine: instruction.getRange().start.line + 1,
                instructions: []
            });
        }
        else if (stages.length === 0) {
            globals.push(instruction);
        }
        else {
            stages[stages.length - 1].instructions.push(instruction);
        }
    }
    return { stages, globals };
}
/** Names an ARG line declares (`ARG A B=2` declares two). */
function argNames(instruction) {
    const content = (instruction.getArgumentsContent() ?? '').trim();
    return content
        .split(/\s+/)
        .map((token) => token.split('=')[0])
        .filter((name) => name !== '');
}
/** The command text of a RUN, in shell, exec (JSON) or heredoc form. */
function runText(instruction) {
    return (instruction.getArgumentsContent() ?? '').replace(/[[\]",]/g, ' ');
}
function envNames(instruction) {
    const content = (instruction.getArgumentsContent() ?? '').trim();
    // `ENV KEY value` (legacy form) or `ENV K1=v1 K2=v2`.
    if (!content.includes('=') || /^\S+\s/.test(content.split('=')[0])) {
        return [content.split(/\s+/)[0]];
    }
    return [...content.matchAll(/(?:^|\s)([A-Za-z_][A-Za-z0-9_]*)=/g)].map((m) => m[1]);
}
/** True for a USER that is root: `root`, `0`, with or without a group. */
function isRootUser(user) {
    const name = user.split(':')[0];
    return name === '' || name === 'root' || name === '0';
}
/**
 * The USER a stage's instructions before `line` leave in effect, following
 * `FROM <earlier stage>` (a stage starts with its parent's config).
 */
function userBefore(stage, line, stages) {
    let found;
    const parent = stages.find((s) => s.index < stage.index &&
        s.name !== '' &&
        s.name.toLowerCase() === stage.from.toLowerCase());
    if (parent)
        found = userBefore(parent, Infinity, stages);
    for (const instruction of stage.instructions) {
        const at = instruction.getRange().start.line + 1;
        if (at >= line)
            break;
        if (instruction.getKeyword().toUpperCase() === 'USER') {
            found = {
                user: (instruction.getArgumentsContent() ?? '').trim(),
                line: at
            };
        }
    }
    return found;
}
function stageLabel(stage) {
    return stage.name ? `stage "${stage.name}"` : `stage ${stage.index}`;
}
/**
 * Checks one Dockerfile for the build args the action passes.
 * @returns findings in line order; empty when every Go stage declares them.
 */
function checkDockerfile(input) {
    const findings = [];
    const dockerfile = main.DockerfileParser.parse(input.text);
    const { stages, globals } = splitStages(dockerfile.getInstructions());
    if (stages.length === 0)
        return findings;
    let last = stages.length - 1;
    if (input.target !== '') {
        const found = stages.find((s) => s.name.toLowerCase() === input.target.toLowerCase());
        if (!found) {
            findings.push({
                file: input.file,
                line: 0,
                kind: 'target-not-found',
                message: `target "${input.target}" is not a stage of this Dockerfile (stages: ${stages.map((s) => s.name || String(s.index)).join(', ')})`,
                fix: ''
            });
            return findings;
        }
        last = found.index;
    }
    const globalArgs = new Set(globals
        .filter((i) => i.getKeyword().toUpperCase() === 'ARG')
        .flatMap(argNames));
    const wanted = input.buildArgs.filter((a) => !PREDEFINED_ARGS.has(a));
    let goStages = 0;
    // kaniko builds every stage up to the target (without skipUnusedStages).
    for (const stage of stages.slice(0, last + 1)) {
        for (const run of stage.instructions) {
            if (run.getKeyword().toUpperCase() !== 'RUN')
                continue;
            const flags = run.getFlags?.();
            const cacheMount = (flags ?? []).some((f) => f.getName() === 'mount' &&
                /(^|,)type=cache(,|$)/.test(f.getValue() ?? ''));
            if (cacheMount) {
                findings.push({
                    file: input.file,
                    line: run.getRange().start.line + 1,
                    kind: 'cache-mount-ignored',
                    message: `RUN --mount=type=cache is ignored by kaniko (no cache is mounted there); the action's GOMODCACHE/GOCACHE mounts and build args take its place`,
                    fix: ''
                });
            }
        }
        const firstGo = stage.instructions.find((i) => i.getKeyword().toUpperCase() === 'RUN' && GO_COMMAND.test(runText(i)));
        if (!firstGo)
            continue;
        goStages++;
        const goLine = firstGo.getRange().start.line + 1;
        // kaniko runs RUN as the stage's USER (kaniko pkg/commands/run.go,
        // runCommandInExec), and the cache dirs belong to the runner user.
        const user = userBefore(stage, goLine, stages);
        if (user && !isRootUser(user.user)) {
            findings.push({
                file: input.file,
                line: user.line,
                kind: 'go-stage-user',
                message: `${stageLabel(stage)} runs Go at line ${goLine} as USER ${user.user} (line ${user.line}): kaniko runs RUN as that user, so it must be able to write the Go caches`,
                fix: ''
            });
        }
        const before = stage.instructions.filter((i) => i.getRange().start.line + 1 < goLine);
        const declared = new Set(before
            .filter((i) => i.getKeyword().toUpperCase() === 'ARG')
            .flatMap(argNames));
        for (const name of wanted) {
            if (declared.has(name))
                continue;
            const global = globalArgs.has(name)
                ? ` (the ARG ${name} before the first FROM does not reach the stage)`
                : '';
            findings.push({
                file: input.file,
                line: stage.fromLine,
                kind: 'missing-arg',
                message: `${stageLabel(stage)} runs Go at line ${goLine} but does not declare ARG ${name} after its FROM${global}; kaniko passes the build arg only to stages that declare it. Add "ARG ${name}" after line ${stage.fromLine}`,
                fix: `ARG ${name}`
            });
        }
        for (const env of before.filter((i) => i.getKeyword().toUpperCase() === 'ENV')) {
            for (const name of envNames(env)) {
                if (name === 'GOCACHE' || name === 'GOMODCACHE') {
                    if (!wanted.includes(name))
                        continue;
                    findings.push({
                        file: input.file,
                        line: env.getRange().start.line + 1,
                        kind: 'env-overrides-arg',
                        message: `ENV ${name} overrides the ${name} build arg, so Go does not use the mounted cache; remove it or write ENV ${name}=$${name}`,
                        fix: ''
                    });
                }
            }
        }
    }
    if (goStages === 0 && wanted.length > 0) {
        findings.push({
            file: input.file,
            line: 0,
            kind: 'no-go-stage',
            message: `no stage up to ${input.target ? `target "${input.target}"` : 'the last one'} runs go build, go install, go mod download or go test: the Go caches are not used by this image`,
            fix: ''
        });
    }
    return findings.sort((a, b) => a.line - b.line);
}
/**
 * kaniko v1.7.0 rejects `--whitelist-var-run` (kaniko PR #1956 fixed it in
 * v1.8.0), so `whitelistVarRun: true` with that pin fails every build.
 */
function checkKanikoFlags(input) {
    if (!input.whitelistVarRun || !/:v1\.7\.0(@|$)/.test(input.kanikoImage)) {
        return [];
    }
    return [
        {
            file: input.file,
            line: input.line,
            kind: 'whitelist-var-run-v1.7.0',
            message: `artifact "${input.image}" pins kaniko ${input.kanikoImage} with whitelistVarRun: true; kaniko v1.7.0 fails with "unknown flag: --whitelist-var-run". Drop whitelistVarRun (newer kaniko ignores /var/run by default) or use kaniko v1.8.0 or newer`,
            fix: ''
        }
    ];
}

;// CONCATENATED MODULE: ./src/skaffold/product-files.ts
/**
 * The kind product files and configs too old for `kaniko.ignorePaths`.
 * kind's node image copies /kind/product_uuid (and product_name) into every
 * container's root and bind-mounts them over the DMI files
 * (kubernetes-sigs/kind images/base/files/kind/bin/mount-product-files.sh).
 * kaniko wipes its root after every stage but the last it builds
 * (GoogleContainerTools/kaniko pkg/executor/build.go DoBuild) and cannot
 * remove /product_uuid: `unlinkat //product_uuid: device or resource busy`
 * (kaniko issue 2164). Only `--ignore-path` avoids it, and skaffold writes
 * that flag from `kaniko.ignorePaths`, which exists from skaffold/v4beta2 on.
 * So an older config whose Dockerfile has several stages fails on kind. Pure.
 */


/**
 * @returns a finding when kaniko builds more than one stage and the config's
 * apiVersion cannot carry ignorePaths; empty otherwise.
 */
function checkProductFiles(input) {
    const info = describeApiVersion(input.apiVersion);
    if (info === null || info.hasIgnorePaths)
        return [];
    const stages = countStages(input.text, input.target);
    if (stages.upToTarget < 2)
        return [];
    const unless = stages.needed < 2
        ? ' (unless kaniko.skipUnusedStages leaves only the one stage the target needs)'
        : '';
    return [
        {
            file: input.file,
            line: input.line,
            kind: 'product-files-not-ignored',
            message: `artifact "${input.image}": ${input.dockerfile} has ${stages.upToTarget} stages up to its target, and kaniko wipes its filesystem between stages, which fails on kind with "unlinkat //product_uuid: device or resource busy" (kaniko issue 2164)${unless}. The fix, kaniko.ignorePaths, needs skaffold/v4beta2 or newer, and this config is ${input.apiVersion}. Upgrade it with \`skaffold fix --overwrite -f ${input.file}\` (the action then adds ignorePaths: [/product_uuid, /product_name] to its copy), or use a single-stage Dockerfile.`,
            fix: ''
        }
    ];
}
/**
 * How many stages kaniko builds for the target: every stage up to it by
 * default, and at least the stages it depends on (FROM <stage>,
 * COPY --from=<stage>), all that skipUnusedStages builds.
 */
function countStages(text, target) {
    const stages = [];
    for (const instruction of main.DockerfileParser.parse(text).getInstructions()) {
        const keyword = instruction.getKeyword().toUpperCase();
        // dockerfile-ast leaves flags (--platform, --from) out of the
        // arguments: read them from the instruction's text.
        const args = instruction.getTextContent().trim().split(/\s+/).slice(1);
        if (keyword === 'FROM') {
            const words = args.filter((a) => !a.startsWith('--'));
            const as = words.findIndex((w) => w.toLowerCase() === 'as');
            stages.push({
                name: as >= 0 ? (words[as + 1] ?? '').toLowerCase() : '',
                from: (words[0] ?? '').toLowerCase(),
                copyFrom: []
            });
        }
        else if (keyword === 'COPY' && stages.length > 0) {
            for (const a of args) {
                const m = /^--from=(.+)$/i.exec(a);
                if (m)
                    stages[stages.length - 1].copyFrom.push(m[1].toLowerCase());
            }
        }
    }
    const indexOf = (ref) => {
        const named = stages.findIndex((s) => s.name !== '' && s.name === ref);
        return named >= 0 ? named : /^\d+$/.test(ref) ? Number(ref) : -1;
    };
    const targetIndex = target === '' ? stages.length - 1 : indexOf(target.toLowerCase());
    if (targetIndex < 0 || targetIndex >= stages.length)
        return { upToTarget: 0, needed: 0 };
    const needed = new Set();
    const visit = (i) => {
        if (i < 0 || i >= stages.length || needed.has(i))
            return;
        needed.add(i);
        const parent = indexOf(stages[i].from);
        if (parent < i)
            visit(parent);
        for (const ref of stages[i].copyFrom) {
            const dep = indexOf(ref);
            if (dep < i)
                visit(dep);
        }
    };
    visit(targetIndex);
    return { upToTarget: targetIndex + 1, needed: needed.size };
}

;// CONCATENATED MODULE: ./src/adapters/skaffold-files.ts
/**
 * The file-system side of the skaffold patcher: read the root config and the
 * local configs it requires, write the patched copies (mode 0600), remove
 * them in the post step, read the Dockerfiles for the check. The decisions
 * are made by the pure modules in src/skaffold/ and src/dockerfile/.
 */










/**
 * Reads the root config and, recursively, every local `requires[].path`
 * config (a directory stands for its skaffold.yaml). Files that do not exist
 * are left out: the patcher reports them with the line of the requires entry.
 * @throws SkaffoldConfigError when the root config cannot be read.
 */
async function readSkaffoldConfigs(rootPath) {
    const root = (0,external_node_path_.resolve)(rootPath);
    let text;
    try {
        text = await (0,promises_.readFile)(root, 'utf8');
    }
    catch (error) {
        throw new SkaffoldConfigError(rootPath, 0, 0, `cannot read the skaffold config: ${error.code ?? error.message}; check skaffold-file and working-directory`);
    }
    const files = [{ path: root, text }];
    const seen = new Set([root]);
    for (let i = 0; i < files.length; i++) {
        for (const r of listLocalRequires(files[i]).local) {
            const path = await configFileAt(r.resolved);
            if (path === null || seen.has(path))
                continue;
            seen.add(path);
            try {
                files.push({ path, text: await (0,promises_.readFile)(path, 'utf8') });
            }
            catch {
                // Unreadable: the patcher names it with the requires line.
            }
        }
    }
    return files;
}
async function configFileAt(path) {
    try {
        const info = await (0,promises_.stat)(path);
        return info.isDirectory() ? (0,external_node_path_.join)(path, 'skaffold.yaml') : path;
    }
    catch {
        return null;
    }
}
/**
 * Reads, patches and writes the copies beside the originals (mode 0600: they
 * may carry a proxy URL with credentials). The user's files are never changed.
 * @throws SkaffoldConfigError / PatchOptionsError for bad input.
 */
async function preparePatchedConfigs(rootPath, options) {
    const files = await readSkaffoldConfigs(rootPath);
    return writePatchedCopies(patchSkaffoldConfigs(files, options));
}
/**
 * Writes the copies a patch result needs beside their originals (mode 0600:
 * they may carry a proxy URL with credentials), each by a temporary file and
 * a rename, so nothing at the copy's path is followed.
 */
async function writePatchedCopies(result) {
    const writtenFiles = await writeUntrackedCopies(result.files
        .filter((file) => file.needsCopy)
        .map((file) => ({ path: file.copyPath, text: file.text, mode: 0o600 })));
    return {
        patchedRootPath: result.rootPath,
        writtenFiles,
        report: result.report,
        result
    };
}
/**
 * Checks the Dockerfile of every patched artifact. Paths in the root config
 * resolve against the directory skaffold runs in (`workingDir`), paths in a
 * required config against that config's directory (skaffold pkg/skaffold/parser/config.go; docs/upstream-behaviour.md#multiple-configs-and-requires).
 */
async function checkDockerfilesFor(report, rootPath, workingDir) {
    const root = (0,external_node_path_.resolve)(rootPath);
    const findings = [];
    const checked = new Set();
    for (const artifact of report.artifacts) {
        if (artifact.status === 'skipped')
            continue;
        findings.push(...checkKanikoFlags({
            file: artifact.file,
            line: artifact.line,
            image: artifact.image,
            kanikoImage: artifact.kanikoImage,
            whitelistVarRun: artifact.whitelistVarRun
        }));
        const path = dockerfilePath(artifact, root, workingDir);
        const key = `${path}#${artifact.target}#${Object.keys(artifact.buildArgs).join(',')}`;
        if (checked.has(key))
            continue;
        checked.add(key);
        let text;
        try {
            text = await (0,promises_.readFile)(path, 'utf8');
        }
        catch (error) {
            findings.push({
                file: path,
                line: 0,
                kind: 'dockerfile-missing',
                message: `cannot read the Dockerfile of artifact "${artifact.image}" (${error.code ?? 'error'}); skaffold needs it on the runner to evaluate build args`,
                fix: ''
            });
            continue;
        }
        findings.push(...checkDockerfile({
            file: path,
            text,
            target: artifact.target,
            buildArgs: Object.keys(artifact.buildArgs)
        }), ...checkProductFiles({
            file: artifact.file,
            line: artifact.line,
            image: artifact.image,
            apiVersion: report.documents.find((d) => d.file === artifact.file && d.document === artifact.document)?.apiVersion ?? '',
            dockerfile: path,
            text,
            target: artifact.target
        }));
    }
    return findings;
}
/** Where an artifact's context is: relative to the working dir for the root config, else to its config's dir. */
function contextPath(artifact, rootPath, workingDir) {
    const base = (0,external_node_path_.resolve)(artifact.file) === (0,external_node_path_.resolve)(rootPath)
        ? (0,external_node_path_.resolve)(workingDir)
        : (0,external_node_path_.dirname)((0,external_node_path_.resolve)(artifact.file));
    return (0,external_node_path_.resolve)(base, artifact.context);
}
/** Where an artifact's Dockerfile is: context + dockerfile (relative to context). */
function dockerfilePath(artifact, rootPath, workingDir) {
    const context = contextPath(artifact, rootPath, workingDir);
    return (0,external_node_path_.isAbsolute)(artifact.dockerfile)
        ? artifact.dockerfile
        : (0,external_node_path_.join)(context, artifact.dockerfile);
}
/**
 * Reads the Dockerfile of every patched artifact, for the copy planner.
 * Unreadable ones are left out (the Dockerfile check reports them).
 */
async function readArtifactDockerfiles(report, rootPath, workingDir) {
    const root = (0,external_node_path_.resolve)(rootPath);
    const out = [];
    for (const artifact of report.artifacts) {
        if (artifact.status === 'skipped')
            continue;
        const path = dockerfilePath(artifact, root, workingDir);
        const text = await readTextIfExists(path);
        if (text === undefined)
            continue;
        out.push({
            key: artifactKey(artifact),
            image: artifact.image,
            path,
            dockerfile: artifact.dockerfile,
            target: artifact.target,
            buildArgs: Object.keys(artifact.buildArgs),
            text
        });
    }
    return out;
}
/**
 * Writes each Dockerfile copy beside its original (temporary file and
 * rename; the original is only read). The copy's `.dockerignore` is planned
 * apart (src/dockerfile/ignore.ts) and written by writeContextIgnores.
 * @returns the paths written (remove them in the post step).
 */
async function writeDockerfileCopies(copies) {
    return writeUntrackedCopies(copies.map((copy) => ({
        path: copy.copyPath,
        text: copy.text,
        mode: 0o644
    })));
}

;// CONCATENATED MODULE: ./src/adapters/context-ignore.ts
/**
 * The file-system side of src/dockerfile/ignore.ts: read each artifact's
 * ignore files, write the planned ones (mode 0644, by a temporary file and a
 * rename) and list them in git's info/exclude like the other copies.
 */





/**
 * The text of the ignore file at `path`: undefined when nothing is there;
 * '' when something is there that cannot be read (it is still the user's).
 */
async function ignoreText(path) {
    const info = await external_node_fs_.promises.lstat(path).catch(() => undefined);
    if (info === undefined)
        return undefined;
    return external_node_fs_.promises.readFile(path, 'utf8').catch(() => '');
}
/**
 * Each patched artifact's context, Dockerfile (and the copy it builds from,
 * per `overrides`, the copy plan's artifactKey() → value map) and ignore
 * files.
 */
async function readArtifactContexts(report, rootPath, workingDir, copies, overrides) {
    const root = (0,external_node_path_.resolve)(rootPath);
    const out = [];
    for (const artifact of report.artifacts) {
        if (artifact.status === 'skipped')
            continue;
        const context = contextPath(artifact, root, workingDir);
        const dockerfile = dockerfilePath(artifact, root, workingDir);
        const copy = artifactKey(artifact) in overrides
            ? copies.find((c) => c.original === dockerfile)
            : undefined;
        out.push({
            image: artifact.image,
            context,
            dockerfile,
            used: copy?.copyPath ?? dockerfile,
            ownIgnore: await ignoreText(`${dockerfile}.dockerignore`),
            contextIgnore: await ignoreText((0,external_node_path_.resolve)(context, '.dockerignore'))
        });
    }
    return out;
}
/**
 * Writes the planned ignore files and hides them from git like the copies
 * (an untracked file makes skaffold's git tagger append -dirty).
 * @returns the paths written (remove them in the post step).
 */
async function writeContextIgnores(files) {
    return writeUntrackedCopies(files.map((file) => ({ path: file.path, text: file.text, mode: 0o644 })));
}

;// CONCATENATED MODULE: ./src/adapters/hash.ts
/**
 * Hash of the files that key the module cache (cache-dependency-path).
 */
/**
 * @actions/glob, loaded on first use: it loads @actions/core and its HTTP
 * stack, which would otherwise delay the step's first log line.
 */
const loadGlob = () => Promise.all(/* import() */[__webpack_require__.e(838), __webpack_require__.e(377)]).then(__webpack_require__.bind(__webpack_require__, 2377));
/**
 * sha256 over the files matched by the globs, relative to root, the way
 * actions/cache's hashFiles() expression does it. '' when nothing matched.
 */
async function hashDependencyFiles(patterns, root) {
    const glob = await loadGlob();
    return glob.hashFiles(anchorPatterns(patterns, root).join('\n'), root, {
        followSymbolicLinks: false
    });
}
/** The files the globs match (absolute paths, symlinks not followed), sorted. */
async function listDependencyFiles(patterns, root) {
    const glob = await loadGlob();
    const globber = await glob.create(anchorPatterns(patterns, root).join('\n'), {
        followSymbolicLinks: false,
        matchDirectories: false
    });
    // Like hashFiles: only files inside the workspace count.
    return (await globber.glob())
        .filter((file) => file.startsWith(`${root.replace(/\/+$/, '')}/`))
        .sort();
}
// @actions/glob resolves relative patterns against the process cwd; anchor them.
function anchorPatterns(patterns, root) {
    const anchor = (p) => (p.startsWith('/') ? p : `${root}/${p}`);
    return patterns.map((p) => p.startsWith('!') ? `!${anchor(p.slice(1))}` : anchor(p));
}

;// CONCATENATED MODULE: ./src/adapters/ownership.ts
/**
 * Gives the cache dirs back to the runner user. kaniko runs as root in the
 * kind node, so the files it writes into the hostPath mounts are root-owned on
 * the runner, and the runner user could neither trim nor (for unreadable
 * files) archive them (actions/cache #133). The node runs as root and docker
 * access is needed anyway, so `docker exec <node> chown -R` fixes it without
 * sudo.
 */




/**
 * Runs `docker exec <node> chown -R <uid>:<gid> <nodePath>...`. When that is
 * not possible (no node, docker missing or failing) nothing is changed: the
 * result says how many files stay foreign and whether they can still be
 * archived, the trim skips what it cannot delete, and the post step skips the
 * save of a dir that is not saveable. Never throws.
 */
async function giveCacheDirsToRunner(req) {
    const uid = req.uid ?? process.getuid?.() ?? 0;
    const gid = req.gid ?? process.getgid?.() ?? 0;
    let method = 'none';
    let warning;
    const before = await inspectDirs(req.runnerDirs, uid);
    if (before.notOwned === 0) {
        return { method, ok: true, ...before, saveable: before.unreadable === 0 };
    }
    if (req.node === undefined || req.node === '') {
        warning = `cache dirs hold ${before.notOwned} files not owned by uid ${uid} and there is no kind node to chown them in`;
    }
    else {
        method = 'docker-exec';
        const args = [
            'exec',
            '--',
            req.node,
            'chown',
            '-R',
            `${uid}:${gid}`,
            ...req.nodePaths
        ];
        const run = await exec_run('docker', args);
        if (run.exitCode !== 0) {
            warning = `docker ${args.join(' ')} failed (exit ${run.exitCode}): ${run.stderr.trim() || run.stdout.trim()}`;
        }
    }
    const after = await inspectDirs(req.runnerDirs, uid);
    if (after.notOwned > 0) {
        const what = after.unreadable
            ? `${after.unreadable} of them unreadable, so the cache cannot be saved`
            : 'all readable, so the save still works; the trim skips what it cannot delete';
        warning = `${warning ?? 'chown in the node did not take effect'}; ${after.notOwned} files stay foreign (${what})`;
    }
    return {
        method,
        ok: after.notOwned === 0,
        ...after,
        saveable: after.unreadable === 0,
        ...(warning === undefined ? {} : { warning })
    };
}
/**
 * `chmod -R a+rwX` done by this process on dirs it owns: read and write for
 * everyone, search (x) on directories and on files some user may already
 * run (chmod's `X`: gnulib lib/modechange.c, MODE_X_IF_ANY_X); symlinks are
 * left alone, as chmod -R leaves those it meets (coreutils src/chmod.c,
 * process_file, case FTS_SL). Returns false when some entry could not be
 * changed (not this user's), so the caller can do it as root in the node.
 */
async function openToAllUsers(dirs) {
    let complete = true;
    for (const dir of dirs) {
        await walkTree(dir, async (path, info) => {
            if (info.isSymbolicLink())
                return true;
            const x = info.isDirectory() || (info.mode & 0o111) !== 0 ? 0o111 : 0;
            const mode = (info.mode & 0o7777) | 0o666 | x;
            if (mode === (info.mode & 0o7777))
                return true;
            try {
                await (0,promises_.chmod)(path, mode);
                return true;
            }
            catch {
                complete = false;
                return false;
            }
        });
    }
    return complete;
}
/**
 * Visits dir and everything under it, parents first; visit returns false to
 * skip what is under a directory. Symlinks are visited, never followed.
 */
async function walkTree(dir, visit) {
    const walk = async (path) => {
        const info = await (0,promises_.lstat)(path).catch(() => undefined);
        if (!info)
            return;
        if (!(await visit(path, info)) || !info.isDirectory())
            return;
        const names = await (0,promises_.readdir)(path).catch(() => []);
        for (const name of names)
            await walk((0,external_node_path_.join)(path, name));
    };
    await walk(dir);
}
async function inspectDirs(dirs, uid) {
    let notOwned = 0;
    let unreadable = 0;
    for (const dir of dirs) {
        await walkTree(dir, async (path, info) => {
            if (info.uid !== uid)
                notOwned++;
            if (info.isSymbolicLink())
                return false;
            const mode = info.isDirectory()
                ? external_node_fs_.constants.R_OK | external_node_fs_.constants.X_OK
                : external_node_fs_.constants.R_OK;
            const readable = await (0,promises_.access)(path, mode).then(() => true, () => false);
            if (!readable)
                unreadable++;
            return readable;
        });
    }
    return { notOwned, unreadable };
}

// EXTERNAL MODULE: ./src/build-command.ts
var build_command = __webpack_require__(4683);
;// CONCATENATED MODULE: ./src/adapters/skaffold-build.ts
/**
 * Runs `skaffold build`, streaming its output into the log line by line with
 * secrets redacted, and keeping the last lines for the failure message.
 */



const TAIL_LINES = 40;
/**
 * Runs skaffold with args in cwd. Output goes to the log through redact(),
 * so a credential in a GOPROXY URL never reaches the log even where the
 * runner's own masking does not apply, and between stop-commands markers:
 * skaffold relays kaniko's output and so whatever a Dockerfile's RUN
 * prints, and a line such as `::add-mask::` or `::error::` must stay text.
 */
async function runSkaffoldBuild(skaffold, args, cwd, fileOutput, redact, writeLine) {
    const tail = [];
    const emit = (line) => {
        const clean = redact(line);
        writeLine(clean);
        tail.push(clean);
        if (tail.length > TAIL_LINES)
            tail.shift();
    };
    await external_node_fs_.promises.rm(fileOutput, { force: true });
    const startedAt = Date.now();
    const { exitCode } = await withWorkflowCommandsStopped(writeLine, () => exec_run(skaffold, args, { cwd, onLine: emit }));
    const seconds = (Date.now() - startedAt) / 1000;
    const output = await external_node_fs_.promises.readFile(fileOutput, 'utf8').catch(() => '');
    return {
        exitCode,
        seconds,
        startedAt,
        images: (0,build_command/* parseBuildOutput */.Xl)(output),
        tail
    };
}

// EXTERNAL MODULE: ./node_modules/@actions/io/lib/io.js
var io = __webpack_require__(8701);
// EXTERNAL MODULE: external "node:stream/promises"
var external_node_stream_promises_ = __webpack_require__(6466);
;// CONCATENATED MODULE: ./src/adapters/tools.ts
/**
 * Installs kind, skaffold and kubectl through @actions/tool-cache:
 * find (a hit is hashed again and downloads no binary) -> download -> sha256
 * against the pin, both skaffold servers' checksum files, or the same-origin
 * checksum file -> chmod 0755 -> cacheFile -> addPath.
 * A binary whose checksum does not match is deleted and never run.
 */









/**
 * Installs one tool binary (or finds it in the tool cache) and puts its
 * directory on PATH.
 * @throws ToolError naming the URL and what is wrong (HTTP status, an HTML
 * page instead of a binary, a checksum mismatch with both values).
 */
async function installTool(request) {
    const started = Date.now();
    const plan = planToolDownload(request);
    const cached = await fromToolCache(plan, started);
    if ('result' in cached)
        return cached.result;
    let expected = cached.expected;
    // Both servers' checksums are settled before any binary is fetched.
    if (plan.checksumMode === 'two-origins') {
        expected ??= await expectedSha256(plan, plan.sources[0]);
    }
    const { file, source } = await downloadBinary(plan);
    let sha256;
    let dir;
    try {
        const against = expected !== undefined &&
            (plan.checksumMode !== 'same-origin' || source === plan.sources[0])
            ? expected
            : undefined;
        sha256 = await verifyDownload(plan, source, file, against);
        await (0,promises_.chmod)(file, 0o755);
        dir = await (await toolCache()).cacheFile(file, plan.binaryName, plan.tool, plan.version, plan.platform.arch);
    }
    finally {
        // Verified or not, the download goes: an unverified binary must not stay
        // where something could run it, and a verified one now lives in the cache.
        await (0,promises_.rm)(file, { force: true });
    }
    workflow_commands/* addPath */.fM(dir);
    return {
        tool: plan.tool,
        version: plan.version,
        path: external_node_path_default().join(dir, plan.binaryName),
        fromCache: false,
        checksum: plan.checksumMode,
        sha256,
        url: source.url,
        seconds: elapsed(started)
    };
}
/**
 * A tool-cache hit, checked again, pinned or not: the tool cache is writable
 * by anything that ran on a self-hosted runner before us. A binary that no
 * longer matches is removed, with a warning, and the expected digest kept.
 */
async function fromToolCache(plan, started) {
    const cachedDir = await findInToolCache(plan.tool, plan.version, plan.platform.arch);
    if (cachedDir === '')
        return {};
    const binary = external_node_path_default().join(cachedDir, plan.binaryName);
    const sha256 = await sha256File(binary);
    const expected = await expectedSha256(plan, plan.sources[0]);
    if (expected.sha256 === sha256) {
        workflow_commands/* addPath */.fM(cachedDir);
        return {
            result: {
                tool: plan.tool,
                version: plan.version,
                path: binary,
                fromCache: true,
                checksum: plan.checksumMode,
                sha256,
                seconds: elapsed(started)
            }
        };
    }
    workflow_commands/* warning */.$e(`The tool cache's ${plan.tool} ${plan.version} (${binary}) has sha256 ${sha256}, not ${expected.sha256} (${expected.against}); downloading it again`);
    await io/* rmRF */.Yz(cachedDir);
    await io/* rmRF */.Yz(`${cachedDir}.complete`);
    return { expected };
}
/**
 * Installs kubectl only when it is not on PATH or when a version is asked
 * (hosted runners ship one).
 */
async function ensureKubectl(request) {
    if (request.version === '') {
        const onPath = await io/* which */.K7('kubectl', false);
        if (onPath !== '')
            return { tool: 'kubectl', onPath };
    }
    return installTool({
        tool: 'kubectl',
        version: request.version === '' ? DEFAULT_VERSIONS.kubectl : request.version,
        platform: request.platform,
        ...(request.baseUrl === undefined ? {} : { baseUrl: request.baseUrl }),
        ...(request.pins === undefined ? {} : { pins: request.pins })
    });
}
/** The sha256 of a file, streamed. */
async function sha256File(file) {
    const hash = (0,external_node_crypto_.createHash)('sha256');
    await (0,external_node_stream_promises_.pipeline)((0,external_node_fs_.createReadStream)(file), hash);
    return hash.digest('hex');
}
// Statuses that mean "this base has no such file": try the next base.
// Storage buckets answer 403 for a missing object when listing is not public.
const MISSING = [403, 404];
async function downloadBinary(plan) {
    const misses = [];
    for (const source of plan.sources) {
        try {
            return {
                file: await (await toolCache()).downloadTool(source.url),
                source
            };
        }
        catch (error) {
            const status = httpStatus(error);
            if (status !== undefined && MISSING.includes(status)) {
                misses.push(`${source.url} returned HTTP ${status}`);
                if (source !== plan.sources[plan.sources.length - 1]) {
                    workflow_commands/* info */.pq(`${plan.tool} ${plan.version}: ${source.url} returned HTTP ${status}; trying ${plan.sources[plan.sources.indexOf(source) + 1].url}`);
                }
                continue;
            }
            throw new ToolError(`Downloading ${plan.tool} ${plan.version} from ${source.url} failed: ${describe(error)}. ${fixHint(plan)}`);
        }
    }
    throw new ToolError(`${plan.tool} ${plan.version} for ${plan.platform.os}/${plan.platform.arch} was not found: ${misses.join('; ')}. ${fixHint(plan)}`);
}
async function verifyDownload(plan, source, file, known) {
    if (looksLikeHtml(await readHead(file, 512))) {
        throw new ToolError(`${source.url} served an HTML page instead of the ${plan.tool} binary (a proxy, login or error page?). Check the URL in a browser, or point ${plan.tool}-download-url at a mirror that serves the release files`);
    }
    const actual = await sha256File(file);
    const expected = known ?? (await expectedSha256(plan, source));
    if (actual !== expected.sha256) {
        throw new ToolError(`Checksum mismatch for ${source.url}: expected sha256 ${expected.sha256} (${expected.against}), got ${actual}. The download was deleted and not run. If you use a mirror, make sure it serves the official release file`);
    }
    return actual;
}
/**
 * The digest a binary must have: the pin; or, for skaffold from its default
 * servers, the checksum files of both, which must agree; or the checksum file
 * beside the binary at `source`.
 * @throws ToolError when a checksum file is missing or unusable, or the two
 * servers disagree.
 */
async function expectedSha256(plan, source) {
    if (plan.pinnedSha256 !== undefined) {
        return {
            sha256: plan.pinnedSha256,
            against: `the action's pinned checksum for ${plan.tool} ${plan.version} ${plan.platform.os}/${plan.platform.arch}`
        };
    }
    if (plan.checksumMode === 'same-origin') {
        return {
            sha256: await fetchChecksum(plan, source, ', and the action has no pinned checksum for this version and platform. Use a version whose release publishes checksum files, or a mirror that serves them'),
            against: `the checksum file ${source.checksumUrl}`
        };
    }
    const why = `; the action has no pinned checksum for ${plan.tool} ${plan.version} ${plan.platform.os}/${plan.platform.arch}, so the checksum files of both release servers must agree. Use a version both servers publish, or set ${plan.tool}-download-url to the one server you trust`;
    const digests = [];
    for (const s of plan.sources)
        digests.push(await fetchChecksum(plan, s, why));
    const [first, ...rest] = digests;
    const other = rest.findIndex((d) => d !== first);
    if (other >= 0) {
        throw new ToolError(`Refusing ${plan.tool} ${plan.version}: its release servers disagree on its checksum: ${plan.sources[0].checksumUrl} says ${first}, ${plan.sources[other + 1].checksumUrl} says ${rest[other]}. Nothing was run${why}`);
    }
    return {
        sha256: first,
        against: `the checksum files ${plan.sources.map((s) => s.checksumUrl).join(' and ')}, which agree`
    };
}
async function fetchChecksum(plan, source, why) {
    let file;
    try {
        file = await (await toolCache()).downloadTool(source.checksumUrl);
    }
    catch (error) {
        throw new ToolError(`Cannot verify ${plan.tool} ${plan.version}: its checksum file ${source.checksumUrl} could not be downloaded (${describe(error)})${why}`);
    }
    try {
        const parsed = parseChecksumFile(await (0,promises_.readFile)(file, 'utf8'));
        if ('error' in parsed) {
            throw new ToolError(`Cannot verify ${plan.tool} ${plan.version}: the checksum file ${source.checksumUrl} is not usable: ${parsed.error}`);
        }
        return parsed.sha256;
    }
    finally {
        await (0,promises_.rm)(file, { force: true });
    }
}
async function readHead(file, bytes) {
    const handle = await (0,promises_.open)(file, 'r');
    try {
        const buffer = Buffer.alloc(bytes);
        const { bytesRead } = await handle.read(buffer, 0, bytes, 0);
        return buffer.subarray(0, bytesRead).toString('latin1');
    }
    finally {
        await handle.close();
    }
}
function httpStatus(error) {
    return loadedToolCache !== undefined &&
        error instanceof loadedToolCache.HTTPError
        ? error.httpStatusCode
        : undefined;
}
let loadedToolCache;
/**
 * @actions/tool-cache, loaded on first use: it loads @actions/core and its
 * HTTP stack, which a warm run (every tool already in the tool cache) does
 * not need.
 */
async function toolCache() {
    loadedToolCache ??= await Promise.all(/* import() */[__webpack_require__.e(838), __webpack_require__.e(88), __webpack_require__.e(805)]).then(__webpack_require__.bind(__webpack_require__, 9805));
    return loadedToolCache;
}
/**
 * tc.find without loading @actions/tool-cache, for an exact x.y.z version:
 * the layout tc.cacheFile writes, RUNNER_TOOL_CACHE/<tool>/<x.y.z>/<arch>
 * with a `<dir>.complete` marker beside it (actions/toolkit
 * packages/tool-cache/src/tool-cache.ts, find and _createToolPath). Any
 * other version form, or no RUNNER_TOOL_CACHE, is tc.find's to answer.
 */
async function findInToolCache(tool, version, arch) {
    const exact = /^v?(\d+\.\d+\.\d+)$/.exec(version);
    const root = process.env.RUNNER_TOOL_CACHE;
    if (exact === null || !root) {
        return (await toolCache()).find(tool, version, arch);
    }
    const dir = external_node_path_default().join(root, tool, exact[1], arch);
    return (0,external_node_fs_.existsSync)(dir) && (0,external_node_fs_.existsSync)(`${dir}.complete`) ? dir : '';
}
function describe(error) {
    const status = httpStatus(error);
    if (status !== undefined)
        return `HTTP ${status}`;
    return error instanceof Error ? error.message : String(error);
}
function fixHint(plan) {
    return `Check ${plan.tool}-version (${plan.version}) and ${plan.tool}-download-url`;
}

;// CONCATENATED MODULE: ./src/deps/main.ts
/**
 * The adapters the main step works through, as one object: the real ones by
 * default, fakes in tests. Pure helpers that live beside them (kubeContext,
 * athensStorageDir) are imported directly.
 */















const realMainDeps = {
    actions: { ...actions, readInputs: action_inputs/* readInputs */.K },
    athens: athens_namespaceObject,
    cache: cache_namespaceObject,
    cacheFiles: cache_files_namespaceObject,
    cluster: cluster_namespaceObject,
    contextIgnore: context_ignore_namespaceObject,
    exec: exec_namespaceObject,
    files: files_namespaceObject,
    hash: hash_namespaceObject,
    ownership: ownership_namespaceObject,
    registry: registry_namespaceObject,
    skaffoldBuild: skaffold_build_namespaceObject,
    skaffoldFiles: skaffold_files_namespaceObject,
    tools: tools_namespaceObject
};

;// CONCATENATED MODULE: ./src/cache/keys.ts
/**
 * Cache keys and restore-key ladders for the two Go caches (docs/design.md#cache-keys-and-restore-ladders).
 * Pure: every fact (os, arch, hash, run id) is passed in.
 */


/** The cache service rejects keys longer than this (and keys with commas). */
const MAX_KEY_LENGTH = 512;
const MAX_SERVICE_LENGTH = 64;
const SERVICE_CHARS = /[^A-Za-z0-9._/+-]/g;
/**
 * Keys for both caches. The module cache is shared by every service with the
 * same dependencies; the build cache is unique per run (an existing key can
 * never be updated: actions/cache #342) and falls back to the newest cache of
 * the same service and deps, then the same service, then any service.
 *
 * The service sits between parentheses, which sanitizeService never lets
 * through, so the restore key of service "api" ("…-(api)-") can never
 * prefix-match a key of service "api-gateway" ("…-(api-gateway)-…").
 */
function makeCacheKeys(facts) {
    const field = (name, value) => {
        const clean = value.replace(/[^A-Za-z0-9._-]/g, '_');
        if (clean === '')
            throw new Error(`cache key fact ${name} is empty`);
        return clean;
    };
    const prefix = field('prefix', facts.prefix);
    const os = field('os', facts.os);
    const arch = field('arch', facts.arch);
    const deps = field('depsHash', facts.depsHash);
    const service = sanitizeService(facts.service);
    const run = `${field('runId', facts.runId)}-${field('runAttempt', facts.runAttempt)}`;
    const modBase = `${prefix}-gomod-${os}-${arch}-`;
    const buildBase = `${prefix}-gobuild-${os}-${arch}-`;
    const buildService = `${buildBase}(${service})-`;
    const keys = {
        mod: { key: `${modBase}${deps}`, restoreKeys: [modBase] },
        build: {
            key: `${buildService}${deps}-${run}`,
            restoreKeys: [`${buildService}${deps}-`, buildService, buildBase]
        }
    };
    for (const k of [keys.mod.key, keys.build.key]) {
        if (k.length > MAX_KEY_LENGTH) {
            throw new Error(`cache key is ${k.length} characters, over the service's ${MAX_KEY_LENGTH}: ${k.slice(0, 80)}…`);
        }
    }
    return keys;
}
/**
 * Makes a service name safe inside a key: letters, digits, ".", "_", "/", "+" and
 * "-" only (no commas, no parentheses), at most 64 characters. A name that had
 * to be changed or shortened gets 8 hex digits of its sha256, so two different
 * names never share a build cache by accident.
 */
function sanitizeService(name) {
    const trimmed = name.trim();
    const clean = trimmed.replace(SERVICE_CHARS, '_');
    if (clean === trimmed && clean !== '' && clean.length <= MAX_SERVICE_LENGTH) {
        return clean;
    }
    const hash = (0,external_node_crypto_.createHash)('sha256').update(trimmed).digest('hex').slice(0, 8);
    const head = clean.slice(0, MAX_SERVICE_LENGTH - 9);
    return head === '' ? hash : `${head}.${hash}`;
}
/**
 * The service name of this job, sanitised for keys: the service input, else
 * the skaffold modules built (joined with "+"), else the skaffold config path
 * relative to the workspace; then the active profiles, if any. Stable per
 * matrix entry, which is what a build cache needs (setup-go #358: one shared
 * key lets the fastest job win).
 */
function deriveServiceName(facts) {
    if (facts.service.trim() !== '')
        return sanitizeService(facts.service);
    // Matrix entries that differ only by profile build different things: the
    // profiles are part of the name (joined after the base with "+").
    const profiles = [...(facts.profiles ?? [])].sort();
    const withProfiles = (base) => sanitizeService([base, ...profiles].join('+'));
    if (facts.modules.length > 0) {
        return withProfiles([...facts.modules].sort().join('+'));
    }
    const joined = external_node_path_.posix.normalize(external_node_path_.posix.join(facts.workingDirectory || '.', facts.skaffoldFile));
    const relative = joined.replace(/^(\.\/)+/, '').replace(/^\/+/, '');
    return withProfiles(relative);
}

;// CONCATENATED MODULE: ./src/cache/policy.ts
/**
 * Events whose runs build only code already on the branch they run for: a
 * push to it, its schedule (the default branch's last commit) and a manual
 * dispatch (someone with write access picks the branch). `merge_group` is
 * not one: its GITHUB_REF is the merge queue's temporary branch
 * (refs/heads/gh-readonly-queue/...), never the default branch, so a save
 * there would be visible to that short-lived branch only, and it builds
 * pull requests that have not landed yet; the push that lands them saves.
 * https://docs.github.com/en/actions/reference/workflows-and-actions/events-that-trigger-workflows
 */
const SAVE_EVENTS = [
    'push',
    'schedule',
    'workflow_dispatch'
];
/**
 * Events that run with the default branch's ref (so with write access to
 * its cache scope) while the workflow may check out and build a pull
 * request's code: pull_request_target, issue_comment (a comment on a pull
 * request) and workflow_run (often triggered by a pull request's workflow).
 * A build there can plant files in both caches (its Dockerfile RUN has them
 * mounted read-write) that later trusted builds restore.
 */
const PULL_REQUEST_CODE_EVENTS = [
    'pull_request_target',
    'issue_comment',
    'workflow_run'
];
/**
 * never: no save. always: save, with a warning on the events that may build
 * pull-request code with the default branch's cache scope. auto: save only on
 * an event of SAVE_EVENTS and only on the default branch; caches saved from
 * other refs are invisible to the default branch and to other PRs anyway
 * (actions/cache #1496, #79), so they would only evict useful ones.
 */
function decideSave(facts) {
    if (facts.policy === 'never') {
        return { save: false, reason: 'save-cache is never' };
    }
    if (facts.policy === 'always') {
        if (!PULL_REQUEST_CODE_EVENTS.includes(facts.eventName)) {
            return { save: true, reason: 'save-cache is always' };
        }
        return {
            save: true,
            reason: `save-cache is always (event ${facts.eventName})`,
            warning: `save-cache: always on a ${facts.eventName} event: this run has the default branch's cache scope and may build pull-request code, whose build can plant files in the Go caches that later trusted builds restore. Use save-cache: auto (saves on ${SAVE_EVENTS.join(', ')} only) unless this workflow never builds code from a pull request.`
        };
    }
    if (!SAVE_EVENTS.includes(facts.eventName)) {
        return {
            save: false,
            reason: `save-cache is auto and this run is a ${facts.eventName || 'unknown'} event; auto saves on ${SAVE_EVENTS.join(', ')} only, so that code from pull requests never writes a cache trusted builds restore`
        };
    }
    const defaultBranch = readDefaultBranch(facts.event);
    if (defaultBranch === undefined) {
        return {
            save: false,
            reason: 'save-cache is auto and the event payload names no repository.default_branch; set save-cache: always to save anyway'
        };
    }
    const wanted = `refs/heads/${defaultBranch}`;
    if (facts.ref === wanted) {
        return {
            save: true,
            reason: `save-cache is auto and ${facts.ref} is the default branch (${facts.eventName} event)`
        };
    }
    return {
        save: false,
        reason: `save-cache is auto and ${facts.ref || 'this ref'} is not the default branch (${wanted}); its caches would be visible to this ref only`
    };
}
function readDefaultBranch(event) {
    if (typeof event !== 'object' || event === null)
        return undefined;
    const repository = event.repository;
    if (typeof repository !== 'object' || repository === null)
        return undefined;
    const branch = repository.default_branch;
    return typeof branch === 'string' && branch !== '' ? branch : undefined;
}
/**
 * Which of the two caches the post step saves, given the policy decision and
 * how the module cache was restored: a module cache restored from its exact
 * key holds nothing new (its key is the hash of the dependency files), so it
 * is not saved; the build cache has a key of its own per run and is saved
 * whenever the policy allows.
 */
function decideCacheSaves(decision, modRestore) {
    if (!decision.save)
        return { mod: decision, build: decision };
    const mod = modRestore === 'exact'
        ? {
            save: false,
            reason: 'the module cache was restored from its exact key; nothing new to save'
        }
        : decision;
    return { mod, build: decision };
}

// EXTERNAL MODULE: ./src/redact.ts
var src_redact = __webpack_require__(6670);
;// CONCATENATED MODULE: ./src/kind/objects.ts
/**
 * The Kubernetes objects the action puts in a kind cluster, as one manifest
 * for a single `kubectl apply -f -`: the namespaces the kaniko pods run in
 * and the local registry's KEP-1755 ConfigMap. Pure: data in, text out.
 */
/**
 * The namespaces a build needs: each cluster block's (skaffold creates the
 * kaniko pod there, and pod creation fails when it does not exist) and the
 * namespace input, without duplicates, sorted; '' means the context's own.
 */
function buildNamespaces(blockNamespaces, namespaceInput) {
    const names = new Set(blockNamespaces.filter((ns) => ns !== ''));
    if (namespaceInput !== '')
        names.add(namespaceInput);
    return [...names].sort();
}
/** A v1 Namespace as one JSON document (JSON is YAML, so no quoting to get wrong). */
function namespaceObject(name) {
    return JSON.stringify({
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: { name }
    });
}
/**
 * The KEP-1755 ConfigMap that documents the local registry
 * (kubernetes/enhancements keps/sig-cluster-lifecycle/generic/1755-communicating-a-local-registry).
 */
function localRegistryHostingObject(host) {
    return [
        'apiVersion: v1',
        'kind: ConfigMap',
        'metadata:',
        '  name: local-registry-hosting',
        '  namespace: kube-public',
        'data:',
        '  localRegistryHosting.v1: |',
        `    host: "${host}"`,
        `    hostFromClusterNetwork: "${host}"`,
        '    help: "https://kind.sigs.k8s.io/docs/user/local-registry/"'
    ].join('\n');
}
/**
 * The objects as one YAML stream, namespaces first so that kubectl, which
 * applies in stream order, creates them before anything placed in them;
 * '' when there is nothing to apply (kubectl refuses an empty stream).
 */
function clusterManifest(objects) {
    const documents = [
        ...objects.namespaces.map(namespaceObject),
        ...(objects.registryHost === undefined
            ? []
            : [localRegistryHostingObject(objects.registryHost)])
    ];
    return documents.length === 0 ? '' : `${documents.join('\n---\n')}\n`;
}

;// CONCATENATED MODULE: ./src/skaffold/modules.ts
/**
 * The `module` input against the configs read: each name must be the
 * `metadata.name` of one of them. Pure.
 */


/**
 * skaffold -m keeps the configs whose metadata.name is selected; it stops
 * with "did not find any configs matching selection" only when none is, and
 * drops an unknown name beside a known one without a word
 * (skaffold pkg/skaffold/parser/config.go getAllConfigs). Either way the
 * name is a mistake, found here before anything is installed. A config
 * required from git or Cloud Storage is read by skaffold at build time only,
 * so its names cannot be known: then the names are left to skaffold.
 * @throws InputError naming the unknown modules and the names found.
 */
function checkModules(modules, files, documents) {
    if (modules.length === 0)
        return;
    if (files.some((file) => listLocalRequires(file).remote.length > 0))
        return;
    const names = [...new Set(documents.map((d) => d.name))].filter((name) => name !== '');
    const unknown = modules.filter((module) => !names.includes(module));
    if (unknown.length === 0)
        return;
    throw new src_inputs/* InputError */.dz('module', modules.join(','), `no skaffold config is named ${unknown.map((m) => JSON.stringify(m)).join(', ')} in ${files.map((f) => f.path).join(', ')}; the configs there are named ${names.map((n) => JSON.stringify(n)).join(', ') || '(none: no config has metadata.name)'}. Set module to one of those names, or leave it empty to build every config`);
}

// EXTERNAL MODULE: external "node:os"
var external_node_os_ = __webpack_require__(8161);
;// CONCATENATED MODULE: ./src/adapters/docker-config.ts
/**
 * Finds the runner's docker config, where `docker login` and
 * docker/login-action write it: $DOCKER_CONFIG/config.json, else
 * ~/.docker/config.json (docker/cli cli/config/config.go Dir and
 * ConfigFileName). Its text stays in memory: it is never logged or saved.
 */



async function readRunnerDockerConfig() {
    const dir = process.env.DOCKER_CONFIG || external_node_path_.join(external_node_os_.homedir(), '.docker');
    const file = external_node_path_.resolve(dir, 'config.json');
    const text = await readTextIfExists(file);
    return text === undefined ? undefined : { path: file, text };
}

;// CONCATENATED MODULE: ./src/push-target.ts
/**
 * Where the images go and how kaniko logs in there. Pure: the caller reads
 * the runner's docker config and hands in its text.
 *
 * kaniko resolves push credentials through a chain of keychains
 * (GoogleContainerTools/kaniko pkg/creds/creds.go GetKeychain): first the
 * docker config under DOCKER_CONFIG (/kaniko/.docker in the executor image,
 * deploy/Dockerfile), then the built-in Google (gcr.io, *.pkg.dev), Amazon
 * ECR, Azure ACR (env) and GitLab CI helpers, which need that cloud's
 * identity inside the pod. skaffold turns a local docker config file into
 * the secret mounted there (GoogleContainerTools/skaffold v2.24.0
 * pkg/skaffold/build/cluster/secret.go setupDockerConfigSecret: key
 * config.json, created before the build; pkg/skaffold/build/builder_mux.go
 * Build calls PostBuild, which deletes it, only when every artifact built).
 */
/** The start of the secret's name skaffold creates from the runner's docker config. */
const DOCKER_CONFIG_SECRET_PREFIX = 'skaffold-kaniko-cache-docker-config';
/**
 * The docker config secret of one action step: the prefix and a suffix the
 * caller draws at random, so a secret a failed build left behind (skaffold
 * deletes it only after a build where every artifact built) never blocks the
 * next step's create. A Kubernetes object name (a DNS-1123 subdomain).
 * @throws Error when the suffix is not 1-16 lower-case letters or digits.
 */
function dockerConfigSecretName(suffix) {
    if (!/^[a-z0-9]{1,16}$/.test(suffix)) {
        throw new Error(`docker config secret suffix "${suffix}" must be 1-16 lower-case letters or digits`);
    }
    return `${DOCKER_CONFIG_SECRET_PREFIX}-${suffix}`;
}
/** docker/login-action and `docker login` write Docker Hub under this key. */
const DOCKER_HUB_KEY = 'https://index.docker.io/v1/';
/**
 * Credential helpers the kaniko executor image ships in /kaniko, which is on
 * its PATH (GoogleContainerTools/kaniko deploy/Dockerfile: docker-credential-gcr,
 * -ecr-login, -acr-env).
 */
const KANIKO_HELPERS = ['gcr', 'ecr-login', 'acr-env'];
/**
 * The registry host of an image name or repository prefix, as
 * distribution/reference normalize.go splitDockerDomain decides it: the
 * first path component when it has a "." or ":", is "localhost" or has an
 * upper-case letter; otherwise Docker Hub ("docker.io", also for the legacy
 * "index.docker.io").
 */
function registryHost(reference) {
    const slash = reference.indexOf('/');
    const first = slash < 0 ? '' : reference.slice(0, slash);
    if (first === '' ||
        (!/[.:]/.test(first) &&
            first !== 'localhost' &&
            first.toLowerCase() === first)) {
        return 'docker.io';
    }
    return first === 'index.docker.io' ? 'docker.io' : first;
}
/**
 * The local registry is started only when the images go there: with an
 * empty default-repo (the action then passes the local registry as
 * --default-repo) or one that names it. skaffold's cluster builder has no
 * build-only mode: it always pushes (skaffold v2.24.0
 * pkg/skaffold/build/cluster/types.go PushImages returns true; kaniko
 * `noPush` left the schema in v4beta5), so a local registry beside an
 * external default-repo would never receive an image.
 */
function localRegistryWanted(request) {
    if (!request.registry)
        return false;
    if (request.defaultRepo === '')
        return true;
    return registryHost(request.defaultRepo) === request.localRegistry;
}
/** Why a wanted local registry is not started, for the log; '' when it is. */
function localRegistrySkipped(request) {
    if (!request.registry || localRegistryWanted(request))
        return '';
    return `registry: true, but default-repo ${request.defaultRepo} is the push target, so the local registry ${request.localRegistry} is not started (skaffold's cluster builder always pushes, to one repository)`;
}
/**
 * The registries kaniko pushes to outside this job: default-repo's host, or
 * each artifact image's own host when no default-repo applies. The local
 * registry is left out.
 */
function externalPushRegistries(request) {
    if (localRegistryWanted(request))
        return [];
    const hosts = request.defaultRepo !== ''
        ? [registryHost(request.defaultRepo)]
        : request.images.map(registryHost);
    return [...new Set(hosts)]
        .filter((host) => host !== request.localRegistry)
        .sort();
}
/** Parses a docker config.json; undefined when it is not a JSON object. */
function parseDockerConfig(text) {
    try {
        const value = JSON.parse(text);
        if (typeof value !== 'object' || value === null || Array.isArray(value)) {
            return undefined;
        }
        return value;
    }
    catch {
        return undefined;
    }
}
/** The keys docker's credential lookup accepts for a registry. */
function keysFor(registry) {
    return registry === 'docker.io'
        ? [DOCKER_HUB_KEY, 'index.docker.io', 'docker.io']
        : [registry];
}
/** `https://ghcr.io/v2/` → `ghcr.io` (docker/cli credentials ConvertToHostname). */
function hostnameOf(key) {
    return key.replace(/^https?:\/\//, '').split('/')[0];
}
function nonEmpty(value) {
    return typeof value === 'string' && value !== '';
}
/**
 * How the config logs in to the registry, as docker/cli resolves it
 * (cli/config/configfile/file.go GetCredentialsStore: a credHelpers entry
 * for the host, else credsStore, else the file's auths;
 * cli/config/credentials/file_store.go Get: the exact key, else a key whose
 * hostname matches).
 */
function classifyLogin(config, registry) {
    const keys = keysFor(registry);
    const helpers = config.credHelpers ?? {};
    for (const key of keys) {
        const helper = helpers[key];
        if (nonEmpty(helper)) {
            return {
                kind: 'helper',
                helper: helper,
                via: 'credHelpers',
                inKaniko: KANIKO_HELPERS.includes(helper)
            };
        }
    }
    if (nonEmpty(config.credsStore)) {
        const helper = config.credsStore;
        return {
            kind: 'helper',
            helper,
            via: 'credsStore',
            inKaniko: KANIKO_HELPERS.includes(helper)
        };
    }
    const auths = config.auths ?? {};
    const entry = keys.map((key) => auths[key]).find((e) => e !== undefined) ??
        Object.entries(auths).find(([key]) => keys.includes(hostnameOf(key)))?.[1];
    if (entry === undefined || typeof entry !== 'object' || entry === null) {
        return { kind: 'none' };
    }
    const hasSecret = nonEmpty(entry.auth) ||
        (nonEmpty(entry.username) && nonEmpty(entry.password)) ||
        nonEmpty(entry.identitytoken) ||
        nonEmpty(entry.registrytoken);
    return hasSecret ? { kind: 'auth' } : { kind: 'none' };
}
/**
 * Every credential string in a docker config (auth values, the password
 * inside each, passwords and tokens), for masking in the log.
 */
function dockerConfigSecrets(config) {
    const secrets = [];
    for (const entry of Object.values(config.auths ?? {})) {
        if (typeof entry !== 'object' || entry === null)
            continue;
        for (const field of [
            entry.auth,
            entry.password,
            entry.identitytoken,
            entry.registrytoken
        ]) {
            if (nonEmpty(field))
                secrets.push(field);
        }
        if (nonEmpty(entry.auth)) {
            const decoded = Buffer.from(entry.auth, 'base64').toString();
            const colon = decoded.indexOf(':');
            if (colon >= 0 && colon < decoded.length - 1) {
                secrets.push(decoded.slice(colon + 1));
            }
        }
    }
    return [...new Set(secrets)];
}
/** A short line on kaniko's own helpers, for registries the file cannot log in to. */
const BUILT_IN_HELPERS = "kaniko's built-in helpers log in to gcr.io / *.pkg.dev (Google credentials of the pod or node), Amazon ECR (AWS credentials in the pod) and Azure ACR (AZURE_* variables in the pod) without a docker config; the runner's own cloud login does not reach the pod";
/**
 * Decides whether kaniko gets the runner's docker config. It does when the
 * push goes outside the job, the file holds a credential for one of those
 * registries itself, and every helper it names is one kaniko ships (a
 * helper the pod lacks makes kaniko's lookup fail: go-containerregistry
 * pkg/authn/keychain.go returns the store's error, and the multi-keychain
 * stops there).
 */
function planPushLogin(request) {
    const plan = { messages: [], secrets: [] };
    const info = (text) => {
        plan.messages.push({ level: 'info', text });
    };
    const warn = (text) => {
        plan.messages.push({ level: 'warning', text });
    };
    if (request.registries.length === 0)
        return plan;
    const targets = request.registries.join(', ');
    if (request.mode === 'false') {
        info(`docker-config: false: kaniko pushes to ${targets} without the runner's docker login (a cluster block's own dockerConfig or pullSecretName still applies)`);
        return plan;
    }
    if (request.config === undefined) {
        info(`No docker config on the runner ($DOCKER_CONFIG/config.json or ~/.docker/config.json): kaniko pushes to ${targets} with its own credentials only. Log in first (docker/login-action) for a registry that needs a password; ${BUILT_IN_HELPERS}.`);
        return plan;
    }
    const config = parseDockerConfig(request.config.text);
    if (config === undefined) {
        warn(`${request.config.path} is not a JSON object: kaniko does not get the runner's docker login. Fix or remove the file, or set docker-config: false.`);
        return plan;
    }
    plan.secrets = dockerConfigSecrets(config);
    const logins = request.registries.map((registry) => ({
        registry,
        login: classifyLogin(config, registry)
    }));
    const missingHelpers = foreignHelpers(config);
    if (missingHelpers.length > 0) {
        warn(`${request.config.path} names the credential helper ${missingHelpers.join(', ')}, which kaniko's image does not have: the file alone holds no secret for ${helperRegistries(logins)}, and mounted into the kaniko pod it would make every credential lookup fail, so kaniko does not get it. Log in without a helper for the push (docker/login-action writes auths into the file), or give the cluster block your own dockerConfig; ${BUILT_IN_HELPERS}.`);
        return plan;
    }
    for (const { registry, login } of logins) {
        if (login.kind === 'helper') {
            info(`${registry}: ${request.config.path} sends it to the ${login.helper} helper (${login.via}), which kaniko's image ships; it works when the kaniko pod has that cloud's identity`);
        }
        else if (login.kind === 'none') {
            info(`${registry}: no login in ${request.config.path}; kaniko pushes there with its own credentials only (${BUILT_IN_HELPERS})`);
        }
    }
    if (logins.every((l) => l.login.kind === 'none'))
        return plan;
    plan.dockerConfig = {
        path: request.config.path,
        secretName: request.secretName
    };
    info(`kaniko logs in to ${targets} with the runner's docker config ${request.config.path} (skaffold creates the secret ${request.secretName} from it for the build and deletes it after a build that succeeds, the post step after one that fails; cluster blocks with their own dockerConfig or pullSecretName keep theirs)`);
    return plan;
}
/** Helpers the config names (credsStore, credHelpers) that kaniko lacks. */
function foreignHelpers(config) {
    const named = [
        config.credsStore,
        ...Object.values(config.credHelpers ?? {})
    ].filter(nonEmpty);
    return [...new Set(named.filter((h) => !KANIKO_HELPERS.includes(h)))].sort();
}
function helperRegistries(logins) {
    const through = logins
        .filter((l) => l.login.kind === 'helper')
        .map((l) => l.registry);
    return through.length > 0 ? through.join(', ') : 'the registries it covers';
}
/**
 * kaniko's words when a registry refuses the push: it checks push
 * permission before it builds (kaniko cmd/executor/cmd/root.go Run, "error
 * checking push permissions -- …: checking push permission for
 * \"<image>\": …"), and go-containerregistry's transport error carries the
 * registry's code (pkg/v1/remote/transport/error.go: UNAUTHORIZED, DENIED).
 */
const PUSH_REFUSED = /checking push permission for "([^"]+)": .*\b(UNAUTHORIZED|DENIED)\b/;
/**
 * Which registry refused kaniko's push, from the last lines of the build
 * log, as a sentence naming the registry and the fix; '' when no line says
 * so.
 */
function pushRefusal(tail) {
    for (const line of tail) {
        const match = PUSH_REFUSED.exec(line);
        if (!match)
            continue;
        const host = registryHost(match[1]);
        return `the registry ${host} refused kaniko's push of ${match[1]} (${match[2]}): log in to ${host} before this step (docker/login-action or docker login) with a credential that may push to that repository`;
    }
    return '';
}

;// CONCATENATED MODULE: ./src/push-login.ts
/**
 * The push target and the runner's docker login for it, between the inputs
 * and the patch: reads the runner's docker config through its adapter,
 * decides with src/push-target.ts, logs the decision and masks every
 * credential the file holds. The file's text goes no further than here.
 */






/** The push-target facts of these inputs. */
function pushTarget(inputs) {
    return {
        defaultRepo: inputs.defaultRepo,
        // The local registry exists only on a kind cluster the action sets up.
        registry: inputs.registry && inputs.cacheVolume.kind === 'hostpath',
        localRegistry: `${serviceContainerNames(inputs.clusterName).registry}:${inputs.registryPort}`
    };
}
/**
 * Decides whether kaniko logs in with the runner's docker config, for the
 * images the patched configs build.
 */
async function planRunnerLogin(inputs, images) {
    const registries = externalPushRegistries({ ...pushTarget(inputs), images });
    const config = registries.length > 0 && inputs.dockerConfig === 'auto'
        ? await readRunnerDockerConfig()
        : undefined;
    const plan = planPushLogin({
        mode: inputs.dockerConfig,
        registries,
        config,
        // Per step: a secret a failed build left in the cluster must not block
        // the next step's (skaffold's create fails on an existing name).
        secretName: dockerConfigSecretName((0,external_node_crypto_.randomBytes)(4).toString('hex'))
    });
    for (const secret of plan.secrets)
        (0,actions.maskSecret)(secret);
    const warnings = [];
    for (const message of plan.messages) {
        if (message.level === 'warning') {
            actions.log.warning(message.text);
            warnings.push(message.text);
        }
        else {
            actions.log.info(message.text);
        }
    }
    return {
        ...(plan.dockerConfig ? { dockerConfig: plan.dockerConfig } : {}),
        secrets: plan.secrets,
        warnings
    };
}
/**
 * Logs what became of the runner's docker config in each cluster block the
 * patch touched; returns the warnings (a block whose apiVersion has no
 * cluster.dockerConfig), for the summary.
 */
function logDockerConfigDecisions(clusters, workspace) {
    const warnings = [];
    for (const cluster of clusters) {
        const decision = cluster.dockerConfig;
        if (decision === undefined)
            continue;
        const file = external_node_path_.relative(workspace, cluster.file);
        if (decision.status === 'unsupported') {
            actions.log.warning(decision.message, { file, line: cluster.line });
            warnings.push(`${file}:${cluster.line}: ${decision.message}`);
        }
        else {
            actions.log.info(`${file}:${cluster.line}: ${decision.message}`);
        }
    }
    return warnings;
}

// EXTERNAL MODULE: ./src/state.ts
var src_state = __webpack_require__(2462);
;// CONCATENATED MODULE: ./src/phases/install.ts
/**
 * The tools phase: kind (unless a PVC cluster is used), skaffold, and
 * kubectl where missing.
 */

/** What to install: kind (unless a PVC cluster is used), skaffold, kubectl. */
function toolRequests(ctx) {
    const { inputs, platform } = ctx;
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
    };
}
/** kind (unless a PVC cluster is used), skaffold, and kubectl where missing. */
async function installTools(ctx) {
    const { inputs, platform, record } = ctx;
    const requests = toolRequests(ctx);
    return ctx.deps.actions.group('Install tools', async () => {
        const kind = requests.kind
            ? await ctx.deps.tools.installTool(requests.kind)
            : undefined;
        const skaffold = await ctx.deps.tools.installTool(requests.skaffold);
        const kubectl = await ctx.deps.tools.ensureKubectl({
            version: inputs.kubectlVersion,
            platform,
            baseUrl: inputs.kubectlDownloadUrl
        });
        for (const tool of [kind, skaffold, kubectl]) {
            if (tool && 'checksum' in tool) {
                record.update((state) => state.tools.push({
                    tool: tool.tool,
                    version: tool.version,
                    fromCache: tool.fromCache,
                    checksum: tool.checksum
                }));
                ctx.deps.actions.log.info(`${tool.tool} ${tool.version}: ${tool.fromCache ? 'from the tool cache' : 'downloaded'}, sha256 ${tool.sha256} (${tool.checksum})`);
            }
        }
        return { kind: kind?.path, skaffold: skaffold.path };
    });
}

;// CONCATENATED MODULE: ./src/dockerfile/patch.ts
/**
 * The Dockerfile copy: the missing `ARG` lines inserted right after the
 * `FROM` of each Go stage the check flags, so the build args the action
 * passes reach that stage's `RUN` steps. Everything else keeps its bytes:
 * parser directives, comments, heredocs and line continuations. Pure: text
 * in, text out.
 */




/**
 * Inserts the `ARG` lines the check finds missing after each Go stage's
 * `FROM` (after its last continuation line). The `ARG` carries no default:
 * the build arg the action passes gives it its value.
 */
function patchDockerfile(input) {
    const missing = new Map();
    for (const finding of checkDockerfile(input)) {
        if (finding.kind !== 'missing-arg' || finding.fix === '')
            continue;
        const lines = missing.get(finding.line) ?? [];
        if (!lines.includes(finding.fix))
            lines.push(finding.fix);
        missing.set(finding.line, lines);
    }
    if (missing.size === 0)
        return { text: input.text, insertions: [] };
    const insertions = [];
    for (const instruction of main.DockerfileParser.parse(input.text).getInstructions()) {
        if (instruction.getKeyword().toUpperCase() !== 'FROM')
            continue;
        const range = instruction.getRange();
        const lines = missing.get(range.start.line + 1);
        if (lines === undefined)
            continue;
        insertions.push({
            fromLine: range.start.line + 1,
            afterLine: range.end.line + 1,
            lines
        });
    }
    const eol = input.text.includes('\r\n') ? '\r\n' : '\n';
    // Split keeping each line's own ending, so untouched lines keep their bytes.
    const original = input.text.match(/[^\n]*\n|[^\n]+$/g) ?? [];
    const out = [];
    original.forEach((line, i) => {
        out.push(line);
        const insertion = insertions.find((x) => x.afterLine === i + 1);
        if (insertion === undefined)
            return;
        if (!line.endsWith('\n'))
            out.push(eol);
        for (const added of insertion.lines)
            out.push(added + eol);
    });
    return { text: out.join(''), insertions };
}
/**
 * The copy's `kaniko.dockerfile` value: the original's, with the copy's name
 * in the same directory (skaffold resolves it against the artifact context,
 * as it does the original).
 */
function dockerfileCopyValue(dockerfile) {
    return external_node_path_.posix.join(external_node_path_.posix.dirname(dockerfile), COPY_PREFIX + external_node_path_.posix.basename(dockerfile));
}
/**
 * Decides the Dockerfile copies: one per Dockerfile that misses ARG lines.
 * Two artifacts sharing a Dockerfile with different targets or build args
 * that would need different copies: the first one gets the copy, the other
 * keeps the original (and its warnings).
 */
function planDockerfileCopies(artifacts) {
    const plan = { copies: [], overrides: {}, skipped: [] };
    for (const artifact of artifacts) {
        const patched = patchDockerfile({
            file: artifact.path,
            text: artifact.text,
            target: artifact.target,
            buildArgs: artifact.buildArgs
        });
        if (patched.insertions.length === 0)
            continue;
        const copyPath = external_node_path_.posix.join(external_node_path_.posix.dirname(artifact.path), COPY_PREFIX + external_node_path_.posix.basename(artifact.path));
        const existing = plan.copies.find((c) => c.copyPath === copyPath);
        if (existing !== undefined && existing.text !== patched.text) {
            plan.skipped.push({
                image: artifact.image,
                path: artifact.path,
                reason: `another artifact (${existing.images.join(', ')}) builds ${artifact.path} with a different target or build args; this one keeps the original`
            });
            continue;
        }
        if (existing === undefined) {
            plan.copies.push({
                original: artifact.path,
                copyPath,
                text: patched.text,
                insertions: patched.insertions,
                images: [artifact.image]
            });
        }
        else {
            existing.images.push(artifact.image);
        }
        plan.overrides[artifact.key] = dockerfileCopyValue(artifact.dockerfile);
    }
    return plan;
}

;// CONCATENATED MODULE: ./src/dockerfile/ignore.ts
/**
 * Keeps the action's temporary files (the patched skaffold copies, the
 * Dockerfile copies) out of the build context skaffold sends kaniko.
 *
 * skaffold v2.24.0 builds the context tar from the Dockerfile's COPY/ADD
 * sources minus the excludes of ONE ignore file: `<Dockerfile>.dockerignore`
 * when it exists, else the context's `.dockerignore`; the Dockerfile itself
 * is always sent (skaffold pkg/skaffold/docker/dependencies.go
 * readDockerignore and getDependencies). So `<used Dockerfile>.dockerignore`
 * holding the rules that applied before plus the temporary files' names
 * hides them, as long as that file is not the user's: it is written beside a
 * Dockerfile copy, or beside an original that has none. Pure: data in, data
 * out.
 */

/** The comment line that starts the action's patterns in an ignore file. */
const IGNORE_MARKER = "# skaffold-kaniko-cache: the action's temporary copies, kept out of the build context";
/**
 * One path as an ignore pattern matching only itself: the wildcard and
 * escape characters of moby/patternmatcher (Go filepath.Match syntax)
 * escaped, and a leading `!` or `#` escaped so it is neither an exception
 * nor a comment (moby/buildkit frontend/dockerfile/dockerignore ReadAll).
 * Undefined for a name ReadAll cannot express (surrounding white space is
 * trimmed).
 */
function ignorePattern(relativePath) {
    if (relativePath.trim() !== relativePath)
        return undefined;
    return relativePath.replace(/[\\*?[\]]/g, '\\$&').replace(/^[!#]/, '\\$&');
}
/** Paths under `dir`, relative to it, `/`-separated; others left out. */
function under(dir, paths) {
    return paths
        .map((p) => external_node_path_.posix.relative(dir, p))
        .filter((rel) => rel !== '' && !rel.startsWith('../') && rel !== '..');
}
/**
 * Decides the ignore files. `written` lists every temporary file the action
 * has written (config copies and Dockerfile copies). For each artifact whose
 * context holds some of them, `<used Dockerfile>.dockerignore` is written
 * with the rules skaffold would otherwise read, then the temporary files'
 * patterns (the ignore file's own included, so it is not sent either). An
 * original that has its own `<Dockerfile>.dockerignore` keeps it untouched:
 * that artifact is listed in `left`.
 */
function planContextIgnores(artifacts, written) {
    const plan = { files: [], left: [] };
    const writable = artifacts.filter((a) => a.used !== a.dockerfile || a.ownIgnore === undefined);
    const candidates = [...new Set(writable.map((a) => `${a.used}.dockerignore`))];
    const temporary = [...new Set([...written, ...candidates])];
    // Every artifact whose build would read an ignore file written at a path,
    // with the rules it reads today: one file can serve them only when those
    // rules are the same (else it would change another context's rules).
    const readers = new Map();
    for (const artifact of writable) {
        const path = `${artifact.used}.dockerignore`;
        readers.set(path, [...(readers.get(path) ?? []), artifact]);
    }
    for (const artifact of artifacts) {
        const path = `${artifact.used}.dockerignore`;
        const hidden = under(artifact.context, temporary.filter((p) => p !== artifact.used)).sort();
        const others = hidden.filter((rel) => external_node_path_.posix.join(artifact.context, rel) !== path);
        const isCopy = artifact.used !== artifact.dockerfile;
        if (!isCopy && artifact.ownIgnore !== undefined) {
            if (others.length > 0) {
                plan.left.push({
                    image: artifact.image,
                    files: others,
                    reason: `${artifact.dockerfile}.dockerignore is yours and is not changed; add the line .skaffold-kaniko-cache.* to it to keep them out`
                });
            }
            continue;
        }
        // A copy carries its original's own rules even when nothing is hidden.
        if (others.length === 0 && !(isCopy && artifact.ownIgnore !== undefined))
            continue;
        const base = rulesOf(artifact);
        const differing = (readers.get(path) ?? []).filter((other) => rulesOf(other) !== base);
        if (differing.length > 0) {
            plan.left.push({
                image: artifact.image,
                files: others,
                reason: `another artifact (${differing.map((a) => a.image).join(', ')}) builds the same Dockerfile with a different .dockerignore`
            });
            continue;
        }
        const patterns = hidden.map(ignorePattern);
        const unexpressed = hidden.filter((_, i) => patterns[i] === undefined);
        if (unexpressed.length > 0) {
            plan.left.push({
                image: artifact.image,
                files: unexpressed,
                reason: 'an ignore pattern cannot name a path with surrounding spaces'
            });
        }
        const lines = patterns.filter((p) => p !== undefined);
        const existing = plan.files.find((f) => f.path === path);
        if (existing === undefined) {
            plan.files.push({
                path,
                text: withPatterns(base, lines),
                images: [artifact.image]
            });
        }
        else {
            // Same Dockerfile and rules, another context: one file serves both.
            existing.text = withPatterns(base, [
                ...new Set([...patternsOf(existing.text), ...lines])
            ]);
            existing.images.push(artifact.image);
        }
    }
    return plan;
}
/** The ignore rules an artifact's build reads when the action writes none. */
function rulesOf(artifact) {
    return artifact.ownIgnore ?? artifact.contextIgnore ?? '';
}
/** The user's rules, ending in a line break (nothing when empty). */
function ignoreHead(base) {
    if (base === '')
        return '';
    return base.endsWith('\n') ? base : `${base}\n`;
}
function withPatterns(base, patterns) {
    return `${ignoreHead(base)}${IGNORE_MARKER}\n${[...patterns].sort().join('\n')}\n`;
}
/** The action's patterns of a text written by withPatterns. */
function patternsOf(text) {
    const start = text.lastIndexOf(`${IGNORE_MARKER}\n`);
    return text
        .slice(start + IGNORE_MARKER.length + 1)
        .split('\n')
        .filter((l) => l !== '');
}

;// CONCATENATED MODULE: ./src/dockerfile/advice.ts
/**
 * Advice about kaniko's own cost, read from a Dockerfile: which base image
 * the Go build stage unpacks on every build, and whether a cheaper one
 * exists. kaniko extracts a stage's base image whenever one of its commands
 * needs the filesystem, as RUN does, warm or cold (kaniko v1.19.2
 * pkg/executor/build.go stageBuilder.build, "FS Unpacking"); its base-image
 * cache skips only the download (pkg/cache/cache.go LocalSource), so the
 * build stage's base size is paid on every warm build. Advice never changes
 * a file or a setting. Pure: Dockerfile text in, advice out.
 */




/**
 * Unpacked sizes of the official Go images, as `docker images` reports them:
 * golang:1.19-bullseye 993 MB, golang:1.19-alpine 354 MB
 * (https://csang.dev/tags/docker, "Alpine Linux Containers").
 */
const GOLANG_IMAGE_MB = { debian: 993, alpine: 354 };
/**
 * Seconds kaniko takes to unpack 100 MB of base image, measured by this
 * project with real kaniko v1.19.2 (built from its tag): ≈1.9 s + 1.78 s per
 * 100 MB unpacked, single-threaded (sha256, gunzip, file creation); a 949 MB
 * Debian Go image took ~18 s, a 295 MB one ~8 s.
 */
const UNPACK_SECONDS_PER_100MB = 1.8;
/**
 * Seconds `reproducible` adds per 100 MB of final base image, measured the
 * same way: kaniko re-tars every final-image layer, the base's included.
 */
const REPRODUCIBLE_SECONDS_PER_100MB = 5;
/** Debian releases the official golang image is built on (docker-library/golang). */
const DEBIAN_SUFFIX = /^(bookworm|bullseye|buster|stretch|trixie|jessie)$/;
/** The official Go image, under the names docker resolves to it. */
const GOLANG_REF = /^(?:(?:docker\.io|index\.docker\.io|mirror\.gcr\.io)\/)?(?:library\/)?golang(?::([^@\s]+))?(?:@sha256:[0-9a-f]{64})?$/i;
/** A golang image's variant and the `-alpine` tag of the same Go version. */
function golangVariant(image) {
    const match = GOLANG_REF.exec(image);
    if (!match)
        return { variant: 'other', alpine: '' };
    const tag = match[1] ?? 'latest';
    const repo = image.replace(/[:@].*$/, '');
    if (/(^|-)alpine[0-9.]*$/.test(tag))
        return { variant: 'alpine', alpine: '' };
    // Tags are <version>, <version>-<debian release>, or the release alone.
    const [version, ...rest] = tag.split('-');
    const suffix = rest.join('-');
    const versionOnly = /^(latest|[0-9][0-9a-z.]*)$/.test(version);
    if (DEBIAN_SUFFIX.test(tag) && rest.length === 0) {
        return { variant: 'debian', alpine: `${repo}:alpine` };
    }
    if (!versionOnly || (suffix !== '' && !DEBIAN_SUFFIX.test(suffix))) {
        // windowsservercore, nanoserver and tags we cannot place.
        return { variant: 'other', alpine: '' };
    }
    return {
        variant: 'debian',
        alpine: version === 'latest' ? `${repo}:alpine` : `${repo}:${version}-alpine`
    };
}
/** Default values of the ARGs before the first FROM (they may name the base). */
function globalDefaults(globals) {
    const values = new Map();
    for (const instruction of globals) {
        if (instruction.getKeyword().toUpperCase() !== 'ARG')
            continue;
        const content = (instruction.getArgumentsContent() ?? '').trim();
        for (const token of content.split(/\s+/)) {
            const eq = token.indexOf('=');
            // ARG V="1.22" and ARG V='1.22' set 1.22 (buildkit's shell lexer).
            if (eq > 0)
                values.set(token.slice(0, eq), token.slice(eq + 1).replace(/^(["'])(.*)\1$/, '$2'));
        }
    }
    return values;
}
/** `$NAME` and `${NAME}` replaced by their defaults; unknown ones are kept. */
function resolveArgs(text, values) {
    return text.replace(/\$(?:\{([A-Za-z_][A-Za-z0-9_]*)\}|([A-Za-z_][A-Za-z0-9_]*))/g, (whole, braced, bare) => values.get(braced ?? bare ?? '') ?? whole);
}
/** The image a stage ends up on, following `FROM <earlier stage>`. */
function rootStage(stage, stages) {
    const parent = stages.find((s) => s.index < stage.index &&
        s.name !== '' &&
        s.name.toLowerCase() === stage.from.toLowerCase());
    return parent ? rootStage(parent, stages) : stage;
}
function label(stage) {
    return stage.name ? `stage "${stage.name}"` : `stage ${stage.index}`;
}
/** "about 11 s" from the cited sizes and the measured unpack rate. */
function alpineSaving() {
    const mb = GOLANG_IMAGE_MB.debian - GOLANG_IMAGE_MB.alpine;
    return Math.round((mb / 100) * UNPACK_SECONDS_PER_100MB);
}
function buildStageMessage(stage, image, variant) {
    const base = `${label(stage)} builds Go on ${image}`;
    const rate = `kaniko unpacks it on every build, warm or cold, at ≈${UNPACK_SECONDS_PER_100MB} s per 100 MB unpacked (measured with kaniko v1.19.2)`;
    if (variant.variant !== 'debian')
        return `${base}: ${rate}`;
    return (`${base}, a Debian-based Go image: ${rate}. ` +
        `FROM ${variant.alpine} would save about ${alpineSaving()} s per warm build ` +
        `(golang:1.19-bullseye is ${GOLANG_IMAGE_MB.debian} MB unpacked, golang:1.19-alpine ${GOLANG_IMAGE_MB.alpine} MB). ` +
        `Alpine has no gcc or git: build with CGO_ENABLED=0, and with -buildvcs=false if the context holds .git`);
}
/**
 * The advice for one Dockerfile: the base image of each stage that runs
 * `go build` or `go install` (once per base), with the saving of an
 * `-alpine` build stage for a Debian golang image; and, when `reproducible`
 * is on, a final stage on a golang image (hundreds of MB re-tarred).
 */
function adviseDockerfile(input) {
    const { stages, globals } = splitStages(main.DockerfileParser.parse(input.text).getInstructions());
    if (stages.length === 0)
        return [];
    const last = input.target === ''
        ? stages.length - 1
        : stages.findIndex((s) => s.name.toLowerCase() === input.target.toLowerCase());
    // An unknown target is the check's finding; there is nothing to advise.
    if (last < 0)
        return [];
    const defaults = globalDefaults(globals);
    const advice = [];
    const seen = new Set();
    for (const stage of stages.slice(0, last + 1)) {
        const builds = stage.instructions.some((i) => i.getKeyword().toUpperCase() === 'RUN' &&
            GO_COMMAND.test(runText(i)) &&
            /\bgo\s+(build|install)\b/.test(runText(i)));
        if (!builds)
            continue;
        const root = rootStage(stage, stages);
        if (seen.has(root.index))
            continue;
        seen.add(root.index);
        const image = resolveArgs(root.from, defaults);
        const variant = golangVariant(image);
        advice.push({
            file: input.file,
            line: root.fromLine,
            kind: 'build-stage-base',
            image,
            ...variant,
            message: buildStageMessage(stage, image, variant)
        });
    }
    const final = rootStage(stages[last], stages);
    const finalImage = resolveArgs(final.from, defaults);
    if (input.reproducible === true && GOLANG_REF.test(finalImage)) {
        advice.push({
            file: input.file,
            line: final.fromLine,
            kind: 'final-stage-base',
            image: finalImage,
            ...golangVariant(finalImage),
            message: `the final image is built on ${finalImage}, a Go toolchain image (golang:1.19-alpine is ${GOLANG_IMAGE_MB.alpine} MB unpacked, golang:1.19-bullseye ${GOLANG_IMAGE_MB.debian} MB), and kaniko.reproducible is on: ` +
                `kaniko re-tars every final-image layer, the base's included (≈${REPRODUCIBLE_SECONDS_PER_100MB} s per 100 MB, measured with kaniko v1.19.2), and pushes the rewritten base layers again. ` +
                'Copy the binary into a small final stage (distroless, scratch) instead'
        });
    }
    return advice.sort((a, b) => a.line - b.line);
}
/**
 * The advice for every artifact's Dockerfile, one `file:line: message` line
 * each, a Dockerfile and target advised once.
 * @param show how a path is printed (relative to the workspace).
 * @param reproducible the artifact's kaniko `reproducible` by artifact key,
 * undefined when unknown.
 */
function adviseArtifactDockerfiles(dockerfiles, show, reproducible = () => undefined) {
    const lines = [];
    for (const dockerfile of dockerfiles) {
        for (const advice of adviseDockerfile({
            file: dockerfile.path,
            text: dockerfile.text,
            target: dockerfile.target,
            reproducible: reproducible(dockerfile.key)
        })) {
            const line = `${show(advice.file)}:${advice.line}: ${advice.message}`;
            if (!lines.includes(line))
                lines.push(line);
        }
    }
    return lines;
}
/**
 * Every hint about kaniko's own cost for the job summary: the kaniko settings
 * the patch report flags (useNewRun with singleSnapshot), then the
 * Dockerfile advice. `reproducible` is reported only with a final stage on a
 * Go toolchain image, where it costs seconds; with a small final base it
 * costs a fraction of a second and is not worth a hint.
 */
function kanikoCostAdvice(report, dockerfiles, show) {
    const reproducible = new Map(report.artifacts.map((a) => [
        artifactKey(a),
        a.advice.some((item) => item.kind === 'reproducible')
    ]));
    const flags = adviceLines({
        ...report,
        artifacts: report.artifacts.map((a) => ({
            ...a,
            file: show(a.file),
            advice: a.advice.filter((item) => item.kind !== 'reproducible')
        }))
    });
    return [
        ...flags,
        ...adviseArtifactDockerfiles(dockerfiles, show, (key) => reproducible.get(key))
    ];
}

;// CONCATENATED MODULE: ./src/phases/patch.ts
/**
 * The patch phase: patched copies of the skaffold configs, Dockerfile copies
 * with the missing ARG lines, and the checks of the Dockerfiles they build.
 */








/**
 * Patches the configs; with patch-dockerfile: auto, each artifact whose
 * Dockerfile misses ARG lines is pointed at a copy that has them.
 */
async function patchWithDockerfileCopies(ctx, options) {
    const result = patchSkaffoldConfigs(ctx.configFiles, options);
    if (ctx.inputs.patchDockerfile !== 'auto') {
        return { result, copies: { copies: [], overrides: {}, skipped: [] } };
    }
    const copies = planDockerfileCopies(await ctx.deps.skaffoldFiles.readArtifactDockerfiles(result.report, ctx.configPath, ctx.workingDir));
    if (copies.copies.length === 0)
        return { result, copies };
    // Again, with each artifact's kaniko.dockerfile pointing at its copy.
    return {
        result: patchSkaffoldConfigs(ctx.configFiles, {
            ...options,
            dockerfileOverrides: copies.overrides
        }),
        copies
    };
}
/** Writes the Dockerfile copies, recording them for the post step and the summary. */
async function writeDockerfileCopiesFor(ctx, copies) {
    const { record } = ctx;
    // Listed before writing, so the post step removes a half-written set.
    record.update((state) => state.patchedFiles.push(...copies.copies.map((c) => c.copyPath)));
    await ctx.deps.skaffoldFiles.writeDockerfileCopies(copies.copies);
    const records = copies.copies.map((copy) => ({
        original: external_node_path_.relative(ctx.runner.workspace, copy.original),
        copy: external_node_path_.relative(ctx.runner.workspace, copy.copyPath),
        images: copy.images,
        added: copy.insertions.map((i) => `after line ${i.afterLine}: ${i.lines.join(', ')}`)
    }));
    record.update((state) => {
        state.dockerfileCopies = records;
    });
    for (const copy of records) {
        ctx.deps.actions.log.info(`${copy.original}: building from the copy ${copy.copy} (${copy.added.join('; ')})`);
    }
    for (const skipped of copies.skipped) {
        ctx.deps.actions.log.info(`${skipped.image}: no Dockerfile copy: ${skipped.reason}`);
    }
}
/**
 * Writes the ignore files that keep the copies out of the build contexts
 * (listed for the post step before they are written).
 */
async function keepCopiesOutOfContexts(ctx, report, copies) {
    const plan = planContextIgnores(await ctx.deps.contextIgnore.readArtifactContexts(report, ctx.configPath, ctx.workingDir, copies.copies, copies.overrides), ctx.state.patchedFiles);
    ctx.record.update((state) => state.patchedFiles.push(...plan.files.map((f) => f.path)));
    await ctx.deps.contextIgnore.writeContextIgnores(plan.files);
    for (const file of plan.files) {
        ctx.deps.actions.log.info(`${external_node_path_.relative(ctx.runner.workspace, file.path)}: keeps the action's copies out of the build context of ${file.images.join(', ')}`);
    }
    for (const left of plan.left) {
        ctx.deps.actions.log.info(`${left.image}: the build context still holds ${left.files.join(', ')} (${left.reason}); a COPY of the whole context copies them into the image`);
    }
}
/** Patches copies of the configs and checks the Dockerfiles they build. */
async function patch(ctx) {
    const { inputs, record } = ctx;
    return ctx.deps.actions.group('Patch skaffold config', async () => {
        const options = patchOptions(ctx);
        const { result, copies } = await patchWithDockerfileCopies(ctx, options);
        const prepared = await ctx.deps.skaffoldFiles.writePatchedCopies(result);
        record.update((state) => {
            state.patchedFiles = prepared.writtenFiles;
        });
        await writeDockerfileCopiesFor(ctx, copies);
        await keepCopiesOutOfContexts(ctx, prepared.report, copies);
        const report = prepared.report;
        for (const artifact of report.artifacts) {
            const where = artifact.place.kind === 'profile'
                ? ` (profile ${artifact.place.name})`
                : '';
            const kept = artifact.kept.length > 0
                ? `; kept your ${artifact.kept.map((k) => k.key).join(', ')}`
                : '';
            ctx.deps.actions.log.info(`${artifact.image}${where}: ${artifact.status}${artifact.reason ? ` (${artifact.reason})` : ''}${kept}`);
        }
        for (const collision of report.collisions) {
            ctx.deps.actions.log.info(`${collision.file}: ${collision.wanted} is taken (${collision.reason}); using ${collision.chosen}`);
        }
        const dockerConfigWarnings = logDockerConfigDecisions(report.clusters, ctx.runner.workspace);
        record.update((state) => state.warnings.push(...dockerConfigWarnings));
        await recordDockerConfigSecret(ctx, report.clusters);
        for (const warning of report.warnings) {
            ctx.deps.actions.log.warning(warning.message, {
                file: warning.file,
                line: warning.line
            });
            record.update((state) => state.warnings.push(`${warning.file}:${warning.line}: ${warning.message}`));
        }
        const cached = report.artifacts.filter((a) => a.status !== 'skipped');
        if (cached.length === 0) {
            warn(ctx, `No kaniko artifact on the cluster builder in ${ctx.configPath}${inputs.profiles.length ? ` with profiles ${inputs.profiles.join(', ')}` : ''}: the Go caches cannot reach the build.`);
        }
        const findings = await ctx.deps.skaffoldFiles.checkDockerfilesFor(report, ctx.configPath, ctx.workingDir);
        const copied = new Set(copies.copies.flatMap((c) => copies.skipped.some((k) => k.path === c.original) ? [] : [c.original]));
        for (const finding of findings) {
            // The copy adds these lines; the other findings still hold for it.
            if (finding.kind === 'missing-arg' && copied.has(finding.file))
                continue;
            let message = finding.message;
            if (finding.kind === 'go-stage-user') {
                if (inputs.cacheVolume.kind === 'hostpath') {
                    // openCachesToBuildUser has made them writable for every user.
                    ctx.deps.actions.log.info(`${external_node_path_.relative(ctx.runner.workspace, finding.file)}:${finding.line}: ${message}; the cache dirs are writable for every user`);
                    continue;
                }
                message += `; make the claim ${inputs.cacheVolume.claim}'s gomodcache and gobuildcache dirs writable by that user (e.g. the pod's fsGroup or a one-off chmod), or Go fails with "permission denied"`;
            }
            ctx.deps.actions.log.warning(message, {
                file: external_node_path_.relative(ctx.runner.workspace, finding.file),
                line: finding.line || undefined,
                title: 'skaffold-kaniko-cache'
            });
            record.update((state) => state.warnings.push(`${external_node_path_.relative(ctx.runner.workspace, finding.file)}${finding.line ? `:${finding.line}` : ''}: ${message}`));
        }
        await recordKanikoAdvice(ctx, report);
        ctx.deps.actions.log.info(`patched config: ${prepared.patchedRootPath}`);
        return { path: prepared.patchedRootPath };
    });
}
/**
 * Records the secret skaffold will create from the runner's docker config
 * and the namespaces it goes to, so post can delete it after a failed build.
 */
async function recordDockerConfigSecret(ctx, clusters) {
    const name = ctx.dockerConfig?.secretName;
    const namespaces = [
        ...new Set(clusters
            .filter((c) => c.dockerConfig?.status === 'added')
            .map((c) => c.namespace))
    ];
    if (name === undefined || namespaces.length === 0)
        return;
    // The context skaffold build gets (--kube-context), or kubectl's current one.
    const context = ctx.state.cluster?.context ?? (await ctx.deps.cluster.currentKubeContext());
    ctx.record.update((state) => {
        state.dockerConfigSecret = { name, context, namespaces };
    });
}
/** The patch options: the inputs, with the GOPROXY of the Athens we started. */
function patchOptions(ctx) {
    const { inputs } = ctx;
    // With Athens, private modules go through the proxy (which holds the
    // token): the build must not bypass it (GOPRIVATE), only skip the checksum
    // database for them (GONOSUMDB).
    const privateThroughAthens = inputs.athens && inputs.goPrivate !== '';
    const options = patchOptionsFromInputs({
        ...inputs,
        goProxy: inputs.goProxy || ctx.athensProxy,
        goPrivate: privateThroughAthens ? '' : inputs.goPrivate,
        buildArgs: privateThroughAthens
            ? [...inputs.buildArgs, ['GONOSUMDB', inputs.goPrivate]]
            : inputs.buildArgs
    });
    return ctx.dockerConfig
        ? { ...options, dockerConfig: ctx.dockerConfig }
        : options;
}
/**
 * Logs the hints about kaniko's own cost (costly kaniko settings, the Go
 * build stage's base image) and keeps them for the job summary; they change
 * no setting.
 */
async function recordKanikoAdvice(ctx, report) {
    const advice = kanikoCostAdvice(report, await ctx.deps.skaffoldFiles.readArtifactDockerfiles(report, ctx.configPath, ctx.workingDir), (file) => external_node_path_.relative(ctx.runner.workspace, file));
    for (const line of advice)
        ctx.deps.actions.log.info(line);
    ctx.record.update((state) => {
        state.advice = advice;
    });
}

;// CONCATENATED MODULE: ./src/phases/plan.ts
/**
 * The plan phase: inputs, runner facts, paths, cache keys and the save
 * decision, and every check that can fail on the user's files or machine,
 * before any effect.
 */



















/** Inputs, runner facts, paths, keys and the save decision: no effects but state. */
async function plan(deps = realMainDeps) {
    const inputs = deps.actions.readInputs();
    const runner = deps.actions.readRunnerEnv();
    deps.exec.passEnvironment(inputs.passEnv);
    const secrets = [
        ...(0,src_redact/* urlSecrets */.Fn)(inputs.goProxy),
        ...(0,src_redact/* urlSecrets */.Fn)(inputs.kindDownloadUrl),
        ...(0,src_redact/* urlSecrets */.Fn)(inputs.skaffoldDownloadUrl),
        ...(0,src_redact/* urlSecrets */.Fn)(inputs.kubectlDownloadUrl),
        runner.githubToken
    ].filter((s) => s !== '');
    for (const secret of secrets)
        deps.actions.maskSecret(secret);
    const workingDir = external_node_path_.resolve(runner.workspace, inputs.workingDirectory);
    const configPath = await locateSkaffoldFile(deps, inputs, workingDir);
    const configFiles = await deps.skaffoldFiles.readSkaffoldConfigs(configPath);
    const service = deriveServiceName({
        service: inputs.service,
        modules: inputs.modules,
        skaffoldFile: inputs.skaffoldFile,
        workingDirectory: inputs.workingDirectory,
        profiles: inputs.profiles
    });
    const state = (0,src_state/* initialState */.ue)(service, inputs.cleanup);
    const dirs = cacheDirs(inputs.clusterName, runner);
    const platform = platformFromRunner(runner.os, runner.arch);
    await planCaches(deps, state, inputs, runner, dirs);
    // A download URL the install would refuse (plain http:// for a version
    // without a pin) fails the step here, before anything is restored or created.
    const tools = toolRequests({ inputs, platform });
    for (const request of [tools.kind, tools.skaffold, tools.kubectl]) {
        if (request !== undefined)
            planToolDownload(request);
    }
    // Persisted from here on: the post step cleans up whatever main got to.
    const record = (0,src_state/* stateRecorder */.MN)(state, deps.actions.saveMainState);
    const ctx = {
        inputs,
        runner,
        platform,
        workingDir,
        configPath,
        configFiles,
        dirs,
        secrets,
        athensProxy: '',
        namespaces: [],
        state,
        record,
        deps
    };
    deps.actions.log.info(`service: ${service}; config: ${configPath}`);
    await checkBeforeEffects(ctx);
    return ctx;
}
/**
 * The cache part of the initial state: the claim of a PVC cache, or the
 * Actions cache's keys, paths and save decision (none with cache: false).
 */
async function planCaches(deps, state, inputs, runner, dirs) {
    if (inputs.cacheVolume.kind === 'pvc') {
        state.pvcClaim = inputs.cacheVolume.claim;
    }
    else if (inputs.cache) {
        const depsHash = await deps.hash.hashDependencyFiles(inputs.cacheDependencyPath, runner.workspace);
        if (depsHash === '') {
            const warning = `Input 'cache-dependency-path': no file matched ${inputs.cacheDependencyPath.join(', ')} in ${runner.workspace}; the module cache key uses "none" and will not follow dependency changes.`;
            deps.actions.log.warning(warning);
            state.warnings.push(warning);
        }
        const keys = makeCacheKeys({
            prefix: inputs.cacheKeyPrefix,
            os: runner.os,
            arch: runner.arch,
            service: state.service,
            depsHash: depsHash || 'none',
            runId: runner.runId,
            runAttempt: runner.runAttempt
        });
        const decision = decideSave({
            policy: inputs.saveCache,
            eventName: runner.eventName,
            event: await readEvent(deps, runner.eventPath),
            ref: runner.ref
        });
        if (decision.warning) {
            deps.actions.log.warning(decision.warning);
            state.warnings.push(decision.warning);
        }
        state.cache = {
            paths: { mod: dirs.modSavePath, build: dirs.cachePaths.build },
            runnerDirs: dirs.runnerDirs,
            saveDirs: { mod: dirs.modSaveDir, build: dirs.runnerDirs.build },
            keys: {
                mod: { primary: keys.mod.key, restoreKeys: keys.mod.restoreKeys },
                build: { primary: keys.build.key, restoreKeys: keys.build.restoreKeys }
            },
            save: { enabled: decision.save, reason: decision.reason },
            saveThreshold: inputs.saveThreshold,
            trim: inputs.trimBuildCache,
            restored: {},
            goSumFiles: (await deps.hash.listDependencyFiles(inputs.cacheDependencyPath, runner.workspace)).filter((file) => /(^|\/)go(\.work)?\.sum$/.test(file)),
            deadline: {
                seconds: inputs.cacheTimeout,
                hint: `the input 'cache-timeout' sets this limit`
            }
        };
    }
}
/**
 * Everything that can fail on the user's files or machine, checked before
 * any tool is installed, any cache restored or any cluster created.
 */
async function checkBeforeEffects(ctx) {
    const { inputs } = ctx;
    // Patch in memory once now, so a config the action cannot handle fails the
    // step here (the copies are written later, once Athens' address is known).
    const { report } = patchSkaffoldConfigs(ctx.configFiles, patchOptions(ctx));
    checkModules(inputs.modules, ctx.configFiles, report.documents);
    await planLogin(ctx, report.artifacts);
    // The cluster blocks' namespaces do not depend on what the cluster phase
    // learns (Athens' address), so they are known now and created there.
    ctx.namespaces = buildNamespaces(report.clusters.map((c) => c.namespace), inputs.namespace);
    if (inputs.cacheVolume.kind !== 'hostpath')
        return;
    if (inputs.createCluster) {
        ctx.kindConfig = renderKindConfig({
            mounts: cacheMounts(ctx.dirs.runnerDirs),
            user: inputs.kindConfig ? await readUserKindConfig(ctx) : undefined,
            registry: localRegistryWanted(pushTarget(inputs)),
            nodeImage: inputs.nodeImage || undefined,
            clusterName: inputs.clusterName
        });
    }
    // kind runs its nodes as Docker containers, created or reused.
    await ctx.deps.cluster.checkDocker();
}
/** The skaffold config, checked to exist before anything is installed. */
async function locateSkaffoldFile(deps, inputs, workingDir) {
    if ((await deps.files.pathKind(workingDir)) !== 'directory') {
        throw new errors/* UserError */.yo(`Input 'working-directory': ${workingDir} is not a directory. Set it to the directory skaffold runs in, relative to the workspace.`);
    }
    const configPath = external_node_path_.resolve(workingDir, inputs.skaffoldFile);
    if ((await deps.files.pathKind(configPath)) !== 'file') {
        throw new errors/* UserError */.yo(`Input 'skaffold-file': ${configPath} does not exist. Set skaffold-file to the path of your skaffold config relative to working-directory (${inputs.workingDirectory}).`);
    }
    return configPath;
}
async function readUserKindConfig(ctx) {
    const file = external_node_path_.resolve(ctx.runner.workspace, ctx.inputs.kindConfig);
    const text = await ctx.deps.files.readTextIfExists(file);
    if (text === undefined) {
        throw new errors/* UserError */.yo(`Input 'kind-config': ${file} cannot be read. Set it to your kind config's path relative to the workspace, or leave it empty.`);
    }
    return { text, file };
}
async function readEvent(deps, eventPath) {
    if (eventPath === '')
        return undefined;
    const text = await deps.files.readTextIfExists(eventPath);
    if (text === undefined)
        return undefined;
    try {
        return JSON.parse(text);
    }
    catch {
        return undefined;
    }
}
/** The runner's docker login for kaniko, decided once the images are known. */
async function planLogin(ctx, artifacts) {
    const login = await planRunnerLogin(ctx.inputs, artifacts.filter((a) => a.status !== 'skipped').map((a) => a.image));
    ctx.dockerConfig = login.dockerConfig;
    ctx.secrets.push(...login.secrets);
    ctx.record.update((state) => state.warnings.push(...login.warnings));
}

;// CONCATENATED MODULE: ./src/phases/restore.ts
/**
 * The restore phase: both Go caches from the Actions cache into the runner
 * dirs, checked before any build sees them.
 */




async function restore(ctx) {
    const cache = ctx.state.cache;
    const dirs = ctx.dirs;
    if (!cache) {
        // cache: false builds with empty caches, not what a previous job on this
        // machine left in the runner dirs.
        for (const dir of [dirs.runnerDirs.mod, dirs.runnerDirs.build]) {
            try {
                await ctx.deps.cacheFiles.emptyCacheDir(dir);
            }
            catch (error) {
                // Files an earlier job left that this user cannot remove (root-owned
                // on a self-hosted runner): the build still runs, and says so.
                warn(ctx, `cache: false could not empty ${dir} (${(0,errors/* errorMessage */.gJ)(error)}); the build may see what an earlier job left there`);
            }
        }
        return;
    }
    const results = await ctx.deps.actions.group('Restore Go caches', () => ctx.deps.cache.restoreBothCaches({
        label: 'module cache',
        paths: [cache.paths.mod],
        dir: dirs.runnerDirs.mod,
        key: cache.keys.mod.primary,
        restoreKeys: cache.keys.mod.restoreKeys,
        deadline: cache.deadline
    }, {
        label: 'build cache',
        paths: [cache.paths.build],
        dir: dirs.runnerDirs.build,
        key: cache.keys.build.primary,
        restoreKeys: cache.keys.build.restoreKeys,
        deadline: cache.deadline
    }));
    // Content warnings are not service failures: they do not stop the save.
    const checks = [
        await checkRestored(ctx, results.mod, dirs.runnerDirs.mod, 'mod'),
        await checkRestored(ctx, results.build, dirs.runnerDirs.build, 'build')
    ];
    results.mod = checks[0].result;
    results.build = checks[1].result;
    const restoredEntries = await recordRestored(ctx, cache, results);
    const warnings = [results.mod.warning, results.build.warning].filter((w) => w !== undefined);
    ctx.record.update((state) => {
        for (const check of checks) {
            if (check.warning !== undefined)
                state.warnings.push(check.warning);
        }
        cache.restored = {
            mod: results.mod,
            build: results.build
        };
        cache.restoredEntries = restoredEntries;
        state.warnings.push(...warnings);
        if (warnings.length > 0 && cache.save.enabled) {
            // The service failed us once; asking again in post would only add
            // another round of client retries and another warning.
            cache.save = {
                enabled: false,
                reason: 'not saving: the cache service failed during the restore'
            };
        }
    });
    // Backdate every entry so the post step can tell what this build used: Go
    // refreshes an entry's mtime on use at most once an hour
    // (cmd/go/internal/cache mtimeInterval).
    if (results.build.result !== 'miss') {
        await ctx.deps.cacheFiles.backdateBuildCache(dirs.runnerDirs.build);
        const stats = await ctx.deps.cacheFiles.readStatsFile(dirs.runnerDirs.build);
        ctx.record.update((state) => {
            state.lastColdSeconds = stats.lastCold?.seconds;
        });
    }
    ctx.deps.actions.log.info(`module cache: ${describeRestore(results.mod)}; build cache: ${describeRestore(results.build)}`);
}
/**
 * Records the names each hit restored (after the check), so post can tell
 * what the build added: mtimes cannot, restored entries are backdated.
 */
async function recordRestored(ctx, cache, results) {
    const recorded = {};
    for (const which of ['mod', 'build']) {
        if (results[which].result === 'miss')
            continue;
        const listFile = external_node_path_.join(ctx.runner.runnerTemp, `skaffold-kaniko-cache-restored-${which}.txt`);
        const found = await ctx.deps.cacheFiles.recordRestoredEntries(cache.saveDirs[which], listFile);
        recorded[which] = { ...found, listFile };
    }
    return recorded;
}
/**
 * The client extracts an archive whole (tar -P): before any build sees a
 * restored cache, everything in it that Go does not write there (other
 * names, links, special files) is dropped with one warning. A tree that
 * cannot be cleaned is emptied: the build goes on cold.
 */
async function checkRestored(ctx, result, dir, which) {
    if (result.result === 'miss')
        return { result };
    const label = which === 'mod' ? 'module cache' : 'build cache';
    const checked = await ctx.deps.cacheFiles.checkRestoredCache(dir, which);
    if (checked.failed.length > 0) {
        await ctx.deps.cacheFiles.emptyCacheDir(dir);
        const warning = `${label}: ${result.matchedKey ?? ''} holds ${checked.failed.length} entries Go never writes there that could not be removed (${sample(checked.failed)}); the cache dir was emptied, building cold`;
        ctx.deps.actions.log.warning(warning);
        return {
            result: { result: 'miss', bytes: 0, seconds: result.seconds },
            warning
        };
    }
    if (checked.removed.length === 0)
        return { result };
    const warning = `${label}: ${result.matchedKey ?? ''} held ${checked.removed.length} entries Go never writes there (links, special files or foreign names: ${sample(checked.removed)}); they were removed before the build`;
    ctx.deps.actions.log.warning(warning);
    return { result, warning };
}
function sample(paths) {
    const shown = paths.slice(0, 5).join(', ');
    return paths.length > 5 ? `${shown}, …` : shown;
}
function describeRestore(result) {
    return result.result === 'miss'
        ? 'miss'
        : `${result.result} hit ${result.matchedKey ?? ''} (${result.bytes} bytes in ${result.seconds.toFixed(1)} s)`;
}

;// CONCATENATED MODULE: ./src/phases/cluster.ts
/**
 * The cluster phase: a new or reused kind cluster (beside the restore), its
 * local registry and Athens, or the existing cluster of a PVC cache.
 */












/**
 * Restores the caches and gets the cluster ready. With a new kind cluster the
 * two run side by side: the restore empties and fills the runner dirs in
 * place, which the node sees through its bind mounts. A reused cluster has no
 * mounts, so the caches are copied into its node after the restore.
 */
async function prepareClusterAndCaches(ctx, kind) {
    const { inputs } = ctx;
    if (inputs.cacheVolume.kind === 'pvc') {
        await timed(ctx, 'cluster', () => useExistingCluster(ctx));
        return;
    }
    // Real dirs, not links a previous job left: they are mounted into the node.
    await ctx.deps.files.ensureRealDir(ctx.dirs.runnerDirs.mod);
    await ctx.deps.files.ensureRealDir(ctx.dirs.runnerDirs.build);
    if (inputs.createCluster) {
        await Promise.all([
            timed(ctx, 'restore', () => restore(ctx)),
            timed(ctx, 'cluster', () => prepareKindCluster(ctx, kind))
        ]);
        // After the restore: Athens keeps its storage inside the module cache
        // tree, which the restore empties and fills.
        await timed(ctx, 'cluster', () => startServices(ctx));
    }
    else {
        await timed(ctx, 'restore', () => restore(ctx));
        await timed(ctx, 'cluster', () => reuseKindCluster(ctx));
    }
    await timed(ctx, 'cluster', () => openCachesToBuildUser(ctx));
}
/**
 * The caches are the runner user's (0755) once restored; a Go stage with a
 * non-root USER (kaniko runs RUN as that user) must be able to write them
 * too. Done by this process on mounted dirs it owns, else as root in every
 * node, which sees the runner dirs through its mounts or holds its own copy.
 */
async function openCachesToBuildUser(ctx) {
    const cluster = ctx.state.cluster;
    // Mounted runner dirs this user owns (the restore just wrote them) need
    // no process; what it cannot change is done as root in the node.
    if (cluster &&
        !cluster.copyCaches &&
        (await ctx.deps.ownership.openToAllUsers([
            ctx.dirs.runnerDirs.mod,
            ctx.dirs.runnerDirs.build
        ]))) {
        return;
    }
    for (const node of cluster?.nodes ?? []) {
        await ctx.deps.cluster.openCacheDirsToAllUsers(node, [
            NODE_PATHS.mod,
            NODE_PATHS.build
        ]);
    }
}
/** Creates the kind cluster with the cache mounts, then registry, Athens, namespace. */
async function prepareKindCluster(ctx, kind) {
    const { inputs, record } = ctx;
    const config = ctx.kindConfig;
    if (!kind || !config)
        throw new Error('kind or its config is missing');
    await ctx.deps.actions.group(`Create kind cluster ${inputs.clusterName}`, async () => {
        for (const note of config.notes)
            ctx.deps.actions.log.info(note);
        for (const warning of config.warnings)
            warn(ctx, warning);
        const cluster = record.update((state) => {
            state.cluster = {
                name: inputs.clusterName,
                context: kubeContext(inputs.clusterName),
                created: false,
                copyCaches: false,
                nodes: []
            };
            return state.cluster;
        });
        // The one listing: kind would fail on that name, and createCluster's
        // retry would then delete a cluster that may be someone's.
        if (await ctx.deps.cluster.clusterExists(inputs.clusterName)) {
            throw new errors/* UserError */.yo(`Input 'cluster-name': a kind cluster named ${inputs.clusterName} already exists. Set create-cluster: false to build on it, or pick another cluster-name.`);
        }
        // Ours from here on: a cancel during creation still gets it deleted.
        record.update(() => {
            cluster.created = true;
        });
        const created = await ctx.deps.cluster.createCluster({
            name: inputs.clusterName,
            configText: config.text,
            runnerTemp: ctx.runner.runnerTemp,
            hostDirs: [ctx.dirs.runnerDirs.mod, ctx.dirs.runnerDirs.build],
            image: config.imageFlag
        });
        if (created.firstFailure) {
            warn(ctx, `kind create cluster failed once and succeeded on the retry; first failure (exit ${created.firstFailure.exitCode}):\n${created.firstFailure.output}`);
        }
        // kind's --wait covers the control-plane nodes only: a second wait is
        // needed for workers, or when kind ran out of time.
        if (!created.controlPlaneReady || config.roles.includes('worker')) {
            await ctx.deps.cluster.waitForNodes(inputs.clusterName);
        }
        // kind names the nodes from the config it was given, so they are not
        // looked up.
        const nodes = kindNodeNames(inputs.clusterName, config.roles);
        record.update(() => {
            cluster.nodes = nodes;
        });
    });
}
/** create-cluster: false with hostpath caches: an existing kind cluster. */
async function reuseKindCluster(ctx) {
    const { inputs, record } = ctx;
    await ctx.deps.actions.group(`Reuse kind cluster ${inputs.clusterName}`, async () => {
        await ctx.deps.cluster.requireCluster(inputs.clusterName);
        const nodes = await ctx.deps.cluster.nodeNames(inputs.clusterName);
        record.update((state) => {
            state.cluster = {
                name: inputs.clusterName,
                context: kubeContext(inputs.clusterName),
                created: false,
                copyCaches: true,
                nodes
            };
        });
        // The node has no mounts for the caches: copy them in (and out in post).
        for (const node of nodes) {
            await ctx.deps.cluster.copyCachesIntoNode(node, nodeCopies(ctx.dirs.runnerDirs));
        }
        await startServices(ctx);
    });
}
/** Local registry and Athens, as the inputs ask. */
async function startServices(ctx) {
    const { inputs, record } = ctx;
    const cluster = ctx.state.cluster;
    if (!cluster)
        return;
    const names = serviceContainerNames(cluster.name);
    const labels = containerLabels(cluster.name, ctx.runner);
    const skipped = localRegistrySkipped(pushTarget(inputs));
    if (skipped !== '')
        ctx.deps.actions.log.info(skipped);
    if (localRegistryWanted(pushTarget(inputs))) {
        // On a cluster this job created, the registry is ours even if starting
        // it fails halfway (it runs with --restart=always): record it first.
        const recorded = record.update(() => {
            cluster.registry = {
                name: names.registry,
                port: inputs.registryPort,
                started: cluster.created
            };
            return cluster.registry;
        });
        const registry = await ctx.deps.registry.startRegistry({
            cluster: cluster.name,
            nodes: cluster.nodes,
            name: names.registry,
            labels,
            port: inputs.registryPort,
            hostsFile: ctx.runner.hostsFile,
            image: inputs.registryImage
        });
        record.update(() => {
            recorded.started = !registry.reused;
        });
        for (const warning of registry.warnings)
            warn(ctx, warning);
    }
    if (inputs.athens) {
        const recorded = record.update(() => {
            cluster.athens = { name: names.athens, started: cluster.created };
            return cluster.athens;
        });
        const athens = await ctx.deps.athens.startAthens({
            cluster: cluster.name,
            name: names.athens,
            labels,
            storageDir: athensStorageDir(ctx.dirs.modSaveDir),
            githubToken: ctx.runner.githubToken || undefined,
            noSumPatterns: (0,src_inputs/* parseList */.E1)(inputs.goPrivate),
            image: inputs.athensImage
        });
        record.update(() => {
            recorded.started = !athens.reused;
        });
        if (athens.reused) {
            ctx.deps.actions.log.info(`Athens ${athens.name} is already running on this cluster: using it as it is (its own token and settings)`);
        }
        ctx.athensProxy = athens.goproxy;
    }
    await applyClusterObjects(ctx);
}
/**
 * The namespaces the build uses and the registry's ConfigMap, in one
 * `kubectl apply` (idempotent, so nothing is looked up first).
 */
async function applyClusterObjects(ctx) {
    const cluster = ctx.state.cluster;
    if (!cluster)
        return;
    const registry = cluster.registry;
    const manifest = clusterManifest({
        namespaces: ctx.namespaces,
        ...(registry ? { registryHost: `${registry.name}:${registry.port}` } : {})
    });
    if (manifest === '')
        return;
    const applied = await ctx.deps.cluster.applyObjects(cluster.name, manifest);
    for (const line of applied.lines)
        ctx.deps.actions.log.info(line);
}
/** cache-volume: pvc:<claim>: a real cluster, the current kube context. */
function useExistingCluster(ctx) {
    ctx.deps.actions.log.info(`Caches live on the ReadWriteMany claim ${ctx.inputs.cacheVolume.kind === 'pvc' ? ctx.inputs.cacheVolume.claim : ''}; the Actions cache is not used.`);
}

;// CONCATENATED MODULE: ./src/phases/build.ts
/**
 * The build phase: skaffold build on the patched config, and the outputs.
 */






/** Runs skaffold build and reports the result. */
async function build(ctx, skaffold, patched) {
    const { inputs, state, record } = ctx;
    // The local registry exists only on a kind cluster the action set up
    // (not with a PVC on an existing cluster): push there only if it was started.
    const registry = state.cluster?.registry;
    const registryHost = registry ? `${registry.name}:${registry.port}` : '';
    const fileOutput = external_node_path_.join(ctx.runner.runnerTemp, `skaffold-kaniko-cache-${process.pid}-build.json`);
    const args = (0,build_command/* buildCommandArgs */.rH)({
        patchedFile: patched.path,
        fileOutput,
        kubeContext: state.cluster?.context ?? '',
        defaultRepo: inputs.defaultRepo || registryHost,
        insecureRegistries: registryHost ? [registryHost] : [],
        profiles: inputs.profiles,
        modules: inputs.modules,
        extraArgs: inputs.skaffoldArgs
    });
    const redact = (0,src_redact/* makeRedactor */.$u)(ctx.secrets);
    const result = await ctx.deps.actions.group('skaffold build', () => {
        ctx.deps.actions.log.info(`skaffold ${args.map((a) => redact(a)).join(' ')}`);
        return ctx.deps.skaffoldBuild.runSkaffoldBuild(skaffold, args, ctx.workingDir, fileOutput, redact, ctx.deps.actions.log.info);
    });
    record.update((state) => {
        state.timings.build = result.seconds;
        state.build = {
            succeeded: result.exitCode === 0,
            seconds: result.seconds,
            startedAt: result.startedAt,
            images: result.images
        };
    });
    ctx.deps.actions.setOutputs({
        'build-time': result.seconds.toFixed(1),
        images: JSON.stringify(result.images),
        'mod-cache-hit': cacheHitOutput(state, 'mod'),
        'build-cache-hit': cacheHitOutput(state, 'build'),
        'patched-skaffold-file': patched.path,
        'build-artifacts': fileOutput,
        'kube-context': state.cluster?.context ?? (await ctx.deps.cluster.currentKubeContext())
    });
    if (result.exitCode !== 0) {
        // The summary names the registry that refused the push, too.
        const refusal = pushRefusal(result.tail);
        if (refusal)
            record.update((state) => {
                state.warnings.push(refusal);
            });
        throw new errors/* UserError */.yo(`skaffold build failed (exit ${result.exitCode}) after ${result.seconds.toFixed(1)} s${refusal ? `: ${refusal}` : ''}. Last lines of its log (kaniko's output included):\n${result.tail.join('\n')}`);
    }
    record.update((state) => {
        state.mainSucceeded = true;
    });
    ctx.deps.actions.log.info(`built ${result.images.length} image(s) in ${result.seconds.toFixed(1)} s`);
}
/** exact / partial / miss, or disabled when the Actions cache is not used. */
function cacheHitOutput(state, which) {
    if (!state.cache)
        return 'disabled';
    return state.cache.restored[which]?.result ?? 'miss';
}

;// CONCATENATED MODULE: ./src/main.ts
/**
 * The main step (docs/design.md#the-main-step): inputs, plan, tools,
 * restore (beside cluster creation), cluster, patch, Dockerfile check, build,
 * report. Every decision and every resource created goes into the state as
 * soon as it exists, so the post step can clean up whatever main got to.
 */










/**
 * Runs the main step through deps (the real adapters by default); never
 * throws (failures go to core.setFailed).
 */
async function runMain(deps = realMainDeps) {
    const { appendSummary, fail, log, setOutputs } = deps.actions;
    let planned;
    try {
        const ctx = await plan(deps);
        planned = ctx;
        const tools = await timed(ctx, 'tools', () => installTools(ctx));
        await prepareClusterAndCaches(ctx, tools.kind);
        const patched = await timed(ctx, 'patch', () => patch(ctx));
        await inPhase('build', () => build(ctx, tools.skaffold, patched));
    }
    catch (error) {
        fail((0,errors/* errorMessage */.gJ)(error));
    }
    finally {
        // Every change to the state was persisted as it was made.
        if (planned) {
            const ownTime = planned.record.update((state) => {
                state.ownTime = ownTimeSoFar();
                return state.ownTime;
            });
            setOutputs({ 'own-time': ownTime.ownSeconds.toFixed(1) });
            await appendSummary(renderMainSummary(planned.state)).catch((error) => log.warning(`could not write the job summary: ${(0,errors/* errorMessage */.gJ)(error)}`));
        }
    }
}


/***/ })

};
