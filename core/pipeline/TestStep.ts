/**
 * The pipeline's test step: run the change's tests on the staged state before anything is
 * written. A refactoring runs the whole suite before and after, and fails when a test that
 * passed before does not pass after.
 */
import { Effect } from "effect"
import type { TestsConfig } from "../domain/Config.ts"
import type { CodeGenerationRequest } from "../domain/Request.ts"
import type { TestReport } from "../domain/TestReport.ts"
import { TestsFailedError } from "../errors.ts"
import type { StagedChange } from "../services/FileManager.ts"
import { isTestPath, type TestRunner } from "../services/TestRunner.ts"
import type { RunRecorder } from "./RunRecorder.ts"

const summary = (r: TestReport) => `${r.framework}: ${r.passed} passed, ${r.failed} failed, ${r.skipped} skipped`

const failuresOf = (report: TestReport, timeoutMs: number) =>
  report.status === "timeout"
    ? [`timed out after ${timeoutMs} ms`]
    : report.cases.filter((c) => c.status === "failed").map((c) => `${c.name}: ${(c.message ?? "").split("\n")[0]}`)

export interface TestStepInput {
  readonly request: CodeGenerationRequest
  readonly changes: ReadonlyArray<StagedChange>
  readonly workspace: string
  readonly runner: TestRunner["Service"] | undefined
  readonly config: TestsConfig
  readonly recorder: RunRecorder
  /** Called with the final report before the step decides, so a failed run still reports it. */
  readonly observe: (report: TestReport) => void
}

/** The test report of the change, or undefined when the step was skipped. */
export const testChange = Effect.fnUntraced(function* (input: TestStepInput) {
  const { request, changes, workspace, runner, config, recorder, observe } = input
  const enabled = request.options.runTests ?? config.run
  const refactoring = request.taskType === "refactoring"
  const testFiles = changes.filter((c) => c.after !== undefined && isTestPath(c.path)).map((c) => c.path)
  if (runner === undefined || !enabled || (!refactoring && testFiles.length === 0)) {
    const why = runner === undefined ? "no test runner" : enabled ? "no test files in the change" : "disabled"
    yield* recorder.skip("test", why)
    return undefined
  }
  const options = { workspace, language: request.language, timeoutMs: config.timeoutMs }
  if (!refactoring) {
    const report = yield* recorder.step("test", runner.runStaged({ ...options, files: testFiles, changes }), summary)
    observe(report)
    if (report.status !== "passed" && config.requirePass) {
      return yield* new TestsFailedError({
        framework: report.framework,
        failed: report.failed,
        failures: failuresOf(report, config.timeoutMs)
      })
    }
    return report
  }
  // A refactoring keeps behaviour: every test that passed before must still pass after.
  // Also in a sandbox: runners leave caches behind, and the workspace is the user's.
  const before = yield* recorder.step("test-before", runner.runStaged({ ...options, changes: [] }), summary)
  const after = yield* recorder.step("test", runner.runStaged({ ...options, changes }), summary)
  observe(after)
  const passedAfter = new Set(after.cases.filter((c) => c.status === "passed").map((c) => c.name))
  const regressions = before.cases.filter((c) => c.status === "passed" && !passedAfter.has(c.name))
  if (regressions.length > 0 || after.status === "timeout" || (after.status === "error" && before.status !== "error")) {
    return yield* new TestsFailedError({
      framework: after.framework,
      failed: Math.max(regressions.length, after.failed),
      failures:
        regressions.length > 0
          ? regressions.map((c) => {
              const now = after.cases.find((a) => a.name === c.name)
              return `${c.name} passed before the refactoring and ${now === undefined ? "is gone" : `now ${now.status}`}${now?.message === undefined ? "" : `: ${now.message.split("\n")[0]}`}`
            })
          : failuresOf(after, config.timeoutMs)
    })
  }
  return after
})
