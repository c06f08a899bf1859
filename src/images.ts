/**
 * The container images the action runs beside the build (the local registry
 * and Athens), and the syntax check every image input goes through. Pure.
 *
 * A default is pinned by digest only when two independent public sources
 * that pull it by that digest agree; they are cited beside it. Where no two
 * agree, the default stays a tag and the comment says so.
 * Sources were read on 2026-11-29 from stored snapshots of public repositories.
 */

/**
 * registry:2 (distribution 2.8.3), the multi-platform index digest. Two
 * sources run it by this digest:
 * - devsy-org/devsy e2e/tests/snapshot/helper.go (@9c742a8f) registryImage,
 *   "pins registry:2 by digest", started with `docker run` in its e2e suite;
 * - jindyzhao/openclarion scripts/run_custom_thin_runner_smoke.sh (@5502f575)
 *   registry_image default, started with `docker run` in its smoke test.
 */
export const DEFAULT_REGISTRY_IMAGE =
  'registry:2@sha256:a3d8aaa63ed8681a604f1dea0aa03f100d5895b6a58ace528858a7b332415373'

/**
 * gomods/athens v0.18.0 by tag: no public source pins it by digest that we
 * could find (one Terraform file pins an Athens digest without naming its
 * version), so there is nothing to cross-check a digest against. Set
 * athens-image to `gomods/athens:v0.18.0@sha256:<digest>` to pin it yourself.
 */
export const DEFAULT_ATHENS_IMAGE = 'gomods/athens:v0.18.0'

// The reference grammar of distribution/reference regexp.go (referencePat:
// name, optional ":" tag, optional "@" digest), without IPv6 hosts.
const DOMAIN_COMPONENT = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])'
const DOMAIN = `${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*(?::[0-9]+)?`
const PATH_COMPONENT = '[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*'
const NAME = `(?:${DOMAIN}/)?${PATH_COMPONENT}(?:/${PATH_COMPONENT})*`
const TAG = '[\\w][\\w.-]{0,127}'
const REFERENCE = new RegExp(`^(${NAME})(?::(${TAG}))?(?:@(.+))?$`)
const SHA256_DIGEST = /^sha256:[0-9a-f]{64}$/

/** A checked image reference. */
export interface ImageReference {
  name: string
  tag?: string
  /** `sha256:<64 hex>`, when the reference pins a digest. */
  digest?: string
}

/**
 * Checks an image reference: `name[:tag][@sha256:<64 lowercase hex>]`.
 * Only sha256 digests are taken: it is the algorithm registries name image
 * content by, and the one the pins here are written in.
 * @returns the parts, or what is wrong, worded to follow "expected".
 */
export function parseImageReference(
  value: string
): ImageReference | { error: string } {
  const match = REFERENCE.exec(value)
  if (match === null) {
    return {
      error:
        'an image reference such as registry.example/team/image:tag or image@sha256:<64 hex digits> (lowercase name, no spaces)'
    }
  }
  const [, name, tag, digest] = match
  if (digest !== undefined && !SHA256_DIGEST.test(digest)) {
    return {
      error: `a digest written sha256:<64 lowercase hex digits> after the @, not ${JSON.stringify(digest)}`
    }
  }
  return {
    name,
    ...(tag === undefined ? {} : { tag }),
    ...(digest === undefined ? {} : { digest })
  }
}

/** True when the reference names its content by sha256 digest. */
export function isPinnedByDigest(value: string): boolean {
  const parsed = parseImageReference(value)
  return !('error' in parsed) && parsed.digest !== undefined
}
