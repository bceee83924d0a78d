/**
 * CodeGenerator: the pipeline of DESIGN §7, one stage after another — prepare the context, select
 * the template (`SelectTemplate`), generate, check and repair (`CheckFiles`), assess and review,
 * apply and commit (`ApplyCommit`) in one transaction, and report however it ended (`BuildResult`).
 */
import { Context, Effect, Exit, Fiber, FileSystem, Layer, Option, Path } from "effect"
import { type CodeGenConfig, defaultConfig } from "../domain/Config.ts"
import { CodeGenerationRequest, type TaskType } from "../domain/Request.ts"
import { type CodeGenerationResult, CommitInfo, type TemplateCandidate } from "../domain/Result.ts"
import type { Template } from "../domain/Template.ts"
import type { FileSystemError, TemplateInvalidError } from "../errors.ts"
import { AIProvider } from "../services/AIProvider.ts"
import { FileManager } from "../services/FileManager.ts"
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
import { aggregate, type BadInputError, buildResult, generatedFiles, type RunOutcome } from "./BuildResult.ts"
import { checkFiles } from "./CheckFiles.ts"
import { branchName, commitMessage } from "./CommitMessage.ts"
import { effectiveMode, eslintScopeByReading } from "./EslintScope.ts"
import { refuseLinkOut } from "./LinkedOutPaths.ts"
import { reviewChange, suggestionOf } from "./Review.ts"
import { makeRunRecorder, type RunRecorder } from "./RunRecorder.ts"
import { loadTemplate, rankCandidates, selectTemplate } from "./SelectTemplate.ts"
import { templateContextOf } from "./TemplateContext.ts"

export type { BadInputError }

/** The services every run uses. */
type RunServices =
  | PipelineConfig
  | TemplateStore
  | GeneratorRegistry
  | LanguageRegistry
  | QualityChecker
  | FileManager
  | Git
  | Progress
  | AIProvider

/** What `CodeGenerator.layerTest` wires instead of its defaults; the rest stays as it is. */
export interface CodeGeneratorTestOverrides {
  /** The pipeline's config; `defaultConfig` by default. */
  readonly config?: CodeGenConfig
  /** `Git.layerNoop()` by default: branches and commits go nowhere. */
  readonly git?: Layer.Layer<Git>
  /** `TestRunner.layerNoop()` by default: no tests and no compiler, every check passes empty. */
  readonly testRunner?: Layer.Layer<TestRunner>
  /** `TemplateStore.layerMemory()` by default: no template at all. */
  readonly templates?: Layer.Layer<TemplateStore>
  /** `AIProvider.layerNone` by default (template-only); `AIProvider.layerScripted(answers)` for a model. */
  readonly ai?: Layer.Layer<AIProvider>
  /**
   * The plugins of the test: generators and language packs registering themselves, with any of
   * the pipeline's services at hand. The registries start empty.
   */
  readonly plugins?: Layer.Layer<never, never, Exclude<RunServices, FileManager | QualityChecker>>
}

/** One line that says what a run was for, kept in its run record. */
const runSummary = (request: CodeGenerationRequest): string => {
  const issue = request.context.issue
  return `${request.taskType} ${request.language}: ${issue.number === undefined ? "" : `#${issue.number} `}${issue.title}`
}

/**
 * Inside the run's transaction, after the repair loop: assess the state kept, review it (when the
 * generator gave review instructions), then apply and commit it (or, for a dry run, discard it).
 * What it returns is written.
 */
const assessAndApply = Effect.fn("CodeGenerator.assessAndApply")(function* (
  request: CodeGenerationRequest,
  recorder: RunRecorder,
  loop: Effect.Success<ReturnType<typeof checkFiles>>,
  reviewInstructions: string | undefined
) {
  const config = yield* PipelineConfig
  const files = yield* FileManager
  const git = yield* Git
  const progress = yield* Progress
  const ai = yield* AIProvider
  const { best } = loop
  const overall = aggregate(best.files)
  yield* recorder.step(
    "assess",
    best.error === undefined ? Effect.void : Effect.fail(best.error),
    () => `score ${overall.score.toFixed(2)}, ${loop.iterations.length} iteration(s)`
  )
  const review =
    ai.available && reviewInstructions !== undefined
      ? yield* recorder.step(
          "review",
          reviewChange(ai, request, best.files, reviewInstructions),
          (r) => `${r.findings.length} finding(s)`
        )
      : undefined
  const notes = [
    ...loop.notes,
    ...(review?.findings.map(suggestionOf) ?? []),
    ...(review?.note === undefined ? [] : [review.note])
  ]
  const results = generatedFiles(yield* files.changes, best.files)
  for (const file of results) {
    yield* progress.publish({ _tag: "FileStaged", runId: recorder.runId, path: file.path, action: file.action })
  }
  if (request.options.dryRun ?? false) {
    yield* files.discard
    yield* recorder.skip("apply", "dry run")
    return { results, commit: undefined, applied: false, overall, notes }
  }
  const wantCommit = request.options.commit ?? true
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
  })
  if (done.commit === undefined) {
    yield* recorder.skip("commit", "commit disabled")
    return { results, commit: undefined, applied: true, overall, notes }
  }
  const { branch, sha, previousBranch } = done.commit
  yield* progress.publish({ _tag: "Committed", runId: recorder.runId, branch, sha })
  return { results, applied: true, commit: new CommitInfo({ branch, sha, message, previousBranch }), overall, notes }
})

