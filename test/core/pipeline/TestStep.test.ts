/**
 * The test step's hold on a model's tests: a test that asserts nothing fails the state (with its
 * file and line), and so does an implementation or tests change with no test file (a fix of
 * existing code is verified by the workspace's suite instead); a template's run, a documentation
 * change, tests turned off and a request for no tests are not held to it.
 */
import { describe, expect, it } from "@effect/vitest"
import { Effect, Schema } from "effect"
import { CodeGenConfig } from "../../../core/domain/Config.ts"
import { CodeGenerationRequest } from "../../../core/domain/Request.ts"
import { reportFromCases, TestCase } from "../../../core/domain/TestReport.ts"
import { makeRunRecorder } from "../../../core/pipeline/RunRecorder.ts"
import { makeTestStep } from "../../../core/pipeline/TestStep.ts"
import type { StagedChange } from "../../../core/services/FileManager.ts"
import { LanguageRegistry } from "../../../core/services/LanguageRegistry.ts"
import { Progress } from "../../../core/services/Progress.ts"
import { TestRunner } from "../../../core/services/TestRunner.ts"
import { Rust } from "../../../plugins/languages/rust/index.ts"
import { TypeScript } from "../../../plugins/languages/typescript/index.ts"

/** A runner whose every test passes (or that finds none), and which counts the runs it was asked for. */
const passingRunner = (
  cases: ReadonlyArray<TestCase> | ((changes: number) => ReadonlyArray<TestCase>) = [
    new TestCase({ name: "clamp works", status: "passed" })
  ]
) => {
  const runs: Array<ReadonlyArray<string>> = []
  const runner = TestRunner.of({
    run: () => Effect.die("not used"),
    checkStaged: () => Effect.die("not used"),
    runStaged: ({ files, changes }) =>
      Effect.sync(() => {
        runs.push(files ?? [])
        return reportFromCases({
          framework: "vitest",
          durationMs: 1,
          command: "vitest",
          output: "",
          cases: typeof cases === "function" ? cases(changes.length) : cases
        })
      })
  })
  return { runner, runs }
}

const request = (fields: Record<string, unknown> = {}) =>
  Schema.decodeUnknownSync(CodeGenerationRequest)({
    taskType: "implementation",
    language: "typescript",
    context: { issue: { number: 7, title: "Add clamp" } },
    requirements: { functionality: ["limit a number to a range"] },
    ...fields
  })

const source: StagedChange = {
  path: "src/clamp.ts",
  before: undefined,
  after: "export const clamp = (x: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, x))\n"
}
const testFile = (body: string, before?: string): StagedChange => ({
  path: "test/clamp.test.ts",
  before,
  after: `import { expect, it } from "vitest"\nimport { clamp } from "../src/clamp"\n\n${body}`
})
const asserting = 'it("limits", () => {\n  expect(clamp(15, 0, 10)).toBe(10)\n})\n'
const vacuous = 'it("works", () => {\n  clamp(1, 0, 2)\n})\n'

const testState = (options: {
  readonly request?: CodeGenerationRequest
  readonly requirePassingTest?: boolean
  readonly config?: Record<string, unknown>
  readonly cases?: ReadonlyArray<TestCase> | ((changes: number) => ReadonlyArray<TestCase>)
  readonly workspaceFiles?: Record<string, string>
}) =>
  Effect.gen(function* () {
    const languages = yield* LanguageRegistry
    yield* languages.register(TypeScript.pack)
    yield* languages.register(Rust.pack)
    const recorder = yield* makeRunRecorder(yield* Progress)
    const { runner, runs } = passingRunner(options.cases)
    const test = yield* makeTestStep({
      request: options.request ?? request(),
      workspace: "/nowhere",
      runner,
      config: Schema.decodeUnknownSync(CodeGenConfig)({ tests: options.config ?? {} }).tests,
      recorder,
      languages,
      requirePassingTest: options.requirePassingTest ?? true,
      read: (path) => Effect.succeed(options.workspaceFiles?.[path])
    })
    return { test, runs, recorder }
  }).pipe(Effect.provide([LanguageRegistry.layer, Progress.layerSilent]))

