/**
 * The save-cache policy, decided in the main step and recorded in state,
 * because post-if cannot read inputs. Pure.
 */
import type { SavePolicy } from '../inputs.js'

/** Facts the decision needs. */
export interface SaveFacts {
  policy: SavePolicy
  /** GITHUB_EVENT_NAME, e.g. push or pull_request_target ('' when unset). */
  eventName: string
  /** The parsed event payload (GITHUB_EVENT_PATH), or undefined when unreadable. */
  event: unknown
  /** GITHUB_REF, e.g. refs/heads/main or refs/pull/7/merge. */
  ref: string
}

/** Whether to save, and why (for the log and the summary). */
export interface SaveDecision {
  save: boolean
  reason: string
  /** Set when the user's choice saves caches that pull-request code wrote. */
  warning?: string
}

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
export const SAVE_EVENTS: readonly string[] = [
  'push',
  'schedule',
  'workflow_dispatch'
]

/**
 * Events that run with the default branch's ref (so with write access to
 * its cache scope) while the workflow may check out and build a pull
 * request's code: pull_request_target, issue_comment (a comment on a pull
 * request) and workflow_run (often triggered by a pull request's workflow).
 * A build there can plant files in both caches (its Dockerfile RUN has them
 * mounted read-write) that later trusted builds restore.
 */
export const PULL_REQUEST_CODE_EVENTS: readonly string[] = [
  'pull_request_target',
  'issue_comment',
  'workflow_run'
]

/**
 * never: no save. always: save, with a warning on the events that may build
 * pull-request code with the default branch's cache scope. auto: save only on
 * an event of SAVE_EVENTS and only on the default branch; caches saved from
 * other refs are invisible to the default branch and to other PRs anyway
 * (actions/cache #1496, #79), so they would only evict useful ones.
 */
export function decideSave(facts: SaveFacts): SaveDecision {
  if (facts.policy === 'never') {
    return { save: false, reason: 'save-cache is never' }
  }
  if (facts.policy === 'always') {
    if (!PULL_REQUEST_CODE_EVENTS.includes(facts.eventName)) {
      return { save: true, reason: 'save-cache is always' }
    }
    return {
      save: true,
      reason: `save-cache is always (event ${facts.eventName})`,
      warning: `save-cache: always on a ${facts.eventName} event: this run has the default branch's cache scope and may build pull-request code, whose build can plant files in the Go caches that later trusted builds restore. Use save-cache: auto (saves on ${SAVE_EVENTS.join(', ')} only) unless this workflow never builds code from a pull request.`
    }
  }
  if (!SAVE_EVENTS.includes(facts.eventName)) {
    return {
      save: false,
      reason: `save-cache is auto and this run is a ${facts.eventName || 'unknown'} event; auto saves on ${SAVE_EVENTS.join(', ')} only, so that code from pull requests never writes a cache trusted builds restore`
    }
  }
  const defaultBranch = readDefaultBranch(facts.event)
  if (defaultBranch === undefined) {
    return {
      save: false,
      reason:
        'save-cache is auto and the event payload names no repository.default_branch; set save-cache: always to save anyway'
    }
  }
  const wanted = `refs/heads/${defaultBranch}`
  if (facts.ref === wanted) {
    return {
      save: true,
      reason: `save-cache is auto and ${facts.ref} is the default branch (${facts.eventName} event)`
    }
  }
  return {
    save: false,
    reason: `save-cache is auto and ${facts.ref || 'this ref'} is not the default branch (${wanted}); its caches would be visible to this ref only`
  }
}

function readDefaultBranch(event: unknown): string | undefined {
  if (typeof event !== 'object' || event === null) return undefined
  const repository = (event as { repository?: unknown }).repository
  if (typeof repository !== 'object' || repository === null) return undefined
  const branch = (repository as { default_branch?: unknown }).default_branch
  return typeof branch === 'string' && branch !== '' ? branch : undefined
}

/**
 * Which of the two caches the post step saves, given the policy decision and
 * how the module cache was restored: a module cache restored from its exact
 * key holds nothing new (its key is the hash of the dependency files), so it
 * is not saved; the build cache has a key of its own per run and is saved
 * whenever the policy allows.
 */
export function decideCacheSaves(
  decision: SaveDecision,
  modRestore: 'exact' | 'partial' | 'miss'
): { mod: SaveDecision; build: SaveDecision } {
  if (!decision.save) return { mod: decision, build: decision }
  const mod =
    modRestore === 'exact'
      ? {
          save: false,
          reason:
            'the module cache was restored from its exact key; nothing new to save'
        }
      : decision
  return { mod, build: decision }
}