/** A run from the request to its written change; it fails, undone wholly, when any stage does. */
const run = Effect.fnUntraced(function* (request: CodeGenerationRequest, recorder: RunRecorder) {
  const config = yield* PipelineConfig
  const files = yield* FileManager
  const git = yield* Git
  const ai = yield* AIProvider
  const quality = yield* QualityChecker
  const wantCommit = !(request.options.dryRun ?? false) && (request.options.commit ?? true)
  // A language no pack handles is bad input: nothing could check what would be written.
  const pack = yield* (yield* LanguageRegistry).get(request.language)
  const context = yield* recorder.step(
    "prepare-context",
    Effect.sync(() => templateContextOf(request))
  )
  if (wantCommit && !config.git.allowDirty) yield* recorder.step("check-workspace", git.ensureClean)
  const [generator, ...others] = yield* (yield* GeneratorRegistry).resolveAll(request)
  // A generator that refines (the model) starts from what a generator with a template of its own
  // for this request (the tests generator) produces; else it renders the template.
  const base = generator.refines === true ? others.find((g) => g.templateFor?.(request, pack) !== undefined) : undefined
  const modelBacked = generator.repair !== undefined
  yield* recorder.learn({ modelBacked })
  const preferred = request.template ?? generator.templateFor?.(request, pack) ?? base?.templateFor?.(request, pack)
  const { template, alternatives } = yield* recorder.step(
    "select-template",
    selectTemplate(preferred === undefined ? request : new CodeGenerationRequest({ ...request, template: preferred })),
    (s) => `${s.template.id}@${s.template.version}`
  )
  // Loading the language's tools takes a second or more: it runs while the model writes (once
  // the calls are out, so as not to delay them), and is joined before the first check.
  // ESLint is loaded only where the checks will run it: the same scope (EslintScope.ts) decides both.
  const eslint = eslintScopeByReading(effectiveMode(undefined, config.quality.eslint), files.read)
  const warming = yield* Effect.forkChild(
    Effect.andThen(
      Effect.yieldNow,
      Effect.flatMap(eslint.skippedAtStart, (skip) => quality.warm(request.language, skip))
    )
  )
  const read = (path: string) => files.read(path).pipe(Effect.orElseSucceed(() => undefined))
  const input = { runId: recorder.runId, request, template, context, read, refuseLinkOut: refuseLinkOut(files.locate) }
  const usage = Effect.map(ai.usage, (u) => ({ calls: u.calls, tokens: u.input + u.output }))
  const usageBefore = yield* usage
  const generated: GeneratorOutput = yield* recorder.step(
    "generate",
    generator.generate(base === undefined ? input : { ...input, base: base.generate(input) }),
    (out) => `${generator.name}: ${out.files.length} file(s)`
  )
  yield* Fiber.join(warming)
  const outcomeOf = (done: Effect.Success<ReturnType<typeof assessAndApply>>): RunOutcome => ({
    template,
    alternatives,
    generator: generator.name,
    ...done,
    notes: [...generated.notes, ...done.notes]
  })
  const done = yield* files
    .transaction(
      Effect.flatMap(
        checkFiles({ request, recorder, generator, generated, read, usage, usageBefore, eslint }),
        (loop) => assessAndApply(request, recorder, loop, modelBacked ? generator.reviewInstructions : undefined)
      )
    )
    .pipe(
      // Once the transaction has ended well, the change is written (and committed): an
      // interruption that arrives before `run` returns must not make it look undone.
      Effect.onExit((exit) => (Exit.isSuccess(exit) ? recorder.learn({ written: outcomeOf(exit.value) }) : Effect.void))
    )
  return outcomeOf(done)
})

export class CodeGenerator extends Context.Service<
  CodeGenerator,
  {
    /**
     * Runs the pipeline for the request's task type. The run itself can always be interrupted
     * (it is then undone wholly, and the interruption propagates); once it has ended, reporting
     * its outcome is not interrupted. Called in an uninterruptible region, it thus returns the
     * outcome of any run that got to its end, committed or failed, however late an interruption arrives.
     */
    readonly generate: (request: CodeGenerationRequest) => Effect.Effect<CodeGenerationResult, BadInputError>
    /** `generate` as the request says (its task type). */
    readonly generateCode: (request: CodeGenerationRequest) => Effect.Effect<CodeGenerationResult, BadInputError>
    /** `generate` with the task type set to `test`. */
    readonly generateTests: (request: CodeGenerationRequest) => Effect.Effect<CodeGenerationResult, BadInputError>
    /** `generate` with the task type set to `refactoring`. */
    readonly refactorCode: (request: CodeGenerationRequest) => Effect.Effect<CodeGenerationResult, BadInputError>
    readonly loadTemplate: (
      ref: string
    ) => Effect.Effect<Template, BadInputError | { readonly _tag: "FileSystemError" }>
    readonly registerTemplate: TemplateStore["Service"]["save"]
    readonly listTemplates: (filter?: TemplateFilter) => ReturnType<TemplateStore["Service"]["list"]>
    readonly validateCode: QualityChecker["Service"]["check"]
    readonly formatCode: QualityChecker["Service"]["format"]
    /** The ranking `generate` would use, best first. */
    readonly candidates: (
      request: CodeGenerationRequest
    ) => Effect.Effect<ReadonlyArray<TemplateCandidate>, FileSystemError | TemplateInvalidError>
  }
