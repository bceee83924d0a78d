/**
 * The pipeline's test step: run the change's tests on the staged state before anything is
 * written. A refactoring runs the whole suite before and after, and fails when a test that
 * passed before does not pass after. The step reports; the repair loop decides.
 */
import { Effect } from "effect"
import type { TestsConfig } from "../domain/Config.ts"
import type { CodeGenerationRequest } from "../domain/Request.ts"
import type { TestReport } from "../domain/TestReport.ts"
import { TestsFailedError } from "../errors.ts"
import type { StagedChange } from "../services/FileManager.ts"
import type { LanguageRegistry } from "../services/LanguageRegistry.ts"
import type { TestRunner } from "../services/TestRunner.ts"
import type { RunRecorder } from "./RunRecorder.ts"

const summary = (r: TestReport) => `${r.framework}: ${r.passed} passed, ${r.failed} failed, ${r.skipped} skipped`

const firstLine = (message: string | undefined) => (message ?? "").split("\n")[0] ?? ""

/** A failure's message without the runner's own stack frames: the assertion and where it failed. */
const headOf = (message: string | undefined) =>
  (message ?? "")
    .split("\n")
    .filter((line) => !/node_modules|node:internal|^\s*at (new Promise|process\.|async Promise)/.test(line))
    .slice(0, 6)
    .join("\n")

const failuresOf = (report: TestReport, timeoutMs: number) =>
  report.status === "timeout"
    ? [`timed out after ${timeoutMs} ms`]
    : report.status === "error" && report.cases.every((c) => c.status !== "failed")
      ? [`the test run failed before any test ran:\n${report.output.slice(-2000)}`]
      : report.cases
          .filter((c) => c.status === "failed")
          .map(
            (c) =>
              `${c.name}${c.file === undefined ? "" : ` (${c.file}${c.line === undefined ? "" : `:${c.line}`})`}: ${headOf(c.message)}`
          )

export interface TestStepInput {
  readonly request: CodeGenerationRequest
  readonly workspace: string
  readonly runner: TestRunner["Service"] | undefined
  readonly config: TestsConfig
  readonly recorder: RunRecorder
  /** Knows which of the change's files are tests, by each language's conventions. */
  readonly languages: LanguageRegistry["Service"]
  /**
   * A model writes the tests: a run where none of them passed (every one skipped, or none found)
   * proves nothing of the change, so it fails. A template's placeholder (`it.todo`) is not held to it.
   */
  readonly requirePassingTest: boolean
}

/** What the tests said of one state of the change; `error` is undefined when they pass (or were skipped). */
export interface TestOutcome {
  readonly report: TestReport | undefined
  readonly error: TestsFailedError | undefined
}

/**
 * A function that tests a state of the change. A refactoring's run of the suite before the
 * change is made once and shared by every state.
 */
export const makeTestStep = (input: TestStepInput) =>
  Effect.gen(function* () {
    const { request, workspace, runner, config, recorder, languages, requirePassingTest } = input
    const enabled = request.options.runTests ?? config.run
    const refactoring = request.taskType === "refactoring"
    const options = { workspace, language: request.language, timeoutMs: config.timeoutMs }
    const before =
      runner === undefined
        ? Effect.void
        : yield* Effect.cached(recorder.step("test-before", runner.runStaged({ ...options, changes: [] }), summary))
    return Effect.fnUntraced(function* (changes: ReadonlyArray<StagedChange>) {
      const testFiles = yield* Effect.filter(
        changes.flatMap((c) => (c.after === undefined ? [] : [c.path])),
        languages.isTestPath
      )
      if (runner === undefined || !enabled || (!refactoring && testFiles.length === 0)) {
        const why = runner === undefined ? "no test runner" : enabled ? "no test files in the change" : "disabled"
        yield* recorder.skip("test", why)
        return { report: undefined, error: undefined } satisfies TestOutcome
      }
      if (!refactoring) {
        const report = yield* recorder.step(
          "test",
          runner.runStaged({ ...options, files: testFiles, changes }),
          summary,
          // A run whose tests fail is a failed step, though the runner itself succeeded.
          (r) => r.status !== "passed" || (r.passed === 0 && requirePassingTest)
        )
        const idle = report.status === "passed" && report.passed === 0 && requirePassingTest
        const error =
          (report.status !== "passed" || idle) && config.requirePass
            ? new TestsFailedError({
                framework: report.framework,
                failed: report.failed,
                failures: idle
                  ? [`no test passed: ${report.skipped} skipped, none ran; write tests that run and assert the change`]
                  : failuresOf(report, config.timeoutMs)
              })
            : undefined
        return { report, error } satisfies TestOutcome
      }
      // A refactoring keeps behaviour: every test that passed before must still pass after.
      // Also in a sandbox: runners leave caches behind, and the workspace is the user's.
      const earlier = yield* before
      const after = yield* recorder.step("test", runner.runStaged({ ...options, changes }), summary)
      const passedAfter = new Set(after.cases.filter((c) => c.status === "passed").map((c) => c.name))
      const regressions = (earlier?.cases ?? []).filter((c) => c.status === "passed" && !passedAfter.has(c.name))
      const broke =
        regressions.length > 0 ||
        after.status === "timeout" ||
        (after.status === "error" && earlier?.status !== "error")
      const error = broke
        ? new TestsFailedError({
            framework: after.framework,
            failed: Math.max(regressions.length, after.failed),
            failures:
              regressions.length > 0
                ? regressions.map((c) => {
                    const now = after.cases.find((a) => a.name === c.name)
                    const detail = now?.message === undefined ? "" : `: ${firstLine(now.message)}`
                    return `${c.name} passed before the refactoring and ${now === undefined ? "is gone" : `now ${now.status}`}${detail}`
                  })
                : failuresOf(after, config.timeoutMs)
          })
        : undefined
      return { report: after, error } satisfies TestOutcome
    })
  })
