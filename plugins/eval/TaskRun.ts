/**
 * One evaluated task, end to end: its workspace committed into a scratch git repository, the
 * pipeline run in-process through the CLI's own wiring with the task's model, the acceptance
 * check run confined in the committed tree, and the figures of the run.
 */
import { Cause, Context, Effect, Exit, Layer, Ref, type Scope } from "effect"
import type { ChildProcessSpawner } from "effect/process"
import type { CodeGenConfig, ProviderConfig } from "../../core/domain/Config.ts"
import type { ProgressEvent } from "../../core/domain/Progress.ts"
import { type CodeGenerationResult, ResultError } from "../../core/domain/Result.ts"
import type { ConfigInvalidError } from "../../core/errors.ts"
import { CodeGenerator } from "../../core/pipeline/CodeGenerator.ts"
import type { AIProvider } from "../../core/services/AIProvider.ts"
import { costOf, defaultPrices, type PriceTable, priceOf } from "../ai/Pricing.ts"
import { confinedScratch, runConfined } from "../testing/Confinement.ts"
import { stagedSandbox } from "../testing/Sandbox.ts"
import { type CassetteMode, taskModel } from "./Cassette.ts"
import { CheckReport, type HarnessTimings, type SecurityCounts, type TaskOutcome, TaskReport } from "./EvalReport.ts"
import type { CheckCommand, EvalTask } from "./EvalTask.ts"
import { loadScratchGit, scratchRepository, snapshot } from "./ScratchRepository.ts"

/** What the engine needs from the wiring of the CLI (passed in, so that the plugin imports no CLI). */
export interface Wiring {
  readonly pipelineLayer: (
    workspace: string,
    config: CodeGenConfig,
    onProgress: (event: ProgressEvent) => Effect.Effect<void>,
    ai: Layer.Layer<AIProvider, ConfigInvalidError>
  ) => Layer.Layer<CodeGenerator, unknown>
  readonly aiLayer: (provider: ProviderConfig) => Layer.Layer<AIProvider, ConfigInvalidError>
  /** The run's config for a workspace, from the user's config, the workspace's, and the flags. */
  readonly loadConfig: (workspace: string) => Effect.Effect<CodeGenConfig, ConfigInvalidError>
  /**
   * Builds the pipeline's long-lived part (language packs, quality tools) once, in the scope of
   * a run of tasks, and returns how to build each task's pipeline over it; without it, each task
   * builds the whole pipeline.
   */
  readonly warm?: Effect.Effect<BuildPipeline, never, Scope.Scope>
}

/** Builds one task's pipeline layer, in the task's scope. */
export type BuildPipeline = <A, E, R>(
  layer: Layer.Layer<A, E, R>
) => Effect.Effect<Context.Context<A>, E, R | Scope.Scope>

export interface TaskRunOptions {
  /** The mode asked for; `undefined`: replay when the task has a cassette, else live. */
  readonly mode: CassetteMode | undefined
  readonly prices: PriceTable
  readonly onProgress?: (task: EvalTask, event: ProgressEvent) => Effect.Effect<void>
}

/** The mode a task runs in. */
export const modeOf = (task: EvalTask, asked: CassetteMode | undefined): CassetteMode =>
  asked ?? (task.hasCassette ? "replay" : "live")

/** Runs `effect`, adding its duration to `phase` of `timings`, however it ends. */
const timedAs = <A, E, R>(
  timings: { -readonly [K in keyof HarnessTimings]: number },
  phase: keyof HarnessTimings,
  effect: Effect.Effect<A, E, R>
): Effect.Effect<A, E, R> =>
  Effect.suspend(() => {
    const started = performance.now()
    return Effect.ensuring(
      effect,
      Effect.sync(() => {
        timings[phase] += performance.now() - started
      })
    )
  })

const tail = (text: string, size = 4000) => (text.length > size ? `…${text.slice(text.length - size)}` : text)

