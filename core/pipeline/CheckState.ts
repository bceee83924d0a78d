/**
 * Checking one state of a change as a whole, as the repair loop needs it: stage it, format each
 * file in the project's layout and check its quality, compile it, hold it against the gate, and
 * run its tests — every failure found, in one list, and the first as a typed error.
 */
import { Effect, FileSystem, Option, Path } from "effect"
import { CompileDiagnostic, describeDiagnostic } from "../domain/CompileReport.ts"
import type { CodeGenConfig } from "../domain/Config.ts"
import { gateViolations, QualityIssue, QualityResult } from "../domain/Quality.ts"
import type { CodeGenerationRequest, Conventions } from "../domain/Request.ts"
import {
  CompileFailedError,
  EditFailedError,
  NoChangeError,
  QualityGateError,
  type QualityToolError
} from "../errors.ts"
import type { FileManager } from "../services/FileManager.ts"
import type { GeneratorOutput } from "../services/GeneratorRegistry.ts"
import type { LanguageRegistry } from "../services/LanguageRegistry.ts"
import type { Progress } from "../services/Progress.ts"
import type { QualityChecker } from "../services/QualityChecker.ts"
import type { TestRunner } from "../services/TestRunner.ts"
import type { EslintScope } from "./EslintScope.ts"
import { screenFile } from "./FileScreen.ts"
import { formatChange } from "./FormatChange.ts"
import { nearbyFiles } from "./NearbyFiles.ts"
import { type CheckedFile, type CheckedState, failureLine, type StateError } from "./Repair.ts"
import type { RunRecorder } from "./RunRecorder.ts"
import { resolveFormatStyle } from "./StyleResolution.ts"
import { makeTestStep } from "./TestStep.ts"

export interface StateCheckInput {
  readonly request: CodeGenerationRequest
  readonly runId: string
  readonly recorder: RunRecorder
  readonly config: CodeGenConfig
  readonly files: FileManager["Service"]
  readonly languages: LanguageRegistry["Service"]
  readonly quality: QualityChecker["Service"]
  readonly progress: Progress["Service"]
  /** Without one, nothing is compiled or tested (and the steps say so). */
  readonly runner: TestRunner["Service"] | undefined
  /** Without a file system (an in-memory workspace) the layout is learnt from fewer files. */
  readonly fileSystem: Option.Option<FileSystem.FileSystem>
  readonly paths: Option.Option<Path.Path>
  /** Where ESLint runs: the run's one scope, shared with the loading of the language's tools. */
  readonly eslint: EslintScope
  /** A model writes the change's tests: at least one of them must pass (see `TestStepInput`). */
  readonly requirePassingTest: boolean
}

