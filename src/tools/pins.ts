/**
 * sha256 pins for the default tool versions. Pure.
 *
 * The rule: a checksum goes in only when at least two independent public
 * sources that verify it in use agree, and they are cited beside it.
 * Everything else is checked against checksum files the release servers
 * publish next to the binary (for skaffold, both of its servers, which must
 * agree), and the summary says which it was.
 * Sources were read on 2026-11-29 from stored snapshots of public repositories.
 */

/** Key of the pin table: `<tool>@<version>/<os>-<arch>`, e.g. `kind@v0.32.0/linux-amd64`. */
export type PinKey = string

/** A sha256 table: pin key -> lowercase hex digest. */
export type PinTable = Readonly<Record<PinKey, string>>

/** The pins shipped with the action (see the comment on each group for its sources). */
export const PINNED_SHA256: PinTable = {
  // kind v0.32.0, all four platforms. Three sources agree:
  // - radius-project/radius build/tools.mk (@00ad7014) KIND_CHECKSUM_*, verified
  //   with `sha256sum -c` by build/scripts/install-kind.sh (@07abc4f7);
  // - cashapp/hermit-packages kind.hcl (@f0517fd7) sha256sums, checked by
  //   Hermit on every install;
  // - C5C3/forge hack/install-test-deps.sh (@2168f31c) KIND_SHA256_*, compared
  //   before install.
  // Another public file pins a different value for linux-amd64; no two
  // sources support it.
  'kind@v0.32.0/linux-amd64':
    '50030de23cf40a18505f20426f6a8506bedf13c6e509244bd1fa9463721b0f54',
  'kind@v0.32.0/linux-arm64':
    'b92cd615e97585de8ddade28ed5cd7feb4248d717c233eea5b03c37298900f5d',
  'kind@v0.32.0/darwin-amd64':
    '295ac6d0d634c9819c9907df45e3017d1f13166bd13c3404c45e79f7faa47498',
  'kind@v0.32.0/darwin-arm64':
    'dca67911095a110c2b5c36e26df6cac860c602033e456c0db47be498cdef1ebb',

  // skaffold v2.24.0: no pin. cashapp/hermit-packages skaffold.hcl
  // (@f0517fd7) lists all four sha256s; a Nix flake in
  // mailerlite/gcloud-setup-deploy-action (nix/flake.nix, fetchurl) has the
  // same linux-amd64 (7023440818…) and linux-arm64 (a8331e5992…) values, but
  // no revision of it that we can cite holds them, and no second source has
  // the darwin ones. Until two citable sources agree, skaffold is accepted
  // only when the .sha256 files on storage.googleapis.com and on the GitHub
  // release agree (or from the one mirror the user names).

  // kubectl v1.35.2, linux only. Two sources agree:
  // - cashapp/hermit-packages kubectl.hcl (@f0517fd7) sha256sums;
  // - rancher/shell hack/make/deps.mk (@86e6aa59, "update kubernetes
  //   dependencies to v1.35.2") KUBECTL_SUM_*, verified with `sha256sum -c`
  //   in package/Dockerfile.
  // darwin-amd64/arm64: only one attributable source, so no pin.
  'kubectl@v1.35.2/linux-amd64':
    '924eb50779153f20cb668117d141440b95df2f325a64452d78dff9469145e277',
  'kubectl@v1.35.2/linux-arm64':
    'cd859449f54ad2cb05b491c490c13bb836cdd0886ae013c0aed3dd67ff747467'
}
