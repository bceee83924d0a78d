/**
 * CodeGenerator: the pipeline of DESIGN §7. prepare context → select template → generate →
 * improve → format and validate → stage → assess → apply → commit.
 */
import { type Cause, Clock, Context, Effect, Exit, Fiber, FileSystem, Layer, Option, Path } from "effect"
import { QualityResult } from "../domain/Quality.ts"
import { CodeGenerationRequest, type TaskType } from "../domain/Request.ts"
import {
  CodeGenerationResult,
  CommitInfo,
  GeneratedFile,
  GenerationMetadata,
  RepairIteration,
  ResultError,
  type TemplateCandidate
} from "../domain/Result.ts"
import { RenderedFile, type Template, type TemplateManifest } from "../domain/Template.ts"
import type { TestReport } from "../domain/TestReport.ts"
import {
  type FileExistsError,
  type FileSystemError,
  type LanguageNotSupportedError,
  type ParameterInvalidError,
  type TemplateInvalidError,
  TemplateNotFoundError,
  type UnsafePathError,
  type WorkspaceError
} from "../errors.ts"
import { AIProvider } from "../services/AIProvider.ts"
import { FileManager, type StagedChange } from "../services/FileManager.ts"
import { type GeneratorOutput, GeneratorRegistry } from "../services/GeneratorRegistry.ts"
import { Git } from "../services/Git.ts"
import { LanguageRegistry } from "../services/LanguageRegistry.ts"
import { PipelineConfig } from "../services/PipelineConfig.ts"
import { Progress } from "../services/Progress.ts"
import { QualityChecker } from "../services/QualityChecker.ts"
import type { TemplateFilter } from "../services/TemplateStore.ts"
import { TemplateStore } from "../services/TemplateStore.ts"
import { TestRunner } from "../services/TestRunner.ts"
import { applyAndCommit } from "./ApplyCommit.ts"
import { makeStateCheck } from "./CheckState.ts"
import { branchName, commitMessage } from "./CommitMessage.ts"
import { unifiedDiff } from "./Diff.ts"
import { type CheckedFile, type CheckedState, repairLoop } from "./Repair.ts"
import { reviewChange, suggestionOf } from "./Review.ts"
import { makeRunRecorder, type RunRecorder } from "./RunRecorder.ts"
import { templateContextOf } from "./TemplateContext.ts"
import { rankTemplates } from "./TemplateSelection.ts"

/** Errors that mean the input was wrong: nothing ran, nothing was written. */
export type BadInputError =
  | TemplateNotFoundError
  | TemplateInvalidError
  | ParameterInvalidError
  | UnsafePathError
  | LanguageNotSupportedError
  | WorkspaceError
  | FileExistsError

const badInput = new Set([
  "FileExistsError",
  "TemplateNotFoundError",
  "TemplateInvalidError",
  "ParameterInvalidError",
  "UnsafePathError",
  "LanguageNotSupportedError",
  "WorkspaceError"
])

const isBadInput = (error: { readonly _tag: string }): error is BadInputError => badInput.has(error._tag)

const parseRef = (ref: string): { readonly id: string; readonly version: string | undefined } => {
  const at = ref.indexOf("@")
  return at < 0 ? { id: ref, version: undefined } : { id: ref.slice(0, at), version: ref.slice(at + 1) }
}

/** One line that says what a run was for, kept in its run record. */
const runSummary = (request: CodeGenerationRequest): string => {
  const issue = request.context.issue
  return `${request.taskType} ${request.language}: ${issue.number === undefined ? "" : `#${issue.number} `}${issue.title}`
}

/** What a run learns on the way that its result reports even when it fails. */
interface Observed {
  tests?: TestReport
  iterations: ReadonlyArray<RepairIteration>
  /** The state the run ended on: on failure, what would have been written. */
  state?: CheckedState
  /** Its files come from a model, so an unsafe path among them is the model's, not the user's. */
  modelBacked: boolean
  /** Why the repair loop stopped early, when it did: reported on failure too. */
  notes: ReadonlyArray<string>
  /** Set once the run's transaction has ended well: what `run` returns. */
  finished?: RunOutcome
}