describe("the test step of a model's change", () => {
  it.effect("fails a test that asserts nothing, naming it with its file and line", () =>
    Effect.gen(function* () {
      const { test, runs } = yield* testState({})
      const outcome = yield* test([source, testFile(`${asserting}\n${vacuous}`)])
      expect(outcome.error?._tag).toBe("TestsFailedError")
      expect(outcome.error?.failures).toEqual([
        expect.stringMatching(/^works \(test\/clamp\.test\.ts:8\) asserts nothing, so it passes whatever .* expect\(/)
      ])
      expect(outcome.error?.failed).toBe(1)
      // The runner still ran them: its failures reach the model in the same round.
      expect(runs).toEqual([["test/clamp.test.ts"]])
    })
  )

  it.effect("passes tests that assert", () =>
    Effect.gen(function* () {
      const { test } = yield* testState({})
      const outcome = yield* test([source, testFile(asserting)])
      expect(outcome.error).toBeUndefined()
      expect(outcome.report?.passed).toBe(1)
    })
  )

  it.effect("holds an edited test file only to the tests the change makes assert nothing", () =>
    Effect.gen(function* () {
      const { test } = yield* testState({})
      const userFile = testFile(vacuous).after
      const edited = testFile(`${vacuous}\n${asserting}`, userFile)
      expect((yield* test([source, edited])).error).toBeUndefined()
      const hollowed = testFile(`${vacuous}\nit("limits", () => {\n  clamp(15, 0, 10)\n})\n`, edited.after)
      expect((yield* test([source, hollowed])).error?.failures).toEqual([expect.stringMatching(/^limits \(/)])
    })
  )

  it.effect("judges a helper the tests import by its body, in the change or in the workspace", () =>
    Effect.gen(function* () {
      const { test } = yield* testState({
        workspaceFiles: {
          "test-helpers.ts":
            'import { expect } from "vitest"\nexport const same = (a: number, b: number) => expect(a).toBe(b)\n'
        }
      })
      const helperTest = (name: string, from: string) =>
        testFile(`import { ${name} } from "${from}"\n\nit("limits", () => {\n  ${name}(clamp(15, 0, 10), 10)\n})\n`)
      // An empty helper the change writes beside its tests does not assert for them.
      const empty: StagedChange = {
        path: "test/support/check.ts",
        before: undefined,
        after: "export const check = (_a: number, _b: number) => {}\n"
      }
      const hollow = yield* test([source, empty, helperTest("check", "./support/check")])
      expect(hollow.error?.failures).toEqual([
        expect.stringMatching(/^limits \(test\/clamp\.test\.ts:6\) asserts nothing/)
      ])
      // One the workspace has, outside the test folders, asserts by its body.
      expect((yield* test([source, helperTest("same", "../test-helpers")])).error).toBeUndefined()
    })
  )

  it.effect.each(["implementation", "test"])("fails a %s change with no test file, asking for one", (taskType) =>
    Effect.gen(function* () {
      const { test, runs, recorder } = yield* testState({ request: request({ taskType }) })
      const outcome = yield* test([source])
      expect(outcome.error?._tag).toBe("TestsFailedError")
      expect(outcome.error?.failures).toEqual([
        expect.stringMatching(/^no test file in the change: .* add a typescript test file/)
      ])
      expect(outcome.error?.framework).toBe("vitest")
      // What the user reads: why nothing verified the change, not a count of failures that is 0.
      expect(outcome.error?.message).toMatch(
        /^vitest: no test ran, so nothing verified the change:\n {2}no test file in the change: /
      )
      expect(outcome.error?.message).not.toMatch(/test\(s\) failed/)
      expect(runs).toEqual([])
      expect(recorder.timings.map((t) => [t.step, t.status, t.detail])).toEqual([
        ["test", "failed", "no test files in the change"]
      ])
    })
  )

  const fix: StagedChange = { ...source, before: "export const clamp = (x: number) => x\n" }

  it.effect("verifies a fix of existing code with no test of its own by the workspace's suite", () =>
    Effect.gen(function* () {
      const { test, runs, recorder } = yield* testState({})
      const outcome = yield* test([fix])
      expect(outcome.error).toBeUndefined()
      expect(outcome.report?.passed).toBe(1)
      // The whole suite (no file named), before and after the change.
      expect(runs).toEqual([[], []])
      expect(recorder.timings.map((t) => t.step)).toEqual(["test-before", "test"])
    })
  )

  it.effect("does not fail a fix for a test that failed already before it", () =>
    Effect.gen(function* () {
      const cases = [
        new TestCase({ name: "clamp works", status: "passed" }),
        new TestCase({ name: "parses money", status: "failed", message: "expected 1.5" })
      ]
      const { test, runs, recorder } = yield* testState({ cases })
      const outcome = yield* test([fix])
      expect(outcome.error).toBeUndefined()
      expect(runs).toEqual([[], []])
      expect(recorder.timings.map((t) => t.step)).toEqual(["test-before", "test"])
    })
  )

  it.effect("fails a fix that breaks a test of the workspace's suite, naming it", () =>
    Effect.gen(function* () {
      // The test passes without the change and fails with it.
      const { test } = yield* testState({
        cases: (changes) => [new TestCase({ name: "clamp works", status: changes === 0 ? "passed" : "failed" })]
      })
      const outcome = yield* test([fix])
      expect(outcome.error?.failures).toEqual(["clamp works passed before the change and now failed"])
    })
  )

  it.effect("fails a fix after which a test that passed before is no longer collected, naming it", () =>
    Effect.gen(function* () {
      // The fix's suite passes whole, but one test (excluded by a config edit, say) is gone from it.
      const { test, runs } = yield* testState({
        cases: (changes) => [
          new TestCase({ name: "clamp works", status: "passed" }),
          ...(changes === 0 ? [new TestCase({ name: "clamp limits", status: "passed" })] : [])
        ]
      })
      const outcome = yield* test([fix])
      expect(outcome.error?.failures).toEqual(["clamp limits passed before the change and is gone"])
      expect(outcome.error?.failed).toBe(1)
      // The run before the change is made once, however many repair rounds there are.
      yield* test([fix])
      expect(runs).toEqual([[], [], []])
    })
  )

  it.effect("fails a fix whose workspace suite has no test that passes", () =>
    Effect.gen(function* () {
      const { test } = yield* testState({ cases: [] })
      const outcome = yield* test([fix])
      expect(outcome.error?.failures).toEqual([
        expect.stringMatching(/^no test passed in the workspace's suite \(0 passed, 0 failed, 0 skipped\): add tests/)
      ])
    })
  )

  it.effect("fails a tests change that edits a file and writes no test file", () =>
    Effect.gen(function* () {
      const { test, runs } = yield* testState({ request: request({ taskType: "test" }) })
      const outcome = yield* test([fix])
      expect(outcome.error?.failures).toEqual([
        expect.stringMatching(/^no test file in the change: the task is to write tests; add a typescript test file/)
      ])
      expect(runs).toEqual([])
    })
  )

  const rustModule = (body: string): StagedChange => ({
    path: "src/temperature.rs",
    before: undefined,
    after: `pub fn to_fahrenheit(c: f64) -> f64 {\n    c * 9.0 / 5.0 + 32.0\n}\n\n#[cfg(test)]\nmod tests {\n    use super::*;\n\n    #[test]\n    fn boils() {\n        ${body}\n    }\n}\n`
  })

  it.effect("runs the unit tests Rust keeps beside the code, and reads them for assertions", () =>
    Effect.gen(function* () {
      const { test, runs } = yield* testState({ request: request({ language: "rust" }) })
      const good = yield* test([rustModule("assert_eq!(to_fahrenheit(100.0), 212.0);")])
      expect(good.error).toBeUndefined()
      expect(runs).toEqual([["src/temperature.rs"]])
      const hollow = yield* test([rustModule("to_fahrenheit(100.0);")])
      expect(hollow.error?.failures).toEqual([
        expect.stringMatching(/^boils \(src\/temperature\.rs:10\) asserts nothing/)
      ])
    })
  )

  it.effect("takes a TypeScript source that calls a `test` function for no test: its tests never sit there", () =>
    Effect.gen(function* () {
      const { test, runs } = yield* testState({})
      const runner = {
        ...source,
        after: 'export const test = (name: string, f: () => void) => f()\ntest("x", () => {})\n'
      }
      expect((yield* test([runner])).error?.failures).toEqual([expect.stringMatching(/^no test file in the change/)])
      expect(runs).toEqual([])
    })
  )

  const notHeld: ReadonlyArray<{
    readonly why: string
    readonly request?: CodeGenerationRequest
    readonly requirePassingTest?: boolean
    readonly config?: Record<string, unknown>
    readonly step: string
  }> = [
    { why: "a template's run", requirePassingTest: false, step: "no test files in the change" },
    {
      why: "a documentation change",
      request: request({ taskType: "documentation" }),
      step: "no test files in the change"
    },
    {
      why: "a request for no tests",
      request: request({ parameters: { withTests: false } }),
      step: "no test files in the change"
    },
    { why: "tests turned off in the request", request: request({ options: { runTests: false } }), step: "disabled" },
    { why: "tests turned off in the config", config: { run: false }, step: "disabled" },
    { why: "tests not required to pass", config: { requirePass: false }, step: "no test files in the change" }
  ]
  it.effect.each(notHeld)("does not hold $why to having tests, and says it skipped them", (c) =>
    Effect.gen(function* () {
      const { test, runs, recorder } = yield* testState(c)
      const outcome = yield* test([source])
      expect(outcome).toEqual({ report: undefined, error: undefined })
      expect(runs).toEqual([])
      expect(recorder.timings.map((t) => [t.step, t.status, t.detail])).toEqual([["test", "skipped", c.step]])
    })
  )

  it.effect("does not read a template's tests for assertions: its placeholders are meant to be filled", () =>
    Effect.gen(function* () {
      const { test } = yield* testState({ requirePassingTest: false })
      expect((yield* test([source, testFile(vacuous)])).error).toBeUndefined()
    })
  )

  it.effect("with tests turned off, does not read them either, and the state carries no report", () =>
    Effect.gen(function* () {
      const { test, runs } = yield* testState({ config: { run: false } })
      expect(yield* test([source, testFile(vacuous)])).toEqual({ report: undefined, error: undefined })
      expect(runs).toEqual([])
    })
  )
})