/** Each command of the check in a copy of the committed tree, confined like the change's tests. */
const runCheck = Effect.fn("Eval.runCheck")(function* (
  dir: string,
  check: ReadonlyArray<CheckCommand>,
  isolation: CodeGenConfig["tests"]["isolation"]
) {
  const started = performance.now()
  const commandOf = (command: CheckCommand) =>
    command.argv.map((arg) => arg.replaceAll("{node}", process.execPath)).join(" ")
  const report = (status: CheckReport["status"], command: string, output: string) =>
    new CheckReport({ status, command, durationMs: performance.now() - started, output: tail(output) })
  return yield* Effect.scoped(
    Effect.gen(function* () {
      const sandbox = yield* stagedSandbox(dir, [])
      for (const command of check) {
        const argv = command.argv.map((arg) => arg.replaceAll("{node}", process.execPath))
        const outcome = yield* Effect.scoped(
          Effect.flatMap(confinedScratch, (scratch) =>
            runConfined({
              label: "check",
              command: argv[0] ?? "",
              args: argv.slice(1),
              sandbox,
              scratch,
              timeoutMs: command.timeoutMs,
              isolation
            })
          )
        )
        if (outcome._tag === "TimedOut") return report("timeout", commandOf(command), "")
        if (outcome.exitCode !== 0) {
          return report("failed", commandOf(command), `${outcome.stdout}\n${outcome.stderr}`)
        }
      }
      return report("passed", check.map(commandOf).join(" && "), "")
    })
  ).pipe(Effect.catch((error) => Effect.succeed(report("error", check.map(commandOf).join(" && "), error.message))))
})

const securityOf = (result: CodeGenerationResult | undefined): SecurityCounts => {
  const counts = { critical: 0, high: 0, medium: 0, low: 0 }
  for (const issue of result?.quality.issues ?? []) {
    if (issue.category === "security") counts[issue.level ?? "medium"] += 1
  }
  return counts
}

const messageOfCause = (cause: Cause.Cause<unknown>): ResultError => {
  const error = Cause.squash(cause)
  if (typeof error === "object" && error !== null && "_tag" in error) {
    return new ResultError({ tag: String(error._tag), message: error instanceof Error ? error.message : String(error) })
  }
  return new ResultError({ tag: "Defect", message: error instanceof Error ? error.message : String(error) })
}

/**
 * The pipeline's steps that check a state of the change with the language's tools (formatters,
 * linters, compilers, the change's tests, once per repair round), as the pipeline times them.
 */
const checkSteps: ReadonlySet<string> = new Set(["format-and-validate", "compile", "test", "test-before"])

/** Runs one task and reports it; the task's failures are its report, never this effect's. */
export const runTask = Effect.fn("Eval.runTask")(function* (
  task: EvalTask,
  wiring: Wiring,
  options: TaskRunOptions,
  build?: BuildPipeline
) {
  const started = performance.now()
  const mode = modeOf(task, options.mode)
  const harness = { scratchMs: 0, snapshotsMs: 0, prepareMs: 0, buildMs: 0 }
  return yield* Effect.scoped(
    Effect.gen(function* () {
      const dir = yield* timedAs(
        harness,
        "scratchMs",
        scratchRepository(task.workspace, `tamma-eval-${task.spec.id}-`, `${task.spec.id}: the task's workspace`)
      )
      const before = yield* timedAs(harness, "snapshotsMs", snapshot(dir))
      const prepared = yield* Effect.exit(
        timedAs(
          harness,
          "prepareMs",
          Effect.gen(function* () {
            const config = yield* wiring.loadConfig(dir)
            const model = yield* taskModel(task.cassette, mode, config.provider, wiring.aiLayer)
            return { config, model }
          })
        )
      )
      if (Exit.isFailure(prepared)) {
        return errorReport(task, [messageOfCause(prepared.cause)], performance.now() - started)
      }
      const { config, model } = prepared.value
      const onProgress = (event: ProgressEvent) => options.onProgress?.(task, event) ?? Effect.void
      const layer = wiring.pipelineLayer(dir, config, onProgress, model.layer)
      const exit = yield* Effect.exit(
        Effect.scoped(
          Effect.gen(function* () {
            const context = yield* timedAs(harness, "buildMs", (build ?? Layer.build)(layer))
            return yield* Context.get(context, CodeGenerator).generate(task.request)
          })
        )
      )
      const misses = yield* Ref.get(model.watch.misses)
      const modelMs = yield* Ref.get(model.watch.waitMs)
      const result = Exit.isSuccess(exit) ? exit.value : undefined
      const errors: Array<ResultError> = [
        ...misses.map(
          (what) =>
            new ResultError({ tag: "CassetteMiss", message: `the cassette holds no answer for a request: ${what}` })
        ),
        ...(Exit.isFailure(exit) ? [messageOfCause(exit.cause)] : []),
        ...(result?.errors ?? [])
      ]
      const outcome: TaskOutcome =
        misses.length > 0 || result === undefined ? "error" : result.status === "success" ? "success" : "failed"
      const untouched = (yield* timedAs(harness, "snapshotsMs", snapshot(dir))) === before
      const check =
        outcome === "success" && task.spec.check.length > 0
          ? yield* runCheck(dir, task.spec.check, config.tests.isolation)
          : new CheckReport({ status: "skipped", command: "", durationMs: 0, output: "" })
      const passed =
        task.spec.expected === "success"
          ? outcome === "success" && check.status === "passed"
          : outcome === "failed" && untouched
      const verdict = passed
        ? "passed"
        : outcome === "error"
          ? (errors[0]?.message ?? "error")
          : task.spec.expected === "failed"
            ? outcome === "success"
              ? "expected to fail, but the run succeeded"
              : "the run failed but changed the workspace"
            : outcome === "failed"
              ? `the run failed: ${errors[0]?.message ?? "no reason given"}`
              : `the check ${check.status}: ${check.command}`
      const tokens = result?.metadata.tokens
      const modelId = result?.metadata.model
      const table = { ...defaultPrices, ...options.prices }
      const costUsd =
        tokens === undefined
          ? 0
          : modelId !== undefined && priceOf(modelId, table) !== undefined
            ? costOf(modelId, tokens, table)
            : tokens.costUsd
      const wallMs = performance.now() - started
      const checksMs = (result?.metadata.steps ?? [])
        .filter((step) => checkSteps.has(step.step))
        .reduce((sum, step) => sum + step.durationMs, 0)
      return new TaskReport({
        id: task.spec.id,
        language: task.spec.language,
        kind: task.spec.kind,
        expected: task.spec.expected,
        outcome,
        passed,
        verdict,
        check,
        untouched,
        quality: result?.quality.score,
        security: securityOf(result),
        tests:
          result?.tests === undefined
            ? undefined
            : {
                status: result.tests.status,
                passed: result.tests.passed,
                failed: result.tests.failed,
                durationMs: result.tests.durationMs
              },
        iterations: result?.iterations ?? [],
        calls: tokens?.calls ?? 0,
        tokensIn: tokens?.input ?? 0,
        tokensOut: tokens?.output ?? 0,
        costUsd,
        wallMs,
        modelMs,
        checksMs,
        overheadMs: Math.max(0, wallMs - modelMs - checksMs - check.durationMs),
        steps: result?.metadata.steps ?? [],
        harness,
        diff: (result?.files ?? []).map((file) => file.diff).join("\n"),
        errors
      })
    })
  ).pipe(
    // A task that could not even start (git missing, a folder it cannot copy) is that task's error,
    // not the end of the other tasks; an interruption still ends them all.
    Effect.catchCause((cause) =>
      Cause.hasInterruptsOnly(cause)
        ? Effect.failCause(cause)
        : Effect.succeed(errorReport(task, [messageOfCause(cause)], performance.now() - started))
    )
  )
})

