/**
 * Who may write a cache that trusted builds restore: save-cache: auto saves
 * only on push, schedule and workflow_dispatch runs of the default branch;
 * always warns where pull-request code may run with the default branch's
 * cache scope.
 */
import { describe, expect, it } from '@jest/globals'
import { decideSave } from '../../src/cache/policy.js'

const payload = { repository: { default_branch: 'main' } }
const main = 'refs/heads/main'

describe('save-cache: auto', () => {
  it.each(['push', 'schedule', 'workflow_dispatch'])(
    'saves on a %s run of the default branch',
    (eventName) => {
      const decision = decideSave({
        policy: 'auto',
        eventName,
        event: payload,
        ref: main
      })
      expect(decision.save).toBe(true)
      expect(decision.warning).toBeUndefined()
    }
  )

  it.each([
    // GITHUB_REF is the default branch on these three, and each may build a
    // pull request's code.
    ['pull_request_target', main],
    ['issue_comment', main],
    ['workflow_run', main],
    // The merge queue's temporary branch.
    ['merge_group', 'refs/heads/gh-readonly-queue/main/pr-7-0123abcd'],
    ['merge_group', main],
    ['release', main],
    ['repository_dispatch', main],
    ['', main]
  ])('does not save on a %s run (ref %s)', (eventName, ref) => {
    const decision = decideSave({
      policy: 'auto',
      eventName,
      event: payload,
      ref
    })
    expect(decision.save).toBe(false)
    expect(decision.reason).toMatch(/push, schedule, workflow_dispatch only/)
  })

  it('does not save on a push to another branch', () => {
    const decision = decideSave({
      policy: 'auto',
      eventName: 'push',
      event: payload,
      ref: 'refs/heads/feature'
    })
    expect(decision.save).toBe(false)
    expect(decision.reason).toMatch(/not the default branch/)
  })
})

describe('save-cache: always', () => {
  it.each(['pull_request_target', 'issue_comment', 'workflow_run'])(
    'saves on %s, with a warning that names the risk and the fix',
    (eventName) => {
      const decision = decideSave({
        policy: 'always',
        eventName,
        event: payload,
        ref: main
      })
      expect(decision.save).toBe(true)
      expect(decision.warning).toContain(`save-cache: always on a ${eventName}`)
      expect(decision.warning).toContain('pull-request code')
      expect(decision.warning).toContain('save-cache: auto')
    }
  )

  it.each(['push', 'pull_request'])('saves on %s without a warning', (e) => {
    const decision = decideSave({
      policy: 'always',
      eventName: e,
      event: payload,
      ref: 'refs/pull/7/merge'
    })
    expect(decision).toEqual({ save: true, reason: 'save-cache is always' })
  })
})
