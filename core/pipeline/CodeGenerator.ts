/**
 * CodeGenerator: the pipeline of DESIGN §7. prepare context → select template → generate →
 * improve → format and validate → stage → assess → apply → commit.
 */
import { type Cause, Clock, Context, Effect, Fiber, Layer, Option } from "effect"
import { gateViolations, QualityIssue, QualityResult } from "../domain/Quality.ts"
import { CodeGenerationRequest, type TaskType } from "../domain/Request.ts"
import {
  CodeGenerationResult,
  CommitInfo,
  GeneratedFile,
  GenerationMetadata,
  ResultError,
  type TemplateCandidate
} from "../domain/Result.ts"
import type { Template, TemplateManifest } from "../domain/Template.ts"
import type { TestReport } from "../domain/TestReport.ts"
import {
  type FileSystemError,
  type LanguageNotSupportedError,
  type ParameterInvalidError,
  QualityGateError,
  type QualityToolError,
  type TemplateInvalidError,
  TemplateNotFoundError,
  type UnsafePathError,
  type WorkspaceError
} from "../errors.ts"
import { AIProvider } from "../services/AIProvider.ts"
import { FileManager } from "../services/FileManager.ts"
import { GeneratorRegistry } from "../services/GeneratorRegistry.ts"
import { Git } from "../services/Git.ts"
import { LanguageRegistry } from "../services/LanguageRegistry.ts"
import { PipelineConfig } from "../services/PipelineConfig.ts"
import { Progress } from "../services/Progress.ts"
import { QualityChecker } from "../services/QualityChecker.ts"
import type { TemplateFilter } from "../services/TemplateStore.ts"
import { TemplateStore } from "../services/TemplateStore.ts"
import { TestRunner } from "../services/TestRunner.ts"
import { applyAndCommit } from "./ApplyCommit.ts"
import { branchName, commitMessage } from "./CommitMessage.ts"
import { unifiedDiff } from "./Diff.ts"
import { type CheckedFile, improveQuality } from "./Improve.ts"
import { reviewChange, suggestionOf } from "./Review.ts"
import { makeRunRecorder, type RunRecorder } from "./RunRecorder.ts"
import { templateContextOf } from "./TemplateContext.ts"
import { rankTemplates } from "./TemplateSelection.ts"
import { testChange } from "./TestStep.ts"

/** Errors that mean the input was wrong: nothing ran, nothing was written. */
export type BadInputError =
  | TemplateNotFoundError
  | TemplateInvalidError
  | ParameterInvalidError
  | UnsafePathError
  | LanguageNotSupportedError
  | WorkspaceError

