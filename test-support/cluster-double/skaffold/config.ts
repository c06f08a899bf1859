/**
 * Reads skaffold configs as skaffold does: every `---` document of the file
 * and of local `requires[].path` files, top-level `.anchor` keys stripped,
 * each document validated against the JSON schema of its apiVersion.
 */
import { existsSync, readdirSync, statSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import AjvModule, { type ErrorObject, type ValidateFunction } from 'ajv'
import { parseAllDocuments } from 'yaml'
import { CommandError } from '../io.js'
import { scalarText } from '../values.js'

/** One skaffold config document after loading. */
export interface LoadedConfig {
  file: string
  /** 0-based index of the document in its file. */
  index: number
  apiVersion: string
  name?: string
  /** Directory relative paths resolve against (cwd for the root file). */
  baseDir: string
  config: Record<string, unknown>
  /** True for the documents of the -f file itself. */
  root: boolean
  /** Names of configs this one requires (with their files). */
  requires: { file: string; configs: string[] }[]
}

const here = dirname(fileURLToPath(import.meta.url))
/** The repo root (test-support/cluster-double/skaffold → ../../..). */
export const REPO_ROOT = resolve(here, '../../..')

/** The schema directory: SKAFFOLD_SCHEMAS_DIR or <repo>/../shared/skaffold-schemas. */
export function schemasDir(env: Record<string, string | undefined>): string {
  return env.SKAFFOLD_SCHEMAS_DIR
    ? resolve(env.SKAFFOLD_SCHEMAS_DIR)
    : resolve(REPO_ROOT, '../shared/skaffold-schemas')
}

/** True when `dir` holds at least one `<apiVersion>.json` schema. */
export function hasSchemas(dir: string): boolean {
  try {
    return readdirSync(dir).some((n) => /^v\d\w*\.json$/.test(n))
  } catch {
    return false
  }
}

type AjvInstance = { compile(schema: object): ValidateFunction }
const AjvClass =
  (AjvModule as unknown as { default?: new (o: object) => AjvInstance })
    .default ?? (AjvModule as unknown as new (o: object) => AjvInstance)
const validators = new Map<string, ValidateFunction>()

async function validatorFor(
  dir: string,
  version: string,
  where: string
): Promise<ValidateFunction> {
  const path = join(dir, `${version}.json`)
  const cached = validators.get(path)
  if (cached !== undefined) return cached
  if (!existsSync(path)) {
    throw new CommandError(
      `parsing skaffold config: ${where}: unknown api version: "skaffold/${version}" (no schema ${path}; set SKAFFOLD_SCHEMAS_DIR)`
    )
  }
  // draft-07 schemas with vendor keywords: strict off; never useDefaults (it injects string defaults).
  const ajv = new AjvClass({ allErrors: true, strict: false })
  const validate = ajv.compile(
    JSON.parse(await readFile(path, 'utf8')) as object
  )
  validators.set(path, validate)
  return validate
}

/** The most useful schema error: the deepest unknown field, else the first error. */
export function describeSchemaErrors(errors: readonly ErrorObject[]): string {
  const unknown = errors
    .filter((e) => e.keyword === 'additionalProperties')
    .sort((a, b) => b.instancePath.length - a.instancePath.length)[0]
  if (unknown !== undefined) {
    return `${unknown.instancePath || '/'}: unknown field "${String((unknown.params as { additionalProperty: string }).additionalProperty)}"`
  }
  const first = [...errors].sort(
    (a, b) => b.instancePath.length - a.instancePath.length
  )[0]
  return first === undefined
    ? 'invalid'
    : `${first.instancePath || '/'}: ${first.message ?? 'invalid'}`
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/**
 * Loads the root file and its local requires, validated. Without any schema
 * (a fresh clone: the schemas are test data, not part of the repository)
 * the fields go unchecked and `note` says so once; with schemas, an
 * apiVersion that has none is refused as skaffold refuses an unknown one.
 */
export async function loadConfigs(
  rootFile: string,
  cwd: string,
  env: Record<string, string | undefined>,
  note: (message: string) => void = () => undefined
): Promise<LoadedConfig[]> {
  const dir = schemasDir(env)
  const validating = hasSchemas(dir)
  if (!validating)
    note(
      `cluster double: no skaffold JSON schema in ${dir} (set SKAFFOLD_SCHEMAS_DIR): config fields are not validated`
    )
  const loaded: LoadedConfig[] = []
  const seen = new Set<string>()
  async function loadFile(file: string, root: boolean): Promise<void> {
    if (seen.has(file)) return
    seen.add(file)
    let text: string
    try {
      text = await readFile(file, 'utf8')
    } catch {
      throw new CommandError(
        `parsing skaffold config: failed to read the skaffold config: open ${file}: no such file or directory`
      )
    }
    const docs = parseAllDocuments(text)
    for (const [index, doc] of docs.entries()) {
      const where = `${file} (document ${index + 1})`
      if (doc.errors.length > 0) {
        const line = doc.errors[0].linePos?.[0].line
        throw new CommandError(
          `parsing skaffold config: ${file}${line ? `:${line}` : ''}: ${doc.errors[0].message}`
        )
      }
      const raw: unknown = doc.toJS()
      if (raw === null || raw === undefined) continue
      if (!isRecord(raw))
        throw new CommandError(
          `parsing skaffold config: ${where}: not a mapping`
        )
      // skaffold strips top-level keys starting with "." (YAML anchor parking) before decoding.
      const config = Object.fromEntries(
        Object.entries(raw).filter(([k]) => !k.startsWith('.'))
      )
      const apiVersion = scalarText(config.apiVersion)
      const match = /^skaffold\/(v\d+(?:(?:alpha|beta)\d+)?)$/.exec(apiVersion)
      if (match === null)
        throw new CommandError(
          `parsing skaffold config: ${where}: missing or invalid apiVersion ${JSON.stringify(config.apiVersion)}`
        )
      const validate = validating
        ? await validatorFor(dir, match[1], where)
        : undefined
      if (validate !== undefined && !validate(config)) {
        throw new CommandError(
          `parsing skaffold config: ${where} is not valid for ${apiVersion}: ${describeSchemaErrors(validate.errors ?? [])}`
        )
      }
      const metadata = isRecord(config.metadata) ? config.metadata : {}
      const entry: LoadedConfig = {
        file,
        index,
        apiVersion,
        name: typeof metadata.name === 'string' ? metadata.name : undefined,
        baseDir: root ? cwd : dirname(file),
        config,
        root,
        requires: []
      }
      loaded.push(entry)
      const requires = Array.isArray(config.requires) ? config.requires : []
      for (const [i, req] of requires.entries()) {
        if (!isRecord(req)) continue
        const configs = Array.isArray(req.configs)
          ? req.configs.map(String)
          : []
        if (
          req.git !== undefined ||
          req.googleCloudStorage !== undefined ||
          req.googleCloudBuildRepoV2 !== undefined
        ) {
          throw new CommandError(
            `cluster double: ${where}: requires[${i}] is a remote config (git/GCS); only local paths are supported`,
            2
          )
        }
        if (typeof req.path !== 'string') {
          entry.requires.push({ file, configs })
          continue
        }
        let target = resolve(dirname(file), req.path)
        if (existsSync(target) && statSync(target).isDirectory())
          target = join(target, 'skaffold.yaml')
        entry.requires.push({ file: target, configs })
        await loadFile(target, false)
      }
    }
  }
  await loadFile(resolve(cwd, rootFile), true)
  const names = new Map<string, string>()
  for (const c of loaded) {
    if (c.name === undefined) continue
    const other = names.get(c.name)
    if (other !== undefined)
      throw new CommandError(
        `parsing skaffold config: multiple skaffold configs named "${c.name}" found in ${other} and ${c.file}`
      )
    names.set(c.name, c.file)
  }
  return loaded
}

/** Restricts configs to the -m modules and what they require (all configs when no -m). */
export function selectModules(
  configs: readonly LoadedConfig[],
  modules: readonly string[]
): LoadedConfig[] {
  if (modules.length === 0) return [...configs]
  const missing = modules.filter((m) => !configs.some((c) => c.name === m))
  if (missing.length > 0)
    throw new CommandError(
      `did not find any configs matching selection [${missing.join(' ')}]`
    )
  const chosen = new Set<LoadedConfig>()
  const visit = (c: LoadedConfig): void => {
    if (chosen.has(c)) return
    chosen.add(c)
    for (const req of c.requires) {
      configs
        .filter(
          (d) =>
            d.file === req.file &&
            (req.configs.length === 0 ||
              (d.name !== undefined && req.configs.includes(d.name)))
        )
        .forEach(visit)
    }
  }
  configs
    .filter((c) => c.name !== undefined && modules.includes(c.name))
    .forEach(visit)
  return configs.filter((c) => chosen.has(c))
}