const errorReport = (task: EvalTask, errors: ReadonlyArray<ResultError>, wallMs: number) =>
  new TaskReport({
    id: task.spec.id,
    language: task.spec.language,
    kind: task.spec.kind,
    expected: task.spec.expected,
    outcome: "error",
    passed: false,
    verdict: errors[0]?.message ?? "error",
    check: new CheckReport({ status: "skipped", command: "", durationMs: 0, output: "" }),
    untouched: true,
    security: { critical: 0, high: 0, medium: 0, low: 0 },
    iterations: [],
    calls: 0,
    tokensIn: 0,
    tokensOut: 0,
    costUsd: 0,
    wallMs,
    modelMs: 0,
    checksMs: 0,
    overheadMs: wallMs,
    steps: [],
    diff: "",
    errors
  })

/** Runs `tasks`, at most `concurrency` at once, in the suite's order. */
export const runTasks = (
  tasks: ReadonlyArray<EvalTask>,
  wiring: Wiring,
  options: TaskRunOptions & {
    readonly concurrency: number
    readonly onStart?: (task: EvalTask) => Effect.Effect<void>
    readonly onDone?: (report: TaskReport) => Effect.Effect<void>
  }
): Effect.Effect<ReadonlyArray<TaskReport>, never, ChildProcessSpawner.ChildProcessSpawner> =>
  Effect.scoped(
    Effect.gen(function* () {
      // Built once before the first task, outside every task's figures, and shared by all of them.
      const build = wiring.warm === undefined ? undefined : yield* wiring.warm
      yield* loadScratchGit
      return yield* Effect.forEach(
        tasks,
        (task) =>
          Effect.gen(function* () {
            if (options.onStart !== undefined) yield* options.onStart(task)
            const report = yield* runTask(task, wiring, options, build)
            if (options.onDone !== undefined) yield* options.onDone(report)
            return report
          }),
        { concurrency: Math.max(1, options.concurrency) }
      )
    })
  )