/** `evaluate` stages a state of the change and checks it; the staging area holds it afterwards. */
export const makeStateCheck = Effect.fnUntraced(function* (input: StateCheckInput) {
  const { request, recorder, config, files, languages, quality, progress, runner, fileSystem, paths, eslint } = input
  /** The workspace's files near a path, to learn its habits from; none without a file system. */
  const nearby = (path: string, extensions: ReadonlyArray<string>) =>
    Option.isNone(fileSystem) || Option.isNone(paths)
      ? Effect.succeed([])
      : nearbyFiles({ root: files.root, path, extensions }).pipe(
          Effect.provideService(FileSystem.FileSystem, fileSystem.value),
          Effect.provideService(Path.Path, paths.value)
        )

  /**
   * Formats in the project's layout (conventions, .editorconfig, its habits), leaving the lines
   * a change did not touch as they were; then checks. A formatter that cannot parse the code
   * is a syntax finding.
   */
  const checkFile =
    (runId: string, conventions: Conventions | undefined) =>
    (file: { readonly path: string; readonly content: string }) =>
      Effect.gen(function* () {
        const pack = yield* languages.detect(file.path)
        if (Option.isNone(pack)) {
          return {
            ...file,
            language: "text",
            quality: new QualityResult({ score: 1, issues: [], suggestions: [] })
          }
        }
        const language = pack.value.id
        const style = yield* resolveFormatStyle({
          path: file.path,
          conventions,
          read: files.read,
          list: nearby(file.path, pack.value.extensions),
          extensions: pack.value.extensions
        })
        const before = yield* files.read(file.path).pipe(Effect.orElseSucceed(() => undefined))
        const formatted = yield* formatChange({
          before,
          after: file.content,
          format: (code) => quality.format(code, language, file.path, style)
        }).pipe(
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
        const checked = yield* quality.check(
          formatted.content,
          language,
          file.path,
          yield* eslint.skippedTools(file.path)
        )
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

  /** Every issue of a file that misses the gate, for the model to fix. */
  const gateFailures = (file: CheckedFile): ReadonlyArray<string> => {
    const violations = gateViolations(config.quality, file.quality)
    if (violations.length === 0) return []
    return [
      ...violations.map((v) => failureLine.gate(`${file.path}: ${v}`)),
      ...file.quality.issues
        .filter((i) => i.severity !== "info")
        .map((i) =>
          failureLine.gate(
            `${file.path}:${i.line}:${i.column} ${i.severity} ${i.rule}: ${i.message}${i.fix === undefined ? "" : ` (fix: ${i.fix})`}`
          )
        )
    ]
  }

  const testState = yield* makeTestStep({
    request,
    workspace: files.root,
    runner,
    config: config.tests,
    recorder,
    languages,
    requirePassingTest: input.requirePassingTest,
    // Through the file manager: never a path outside the workspace, nor a link out of it.
    read: (path) => files.read(path).pipe(Effect.orElseSucceed(() => undefined))
  })

  /** Stages one state of the change and checks it whole: edits, compiler, gate, tests. */
  const evaluate = (output: GeneratorOutput) =>
    Effect.gen(function* () {
      yield* files.discard
      // A file too large or binary never reaches a tool: it fails the state as it is.
      const screened = output.files.flatMap((file) => {
        const skipped = screenFile({ path: file.path, content: file.content, maxBytes: config.files.maxFileBytes })
        return skipped === undefined ? [] : [skipped]
      })
      const refused = new Set(screened.map((file) => file.path))
      const checked = yield* recorder.step(
        "format-and-validate",
        Effect.forEach(
          output.files.filter((file) => !refused.has(file.path)),
          checkFile(recorder.runId, request.context.conventions),
          { concurrency: config.concurrency }
        )
      )
      const staged: Array<CheckedFile> = []
      for (const file of checked) staged.push({ ...file, path: yield* files.write(file.path, file.content) })
      const changes = yield* files.changes
      const editFailures = output.failures ?? []
      const failures: Array<string> = editFailures.map((f) =>
        f.block === ""
          ? failureLine.missing(`${f.path}: ${f.message}`)
          : failureLine.edit(
              `${f.path}: ${f.message}${f.closest === undefined ? "" : `\nclosest region: ${f.closest}`}`
            )
      )
      const firstEdit = editFailures[0]
      const editError =
        firstEdit === undefined
          ? undefined
          : new EditFailedError({
              path: firstEdit.path,
              block: firstEdit.block,
              closest: firstEdit.closest,
              detail:
                editFailures.length === 1
                  ? firstEdit.message
                  : `${firstEdit.message} (and ${editFailures.length - 1} more)`
            })
      const score = staged.length === 0 ? 0 : staged.reduce((sum, file) => sum + file.quality.score, 0) / staged.length
      if (changes.length === 0 && screened.length === 0) {
        const error =
          editError ??
          new NoChangeError({
            detail:
              output.files.length === 0
                ? "the generator produced no file"
                : "every file it produced already holds that content"
          })
        return {
          output,
          files: staged,
          changes,
          compile: undefined,
          tests: undefined,
          gateMet: false,
          testsPassed: false,
          score,
          outcome: editError === undefined ? "no-change" : "edits-failed",
          error,
          failures: editError === undefined ? [`no change: ${error.detail}`] : failures
        } satisfies CheckedState
      }
      const compile =
        runner === undefined
          ? yield* recorder.skip("compile", "no test runner").pipe(Effect.as(undefined))
          : yield* recorder.step(
              "compile",
              runner.checkStaged({
                workspace: files.root,
                language: request.language,
                changes,
                timeoutMs: config.tests.timeoutMs
              }),
              (r) =>
                `${r.tool}: ${r.status}${r.status === "failed" ? `, ${r.diagnostics.length} error(s)` : r.status === "skipped" ? ` (${r.output})` : ""}`
            )
      const compiles = compile === undefined || compile.status === "passed" || compile.status === "skipped"
      const compileError = compiles
        ? undefined
        : new CompileFailedError({
            tool: compile.tool,
            diagnostics:
              compile.status === "timeout" ? [new CompileDiagnostic({ message: compile.output })] : compile.diagnostics
          })
      if (compileError !== undefined) {
        failures.push(...compileError.diagnostics.map((d) => failureLine.compile(describeDiagnostic(d))))
      }
      const refusals = screened.map((file) => `${file.path}: ${file.reason} (${file.detail}), not checked`)
      const gate = [...refusals.map(failureLine.gate), ...staged.flatMap(gateFailures)]
      failures.push(...gate)
      const gateError =
        gate.length === 0
          ? undefined
          : new QualityGateError({
              score: Math.round(score * 1000) / 1000,
              violations: [
                ...refusals,
                ...staged.flatMap((file) =>
                  gateViolations(config.quality, file.quality).map((v) => `${file.path}: ${v}`)
                )
              ]
            })
      const tested = compiles
        ? yield* testState(changes)
        : yield* recorder.skip("test", "the change does not compile").pipe(Effect.as(undefined))
      if (tested?.error !== undefined) failures.push(...tested.error.failures.map(failureLine.test))
      const error: StateError | undefined = editError ?? compileError ?? gateError ?? tested?.error
      return {
        output,
        files: staged,
        changes,
        compile,
        tests: tested?.report,
        gateMet: gateError === undefined,
        testsPassed: tested !== undefined && tested.error === undefined,
        score,
        outcome:
          editError !== undefined
            ? "edits-failed"
            : compileError !== undefined
              ? "compile-failed"
              : gateError !== undefined
                ? "gate-failed"
                : tested?.error !== undefined
                  ? "tests-failed"
                  : "passed",
        error,
        failures
      } satisfies CheckedState
    })

  return { evaluate }
})
