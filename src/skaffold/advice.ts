/**
 * Advice about kaniko settings the user wrote that cost time on every warm
 * build. Data only: the patcher never changes these settings. Figures were
 * measured with real kaniko v1.19.2 on examples/feed-agg (warm builds,
 * within-round medians). Pure.
 */
import type { KanikoAdvice, PatchReport } from './report.js'
import type { Json } from './yaml-edit.js'

/**
 * The advice for one artifact's kaniko map (as the user wrote it).
 * @returns one entry per costly combination, in a fixed order.
 */
export function kanikoAdvice(kaniko: Json): KanikoAdvice[] {
  const advice: KanikoAdvice[] = []
  if (kaniko.useNewRun === true && kaniko.singleSnapshot === true) {
    // The new RUN walks the whole filesystem before and after each RUN to
    // find what changed (kaniko v1.19.2 pkg/commands/run_marker.go
    // RunMarkerCommand.ExecuteCommand, util.GetFSInfoMap); singleSnapshot
    // takes one snapshot at the end anyway, so those walks buy nothing.
    advice.push({
      kind: 'use-new-run-with-single-snapshot',
      keys: ['useNewRun', 'singleSnapshot'],
      message:
        'useNewRun does nothing useful with singleSnapshot: kaniko still walks the whole filesystem before and after every RUN (measured: dropping useNewRun saves ~0.6 s per warm build)'
    })
  }
  if (kaniko.reproducible === true) {
    // kaniko rewrites the final image canonically (kaniko v1.19.2
    // pkg/executor/build.go, mutate.Canonical), which re-tars every layer.
    advice.push({
      kind: 'reproducible',
      keys: ['reproducible'],
      message:
        "reproducible: true re-tars every layer of the final image, the base image's included, and pushes the rewritten base layers again (measured: +0.4 s with a distroless final stage, about +5 s per 100 MB of final base image); drop it unless you need byte-identical images"
    })
  }
  return advice
}

/**
 * One line per piece of advice in the report, for the job summary.
 * @returns e.g. `skaffold.yaml:6: artifact "feed-agg": useNewRun does nothing...`
 */
export function adviceLines(report: PatchReport): string[] {
  return report.artifacts.flatMap((a) =>
    a.advice.map(
      (item) => `${a.file}:${a.line}: artifact "${a.image}": ${item.message}`
    )
  )
}
