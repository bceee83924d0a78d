/**
 * TestRunner: runs a workspace's tests with the real runner of its language and parses the result.
 */
import { Context, Effect, Layer } from "effect"
import { CompileReport } from "../domain/CompileReport.ts"
import { reportFromCases, type TestReport } from "../domain/TestReport.ts"
import type { TestRunError, TestRunnerMissingError } from "../errors.ts"
import type { StagedChange } from "./FileManager.ts"

/** How one test framework is run and read. Language packs list theirs in `testFrameworks`. */
export interface TestFramework {
  readonly name: string
  /**
   * Whether the workspace uses this framework (its manifests, config files, dependencies). Fails
   * when the framework is the workspace's but the tools it needs are not installed.
   */
  readonly detect: (workspace: string) => Effect.Effect<boolean, TestRunError>
  /**
   * Checks that the runner is installed where this workspace's tests would find it (the
   * workspace's own `node_modules/.bin`, a virtualenv, PATH); fails naming what is missing and
   * how to get it. Without it the framework is taken to need nothing beyond what runs us.
   */
  readonly runner?: (workspace: string) => Effect.Effect<void, TestRunnerMissingError>
  /**
   * The command to run (no shell), optionally only `files`. `reportFile` is a path inside a
   * scratch folder where the runner writes its machine-readable report, when it has one.
   */
  readonly command: (options: {
    readonly workspace: string
    readonly files: ReadonlyArray<string>
    readonly reportFile: string
  }) => {
    readonly command: string
    readonly args: ReadonlyArray<string>
    readonly env?: Readonly<Record<string, string>>
  }
  /** The report, from stdout and the report file's content when there is one. */
  readonly parse: (output: {
    readonly stdout: string
    readonly stderr: string
    readonly report: string | undefined
    readonly exitCode: number
  }) => Omit<TestReport, "command" | "output" | "durationMs" | "framework">
}

export interface RunTestsOptions {
  readonly workspace: string
  readonly language: string
  /** Only these test files (workspace-relative); all tests when empty. */
  readonly files?: ReadonlyArray<string>
  /** Default 120 s; the whole process tree is killed at the limit. */
  readonly timeoutMs?: number
}

export class TestRunner extends Context.Service<
  TestRunner,
  {
    readonly run: (options: RunTestsOptions) => Effect.Effect<TestReport, TestRunError | TestRunnerMissingError>
    /**
     * Runs the tests in a sandbox copy of the workspace with `changes` overlaid, so that nothing
     * touches the workspace before the change is accepted.
     */
    readonly runStaged: (
      options: RunTestsOptions & { readonly changes: ReadonlyArray<StagedChange> }
    ) => Effect.Effect<TestReport, TestRunError | TestRunnerMissingError>
    /**
     * Compiles (type-checks) the change in a sandbox with its language pack's compile check;
     * `skipped` when the pack has none or its compiler is not installed. Diagnostics are
     * those of the change's own files.
     */
    readonly checkStaged: (options: {
      readonly workspace: string
      readonly language: string
      readonly changes: ReadonlyArray<StagedChange>
      readonly timeoutMs?: number
    }) => Effect.Effect<CompileReport, TestRunError>
  }
>()("@tamma/codegen/services/TestRunner") {
  /**
   * A runner with no tests and no compiler: every run passes with zero cases and every compile
   * check is `skipped` (it claims nothing), with `overrides` in place of what a test cares about.
   */
  static readonly makeNoop = (overrides: Partial<TestRunner["Service"]> = {}): TestRunner["Service"] =>
    TestRunner.of({ run: noTests, runStaged: noTests, checkStaged: noCompiler, ...overrides })

  /** `TestRunner.makeNoop(overrides)` as a layer. */
  static readonly layerNoop = (overrides: Partial<TestRunner["Service"]> = {}): Layer.Layer<TestRunner> =>
    Layer.succeed(TestRunner, TestRunner.makeNoop(overrides))
}

const noTests = () =>
  Effect.succeed(reportFromCases({ framework: "none", durationMs: 0, command: "", output: "", cases: [] }))

const noCompiler = () =>
  Effect.succeed(
    new CompileReport({
      tool: "none",
      status: "skipped",
      diagnostics: [],
      command: "",
      output: "no compile check configured",
      durationMs: 0
    })
  )
