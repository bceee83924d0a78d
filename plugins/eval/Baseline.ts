/**
 * A suite's baseline: the figures a run must not fall below. Written by a person on purpose
 * (`baselineOf` gives the figures of a report to copy), never updated by a run.
 */
import { Schema } from "effect"
import type { EvalReport } from "./EvalReport.ts"

export class Baseline extends Schema.Class<Baseline>("@tamma/codegen/eval/Baseline")({
  successRate: Schema.Number,
  meanQuality: Schema.Number,
  /** The ids of the tasks that passed: each must still pass. */
  passed: Schema.Array(Schema.String)
}) {}

export const decodeBaseline = Schema.decodeUnknownEffect(Schema.fromJsonString(Baseline), { errors: "all" })

/** Quality scores are computed, not measured: a change this small is rounding, not a regression. */
const qualityTolerance = 0.005

/** What of `report` falls below `baseline`, one line each; empty when nothing does. */
export const regressions = (baseline: Baseline, report: EvalReport): ReadonlyArray<string> => {
  const out: Array<string> = []
  const ran = new Map(report.tasks.map((task) => [task.id, task]))
  for (const id of baseline.passed) {
    const task = ran.get(id)
    if (task !== undefined && !task.passed) out.push(`${id} passed in the baseline and now fails: ${task.verdict}`)
  }
  // Rates compare only over the same tasks: a run of some of them (--task) says nothing of the whole.
  const whole = baseline.passed.every((id) => ran.has(id))
  if (whole && report.totals.successRate < baseline.successRate) {
    out.push(
      `success rate ${percent(report.totals.successRate)} is below the baseline's ${percent(baseline.successRate)}`
    )
  }
  if (whole && report.totals.meanQuality < baseline.meanQuality - qualityTolerance) {
    out.push(
      `mean quality ${percent(report.totals.meanQuality)} is below the baseline's ${percent(baseline.meanQuality)}`
    )
  }
  return out
}

const percent = (share: number) => `${(share * 100).toFixed(1)}%`

/** The baseline a person would write from `report`. */
export const baselineOf = (report: EvalReport): Baseline =>
  new Baseline({
    successRate: report.totals.successRate,
    meanQuality: Math.floor(report.totals.meanQuality * 1000) / 1000,
    passed: report.tasks.filter((task) => task.passed).map((task) => task.id)
  })
