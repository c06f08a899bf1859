/**
 * Where the step records the tool processes it waits on and the phases it
 * runs, for the own-time account (src/own-time.ts). The exec layer records
 * every command it runs; the cache call tracer records the processes the
 * cache client starts (tar, zstd). A phase is carried by async context, so
 * a process started by the restore is the restore's even while the cluster
 * is being created beside it.
 */
import { AsyncLocalStorage } from 'node:async_hooks'
import { basename } from 'node:path'
import { performance } from 'node:perf_hooks'
import {
  accountOwnTime,
  type OwnTimeAccount,
  type PhaseWindow,
  type Wait
} from '../own-time.js'

const current = new AsyncLocalStorage<string>()
const windows: PhaseWindow[] = []
const waits: Wait[] = []

/** Runs fn as (part of) a phase: its time and the processes it starts are the phase's. */
export async function inPhase<T>(
  phase: string,
  fn: () => Promise<T>
): Promise<T> {
  const start = Date.now()
  try {
    return await current.run(phase, fn)
  } finally {
    windows.push({ phase, start, end: Date.now() })
  }
}

/** Records one tool process the step waited on from start to end (epoch ms). */
export function recordWait(command: string, start: number, end: number): void {
  const phase = current.getStore()
  waits.push({
    tool: basename(command),
    start,
    end,
    ...(phase === undefined ? {} : { phase })
  })
}

/**
 * The account of this step so far: from the process's start (node start-up
 * and loading the bundle included) to now.
 */
export function ownTimeSoFar(): OwnTimeAccount {
  return accountOwnTime({
    start: Math.floor(performance.timeOrigin),
    end: Date.now(),
    windows,
    waits
  })
}
