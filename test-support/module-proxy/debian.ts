/**
 * Real third-party Go modules from Debian bookworm's golang-*-dev packages
 * (sources under /usr/share/gocode/src), published at the upstream versions
 * those packages ship, so the examples build against real code offline.
 */
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import type { ModuleSource } from './layout.js'

/** Where Debian's golang-*-dev packages install Go sources. */
export const DEBIAN_GOCODE = '/usr/share/gocode/src'

/** A module taken from a Debian package. */
export interface DebianModule {
  path: string
  version: string
  /** The Debian package that installs it (apt-get install -y <package>). */
  debianPackage: string
}

/** The modules the examples use, with the Debian package of each. */
export const DEBIAN_MODULES: readonly DebianModule[] = [
  {
    path: 'gopkg.in/yaml.v3',
    version: 'v3.0.1',
    debianPackage: 'golang-gopkg-yaml.v3-dev'
  },
  {
    path: 'github.com/google/uuid',
    version: 'v1.3.0',
    debianPackage: 'golang-github-google-uuid-dev'
  },
  {
    path: 'github.com/gorilla/mux',
    version: 'v1.8.0',
    debianPackage: 'golang-github-gorilla-mux-dev'
  }
]

/**
 * Modules go only needs the go.mod of (yaml.v3's go.mod names check.v1 for its
 * tests; that version has no go.mod upstream, so the proxy serves the
 * synthesized `module gopkg.in/check.v1`, exactly what proxy.golang.org serves).
 */
export const GRAPH_ONLY_MODULES: readonly ModuleSource[] = [
  { path: 'gopkg.in/check.v1', version: 'v0.0.0-20161208181325-20d25e280405' }
]

/**
 * The module sources for the proxy; throws naming the apt packages to install
 * when any source tree is missing.
 */
export function debianModuleSources(root = DEBIAN_GOCODE): ModuleSource[] {
  const missing = DEBIAN_MODULES.filter(
    (m) =>
      !existsSync(join(root, m.path, 'go.mod')) &&
      !existsSync(join(root, m.path))
  )
  if (missing.length > 0) {
    throw new Error(
      `module proxy: Go sources missing under ${root}: ${missing.map((m) => m.path).join(', ')}. ` +
        `Install them with: apt-get install -y ${missing.map((m) => m.debianPackage).join(' ')}`
    )
  }
  return [
    ...DEBIAN_MODULES.map((m) => ({
      path: m.path,
      version: m.version,
      dir: join(root, m.path)
    })),
    ...GRAPH_ONLY_MODULES
  ]
}
