/**
 * Inputs that reach the network or the build: download URLs, GOPROXY,
 * images, the registry mirror, build args, tool arguments and the tools'
 * environment. Each refuses a value that would leak or hide a credential.
 */
import { parseImageReference } from '../images.js'
import {
  NO_REGISTRY_MIRROR,
  registryMirrorProblem
} from '../skaffold/images.js'
import { ownedFlagIn, splitArgs } from '../build-command.js'
import { isNeverPassed } from '../tool-env.js'
import { InputError, type InputName } from './names.js'
import { parseLines, parseList } from './values.js'

const BUILD_ARG_KEY = /^[A-Za-z_][A-Za-z0-9_]*$/

export function parseUrl(name: InputName, value: string): string {
  let url: URL
  try {
    url = new URL(value)
  } catch {
    throw new InputError(name, value, 'expected an http:// or https:// URL')
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new InputError(name, value, 'expected an http:// or https:// URL')
  }
  refuseRawAt(name, value)
  return value.replace(/\/+$/, '')
}

/**
 * Refuses a URL with a raw "@" in its user or password: URL parsers end the
 * credentials at the authority's last "@", so the password would be split
 * where a reader (or a log mask) does not expect it.
 */
function refuseRawAt(name: InputName, url: string): void {
  const authority = /^[a-z][a-z0-9+.-]*:\/\/([^/?#\\]*)/i.exec(url)?.[1]
  if (authority !== undefined && authority.split('@').length > 2) {
    throw new InputError(
      name,
      url,
      'the URL has a raw "@" in its user or password; percent-encode it as %40'
    )
  }
}

/**
 * GOPROXY: a list of URLs (or direct/off) separated by "," or "|". Go
 * refuses to send credentials to an http:// proxy ("refusing to pass
 * credentials to insecure URL"), so such an entry could never work.
 */
export function parseGoProxy(value: string): string {
  refuseTemplate('go-proxy', value)
  for (const entry of value.split(/[,|]/).map((e) => e.trim())) {
    refuseRawAt('go-proxy', entry)
    if (/^http:\/\/[^/@\s]+@/i.test(entry)) {
      throw new InputError(
        'go-proxy',
        entry,
        'Go refuses to send credentials to an http:// proxy; use an https:// URL, or run Athens (athens: true), which holds the token itself'
      )
    }
  }
  return value
}

export function parseImage(name: InputName, value: string): string {
  const parsed = parseImageReference(value)
  if ('error' in parsed)
    throw new InputError(name, value, `expected ${parsed.error}`)
  return value
}

/** registry-mirror: a registry host, or none to pull Docker Hub images directly. */
export function parseRegistryMirror(value: string): string {
  if (value === NO_REGISTRY_MIRROR) return ''
  const problem = registryMirrorProblem(value)
  if (problem !== '')
    throw new InputError(
      'registry-mirror',
      value,
      `${problem}; or none to pull Docker Hub images directly`
    )
  return value
}

/**
 * For the inputs that become build args (go-proxy, go-private, build-args).
 * skaffold expands `{{…}}` in build arg values as Go templates (with Sprig)
 * against its own environment before the kaniko pod is made (skaffold
 * pkg/skaffold/build/cluster/kaniko.go runKanikoBuild ->
 * pkg/skaffold/docker/build_args.go EvalBuildArgsWithEnv), so a template
 * there could copy a token of the job into the image.
 */
export function refuseTemplate(name: InputName, value: string): string {
  if (value.includes('{{')) {
    throw new InputError(
      name,
      value,
      'skaffold expands "{{" in build args as a Go template against its own environment, which holds the job\'s tokens; the action passes this value to the build as it is, so write it without "{{"'
    )
  }
  return value
}

/** Parses build-args: one KEY=VALUE per line; the value may contain '='. */
export function parseBuildArgs(value: string): [string, string][] {
  const seen = new Set<string>()
  return parseLines(value).map((line) => {
    const eq = line.indexOf('=')
    const key = eq < 0 ? line : line.slice(0, eq).trim()
    if (eq < 0 || !BUILD_ARG_KEY.test(key)) {
      throw new InputError(
        'build-args',
        line,
        'expected one KEY=VALUE per line, KEY made of letters, digits and "_"'
      )
    }
    if (seen.has(key)) {
      throw new InputError('build-args', line, `KEY ${key} is given twice`)
    }
    seen.add(key)
    refuseTemplate('build-args', line)
    return [key, line.slice(eq + 1)]
  })
}

export function parseArgs(name: InputName, value: string): string[] {
  const result = splitArgs(value)
  if (!Array.isArray(result)) {
    throw new InputError(
      name,
      value,
      `${result.error}; quote arguments as in a shell`
    )
  }
  const owned = ownedFlagIn(result)
  if (owned !== undefined) {
    throw new InputError(
      name,
      value,
      `${owned} is set by the action itself; use the matching input (skaffold-file, profile, module, default-repo) instead`
    )
  }
  return result
}

/**
 * Variable names for the tools' environment. A name that is never passed
 * (the runner's tokens, the inputs, GITHUB_TOKEN) is refused rather than
 * silently dropped.
 */
export function parsePassEnv(value: string): string[] {
  const names = parseList(value)
  for (const name of names) {
    if (!BUILD_ARG_KEY.test(name)) {
      throw new InputError(
        'pass-env',
        name,
        'environment variable names (letters, digits and "_", not starting with a digit), comma- or newline-separated'
      )
    }
    if (isNeverPassed(name)) {
      throw new InputError(
        'pass-env',
        name,
        'the runner tokens (ACTIONS_*), the step inputs (INPUT_*), GITHUB_TOKEN and the runner file-command variables are never given to the tools; a GITHUB_TOKEN for private modules goes to Athens only (athens: true)'
      )
    }
  }
  return names
}
