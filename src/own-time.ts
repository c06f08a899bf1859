/**
 * The action's own time: of a step's wall time, the part in which no tool
 * process the action waits on (docker, kind, kubectl, skaffold, tar) was
 * running. Waits that overlap (the restore's tar beside `kind create
 * cluster`) are counted once, so what is left is the action's own work on
 * the step's critical path: node start-up, loading, hashing, walking and
 * trimming the caches, HTTP to the cache service. Pure.
 */

/** A stretch of time, epoch milliseconds. */
export interface Span {
  start: number
  end: number
}

/** One tool process the action waited on. */
export interface Wait extends Span {
  /** The executable's base name (docker, kind, tar, ...). */
  tool: string
  /** The phase that started it, when one was running. */
  phase?: string
}

/** One stretch of a phase (a phase may run in parts). */
export interface PhaseWindow extends Span {
  phase: string
}

/** Wall time and the part of it spent waiting, seconds. */
export interface OwnTime {
  wallSeconds: number
  waitSeconds: number
  /** wallSeconds - waitSeconds. */
  ownSeconds: number
}

/** One step's account: the whole step, each phase, the processes started. */
export interface OwnTimeAccount extends OwnTime {
  phases: Record<string, OwnTime>
  /** Tool processes started, by executable name. */
  processes: Record<string, number>
}

/** Milliseconds the spans cover, overlapping stretches counted once. */
export function coveredMs(spans: readonly Span[]): number {
  const sorted = spans
    .filter((s) => s.end > s.start)
    .sort((a, b) => a.start - b.start)
  let total = 0
  let start = -Infinity
  let end = -Infinity
  for (const span of sorted) {
    if (span.start > end) {
      if (end > start) total += end - start
      start = span.start
      end = span.end
    } else if (span.end > end) {
      end = span.end
    }
  }
  if (end > start) total += end - start
  return total
}

/** The parts of the spans that fall inside the windows. */
export function clipSpans(
  spans: readonly Span[],
  windows: readonly Span[]
): Span[] {
  const clipped: Span[] = []
  for (const span of spans) {
    for (const window of windows) {
      const start = Math.max(span.start, window.start)
      const end = Math.min(span.end, window.end)
      if (end > start) clipped.push({ start, end })
    }
  }
  return clipped
}

function ownTime(windows: readonly Span[], waits: readonly Span[]): OwnTime {
  const wall = coveredMs(windows)
  const wait = coveredMs(clipSpans(waits, windows))
  return {
    wallSeconds: wall / 1000,
    waitSeconds: wait / 1000,
    ownSeconds: (wall - wait) / 1000
  }
}

/**
 * The account of one step from `start` (the process's start) to `end`: the
 * whole step against every wait, each phase against the waits it started.
 */
export function accountOwnTime(facts: {
  start: number
  end: number
  windows: readonly PhaseWindow[]
  waits: readonly Wait[]
}): OwnTimeAccount {
  const step = ownTime([{ start: facts.start, end: facts.end }], facts.waits)
  const phases: Record<string, OwnTime> = {}
  for (const phase of new Set(facts.windows.map((w) => w.phase))) {
    phases[phase] = ownTime(
      facts.windows.filter((w) => w.phase === phase),
      facts.waits.filter((w) => w.phase === phase)
    )
  }
  const processes: Record<string, number> = {}
  for (const wait of facts.waits) {
    processes[wait.tool] = (processes[wait.tool] ?? 0) + 1
  }
  return { ...step, phases, processes }
}

/** Main and post together: their times and process counts added up. */
export function addOwnTimes(
  accounts: readonly OwnTimeAccount[]
): OwnTime & { processes: number } {
  const sum = (pick: (a: OwnTimeAccount) => number): number =>
    accounts.reduce((total, a) => total + pick(a), 0)
  return {
    wallSeconds: sum((a) => a.wallSeconds),
    waitSeconds: sum((a) => a.waitSeconds),
    ownSeconds: sum((a) => a.ownSeconds),
    processes: sum((a) =>
      Object.values(a.processes).reduce((n, count) => n + count, 0)
    )
  }
}
