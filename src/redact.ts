/**
 * Secrets in URLs: which strings to mask in the log, and how to redact a line
 * the action writes. Pure.
 */

/**
 * A scheme, `//` and an authority up to its last `@`. The authority of a URL
 * ends at `/`, `?`, `#` (and `\` in special schemes), and the WHATWG URL
 * parser takes everything before the authority's last `@` as the
 * credentials (https://url.spec.whatwg.org/#authority-state), so the greedy
 * match hides all of `user:p@ss` in `https://user:p@ss@host`.
 */
const URL_CREDENTIALS = /(\b[a-z][a-z0-9+.-]*:\/\/)[^/?#\\\s]+@/gi

/** Replaces the credentials of every URL in a text: `https://u:p@h` -> `https://***@h`. */
export function redactUrlCredentials(text: string): string {
  return text.replace(URL_CREDENTIALS, '$1***@')
}

/**
 * The secrets of every URL with credentials in a value (a GOPROXY-style list
 * separated by `,`, `|` or whitespace): the credentials as written, the
 * password as written, as the URL parser serializes it and percent-decoded.
 * A URL with a user and no password is a token: the user is the secret.
 * @returns distinct non-empty strings, longest first.
 */
export function urlSecrets(value: string): string[] {
  const found = new Set<string>()
  for (const entry of value.split(/[,|\s]+/)) {
    const scheme = /^[a-z][a-z0-9+.-]*:\/\//i.exec(entry)
    if (!scheme) continue
    const rest = entry.slice(scheme[0].length)
    const authority = rest.slice(0, firstIndexOf(rest, '/?#\\'))
    const at = authority.lastIndexOf('@')
    if (at <= 0) continue
    const userinfo = authority.slice(0, at)
    const colon = userinfo.indexOf(':')
    const parsed = parseUrl(entry)
    const candidates =
      colon < 0
        ? [userinfo, decode(userinfo), parsed?.username ?? '']
        : [
            userinfo,
            userinfo.slice(colon + 1),
            decode(userinfo.slice(colon + 1)),
            parsed?.password ?? '',
            decode(parsed?.password ?? '')
          ]
    for (const secret of candidates) if (secret !== '') found.add(secret)
  }
  return [...found].sort((a, b) => b.length - a.length)
}

/**
 * A line redactor: every secret becomes `***` (longest first, so a password
 * inside `user:password` goes with it), then URL credentials are redacted.
 */
export function makeRedactor(secrets: string[]): (line: string) => string {
  const ordered = secrets
    .filter((s) => s !== '')
    .sort((a, b) => b.length - a.length)
  return (line) =>
    redactUrlCredentials(
      ordered.reduce((text, secret) => text.split(secret).join('***'), line)
    )
}

function firstIndexOf(text: string, chars: string): number {
  for (let i = 0; i < text.length; i++) if (chars.includes(text[i])) return i
  return text.length
}

function parseUrl(text: string): URL | undefined {
  try {
    return new URL(text)
  } catch {
    return undefined
  }
}

function decode(text: string): string {
  try {
    return decodeURIComponent(text)
  } catch {
    return text
  }
}
