/**
 * The outcome of running a workspace's tests, parsed from the runner's machine-readable output.
 */
import { Schema } from "effect"

/** One test case. `name` is the full name (suite path and title). */
export class TestCase extends Schema.Class<TestCase>("@tamma/codegen/TestCase")({
  name: Schema.String,
  file: Schema.optional(Schema.String),
  status: Schema.Literals(["passed", "failed", "skipped"]),
  durationMs: Schema.optional(Schema.Number),
  message: Schema.optional(Schema.String),
  line: Schema.optional(Schema.Int)
}) {}

/** A whole run: counts, cases, and the tail of the output for what the parser could not tell. */
export class TestReport extends Schema.Class<TestReport>("@tamma/codegen/TestReport")({
  framework: Schema.String,
  /** `error`: the runner itself failed (no report); `timeout`: killed at the time limit. */
  status: Schema.Literals(["passed", "failed", "error", "timeout"]),
  passed: Schema.Int,
  failed: Schema.Int,
  skipped: Schema.Int,
  durationMs: Schema.Number,
  cases: Schema.Array(TestCase),
  command: Schema.String,
  output: Schema.String,
  coverage: Schema.optional(Schema.Number)
}) {}

/** A report built from cases, with the counts derived from them. */
export const reportFromCases = (
  fields: Omit<TestReport, "passed" | "failed" | "skipped" | "status"> & { readonly status?: TestReport["status"] }
): TestReport => {
  const count = (status: TestCase["status"]) => fields.cases.filter((c) => c.status === status).length
  const failed = count("failed")
  return new TestReport({
    ...fields,
    status: fields.status ?? (failed > 0 ? "failed" : "passed"),
    passed: count("passed"),
    failed,
    skipped: count("skipped")
  })
}
