/**
 * The report of an evaluation: one row per task and the totals over them, as Schema so that
 * `--json` and the baseline are checked documents.
 */
import { Schema } from "effect"
import { RepairIteration, ResultError, StepTiming } from "../../core/domain/Result.ts"

export const TaskOutcome = Schema.Literals(["success", "failed", "error"])
export type TaskOutcome = typeof TaskOutcome.Type

export const SecurityCounts = Schema.Struct({
  critical: Schema.Int,
  high: Schema.Int,
  medium: Schema.Int,
  low: Schema.Int
})
export type SecurityCounts = typeof SecurityCounts.Type

export class CheckReport extends Schema.Class<CheckReport>("@tamma/codegen/eval/CheckReport")({
  status: Schema.Literals(["passed", "failed", "timeout", "error", "skipped"]),
  command: Schema.String,
  durationMs: Schema.Number,
  /** The end of the failing command's output. */
  output: Schema.String
}) {}

/** The harness's own steps around the pipeline, each as it timed them. */
export const HarnessTimings = Schema.Struct({
  /** Copying the task's workspace into a scratch repository and committing it. */
  scratchMs: Schema.Number,
  /** The snapshots of the repository before and after the run (a negative task must leave it as it was). */
  snapshotsMs: Schema.Number,
  /** The task's config and its model (cassette or live provider). */
  prepareMs: Schema.Number,
  /** Building the task's pipeline over the run's long-lived part. */
  buildMs: Schema.Number
})
export type HarnessTimings = typeof HarnessTimings.Type

export class TaskReport extends Schema.Class<TaskReport>("@tamma/codegen/eval/TaskReport")({
  id: Schema.String,
  language: Schema.String,
  kind: Schema.String,
  expected: Schema.Literals(["success", "failed"]),
  /** What the run ended with: `error` when it could not run (or the cassette lacked an answer). */
  outcome: TaskOutcome,
  /** The task's verdict: succeeded and its check passed, or, for a negative task, failed with nothing written. */
  passed: Schema.Boolean,
  /** Why it did not pass, in one line. */
  verdict: Schema.String,
  check: CheckReport,
  /** The workspace as it was before the run: no commit, no branch, no change in the work tree. */
  untouched: Schema.Boolean,
  quality: Schema.optional(Schema.Number),
  security: SecurityCounts,
  tests: Schema.optional(
    Schema.Struct({ status: Schema.String, passed: Schema.Int, failed: Schema.Int, durationMs: Schema.Number })
  ),
  iterations: Schema.Array(RepairIteration),
  calls: Schema.Int,
  tokensIn: Schema.Int,
  tokensOut: Schema.Int,
  costUsd: Schema.Number,
  wallMs: Schema.Number,
  /** Time waiting for the model's answers. */
  modelMs: Schema.Number,
  /** Time in the pipeline's checks of the change: format, lint, compile, its tests (every round). */
  checksMs: Schema.Number,
  /** Time that is neither the model's, nor the checks', nor the acceptance check's: the tool's own. */
  overheadMs: Schema.Number,
  /** The pipeline's steps as it timed them. */
  steps: Schema.Array(StepTiming),
  /** Where the harness's own time went, outside the pipeline's steps (absent when the task could not start). */
  harness: Schema.optional(HarnessTimings),
  diff: Schema.String,
  errors: Schema.Array(ResultError)
}) {}

export class Totals extends Schema.Class<Totals>("@tamma/codegen/eval/Totals")({
  tasks: Schema.Int,
  passed: Schema.Int,
  successRate: Schema.Number,
  /** Over the tasks that produced a result. */
  meanQuality: Schema.Number,
  p50Ms: Schema.Number,
  p95Ms: Schema.Number,
  callsPerTask: Schema.Number,
  tokensInPerTask: Schema.Number,
  tokensOutPerTask: Schema.Number,
  costUsd: Schema.Number,
  security: SecurityCounts
}) {}

export class EvalReport extends Schema.Class<EvalReport>("@tamma/codegen/eval/EvalReport")({
  startedAt: Schema.String,
  mode: Schema.Literals(["replay", "record", "live", "mixed"]),
  totals: Totals,
  languages: Schema.Record(Schema.String, Totals),
  tasks: Schema.Array(TaskReport)
}) {}

/** The value below which `share` of the sorted values lie (nearest rank). */
export const percentile = (values: ReadonlyArray<number>, share: number): number => {
  if (values.length === 0) return 0
  const sorted = [...values].sort((a, b) => a - b)
  const rank = Math.max(1, Math.ceil(share * sorted.length))
  return sorted[rank - 1] ?? 0
}

const mean = (values: ReadonlyArray<number>): number =>
  values.length === 0 ? 0 : values.reduce((sum, value) => sum + value, 0) / values.length

/** The totals over `tasks`. */
export const totalsOf = (tasks: ReadonlyArray<TaskReport>): Totals => {
  const qualities = tasks.flatMap((task) => (task.quality === undefined ? [] : [task.quality]))
  const passed = tasks.filter((task) => task.passed).length
  const security = { critical: 0, high: 0, medium: 0, low: 0 }
  for (const task of tasks) {
    for (const level of ["critical", "high", "medium", "low"] as const) security[level] += task.security[level]
  }
  return new Totals({
    tasks: tasks.length,
    passed,
    successRate: tasks.length === 0 ? 0 : passed / tasks.length,
    meanQuality: mean(qualities),
    p50Ms: percentile(
      tasks.map((task) => task.wallMs),
      0.5
    ),
    p95Ms: percentile(
      tasks.map((task) => task.wallMs),
      0.95
    ),
    callsPerTask: mean(tasks.map((task) => task.calls)),
    tokensInPerTask: mean(tasks.map((task) => task.tokensIn)),
    tokensOutPerTask: mean(tasks.map((task) => task.tokensOut)),
    costUsd: tasks.reduce((sum, task) => sum + task.costUsd, 0),
    security
  })
}

/** The report of a finished evaluation, with totals overall and per language. */
export const reportOf = (startedAt: string, mode: EvalReport["mode"], tasks: ReadonlyArray<TaskReport>): EvalReport => {
  const languages: Record<string, Totals> = {}
  for (const language of [...new Set(tasks.map((task) => task.language))].sort()) {
    languages[language] = totalsOf(tasks.filter((task) => task.language === language))
  }
  return new EvalReport({ startedAt, mode, totals: totalsOf(tasks), languages, tasks })
}
