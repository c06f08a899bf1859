/**
 * The platforms of the images a kaniko pod runs (the init container and the
 * executor), and what the node does with an image that lacks the node's
 * platform. The double knows a short list of images, each with the source of
 * its platform list; it refuses any other image rather than guess.
 */
import { CommandError } from '../io.js'

/** A known image: which references name it and which platforms it has. */
interface KnownImage {
  /** Repository, normalised (docker.io/library/busybox). */
  repository: string
  /** Tags that name this content; '*' for any tag. */
  tags: string[]
  /** Digests that name this content. */
  digests: string[]
  /**
   * index: a multi-platform index, so containerd picks a manifest for the
   * node's platform or fails the pull; single: one manifest, pulled as it is
   * and run on whatever node it lands on.
   */
  kind: 'index' | 'single'
  platforms: string[]
}

const KNOWN_IMAGES: readonly KnownImage[] = [
  // skaffold's default kaniko.initImage (skaffold v2.24.0
  // pkg/skaffold/constants/constants.go DefaultBusyboxImage, applied in
  // pkg/skaffold/schema/defaults/defaults.go). Reported as not an ARM64 image:
  // on an arm64 node it is pulled and its init container exits 1
  // (skaffold issue 5549, the pod description in the report).
  {
    repository: 'gcr.io/k8s-skaffold/skaffold-helpers/busybox',
    tags: ['*'],
    digests: [],
    kind: 'single',
    platforms: ['linux/amd64']
  },
  // kaniko's executor: kaniko .github/workflows/images.yaml at v1.23.2 and at
  // v1.24.0 (target kaniko-executor, release-tag latest) publishes
  // linux/amd64, arm64, s390x and ppc64le. The digest is the v1.24.0 index
  // the action pins (src/skaffold/images.ts).
  {
    repository: 'gcr.io/kaniko-project/executor',
    tags: ['latest', 'v1.24.0', 'v1.23.2'],
    digests: [
      'sha256:4e7a52dd1f14872430652bb3b027405b8dfd17c4538751c620ac005741ef9698'
    ],
    kind: 'index',
    platforms: ['linux/amd64', 'linux/arm64', 'linux/s390x', 'linux/ppc64le']
  },
  // Docker's official busybox 1.36.1: docker-library/official-images
  // library/busybox (commit d6d62c71, "Tags: 1.36.1, 1.36, stable",
  // Architectures: amd64, arm32v5, arm32v7, arm64v8, i386, ppc64le, riscv64,
  // s390x, arm32v6). The digest is the index the action pins.
  {
    repository: 'docker.io/library/busybox',
    tags: ['1.36.1'],
    digests: [
      'sha256:73aaf090f3d85aa34ee199857f03fa3a95c8ede2ffd4cc2cdb5b94e566b11662'
    ],
    kind: 'index',
    platforms: [
      'linux/amd64',
      'linux/arm/v5',
      'linux/arm/v7',
      'linux/arm64',
      'linux/386',
      'linux/ppc64le',
      'linux/riscv64',
      'linux/s390x',
      'linux/arm/v6'
    ]
  }
]

/**
 * Go stage base images (the FROM a kaniko stage unpacks and runs Go in), the
 * platforms each tag's index lists in docker-library/official-images
 * library/golang at commit 9c7525d033b04c21c499515440d3907f92408115 (the
 * last with Go 1.19; arm64v8 is linux/arm64, arm32v6 linux/arm/v6, ...). The
 * shared tags 1.19 and 1.19.13 also list windows-amd64 (the
 * windowsservercore variants). No digest: none could be cited from two
 * public sources, so a digest reference to these is unknown to the double.
 */
const GO_BASE_IMAGES: readonly KnownImage[] = [
  // Tags: 1.19.13-alpine3.18, 1.19-alpine3.18, 1.19.13-alpine, 1.19-alpine
  // (docker-library/golang 1.19/alpine3.18/Dockerfile).
  {
    repository: 'docker.io/library/golang',
    tags: [
      '1.19.13-alpine3.18',
      '1.19-alpine3.18',
      '1.19.13-alpine',
      '1.19-alpine'
    ],
    digests: [],
    kind: 'index',
    platforms: [
      'linux/amd64',
      'linux/arm/v6',
      'linux/arm/v7',
      'linux/arm64',
      'linux/386',
      'linux/ppc64le',
      'linux/s390x'
    ]
  },
  // Tags: 1.19.13-bookworm, 1.19-bookworm; SharedTags: 1.19.13, 1.19
  // (docker-library/golang 1.19/bookworm/Dockerfile).
  {
    repository: 'docker.io/library/golang',
    tags: ['1.19.13-bookworm', '1.19-bookworm', '1.19.13', '1.19'],
    digests: [],
    kind: 'index',
    platforms: [
      'linux/amd64',
      'linux/arm/v5',
      'linux/arm/v7',
      'linux/arm64',
      'linux/386',
      'linux/mips64le',
      'linux/ppc64le',
      'linux/s390x',
      'windows/amd64'
    ]
  }
]

/** A parsed image reference. */
export interface ImageRef {
  repository: string
  tag?: string
  digest?: string
}

/**
 * Parses a reference the way docker's reference normalisation does
 * (distribution/reference normalize.go splitDockerDomain): the first
 * component is a registry when it has a '.' or ':' or is localhost, else the
 * registry is docker.io, and a one-component docker.io name is under library/.
 * mirror.gcr.io/library/<name> is Google's cache of Docker Hub's official
 * images (https://cloud.google.com/artifact-registry/docs/pull-cached-dockerhub-images),
 * so it names the same content as docker.io/library/<name>.
 */
