/**
 * The save-cache policy (design section 4), decided in the main step and
 * recorded in state, because post-if cannot read inputs. Pure.
 */
import type { SavePolicy } from '../inputs.js'

/** Facts the decision needs. */
export interface SaveFacts {
  policy: SavePolicy
  /** The parsed event payload (GITHUB_EVENT_PATH), or undefined when unreadable. */
  event: unknown
  /** GITHUB_REF, e.g. refs/heads/main or refs/pull/7/merge. */
  ref: string
}

/** Whether to save, and why (for the log and the summary). */
export interface SaveDecision {
  save: boolean
  reason: string
}

/**
 * always / never as said; auto saves on the default branch only: caches saved
 * from other refs are invisible to the default branch and to other PRs anyway
 * (actions/cache #1496, #79), so they would only evict useful ones.
 */
export function decideSave(facts: SaveFacts): SaveDecision {
  if (facts.policy === 'always') {
    return { save: true, reason: 'save-cache is always' }
  }
  if (facts.policy === 'never') {
    return { save: false, reason: 'save-cache is never' }
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
      reason: `save-cache is auto and ${facts.ref} is the default branch`
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
