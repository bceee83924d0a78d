/**
 * The pipeline's last stage: the `CodeGenerationResult` of a run, however it ended. A run whose
 * change was written is a success, even when an interruption arrived just after; a failure
 * reports what would have been written, unwritten; bad input fails instead, as nothing ran.
 */
import { type Cause, Clock, Effect, type Exit } from "effect"
import { QualityResult } from "../domain/Quality.ts"
import type { CodeGenerationRequest } from "../domain/Request.ts"
import {
  CodeGenerationResult,
  type CommitInfo,
  GeneratedFile,
  GenerationMetadata,
  ResultError,
  type TemplateCandidate
} from "../domain/Result.ts"
import type { Template } from "../domain/Template.ts"
import { type BadInput, isBadInput } from "../errors.ts"
import { AIProvider } from "../services/AIProvider.ts"
import type { StagedChange } from "../services/FileManager.ts"
import { Progress } from "../services/Progress.ts"
import { unifiedDiff } from "./Diff.ts"
import type { CheckedFile } from "./Repair.ts"
import type { RunRecorder } from "./RunRecorder.ts"

/** The errors a run refuses its input with (nothing ran, nothing was written): see `BadInput`. */
export type BadInputError = BadInput

/** What a run whose transaction ended well returns: its change is written (and committed). */
export interface RunOutcome {
  readonly template: Template
  readonly alternatives: ReadonlyArray<TemplateCandidate>
  readonly generator: string
  readonly results: ReadonlyArray<GeneratedFile>
  readonly commit: CommitInfo | undefined
  readonly applied: boolean
  readonly overall: QualityResult
  readonly notes: ReadonlyArray<string>
}

/** The files of a change, with their diffs and the quality of the checked files. */
export const generatedFiles = (changes: ReadonlyArray<StagedChange>, checked: ReadonlyArray<CheckedFile>) => {
  const byPath = new Map(checked.map((file) => [file.path, file]))
  return changes.map((change) => {
    const file = byPath.get(change.path)
    const action = change.before === undefined ? "create" : change.after === undefined ? "delete" : "modify"
    return new GeneratedFile({
      path: change.path,
      language: file?.language ?? "text",
      action,
      content: change.after ?? "",
      diff: unifiedDiff(change),
      quality: file?.quality ?? new QualityResult({ score: 1, issues: [], suggestions: [] })
    })
  })
}

/** The quality of a change: the mean score of its files, and all their issues and suggestions. */
export const aggregate = (checked: ReadonlyArray<CheckedFile>): QualityResult => {
  if (checked.length === 0) return new QualityResult({ score: 1, issues: [], suggestions: [] })
  const score = checked.reduce((sum, file) => sum + file.quality.score, 0) / checked.length
  return new QualityResult({
    score: Math.round(score * 1000) / 1000,
    issues: checked.flatMap((file) => file.quality.issues),
    suggestions: checked.flatMap((file) => file.quality.suggestions.map((s) => `${file.path}: ${s}`))
  })
}

/** The result of the run `recorder` recorded, which ended with `exit`; bad input fails. */
export const buildResult = Effect.fn("CodeGenerator.buildResult")(function* (
  request: CodeGenerationRequest,
  recorder: RunRecorder,
  exit: Exit.Exit<RunOutcome, { readonly _tag: string; readonly message: string }>
) {
  const progress = yield* Progress
  const ai = yield* AIProvider
  const facts = yield* recorder.facts
  const durationMs = (yield* Clock.currentTimeMillis) - recorder.startedAt
  const usage = yield* ai.usage
  const metadata = (
    template: Template | undefined,
    alternatives: ReadonlyArray<TemplateCandidate>,
    generator: string
  ) =>
    new GenerationMetadata({
      runId: recorder.runId,
      startedAt: new Date(recorder.startedAt).toISOString(),
      durationMs,
      steps: recorder.timings,
      template:
        template === undefined
          ? undefined
          : { id: template.id, version: template.version, score: 0, reasons: [`source ${template.source}`] },
      alternatives,
      generator,
      provider: ai.name,
      model: ai.model,
      iterations: facts.iterations.length,
      tokens: usage,
      dryRun: request.options.dryRun ?? false
    })
  const tests = facts.state?.tests
  // A run whose change was written stands, even when an interruption arrived just after.
  const finished = exit._tag === "Success" ? exit.value : facts.written
  if (finished !== undefined) {
    const result = new CodeGenerationResult({
      status: "success",
      files: finished.results,
      quality: finished.overall,
      suggestions: [...finished.overall.suggestions, ...finished.notes],
      errors: [],
      metadata: metadata(finished.template, finished.alternatives, finished.generator),
      commit: finished.commit,
      tests,
      iterations: facts.iterations,
      applied: finished.applied
    })
    yield* progress.publish({ _tag: "RunFinished", runId: recorder.runId, status: "success", durationMs })
    return result
  }
  // Unreachable: a success is `finished`; what is left is a failure.
  if (exit._tag === "Success") return yield* Effect.die("a run that ended well has its outcome")
  const failure = exit.cause.reasons.find((reason) => reason._tag === "Fail")
  // Without a Fail reason the cause is a defect or an interruption: propagate it as it is.
  if (failure === undefined) return yield* Effect.failCause(exit.cause as Cause.Cause<never>)
  const error = failure.error
  // A path the model chose is no input of the user's: refusing it fails the run, as any bad answer does.
  if (isBadInput(error) && !(facts.modelBacked && error._tag === "UnsafePathError")) {
    return yield* Effect.fail(error)
  }
  yield* progress.publish({ _tag: "RunFinished", runId: recorder.runId, status: "failed", durationMs })
  const state = facts.state
  return new CodeGenerationResult({
    status: "failed",
    // What would have been written, shown and reported but not applied.
    files: state === undefined ? [] : generatedFiles(state.changes, state.files),
    quality:
      state === undefined ? new QualityResult({ score: 0, issues: [], suggestions: [] }) : aggregate(state.files),
    suggestions: facts.notes,
    errors: [new ResultError({ tag: error._tag, message: error.message })],
    metadata: metadata(undefined, [], "none"),
    commit: undefined,
    tests,
    iterations: facts.iterations,
    applied: false
  })
})