export function parseImageRef(ref: string): ImageRef {
  const at = ref.indexOf('@')
  const digest = at >= 0 ? ref.slice(at + 1) : undefined
  let name = at >= 0 ? ref.slice(0, at) : ref
  let tag: string | undefined
  const colon = name.lastIndexOf(':')
  if (colon > name.lastIndexOf('/')) {
    tag = name.slice(colon + 1)
    name = name.slice(0, colon)
  }
  const parts = name.split('/')
  const first = parts[0]
  const hasRegistry =
    parts.length > 1 &&
    (first.includes('.') || first.includes(':') || first === 'localhost')
  let repository = hasRegistry ? name : `docker.io/${name}`
  if (repository === `docker.io/${parts[parts.length - 1]}`)
    repository = `docker.io/library/${parts[parts.length - 1]}`
  if (repository.startsWith('index.docker.io/'))
    repository = `docker.io/${repository.slice('index.docker.io/'.length)}`
  if (repository.startsWith('mirror.gcr.io/library/'))
    repository = `docker.io/${repository.slice('mirror.gcr.io/'.length)}`
  // No tag and no digest means :latest (docker's TagNameOnly).
  if (tag === undefined && digest === undefined) tag = 'latest'
  return { repository, tag, digest }
}

/** The known image a reference names, or undefined. */
export function knownImage(
  ref: string,
  catalogue: readonly KnownImage[] = KNOWN_IMAGES
): KnownImage | undefined {
  const parsed = parseImageRef(ref)
  return catalogue.find(
    (k) =>
      k.repository === parsed.repository &&
      (parsed.digest !== undefined
        ? k.digests.includes(parsed.digest)
        : k.tags.includes('*') || k.tags.includes(parsed.tag ?? ''))
  )
}

/** The docker host's platform, as kind's nodes have it. */
export function hostPlatform(): string {
  const arch = process.arch === 'x64' ? 'amd64' : process.arch
  return `linux/${arch}`
}

/**
 * Checks that the node can start one container of the kaniko pod.
 * @throws CommandError: exit 2 for an image the double does not know; exit 1
 * with the error the real node gives when the image lacks its platform.
 */
export function checkPodImage(
  artifact: string,
  container: 'kaniko-init-container' | 'kaniko',
  field: string,
  ref: string,
  nodePlatform: string
): void {
  const known = knownImage(ref)
  if (known === undefined) {
    throw new CommandError(
      `cluster double: cannot tell which platforms ${field} "${ref}" of ${artifact} has; ` +
        'the double refuses images it does not know rather than guess (add it, with the source of its platforms, to test-support/cluster-double/skaffold/images.ts)',
      2
    )
  }
  if (known.platforms.includes(nodePlatform)) return
  if (known.kind === 'index') {
    // containerd core/images/handlers.go LimitManifests: an index with no
    // manifest for the platform fails the pull.
    throw new CommandError(
      `build [${artifact}] failed: creating kaniko pod: container ${container}: ErrImagePull: failed to pull and unpack image "${ref}": no match for platform in manifest: not found (${field} has ${known.platforms.join(', ')}; the node is ${nodePlatform})`
    )
  }
  // One manifest is pulled as it is; the binary then cannot run on the
  // node (skaffold issue 5549: the init container terminates with exit code 1).
  throw new CommandError(
    `build [${artifact}] failed: waiting for pod to initialize: container ${container} terminated with exit code 1: exec /bin/sh: exec format error (${field} "${ref}" is ${known.platforms.join(', ')} only; the node is ${nodePlatform}: set kaniko.initImage to a multi-platform image)`
  )
}

/** The catalogued Go stage base a reference names, or undefined. */
export function knownGoBaseImage(ref: string): KnownImage | undefined {
  return knownImage(ref, GO_BASE_IMAGES)
}

/**
 * Checks that kaniko can pull a Go stage's base image on the node. kaniko
 * pulls every stage's base for --custom-platform, which defaults to the
 * executor's own platform (kaniko v1.19.2 cmd/executor/cmd/root.go), through
 * go-containerregistry's remote.WithPlatform (pkg/image/remote/remote.go
 * remoteOptions); an index without that platform fails the build
 * (vendor/github.com/google/go-containerregistry/pkg/v1/remote/index.go
 * childByPlatform, "no child with platform"). A golang tag outside the
 * catalogue runs on the host's platform, which every Linux golang tag of
 * official-images lists (amd64 and arm64v8); on another node platform the
 * double cannot tell, so it refuses.
 * @throws CommandError: exit 1 as kaniko fails; exit 2 when the double cannot tell.
 */
export function checkGoBaseImage(
  artifact: string,
  where: string,
  ref: string,
  nodePlatform: string
): void {
  const known = knownGoBaseImage(ref)
  if (known === undefined) {
    if (nodePlatform === hostPlatform()) return
    throw new CommandError(
      `cluster double: cannot tell whether ${where} base image "${ref}" of ${artifact} has ${nodePlatform}; ` +
        'the double refuses images it does not know rather than guess (add it, with the source of its platforms, to GO_BASE_IMAGES in test-support/cluster-double/skaffold/images.ts)',
      2
    )
  }
  if (known.platforms.includes(nodePlatform)) return
  throw new CommandError(
    `build [${artifact}] failed: ${where}: retrieving image "${ref}": no child with platform ${nodePlatform} in index ${ref} (it has ${known.platforms.join(', ')})`
  )
}