const badInput = new Set([
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
  iterations: number
}

const failedCheck = new QualityResult({ score: 0, issues: [], suggestions: [] })

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

      /** Formats, then checks; a formatter that cannot parse the code is a syntax finding. */
      const checkFile = (runId: string) => (file: { readonly path: string; readonly content: string }) =>
        Effect.gen(function* () {
          const pack = yield* languages.detect(file.path)
          if (Option.isNone(pack)) {
            return { ...file, language: "text", quality: new QualityResult({ score: 1, issues: [], suggestions: [] }) }
          }
          const language = pack.value.id
          const formatted = yield* quality.format(file.content, language, file.path).pipe(
            Effect.map((content) => ({ content, issue: undefined })),
            Effect.catchTag("QualityToolError", (error: QualityToolError) =>
              Effect.succeed({
                content: file.content,
                issue: new QualityIssue({
                  severity: "error",
                  category: "syntax",
                  rule: `${error.tool}/parse`,
                  message: error.cause,
                  line: 1,
                  column: 1,
                  tool: error.tool
                })
              })
            )
          )
          const checked = yield* quality.check(formatted.content, language, file.path)
          const result =
            formatted.issue === undefined
              ? checked
              : new QualityResult({
                  score: checked.score,
                  issues: [formatted.issue, ...checked.issues],
                  suggestions: checked.suggestions
                })
          yield* progress.publish({
            _tag: "QualityChecked",
            runId,
            path: file.path,
            score: result.score,
            issues: result.issues.length
          })
          return { path: file.path, language, content: formatted.content, quality: result } satisfies CheckedFile
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
          const context = yield* recorder.step(
            "prepare-context",
            Effect.sync(() => templateContextOf(request))
          )
          if (wantCommit && !config.git.allowDirty) {
            yield* recorder.step("check-workspace", git.ensureClean)
          }
          const generator = yield* generators.resolve(request)
          const preferred = request.template ?? generator.templateFor?.(request)
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
          const generated = yield* recorder.step(
            "generate",
            generator.generate({
              runId: recorder.runId,
              request,
              template,
              context,
              read: (path) => files.read(path).pipe(Effect.orElseSucceed(() => undefined))
            }),
            (out) => `${generator.name}: ${out.files.length} file(s)`
          )
          yield* Fiber.join(warming)
          const firstCheck = yield* recorder.step(
            "format-and-validate",
            Effect.forEach(generated.files, checkFile(recorder.runId), { concurrency: config.concurrency })
          )
          const improved = ai.available
            ? yield* recorder.step(
                "improve",
                improveQuality({
                  files: firstCheck,
                  gate: config.quality,
                  maxIterations: request.options.maxIterations ?? config.maxIterations,
                  ai,
                  recheck: (file) =>
                    checkFile(recorder.runId)(file).pipe(
                      // A candidate its language pack cannot even check is no improvement.
                      Effect.orElseSucceed(() => ({ ...file, language: "text", quality: failedCheck }))
                    ),
                  maxTokens: request.options.maxTokens
                }),
                (out) => `${out.iterations} iteration(s)`
              )
            : yield* recorder
                .skip("improve", "template-only: no AI provider configured")
                .pipe(Effect.as({ files: firstCheck, iterations: 0, notes: [] as ReadonlyArray<string> }))
          observed.iterations = improved.iterations
          const checked = improved.files
          const review = ai.available
            ? yield* recorder.step(
                "review",
                reviewChange(ai, request, checked),
                (r) => `${r.findings.length} finding(s)`
              )
            : undefined
          const reviewNotes = [
            ...improved.notes,
            ...(review?.findings.map(suggestionOf) ?? []),
            ...(review?.note === undefined ? [] : [review.note])
          ]
          const overall = aggregate(checked)
          const violations = checked.flatMap((file) =>
            gateViolations(config.quality, file.quality).map((v) => `${file.path}: ${v}`)
          )

          const outcome = yield* files.transaction(
            Effect.gen(function* () {
              const staged = yield* recorder.step(
                "stage",
                Effect.forEach(checked, (file) =>
                  Effect.gen(function* () {
                    const path = yield* files.write(file.path, file.content)
                    return { ...file, path }
                  })
                )
              )
              const changes = yield* files.changes
              const byPath = new Map(staged.map((file) => [file.path, file]))
              const results = changes.map((change) => {
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
              for (const file of results) {
                yield* progress.publish({
                  _tag: "FileStaged",
                  runId: recorder.runId,
                  path: file.path,
                  action: file.action
                })
              }
              yield* recorder.step(
                "assess",
                violations.length === 0
                  ? Effect.void
                  : Effect.fail(new QualityGateError({ score: overall.score, violations })),
                () => `score ${overall.score.toFixed(2)}`
              )
              yield* testChange({
                request,
                changes,
                workspace: files.root,
                runner: Option.getOrUndefined(testRunner),
                config: config.tests,
                recorder,
                observe: (report) => {
                  observed.tests = report
                }
              })
              if (dryRun) {
                yield* files.discard
                yield* recorder.skip("apply", "dry run")
                return { results, commit: undefined, applied: false }
              }
              // Validated and chosen before the apply, so that a bad branch name writes nothing.
              const chosen =
                wantCommit && changes.length > 0
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
                yield* recorder.skip("commit", changes.length === 0 ? "nothing changed" : "commit disabled")
                return { results, commit: undefined, applied: true }
              }
              const { branch, sha, previousBranch } = done.commit
              yield* progress.publish({ _tag: "Committed", runId: recorder.runId, branch, sha })
              return {
                results,
                applied: true,
                commit: new CommitInfo({ branch, sha, message, previousBranch })
              }
            })
          )
          return {
            template,
            alternatives,
            generator: generator.name,
            notes: [...generated.notes, ...reviewNotes],
            overall,
            ...outcome
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
        const observed: Observed = { iterations: 0 }
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
            iterations: observed.iterations,
            tokens: usage,
            dryRun: request.options.dryRun ?? false
          })
        if (exit._tag === "Success") {
          const value = exit.value
          const result = new CodeGenerationResult({
            status: "success",
            files: value.results,
            quality: value.overall,
            suggestions: [...value.overall.suggestions, ...value.notes],
            errors: [],
            metadata: metadata(value.template, value.alternatives, value.generator),
            commit: value.commit,
            tests: observed.tests,
            iterations: [],
            applied: value.applied
          })
          yield* progress.publish({ _tag: "RunFinished", runId: recorder.runId, status: "success", durationMs })
          return result
        }
        const failure = exit.cause.reasons.find((reason) => reason._tag === "Fail")
        // Without a Fail reason the cause is a defect or an interruption: propagate it as it is.
        if (failure === undefined) return yield* Effect.failCause(exit.cause as Cause.Cause<never>)
        const error = failure.error
        if (isBadInput(error)) return yield* Effect.fail(error)
        yield* progress.publish({ _tag: "RunFinished", runId: recorder.runId, status: "failed", durationMs })
        return new CodeGenerationResult({
          status: "failed",
          files: [],
          quality: new QualityResult({ score: 0, issues: [], suggestions: [] }),
          suggestions: [],
          errors: [new ResultError({ tag: error._tag, message: error.message })],
          metadata: metadata(undefined, [], "none"),
          commit: undefined,
          tests: observed.tests,
          iterations: [],
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
