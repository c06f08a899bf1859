import type { RunnerEnv } from '../../../src/adapters/actions.js'

/** A GitHub-hosted Linux runner's environment, for tests with fake deps. */
export const RUNNER: RunnerEnv = {
  home: '/home/runner',
  runnerTemp: '/tmp/runner',
  workspace: '/w',
  os: 'Linux',
  arch: 'X64',
  runId: '7',
  runAttempt: '1',
  job: 'build',
  ref: 'refs/heads/main',
  eventName: 'push',
  eventPath: '/event.json',
  uid: 1001,
  gid: 1001,
  githubToken: '',
  hostsFile: '/etc/hosts'
}
