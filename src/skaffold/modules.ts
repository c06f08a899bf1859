/**
 * The `module` input against the configs read: each name must be the
 * `metadata.name` of one of them. Pure.
 */
import { InputError } from '../inputs.js'
import type { ConfigFile } from './patch.js'
import type { DocumentReport } from './report.js'
import { listLocalRequires } from './requires.js'

/**
 * skaffold -m keeps the configs whose metadata.name is selected; it stops
 * with "did not find any configs matching selection" only when none is, and
 * drops an unknown name beside a known one without a word
 * (skaffold pkg/skaffold/parser/config.go getAllConfigs). Either way the
 * name is a mistake, found here before anything is installed. A config
 * required from git or Cloud Storage is read by skaffold at build time only,
 * so its names cannot be known: then the names are left to skaffold.
 * @throws InputError naming the unknown modules and the names found.
 */
export function checkModules(
  modules: string[],
  files: ConfigFile[],
  documents: DocumentReport[]
): void {
  if (modules.length === 0) return
  if (files.some((file) => listLocalRequires(file).remote.length > 0)) return
  const names = [...new Set(documents.map((d) => d.name))].filter(
    (name) => name !== ''
  )
  const unknown = modules.filter((module) => !names.includes(module))
  if (unknown.length === 0) return
  throw new InputError(
    'module',
    modules.join(','),
    `no skaffold config is named ${unknown.map((m) => JSON.stringify(m)).join(', ')} in ${files.map((f) => f.path).join(', ')}; the configs there are named ${names.map((n) => JSON.stringify(n)).join(', ') || '(none: no config has metadata.name)'}. Set module to one of those names, or leave it empty to build every config`
  )
}
