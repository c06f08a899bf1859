/**
 * The job summary: one section per job (matrix jobs each write their own,
 * titled by service). Everything interpolated is HTML-escaped: the runner
 * renders the summary as Markdown with HTML, and @actions/core escapes nothing.
 * Pure.
 */
import { addOwnTimes, type OwnTimeAccount } from './own-time.js'
import type { CacheHit, MainState, Phase, RestoreRecord } from './state.js'

/**
 * One cache save: saved: uploaded; exists: the lookup found the key;
 * reserved: the service refused the reservation with 409 (the key exists, or
 * another job is saving it or left its reservation unfinished); skipped: not
 * attempted (the policy, nothing new, the service not available, an empty
 * dir, the deadline); failed: a warning says why.
 */
export interface SaveOutcome {
  outcome: 'saved' | 'exists' | 'reserved' | 'skipped' | 'failed'
  bytes: number
  seconds: number
}

/** A save as the summary shows it: the outcome and why it was not saved. */
export interface SaveRecord extends SaveOutcome {
  reason?: string
}

export interface TrimRecord {
  bytesBefore: number
  bytesAfter: number
  /** Entries deleted; absent where the trim is not by entry (the module cache keeps cache/download). */
  removed?: number
}

/** What the post step adds to the state main left. */
export interface PostReport {
  trim?: { build?: TrimRecord; mod?: TrimRecord }
  save?: { mod?: SaveRecord; build?: SaveRecord }
  /** Seconds per phase measured in post. */
  timings: Partial<Record<Phase, number>>
  warnings: string[]
  /** Post's own time so far (until the summary is written). */
  ownTime?: OwnTimeAccount
}

/** Escapes text for HTML element content and attribute values. */
export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;')
}

/** Formats a byte count the way people read it (1024-based, one decimal). */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`
  const units = ['KiB', 'MiB', 'GiB', 'TiB']
  let value = bytes / 1024
  let unit = 0
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024
    unit++
  }
  return `${value.toFixed(1)} ${units[unit]}`
}

/** Formats seconds with one decimal. */
export function formatSeconds(seconds: number): string {
  return `${seconds.toFixed(1)} s`
}

function throughput(bytes: number, seconds: number): string {
  if (bytes === 0 || seconds <= 0) return ''
  return `${(bytes / 1024 / 1024 / seconds).toFixed(1)} MiB/s`
}

/** "6.0× faster than the last cold build (149.0 s)", or '' when not comparable. */
export function speedUpLine(
  buildSeconds: number,
  lastColdSeconds: number | undefined
): string {
  if (lastColdSeconds === undefined || buildSeconds <= 0) return ''
  const ratio = lastColdSeconds / buildSeconds
  if (ratio < 1.05) return ''
  return `${ratio.toFixed(1)}× faster than the last cold build (${formatSeconds(lastColdSeconds)})`
}

function hitCell(record: RestoreRecord | undefined): string {
  if (!record) return 'not restored'
  const labels: Record<CacheHit, string> = {
    exact: 'exact hit',
    partial: 'partial hit',
    miss: 'miss'
  }
  const key = record.matchedKey
    ? ` <code>${escapeHtml(record.matchedKey)}</code>`
    : ''
  return `${labels[record.result]}${key}`
}

function saveCell(record: SaveRecord | undefined): string {
  if (!record) return 'not saved'
  const reason = record.reason ? `: ${escapeHtml(record.reason)}` : ''
  switch (record.outcome) {
    case 'saved': {
      const rate = throughput(record.bytes, record.seconds)
      return `saved ${formatBytes(record.bytes)}${rate ? ` (${rate})` : ''}`
    }
    case 'exists':
      return `already saved under this key${reason}`
    case 'reserved':
      // The service refused the reservation (409): the entry may be final,
      // still uploading, or a reservation an earlier failed upload left open.
      return `this key exists or is being saved by another job${reason}`
    case 'skipped':
      return `not saved${reason}`
    case 'failed':
      return `save failed${reason}`
  }
}

function sizeCell(
  restore: RestoreRecord | undefined,
  trim: TrimRecord | undefined
): string {
  const parts: string[] = []
  if (restore && restore.bytes > 0) {
    const rate = throughput(restore.bytes, restore.seconds)
    parts.push(
      `restored ${formatBytes(restore.bytes)}${rate ? ` (${rate})` : ''}`
    )
  }
  if (trim) {
    const dropped =
      trim.removed === undefined ? '' : ` (${trim.removed} entries dropped)`
    parts.push(
      `${formatBytes(trim.bytesBefore)} → ${formatBytes(trim.bytesAfter)} after trim${dropped}`
    )
  }
  return parts.join('<br>')
}

function table(header: string[], rows: string[][]): string {
  const head = `<tr>${header.map((h) => `<th>${h}</th>`).join('')}</tr>`
  const body = rows
    .map((row) => `<tr>${row.map((cell) => `<td>${cell}</td>`).join('')}</tr>`)
    .join('')
  return `<table>${head}${body}</table>`
}

const MAIN_PHASES: Phase[] = ['tools', 'restore', 'cluster', 'patch', 'build']
const POST_PHASES: Phase[] = ['ownership', 'trim', 'save', 'cleanup']

function phaseTable(
  phases: Phase[],
  timings: Partial<Record<Phase, number>>
): string[] {
  const rows = phases
    .filter((p) => timings[p] !== undefined)
    .map((p) => [p, formatSeconds(timings[p] ?? 0)])
  return rows.length > 0 ? [table(['Phase', 'Time'], rows)] : []
}

function warningList(warnings: string[]): string[] {
  if (warnings.length === 0) return []
  return [
    `<h3>Warnings</h3><ul>${warnings.map((w) => `<li>${escapeHtml(w)}</li>`).join('')}</ul>`
  ]
}

/**
 * Renders the main step's part of this job's section: the build, its phase
 * timings, the cache restores, the images, the tools and main's warnings.
 * Written at the end of main, so it is in the summary even when a later step
 * fails, and a later step of the job can read it. Every string is escaped.
 */
export function renderMainSummary(state: MainState): string {
  const out: string[] = []
  out.push(`<h2>skaffold-kaniko-cache: ${escapeHtml(state.service)}</h2>`)

  const build = state.build
  if (build) {
    const status = build.succeeded ? 'Built' : 'Build failed after'
    const count = build.images.length
    const what = build.succeeded
      ? ` ${count} image${count === 1 ? '' : 's'} in`
      : ''
    const speed = build.succeeded
      ? speedUpLine(build.seconds, state.lastColdSeconds)
      : ''
    out.push(
      `<p><strong>${status}${what} ${formatSeconds(build.seconds)}</strong>${speed ? `: ${escapeHtml(speed)}` : ''}</p>`
    )
  } else {
    out.push('<p><strong>skaffold build did not run.</strong></p>')
  }
  out.push(...phaseTable(MAIN_PHASES, state.timings))

  if (state.cache) {
    const rows = (['mod', 'build'] as const).map((which) => [
      which === 'mod' ? 'Go modules' : 'Go build',
      hitCell(state.cache?.restored[which]),
      sizeCell(state.cache?.restored[which], undefined)
    ])
    out.push(table(['Cache', 'Restore', 'Restored'], rows))
  } else if (state.pvcClaim) {
    out.push(
      `<p>Caches live in the cluster on the ReadWriteMany claim <code>${escapeHtml(state.pvcClaim)}</code>; the Actions cache is not used.</p>`
    )
  } else {
    out.push(
      '<p>The Actions cache is off for this job (<code>cache: false</code>).</p>'
    )
  }

  if (build && build.images.length > 0) {
    out.push(
      table(
        ['Image', 'Tag'],
        build.images.map((image) => [
          `<code>${escapeHtml(image.imageName)}</code>`,
          `<code>${escapeHtml(image.tag)}</code>`
        ])
      )
    )
  }

  out.push(...dockerfileCopyTable(state))

  if (state.tools.length > 0) {
    const tools = state.tools
      .map(
        (t) =>
          `${escapeHtml(t.tool)} ${escapeHtml(t.version)} (${t.fromCache ? 'tool cache' : 'downloaded'}, ${escapeHtml(checksumText(t.checksum))})`
      )
      .join('; ')
    out.push(`<p>Tools: ${tools}.</p>`)
  }
  out.push(...kanikoCostSection(state.advice))
  out.push(...warningList(state.warnings))
  return out.join('\n') + '\n'
}

/**
 * The hints about kaniko's own cost: what each warm build pays for that a
 * setting or a base image the user chooses would cut. Never a warning: the
 * build works either way.
 */
function kanikoCostSection(advice: string[] | undefined): string[] {
  if (advice === undefined || advice.length === 0) return []
  return [
    `<h3>kaniko's own cost</h3><ul>${advice.map((a) => `<li>${escapeHtml(a)}</li>`).join('')}</ul>`
  ]
}

