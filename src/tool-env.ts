/**
 * The environment every tool the action runs (skaffold, kind, kubectl,
 * docker, sudo) gets: an allowlist, not the job's environment. Pure.
 *
 * An allowlist rather than a denylist: skaffold expands `{{.NAME}}` in build
 * args and tags against its own environment (skaffold package
 * pkg/skaffold/docker, EvalBuildArgsWithEnv, Sprig functions included), so any variable it can see can be written into an image by a
 * skaffold.yaml, and a denylist cannot know the names of a user's own secrets
 * (NPM_TOKEN, AWS_SECRET_ACCESS_KEY, ...). What is passed is what the tools
 * need to find each other, the daemon and the cluster, plus the run's public
 * facts that tag templates commonly use; anything else must be named in the
 * `pass-env` input.
 */

/** Exact names passed when set. */
const PASSED_NAMES: ReadonlySet<string> = new Set([
  // Finding programs, the user's config files, temp space and locale.
  'PATH',
  'HOME',
  'USER',
  'LOGNAME',
  'SHELL',
  'TMPDIR',
  'LANG',
  'LC_ALL',
  'LC_CTYPE',
  'TZ',
  'TERM',
  // XDG_RUNTIME_DIR: a rootless Docker daemon's socket lives there.
  'XDG_RUNTIME_DIR',
  'XDG_CONFIG_HOME',
  'XDG_CACHE_HOME',
  // kubectl and skaffold: which cluster.
  'KUBECONFIG',
  // Go's net/http and Docker honour both spellings of the proxy variables.
  'HTTP_PROXY',
  'HTTPS_PROXY',
  'NO_PROXY',
  'ALL_PROXY',
  'http_proxy',
  'https_proxy',
  'no_proxy',
  'all_proxy',
  // Go's crypto/x509 reads extra CA certificates from these.
  'SSL_CERT_FILE',
  'SSL_CERT_DIR',
  // The run's public facts (GitHub's default variables), for tag templates.
  'CI',
  'GITHUB_ACTIONS',
  'GITHUB_SHA',
  'GITHUB_REF',
  'GITHUB_REF_NAME',
  'GITHUB_REF_TYPE',
  'GITHUB_HEAD_REF',
  'GITHUB_BASE_REF',
  'GITHUB_REPOSITORY',
  'GITHUB_REPOSITORY_OWNER',
  'GITHUB_RUN_ID',
  'GITHUB_RUN_NUMBER',
  'GITHUB_RUN_ATTEMPT',
  'GITHUB_JOB',
  'GITHUB_WORKFLOW',
  'GITHUB_EVENT_NAME',
  'GITHUB_ACTOR',
  'GITHUB_SERVER_URL',
  'GITHUB_WORKSPACE',
  'RUNNER_OS',
  'RUNNER_ARCH',
  'RUNNER_TEMP'
])

/**
 * Prefixes passed when set: the tools' own settings. DOCKER_ (DOCKER_HOST,
 * DOCKER_CONFIG, DOCKER_CONTEXT, DOCKER_CERT_PATH, DOCKER_TLS_VERIFY) for
 * docker and kind, KIND_ (KIND_EXPERIMENTAL_PROVIDER) for kind, SKAFFOLD_
 * for skaffold (every flag can be set as SKAFFOLD_<FLAG>: skaffold
 * cmd/skaffold/app/cmd/cmd.go, setFlagsFromEnvVariables; the command line
 * wins, since the variables are applied before the flags are parsed).
 */
const PASSED_PREFIXES: readonly string[] = ['DOCKER_', 'KIND_', 'SKAFFOLD_']

/**
 * Never passed, not even when named in `pass-env`: the runner's tokens and
 * cache URLs (ACTIONS_RUNTIME_TOKEN, ACTIONS_ID_TOKEN_REQUEST_TOKEN, ...), the
 * step's inputs, the token Athens gets, and the runner's file-command paths,
 * through which a process could set variables or outputs for later steps.
 */
export function isNeverPassed(name: string): boolean {
  return (
    name.startsWith('ACTIONS_') ||
    name.startsWith('INPUT_') ||
    [
      'GITHUB_TOKEN',
      'GITHUB_ENV',
      'GITHUB_OUTPUT',
      'GITHUB_PATH',
      'GITHUB_STATE',
      'GITHUB_STEP_SUMMARY'
    ].includes(name)
  )
}

/**
 * The tools' environment: the allowlisted variables of `source`, plus those
 * named in `passNames`, minus what is never passed.
 */
export function toolEnvironment(
  source: Readonly<Record<string, string | undefined>>,
  passNames: readonly string[] = []
): Record<string, string> {
  const env: Record<string, string> = {}
  for (const [name, value] of Object.entries(source)) {
    if (value === undefined || isNeverPassed(name)) continue
    if (
      PASSED_NAMES.has(name) ||
      PASSED_PREFIXES.some((prefix) => name.startsWith(prefix)) ||
      passNames.includes(name)
    ) {
      env[name] = value
    }
  }
  return env
}
