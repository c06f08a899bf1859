/**
 * The images every kaniko pod pulls, pinned by digest, and the registry
 * mirror kaniko uses for Docker Hub base images. Pure: constants and checks.
 */

/**
 * The kaniko executor: the last upstream release, v1.24.0 (kaniko
 * CHANGELOG.md, "v1.24.0 Release 2025-05-21"; the project was archived in
 * June 2025), pinned by the digest of its multi-platform index. skaffold's own
 * default is the floating `gcr.io/kaniko-project/executor:latest`
 * (skaffold v2.24.0 pkg/skaffold/build/kaniko/types.go, DefaultImage), which
 * pointed at this same index when it was last checked. The index holds
 * linux/amd64, arm64, s390x and ppc64le (kaniko v1.24.0
 * .github/workflows/images.yaml, target kaniko-executor).
 */
export const DEFAULT_KANIKO_IMAGE =
  'gcr.io/kaniko-project/executor:v1.24.0@sha256:4e7a52dd1f14872430652bb3b027405b8dfd17c4538751c620ac005741ef9698'

/**
 * The kaniko pod's init container, which receives the build context
 * (`sh`, `tar`, `touch`: skaffold v2.24.0 pkg/skaffold/build/cluster/pod.go
 * and kaniko.go). skaffold's default `gcr.io/k8s-skaffold/skaffold-helpers/busybox`
 * (pkg/skaffold/constants/constants.go, DefaultBusyboxImage) is amd64 only
 * (skaffold issue 5549), so arm64 nodes cannot start it. This is Docker's
 * official busybox 1.36.1, pinned by the digest of its multi-platform index
 * (amd64, arm32v5/v6/v7, arm64v8, i386, ppc64le, riscv64, s390x:
 * docker-library/official-images library/busybox, "Tags: 1.36.1").
 * It is pulled through mirror.gcr.io, Google's cache of Docker Hub's
 * official images, by the same digest: the kubelet pulls the init image, and
 * kaniko's registry mirror does not apply to it, so the name itself avoids
 * Docker Hub's anonymous pull limit.
 */
export const DEFAULT_INIT_IMAGE =
  'mirror.gcr.io/library/busybox:1.36.1@sha256:73aaf090f3d85aa34ee199857f03fa3a95c8ede2ffd4cc2cdb5b94e566b11662'

/**
 * kaniko's `--registry-mirror`: Docker Hub base images are pulled from this
 * mirror first, and from Docker Hub when the mirror fails (kaniko v1.24.0
 * cmd/executor/cmd/root.go maps each mirror to index.docker.io;
 * pkg/image/remote/remote.go RetrieveRemoteImage tries the mapped registries,
 * then falls back unless --skip-default-registry-fallback). Google's
 * mirror.gcr.io caches Docker Hub's popular images without Docker Hub's
 * anonymous pull limits.
 */
export const DEFAULT_REGISTRY_MIRROR = 'mirror.gcr.io'

/** The input value that turns the registry mirror off. */
export const NO_REGISTRY_MIRROR = 'none'

/**
 * Why a registry mirror value is unusable, or '' when it is a registry host
 * with an optional path, as kaniko's --registry-mirror takes it.
 */
export function registryMirrorProblem(value: string): string {
  if (/^[a-z]+:\/\//i.test(value))
    return 'kaniko takes a registry host, not a URL (write mirror.gcr.io, not https://mirror.gcr.io)'
  if (!/^[A-Za-z0-9.-]+(:\d+)?(\/[A-Za-z0-9._/-]+)?$/.test(value))
    return 'expected a registry host such as mirror.gcr.io (optionally host:port/path)'
  return ''
}
