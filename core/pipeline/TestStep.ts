/**
 * The pipeline's test step: run the change's tests on the staged state before anything is
 * written. A refactoring (and a model's fix with no test of its own) runs the whole suite before
 * and after, and fails when a test that passed before does not pass after. A model's tests that
 * assert nothing, and its new code with no test, fail too. The step reports; the repair loop decides.
 */
import { Effect, Option } from "effect"
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

/** The task types whose model-backed change must carry tests: what they add is only verified by them. */
const testedTaskTypes: ReadonlySet<string> = new Set(["implementation", "test"])

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
   * proves nothing of the change, so it fails; so does a test that asserts nothing, and an
   * implementation or tests change with no test file. A template's placeholder (`it.todo`) is
   * not held to it.
   */
  readonly requirePassingTest: boolean
  /**
   * Reads a file of the workspace (undefined when there is none, or it lies outside): a helper
   * the tests import is judged by its body, not its name.
   */
  readonly read?: (path: string) => Effect.Effect<string | undefined>
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
    const pack = Option.getOrUndefined(yield* Effect.option(languages.get(request.language)))
    // Tests are wanted where the language has a runner and the request did not ask for none.
    const needsTests =
      requirePassingTest &&
      config.requirePass &&
      testedTaskTypes.has(request.taskType) &&
      request.parameters.withTests !== false &&
      (pack?.testFrameworks?.length ?? 0) > 0
    const framework = request.framework ?? pack?.testFrameworks?.[0]?.name ?? request.language

    /**
     * A model's change as its tests read: the files that hold tests (Rust keeps unit tests beside
     * the code, in files no test path names) and, as failures for the model, the tests that
     * assert nothing. A file the change edits is held only to the tests it makes so: those it
     * found that way are the user's.
     */
    const readTests = Effect.fnUntraced(function* (changes: ReadonlyArray<StagedChange>, testFiles: Set<string>) {
      const holding: Array<string> = []
      const hollow: Array<string> = []
      if (!requirePassingTest || !config.requirePass) return { holding, hollow }
      // The change's own files first: a helper it writes is read as staged.
      const staged = new Map(changes.map((change) => [change.path, change.after]))
      const read = (path: string) =>
        staged.has(path) ? Effect.succeed(staged.get(path)) : (input.read?.(path) ?? Effect.succeed(undefined))
      for (const change of changes) {
        if (change.after === undefined) continue
        const check = Option.getOrUndefined(yield* languages.detect(change.path))?.assertionCheck
        if (check === undefined) continue
        const now = yield* check.read(change.after, change.path, read)
        if (now.count === 0) continue
        if (!testFiles.has(change.path)) {
          // A source file of a language whose tests never sit there is no test to run.
          if (check.besideCode !== true) continue
          holding.push(change.path)
        }
        const earlier = change.before === undefined ? undefined : yield* check.read(change.before, change.path, read)
        const known = new Set(earlier?.unasserted.map((test) => test.name))
        for (const test of now.unasserted) {
          if (known.has(test.name)) continue
          hollow.push(
            `${test.name} (${change.path}:${test.line}) asserts nothing, so it passes whatever the code does: check what the code returns or does with ${check.forms}`
          )
        }
      }
      return { holding, hollow }
    })

    const before =
      runner === undefined
        ? Effect.void
        : yield* Effect.cached(recorder.step("test-before", runner.runStaged({ ...options, changes: [] }), summary))
    return Effect.fnUntraced(function* (changes: ReadonlyArray<StagedChange>) {
      const pathTests = yield* Effect.filter(
        changes.flatMap((c) => (c.after === undefined ? [] : [c.path])),
        languages.isTestPath
      )
      if (runner === undefined || !enabled) {
        yield* recorder.skip("test", runner === undefined ? "no test runner" : "disabled")
        return { report: undefined, error: undefined } satisfies TestOutcome
      }
      const { holding, hollow } = yield* readTests(changes, new Set(pathTests))
      const testFiles = [...pathTests, ...holding]
      // A model's fix to files that exist, with no test of its own, is verified by the suite the
      // workspace already has, as a refactoring is: new code needs tests of its own.
      const editsOnly = changes.every((c) => c.after === undefined || c.before !== undefined)
      const bySuite =
        refactoring || (testFiles.length === 0 && needsTests && request.taskType === "implementation" && editsOnly)
      if (!bySuite && testFiles.length === 0) {
        if (!needsTests) {
          yield* recorder.skip("test", "no test files in the change")
          return { report: undefined, error: undefined } satisfies TestOutcome
        }
        // Nothing would verify the change: the model is asked for tests as for a failing one.
        yield* recorder.step(
          "test",
          Effect.void,
          () => "no test files in the change",
          () => true
        )
        const error = new TestsFailedError({
          framework,
          failed: 0,
          reason: "no test ran, so nothing verified the change",
          failures: [
            `no test file in the change: ${request.taskType === "test" ? "the task is to write tests" : "new code is verified by its own tests"}; add a ${request.language} test file where the project keeps its tests, whose tests call the new code and assert what it returns`
          ]
        })
        return { report: undefined, error } satisfies TestOutcome
      }
      if (!bySuite) {
        const report = yield* recorder.step(
          "test",
          runner.runStaged({ ...options, files: testFiles, changes }),
          (r) => `${summary(r)}${hollow.length === 0 ? "" : `, ${hollow.length} assert nothing`}`,
          // A run whose tests fail is a failed step, though the runner itself succeeded.
          (r) => r.status !== "passed" || (r.passed === 0 && requirePassingTest) || hollow.length > 0
        )
        const idle = report.status === "passed" && report.passed === 0 && requirePassingTest
        const error =
          (report.status !== "passed" || idle || hollow.length > 0) && config.requirePass
            ? new TestsFailedError({
                framework: report.framework,
                failed: report.failed + hollow.length,
                failures: [
                  ...hollow,
                  ...(idle
                    ? [
                        `no test passed: ${report.skipped} skipped, none ran; write tests that run and assert the change`
                      ]
                    : report.status === "passed"
                      ? []
                      : failuresOf(report, config.timeoutMs))
                ]
              })
            : undefined
        return { report, error } satisfies TestOutcome
      }
      // The suite keeps behaviour: every test that passed before must still pass after.
      // Also in a sandbox: runners leave caches behind, and the workspace is the user's.
      // Always against the run before the change (made once, shared by every repair round): a suite
      // that passes whole may pass only because the change stopped a test from being collected.
      const earlier = yield* before
      const after = yield* recorder.step("test", runner.runStaged({ ...options, changes }), summary)
      const passedAfter = new Set(after.cases.filter((c) => c.status === "passed").map((c) => c.name))
      const regressions = (earlier?.cases ?? []).filter((c) => c.status === "passed" && !passedAfter.has(c.name))
      const crashed = after.status === "timeout" || (after.status === "error" && earlier?.status !== "error")
      // A fix checked by a suite where no test passes is checked by nothing.
      const idle = !refactoring && passedAfter.size === 0 && !crashed
      const broke = hollow.length > 0 || regressions.length > 0 || crashed || idle
      const error = broke
        ? new TestsFailedError({
            framework: after.framework,
            failed: Math.max(regressions.length, after.failed) + hollow.length,
            failures: [
              ...hollow,
              ...(regressions.length > 0
                ? regressions.map((c) => {
                    const now = after.cases.find((a) => a.name === c.name)
                    const detail = now?.message === undefined ? "" : `: ${firstLine(now.message)}`
                    return `${c.name} passed before the ${refactoring ? "refactoring" : "change"} and ${now === undefined ? "is gone" : `now ${now.status}`}${detail}`
                  })
                : crashed
                  ? failuresOf(after, config.timeoutMs)
                  : idle
                    ? [
                        `no test passed in the workspace's suite (${after.passed} passed, ${after.failed} failed, ${after.skipped} skipped): add tests that call the changed code and assert what it returns`
                      ]
                    : [])
            ]
          })
        : undefined
      return { report: after, error } satisfies TestOutcome
    })
  })