/** What a run that got to its end returns. */
interface RunOutcome {
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
const generatedFiles = (changes: ReadonlyArray<StagedChange>, checked: ReadonlyArray<CheckedFile>) => {
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

export class CodeGenerator extends Context.Service<
  CodeGenerator,
  {
    /**
     * Runs the pipeline. The run itself can always be interrupted (it is then undone wholly, and
     * the interruption propagates); once it has ended, reporting its outcome is not interrupted.
     * Called in an uninterruptible region, it thus returns the outcome of any run that got to
     * its end, committed or failed, however late an interruption arrives.
     */
    readonly generateCode: (request: CodeGenerationRequest) => Effect.Effect<CodeGenerationResult, BadInputError>
    /** `generateCode` with the task type set to `test`. */
    readonly generateTests: (request: CodeGenerationRequest) => Effect.Effect<CodeGenerationResult, BadInputError>
    /** `generateCode` with the task type set to `refactoring`. */
    readonly refactorCode: (request: CodeGenerationRequest) => Effect.Effect<CodeGenerationResult, BadInputError>
    readonly loadTemplate: (
      ref: string
    ) => Effect.Effect<Template, BadInputError | { readonly _tag: "FileSystemError" }>
    readonly registerTemplate: TemplateStore["Service"]["save"]
    readonly listTemplates: (filter?: TemplateFilter) => ReturnType<TemplateStore["Service"]["list"]>
    readonly validateCode: QualityChecker["Service"]["check"]
    readonly formatCode: QualityChecker["Service"]["format"]
    /** The ranking `generateCode` would use, best first. */
    readonly explain: (
      request: CodeGenerationRequest
    ) => Effect.Effect<ReadonlyArray<TemplateCandidate>, FileSystemError | TemplateInvalidError>
  }
>()("@tamma/codegen/pipeline/CodeGenerator") {
  static readonly layer = Layer.effect(
    CodeGenerator,
    Effect.gen(function* () {
      const config = yield* PipelineConfig
      const store = yield* TemplateStore
      const generators = yield* GeneratorRegistry
      const languages = yield* LanguageRegistry
      const quality = yield* QualityChecker
      const files = yield* FileManager
      const git = yield* Git
      const progress = yield* Progress
      const ai = yield* AIProvider
      // Optional: embedders without a test runner get runs that skip the test step.
      const testRunner = yield* Effect.serviceOption(TestRunner)
      // Optional: without a file system (an in-memory workspace) the layout is learnt from fewer files.
      const fileSystem = yield* Effect.serviceOption(FileSystem.FileSystem)
      const paths = yield* Effect.serviceOption(Path.Path)

      const loadTemplate = Effect.fn("CodeGenerator.loadTemplate")(function* (ref: string) {
        const { id, version } = parseRef(ref)
        return yield* store.load(id, version)
      })

      const candidatesFor = (request: CodeGenerationRequest) =>
        Effect.gen(function* () {
          const pack = yield* languages.get(request.language).pipe(Effect.option)
          const language = Option.match(pack, { onNone: () => request.language, onSome: (p) => p.id })
          const manifests: ReadonlyArray<TemplateManifest> = yield* store.list({ category: request.taskType, language })
          return rankTemplates(request, manifests)
        })

      const selectTemplate = (request: CodeGenerationRequest) =>
        Effect.gen(function* () {
          if (request.template !== undefined) {
            const template = yield* loadTemplate(request.template)
            return { template, alternatives: [] as ReadonlyArray<TemplateCandidate> }
          }
          const ranked = yield* candidatesFor(request)
          const best = ranked[0]
          if (best === undefined) {
            return yield* new TemplateNotFoundError({
              id: `${request.language}/${request.taskType}`,
              reason: `no template for task type ${request.taskType} in language ${request.language}`
            })
          }
          const template = yield* store.load(best.id)
          return { template, alternatives: ranked.slice(1, 4) }
        })

      const aggregate = (checked: ReadonlyArray<CheckedFile>): QualityResult => {
        if (checked.length === 0) return new QualityResult({ score: 1, issues: [], suggestions: [] })
        const score = checked.reduce((sum, file) => sum + file.quality.score, 0) / checked.length
        return new QualityResult({
          score: Math.round(score * 1000) / 1000,
          issues: checked.flatMap((file) => file.quality.issues),
          suggestions: checked.flatMap((file) => file.quality.suggestions.map((s) => `${file.path}: ${s}`))
        })
      }

      const run = (request: CodeGenerationRequest, recorder: RunRecorder, observed: Observed) =>
        Effect.gen(function* () {
          const dryRun = request.options.dryRun ?? false
          const wantCommit = !dryRun && (request.options.commit ?? true)
          // A language no pack handles is bad input: nothing could check what would be written.
          yield* languages.get(request.language)
          const context = yield* recorder.step(
            "prepare-context",
            Effect.sync(() => templateContextOf(request))
          )
          if (wantCommit && !config.git.allowDirty) {
            yield* recorder.step("check-workspace", git.ensureClean)
          }
          const [generator, ...others] = yield* generators.resolveAll(request)
          // A generator that refines (the model) starts from what a generator with a template of
          // its own for this request (the tests generator) produces; else it renders the template.
          const base =
            generator.refines === true ? others.find((g) => g.templateFor?.(request) !== undefined) : undefined
          observed.modelBacked = generator.repair !== undefined
          const preferred = request.template ?? generator.templateFor?.(request) ?? base?.templateFor?.(request)
          const { template, alternatives } = yield* recorder.step(
            "select-template",
            selectTemplate(
              preferred === undefined ? request : new CodeGenerationRequest({ ...request, template: preferred })
            ),
            (s) => `${s.template.id}@${s.template.version}`
          )
          // Loading the language's tools takes a second or more: it runs while the model writes
          // (once the calls are out, so as not to delay them), and is joined before the first check.
          const warming = yield* Effect.forkChild(Effect.andThen(Effect.yieldNow, quality.warm(request.language)))
          const read = (path: string) => files.read(path).pipe(Effect.orElseSucceed(() => undefined))
          const input = { runId: recorder.runId, request, template, context, read }
          const usage = Effect.map(ai.usage, (u) => ({ calls: u.calls, tokens: u.input + u.output }))
          const usageBefore = yield* usage
          const generated = yield* recorder.step(
            "generate",
            generator.generate(base === undefined ? input : { ...input, base: base.generate(input) }),
            (out) => `${generator.name}: ${out.files.length} file(s)`
          )
          yield* Fiber.join(warming)
          const { evaluate } = yield* makeStateCheck({
            request,
            runId: recorder.runId,
            recorder,
            config,
            files,
            languages,
            quality,
            progress,
            runner: Option.getOrUndefined(testRunner),
            fileSystem,
            paths
          })

          const { repair } = generator
          const repairFrom =
            repair === undefined
              ? undefined
              : (state: CheckedState) =>
                  recorder.step(
                    "repair",
                    Effect.gen(function* () {
                      const answer = yield* repair({
                        runId: recorder.runId,
                        request,
                        files: state.files.map((file) => ({ path: file.path, content: file.content })),
                        failures: state.failures,
                        read
                      })
                      // A failure of a file the answer did not touch stands: nothing has mended it.
                      const answered = new Set(answer.files.map((file) => file.path))
                      const merged = new Map(
                        state.files.map((file) => [
                          file.path,
                          new RenderedFile({ path: file.path, content: file.content })
                        ])
                      )
                      for (const file of answer.files) merged.set(file.path, file)
                      return {
                        files: [...merged.values()],
                        notes: answer.notes,
                        failures: [
                          ...(state.output.failures ?? []).filter((f) => !answered.has(f.path)),
                          ...(answer.failures ?? [])
                        ]
                      } satisfies GeneratorOutput
                    }),
                    (out) => `${out.files.length} file(s)`
                  )

          const outcome = yield* files
            .transaction(
              Effect.gen(function* () {
                const loop = yield* repairLoop({
                  first: generated,
                  evaluate,
                  repair: repairFrom,
                  maxIterations: Math.max(1, request.options.maxIterations ?? config.maxIterations),
                  tokenBudget: config.tokenBudget,
                  usage,
                  usageBefore,
                  makeIteration: (fields) => new RepairIteration(fields),
                  onIteration: (iteration) =>
                    progress.publish({ _tag: "IterationFinished", runId: recorder.runId, ...iteration })
                })
                const { best } = loop
                observed.iterations = loop.iterations
                observed.tests = best.tests
                observed.state = best
                observed.notes = loop.notes
                if (!loop.bestIsStaged) {
                  yield* files.discard
                  for (const file of best.files) yield* files.write(file.path, file.content)
                }
                const overall = aggregate(best.files)
                yield* recorder.step(
                  "assess",
                  best.error === undefined ? Effect.void : Effect.fail(best.error),
                  () => `score ${overall.score.toFixed(2)}, ${loop.iterations.length} iteration(s)`
                )
                const review =
                  ai.available && observed.modelBacked
                    ? yield* recorder.step(
                        "review",
                        reviewChange(ai, request, best.files),
                        (r) => `${r.findings.length} finding(s)`
                      )
                    : undefined
                const notes = [
                  ...loop.notes,
                  ...(review?.findings.map(suggestionOf) ?? []),
                  ...(review?.note === undefined ? [] : [review.note])
                ]
                const changes = yield* files.changes
                const results = generatedFiles(changes, best.files)
                for (const file of results) {
                  yield* progress.publish({
                    _tag: "FileStaged",
                    runId: recorder.runId,
                    path: file.path,
                    action: file.action
                  })
                }
                if (dryRun) {
                  yield* files.discard
                  yield* recorder.skip("apply", "dry run")
                  return { results, commit: undefined, applied: false, overall, notes }
                }
                // Validated and chosen before the apply, so that a bad branch name writes nothing.
                const chosen = wantCommit
                  ? yield* git.availableBranch(request.options.branch ?? branchName(request, config.git.branchPrefix))
                  : undefined
                const message = commitMessage(request, recorder.runId, results)
                const author =
                  config.git.authorName !== undefined && config.git.authorEmail !== undefined
                    ? { name: config.git.authorName, email: config.git.authorEmail }
                    : undefined
                const done = yield* applyAndCommit({
                  runId: recorder.runId,
                  summary: runSummary(request),
                  commit: chosen === undefined ? undefined : { branch: chosen, message, author },
                  step: recorder.step
                }).pipe(Effect.provideService(FileManager, files), Effect.provideService(Git, git))
                if (done.commit === undefined) {
                  yield* recorder.skip("commit", "commit disabled")
                  return { results, commit: undefined, applied: true, overall, notes }
                }
                const { branch, sha, previousBranch } = done.commit
                yield* progress.publish({ _tag: "Committed", runId: recorder.runId, branch, sha })
                return {
                  results,
                  applied: true,
                  commit: new CommitInfo({ branch, sha, message, previousBranch }),
                  overall,
                  notes
                }
              })
            )
            .pipe(
              // Once the transaction has ended well, the change is written (and committed): an
              // interruption that arrives before `run` returns must not make it look undone.
              Effect.onExit((exit) =>
                Effect.sync(() => {
                  if (Exit.isSuccess(exit)) {
                    observed.finished = {
                      template,
                      alternatives,
                      generator: generator.name,
                      ...exit.value,
                      notes: [...generated.notes, ...exit.value.notes]
                    }
                  }
                })
              )
            )
          return {
            template,
            alternatives,
            generator: generator.name,
            ...outcome,
            notes: [...generated.notes, ...outcome.notes]
          }
        })

      const generateCode = Effect.fn("CodeGenerator.generateCode")(function* (request: CodeGenerationRequest) {
        const recorder = yield* makeRunRecorder(progress)
        yield* progress.publish({
          _tag: "RunStarted",
          runId: recorder.runId,
          taskType: request.taskType,
          language: request.language,
          title: request.context.issue.title
        })
        const observed: Observed = { iterations: [], modelBacked: false, notes: [] }
        // The run can always be interrupted, and is then undone wholly. Once it has ended, its
        // outcome is decided (committed or undone): reporting it is not interrupted, so a caller
        // that runs this uninterruptibly gets the outcome of a run that got that far.
        const exit = yield* Effect.exit(
          Effect.interruptible(
            run(request, recorder, observed).pipe(
              AIProvider.onText(({ provider, text }) =>
                progress.publish({ _tag: "TokensReceived", runId: recorder.runId, provider, text })
              )
            )
          )
        )
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
            iterations: observed.iterations.length,
            tokens: usage,
            dryRun: request.options.dryRun ?? false
          })
        // A run whose change was written stands, even when an interruption arrived just after.
        const finished = exit._tag === "Success" ? exit.value : observed.finished
        if (finished !== undefined) {
          const value = finished
          const result = new CodeGenerationResult({
            status: "success",
            files: value.results,
            quality: value.overall,
            suggestions: [...value.overall.suggestions, ...value.notes],
            errors: [],
            metadata: metadata(value.template, value.alternatives, value.generator),
            commit: value.commit,
            tests: observed.tests,
            iterations: observed.iterations,
            applied: value.applied
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
        if (isBadInput(error) && !(observed.modelBacked && error._tag === "UnsafePathError")) {
          return yield* Effect.fail(error)
        }
        yield* progress.publish({ _tag: "RunFinished", runId: recorder.runId, status: "failed", durationMs })
        const state = observed.state
        return new CodeGenerationResult({
          status: "failed",
          // What would have been written, shown and reported but not applied.
          files: state === undefined ? [] : generatedFiles(state.changes, state.files),
          quality:
            state === undefined ? new QualityResult({ score: 0, issues: [], suggestions: [] }) : aggregate(state.files),
          suggestions: observed.notes,
          errors: [new ResultError({ tag: error._tag, message: error.message })],
          metadata: metadata(undefined, [], "none"),
          commit: undefined,
          tests: observed.tests,
          iterations: observed.iterations,
          applied: false
        })
      }, Effect.uninterruptible)

      const withTask = (taskType: TaskType) => (request: CodeGenerationRequest) =>
        generateCode(request.taskType === taskType ? request : new CodeGenerationRequest({ ...request, taskType }))

      return CodeGenerator.of({
        generateCode,
        generateTests: withTask("test"),
        refactorCode: withTask("refactoring"),
        loadTemplate,
        registerTemplate: store.save,
        listTemplates: (filter) => store.list(filter),
        validateCode: quality.check,
        formatCode: quality.format,
        explain: candidatesFor
      })
    })
  )
}
