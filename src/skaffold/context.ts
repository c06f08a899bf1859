/**
 * What every step of patching one skaffold document shares: the editor, the
 * options, the apiVersion's facts, the report, and errors and warnings that
 * name the file and line. Pure.
 */
import type { ApiVersionInfo } from './api-version.js'
import type { PatchOptions } from './options.js'
import type { PatchReport } from './report.js'
import type { YamlEditor, YamlPath } from './yaml-edit.js'

/** One document being patched. */
export interface DocumentContext {
  /** The config file's path, as given. */
  file: string
  /** 0-based document index in the file. */
  index: number
  edit: YamlEditor
  options: PatchOptions
  info: ApiVersionInfo
  report: PatchReport
}

/** Adds a warning at the line of path. */
export function warnAt(
  ctx: DocumentContext,
  path: YamlPath,
  message: string
): void {
  ctx.report.warnings.push({
    file: ctx.file,
    line: ctx.edit.lineOf(path),
    message
  })
}
