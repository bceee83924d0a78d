/**
 * The pipeline's checking stage (DESIGN §7's repair loop): the generated files are staged and
 * checked as a whole (`CheckState`); while anything fails and rounds remain, the generator gets a
 * repair round with every failure. The best state seen is left staged, and the run recorder
 * learns it, so that a run failing later still reports what it would have written.
 */
import { Effect, FileSystem, Option, Path } from "effect"
import type { CodeGenerationRequest } from "../domain/Request.ts"
import { RepairIteration } from "../domain/Result.ts"
import { RenderedFile } from "../domain/Template.ts"
import { FileManager } from "../services/FileManager.ts"
import type { Generator, GeneratorOutput } from "../services/GeneratorRegistry.ts"
import { LanguageRegistry } from "../services/LanguageRegistry.ts"
import { PipelineConfig } from "../services/PipelineConfig.ts"
import { Progress } from "../services/Progress.ts"
import { QualityChecker } from "../services/QualityChecker.ts"
import { TestRunner } from "../services/TestRunner.ts"
import { makeStateCheck } from "./CheckState.ts"
import type { EslintScope } from "./EslintScope.ts"
import { type CheckedState, repairLoop } from "./Repair.ts"
import type { RunRecorder } from "./RunRecorder.ts"

export interface CheckFilesInput {
  readonly request: CodeGenerationRequest
  readonly recorder: RunRecorder
  readonly generator: Generator
  /** The generator's first answer. */
  readonly generated: GeneratorOutput
  /** Reads a workspace file as the staging area sees it; a file that cannot be read is absent. */
  readonly read: (path: string) => Effect.Effect<string | undefined>
  /** Calls and tokens the run's model calls have used so far. */
  readonly usage: Effect.Effect<{ readonly calls: number; readonly tokens: number }>
  /** The usage before the first answer was asked for. */
  readonly usageBefore: { readonly calls: number; readonly tokens: number }
  /** Where ESLint runs (the same scope as `validate`'s). */
  readonly eslint: EslintScope
}

/** One repair round from `state`: the files the answer changes over the state's, and what still fails. */
const repairRound = (input: CheckFilesInput, repair: NonNullable<Generator["repair"]>) => (state: CheckedState) =>
  input.recorder.step(
    "repair",
    Effect.gen(function* () {
      const answer = yield* repair({
        runId: input.recorder.runId,
        request: input.request,
        files: state.files.map((file) => ({ path: file.path, content: file.content })),
        failures: state.failures,
        read: input.read
      })
      // A failure of a file the answer did not touch stands: nothing has mended it.
      const answered = new Set(answer.files.map((file) => file.path))
      const merged = new Map(
        state.files.map((file) => [file.path, new RenderedFile({ path: file.path, content: file.content })])
      )
      for (const file of answer.files) merged.set(file.path, file)
      return {
        files: [...merged.values()],
        notes: answer.notes,
        failures: [...(state.output.failures ?? []).filter((f) => !answered.has(f.path)), ...(answer.failures ?? [])]
      } satisfies GeneratorOutput
    }),
    (out) => `${out.files.length} file(s)`
  )

/** Checks and repairs the generated files; the best state is staged when it returns. */
export const checkFiles = Effect.fn("CodeGenerator.checkFiles")(function* (input: CheckFilesInput) {
  const { request, recorder, generator } = input
  const config = yield* PipelineConfig
  const files = yield* FileManager
  const progress = yield* Progress
  const { evaluate } = yield* makeStateCheck({
    request,
    runId: recorder.runId,
    recorder,
    config,
    files,
    languages: yield* LanguageRegistry,
    quality: yield* QualityChecker,
    progress,
    // Optional: embedders without a test runner get runs that skip the test step.
    runner: Option.getOrUndefined(yield* Effect.serviceOption(TestRunner)),
    // Optional: without a file system (an in-memory workspace) the layout is learnt from fewer files.
    fileSystem: yield* Effect.serviceOption(FileSystem.FileSystem),
    paths: yield* Effect.serviceOption(Path.Path),
    eslint: input.eslint,
    // A generator that repairs is a model's: its tests are held to having one that passes.
    requirePassingTest: generator.repair !== undefined
  })
  const loop = yield* repairLoop({
    first: input.generated,
    evaluate,
    repair: generator.repair === undefined ? undefined : repairRound(input, generator.repair),
    maxIterations: Math.max(1, request.options.maxIterations ?? config.maxIterations),
    tokenBudget: config.tokenBudget,
    usage: input.usage,
    usageBefore: input.usageBefore,
    makeIteration: (fields) => new RepairIteration(fields),
    onIteration: (iteration) => progress.publish({ _tag: "IterationFinished", runId: recorder.runId, ...iteration })
  })
  const { best } = loop
  yield* recorder.learn({ iterations: loop.iterations, state: best, notes: loop.notes })
  if (!loop.bestIsStaged) {
    yield* files.discard
    for (const file of best.files) yield* files.write(file.path, file.content)
  }
  return loop
})