>()("@tamma/codegen/pipeline/CodeGenerator") {
  static readonly layer = Layer.effect(
    CodeGenerator,
    Effect.gen(function* () {
      const store = yield* TemplateStore
      const quality = yield* QualityChecker
      const progress = yield* Progress
      // The services as this layer found them, for every stage; the optional ones when present.
      const required = Context.pick(
        PipelineConfig,
        TemplateStore,
        GeneratorRegistry,
        LanguageRegistry,
        QualityChecker,
        FileManager,
        Git,
        Progress,
        AIProvider
      )(yield* Effect.context<RunServices>())
      // Optional: embedders without a test runner get runs that skip the test step; without a
      // file system (an in-memory workspace) the layout is learnt from fewer files.
      const optional: ReadonlyArray<Option.Option<Context.Context<never>>> = [
        Option.map(yield* Effect.serviceOption(TestRunner), (s) => Context.make(TestRunner, s)),
        Option.map(yield* Effect.serviceOption(FileSystem.FileSystem), (s) => Context.make(FileSystem.FileSystem, s)),
        Option.map(yield* Effect.serviceOption(Path.Path), (s) => Context.make(Path.Path, s))
      ]
      const services = optional.reduce<Context.Context<RunServices>>(
        (context, present) =>
          Option.match(present, { onNone: () => context, onSome: (c) => Context.merge(context, c) }),
        required
      )

      const generate = Effect.fn("CodeGenerator.generate")(
        function* (request: CodeGenerationRequest) {
          const recorder = yield* makeRunRecorder(progress)
          yield* progress.publish({
            _tag: "RunStarted",
            runId: recorder.runId,
            taskType: request.taskType,
            language: request.language,
            title: request.context.issue.title
          })
          // The run can always be interrupted, and is then undone wholly. Once it has ended, its
          // outcome is decided (committed or undone): reporting it is not interrupted, so a caller
          // that runs this uninterruptibly gets the outcome of a run that got that far.
          const exit = yield* Effect.exit(
            Effect.interruptible(
              run(request, recorder).pipe(
                AIProvider.onText(({ provider, text }) =>
                  progress.publish({ _tag: "TokensReceived", runId: recorder.runId, provider, text })
                )
              )
            )
          )
          return yield* buildResult(request, recorder, exit)
        },
        Effect.uninterruptible,
        Effect.provideContext(services)
      )

      const withTask = (taskType: TaskType) => (request: CodeGenerationRequest) =>
        generate(request.taskType === taskType ? request : new CodeGenerationRequest({ ...request, taskType }))

      return CodeGenerator.of({
        generate,
        generateCode: generate,
        generateTests: withTask("test"),
        refactorCode: withTask("refactoring"),
        loadTemplate: (ref) => loadTemplate(ref).pipe(Effect.provideContext(services)),
        registerTemplate: store.save,
        listTemplates: (filter) => store.list(filter),
        validateCode: quality.check,
        formatCode: quality.format,
        candidates: (request) => rankCandidates(request).pipe(Effect.provideContext(services))
      })
    })
  )
  /**
   * The pipeline for tests and embedders that check a generator, on the workspace they provide
   * (for example `MemoryFiles.layer(files)`): no-op git and test runner, an empty template store,
   * no model, empty registries, each replaceable through `overrides`. Every service it wires is
   * provided too, so a test can inspect it.
   */
  static readonly layerTest = (
    overrides: CodeGeneratorTestOverrides = {}
  ): Layer.Layer<CodeGenerator | Exclude<RunServices, FileManager> | TestRunner, never, FileManager> => {
    const services = Layer.mergeAll(
      PipelineConfig.layer(overrides.config ?? defaultConfig),
      overrides.templates ?? TemplateStore.layerMemory(),
      overrides.git ?? Git.layerNoop(),
      overrides.testRunner ?? TestRunner.layerNoop(),
      overrides.ai ?? AIProvider.layerNone,
      Progress.layer,
      GeneratorRegistry.layer,
      LanguageRegistry.layer
    )
    // The plugins register before the quality checker reads the language registry.
    const plugged = (overrides.plugins ?? Layer.empty).pipe(Layer.provideMerge(services))
    return CodeGenerator.layer.pipe(Layer.provideMerge(QualityChecker.layer.pipe(Layer.provideMerge(plugged))))
  }
}
