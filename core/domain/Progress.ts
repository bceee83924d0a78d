/**
 * Progress events: what a run tells its observers while it works.
 */
import { Schema } from "effect"

export const RunStarted = Schema.TaggedStruct("RunStarted", {
  runId: Schema.String,
  taskType: Schema.String,
  language: Schema.String,
  title: Schema.String
})
export const StepStarted = Schema.TaggedStruct("StepStarted", { runId: Schema.String, step: Schema.String })
export const StepFinished = Schema.TaggedStruct("StepFinished", {
  runId: Schema.String,
  step: Schema.String,
  status: Schema.Literals(["done", "skipped", "failed"]),
  durationMs: Schema.Number,
  detail: Schema.optional(Schema.String)
})
export const FileStaged = Schema.TaggedStruct("FileStaged", {
  runId: Schema.String,
  path: Schema.String,
  action: Schema.Literals(["create", "modify", "delete"])
})
export const QualityChecked = Schema.TaggedStruct("QualityChecked", {
  runId: Schema.String,
  path: Schema.String,
  score: Schema.Number,
  issues: Schema.Int
})
export const TokensReceived = Schema.TaggedStruct("TokensReceived", {
  runId: Schema.String,
  provider: Schema.String,
  text: Schema.String
})
/** A round of the repair loop has been checked. */
export const IterationFinished = Schema.TaggedStruct("IterationFinished", {
  runId: Schema.String,
  index: Schema.Int,
  reason: Schema.String,
  calls: Schema.Int,
  tokens: Schema.Int,
  outcome: Schema.Literals(["no-change", "edits-failed", "compile-failed", "gate-failed", "tests-failed", "passed"]),
  failures: Schema.Array(Schema.String)
})
export const Committed = Schema.TaggedStruct("Committed", {
  runId: Schema.String,
  branch: Schema.String,
  sha: Schema.String
})
export const RunFinished = Schema.TaggedStruct("RunFinished", {
  runId: Schema.String,
  status: Schema.Literals(["success", "partial", "failed"]),
  durationMs: Schema.Number
})

/** Every progress event. */
export const ProgressEvent = Schema.Union([
  RunStarted,
  StepStarted,
  StepFinished,
  FileStaged,
  QualityChecked,
  TokensReceived,
  IterationFinished,
  Committed,
  RunFinished
])
export type ProgressEvent = typeof ProgressEvent.Type
