/**
 * Image tags as skaffold v2.24.0 generates them on the runner.
 *
 * - An empty `build.tagPolicy` is the gitCommit tagger
 *   (pkg/skaffold/schema/defaults/defaults.go setDefaultTagger).
 * - gitCommit (pkg/skaffold/tag/git_commit.go GenerateTag): the variant's git
 *   command in the artifact's workspace (`Tags`, the default:
 *   `git describe --tags --always`; `CommitSha`: `git rev-list -1 HEAD`;
 *   `AbbrevCommitSha`: the same with `--abbrev-commit`), sanitised
 *   (sanitizeTag), then `-dirty` when `git status . --porcelain` prints
 *   anything, unless `ignoreChanges`; `prefix` goes first.
 * - sha256 (pkg/skaffold/tag/sha256.go ChecksumTagger): `latest` for an
 *   image name without a tag.
 * - A tagger that fails (no git repository, no commit) falls back to the
 *   sha256 tagger and skaffold prints "Some taggers failed. Rerun with
 *   -vdebug for errors." (pkg/skaffold/deploy/util/util.go).
 * Other policies and variants are refused rather than guessed.
 */
import { CommandError } from '../io.js'
import { runProcess } from '../proc.js'

type Obj = Record<string, unknown>

function isRecord(value: unknown): value is Obj {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

const VARIANTS: Record<string, string[]> = {
  '': ['describe', '--tags', '--always'],
  tags: ['describe', '--tags', '--always'],
  commitsha: ['rev-list', '-1', 'HEAD'],
  abbrevcommitsha: ['rev-list', '-1', 'HEAD', '--abbrev-commit']
}

/** The tag (without image name), or undefined when the tagger failed. */
export async function generateTag(
  tagPolicy: unknown,
  workspace: string
): Promise<string | undefined> {
  const policy = isRecord(tagPolicy) ? tagPolicy : {}
  const kinds = Object.keys(policy).filter(
    (k) => policy[k] !== undefined && policy[k] !== null
  )
  if (kinds.length === 0 || (kinds.length === 1 && kinds[0] === 'gitCommit')) {
    const git = isRecord(policy.gitCommit) ? policy.gitCommit : {}
    const variant = (
      typeof git.variant === 'string' ? git.variant : ''
    ).toLowerCase()
    const command = VARIANTS[variant]
    if (command === undefined) {
      throw new CommandError(
        `cluster double: unsupported gitCommit variant ${JSON.stringify(git.variant)} (Tags, CommitSha and AbbrevCommitSha are modelled)`,
        2
      )
    }
    const ref = await runGit(workspace, command)
    if (ref === undefined) return undefined
    const prefix = typeof git.prefix === 'string' ? git.prefix : ''
    if (git.ignoreChanges !== true) {
      const changes = await runGit(workspace, ['status', '.', '--porcelain'])
      if (changes === undefined) return undefined
      if (changes !== '') return `${prefix}${sanitizeTag(ref)}-dirty`
    }
    return `${prefix}${sanitizeTag(ref)}`
  }
  if (kinds.length === 1 && kinds[0] === 'sha256') return 'latest'
  throw new CommandError(
    `cluster double: unsupported tagPolicy ${kinds.join(', ')} (gitCommit and sha256 are modelled)`,
    2
  )
}

/** skaffold's sanitizeTag: docker tag characters, no leading - or ., at most 128. */
export function sanitizeTag(tag: string): string {
  const replaced = tag.replace(/[^a-zA-Z0-9-._]/g, '_')
  const lead = /^[-.]*/.exec(replaced)?.[0].length ?? 0
  return ('_'.repeat(lead) + replaced.slice(lead)).slice(0, 128)
}

/** git's trimmed stdout, or undefined when git fails (as skaffold's runGit errors). */
async function runGit(
  cwd: string,
  args: string[]
): Promise<string | undefined> {
  // skaffold runs git as the runner's user, who owns the checkout; the
  // daemon may run as another user, which git's safe.directory check would
  // refuse, so it is told to trust the workspace.
  const result = await runProcess('git', ['-c', `safe.directory=*`, ...args], {
    cwd
  }).catch(() => undefined)
  if (result === undefined || result.code !== 0) return undefined
  return result.stdout.toString().trim()
}
