/**
 * Why the tests generator could not write tests for a target.
 */
import { Schema } from "effect"

/** The causes, as data: a caller can tell a missing file from a module with nothing to test. */
export const TestTargetProblem = Schema.Literals([
  "invalid-parameters",
  "unsupported-language",
  "not-found",
  "no-exports",
  "no-tests",
  "layout"
])
export type TestTargetProblem = typeof TestTargetProblem.Type

export class TestTargetError extends Schema.TaggedError<TestTargetError>()("TestTargetError", {
  target: Schema.String,
  problem: TestTargetProblem,
  detail: Schema.String
}) {
  override get message() {
    return `Cannot generate tests for ${this.target} (${this.problem}): ${this.detail}`
  }
}