/** The Dockerfile copies the build used and the lines each one adds. */
function dockerfileCopyTable(state: MainState): string[] {
  const copies = state.dockerfileCopies ?? []
  if (copies.length === 0) return []
  return [
    table(
      ['Dockerfile', 'Built from the copy', 'Lines added'],
      copies.map((c) => [
        `<code>${escapeHtml(c.original)}</code>`,
        `<code>${escapeHtml(c.copy)}</code>`,
        c.added.map(escapeHtml).join('<br>')
      ])
    )
  ]
}

function checksumText(checksum: string): string {
  if (checksum === 'pinned') return 'sha256 checked against a pinned value'
  if (checksum === 'same-origin') {
    return 'sha256 checked against a same-origin checksum file'
  }
  if (checksum === 'two-origins') {
    return 'sha256 checked against the checksum files of both release servers, which agree'
  }
  return checksum
}

/**
 * Renders the post step's part: what was trimmed and saved, post's timings
 * and warnings. Every string is escaped.
 */
export function renderPostSummary(state: MainState, post: PostReport): string {
  const out: string[] = []
  out.push(`<h3>Caches after the build: ${escapeHtml(state.service)}</h3>`)
  if (state.cache) {
    const rows = (['mod', 'build'] as const).map((which) => [
      which === 'mod' ? 'Go modules' : 'Go build',
      sizeCell(undefined, post.trim?.[which]) || '—',
      saveCell(post.save?.[which])
    ])
    out.push(table(['Cache', 'Size', 'Save'], rows))
    out.push(`<p>Save policy: ${escapeHtml(state.cache.save.reason)}.</p>`)
  }
  out.push(...phaseTable(POST_PHASES, post.timings))
  out.push(...ownWorkLine(state.ownTime, post.ownTime))
  out.push(...warningList(post.warnings))
  return out.join('\n') + '\n'
}

/**
 * "this action's own work: 1.1 s of 12.6 s": main and post, node start-up
 * included, less the time a tool process (docker, kind, kubectl, skaffold,
 * tar) the action waited on was running, overlaps counted once. Nothing when
 * main recorded no account.
 */
export function ownWorkLine(
  main: OwnTimeAccount | undefined,
  post: OwnTimeAccount | undefined
): string[] {
  if (!main) return []
  const total = addOwnTimes(post ? [main, post] : [main])
  return [
    `<p>This action's own work: ${formatSeconds(total.ownSeconds)} of ${formatSeconds(total.wallSeconds)} (the rest is waiting on ${total.processes} tool processes: ${formatSeconds(total.waitSeconds)}).</p>`
  ]
}
