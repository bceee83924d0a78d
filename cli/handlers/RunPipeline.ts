/**
 * The pipeline run behind `generate`, `test` and `refactor`.
 */
import { Console, Effect, Option, Schema } from "effect"
import { CodeGenerationRequest, type TaskType } from "../../core/domain/Request.ts"
import { CodeGenerationResult } from "../../core/domain/Result.ts"
import { badInputTags, WorkspaceError } from "../../core/errors.ts"
import { CodeGenerator } from "../../core/pipeline/CodeGenerator.ts"
import { LanguageRegistry } from "../../core/services/LanguageRegistry.ts"
import * as NodePipeline from "../../presets/NodePipeline.ts"
import { BadInputFailed, CommandFailed, SettledExit, UnderWay } from "../CliErrors.ts"
import { loadRunConfig } from "../ConfigTrust.ts"
import type { RunFlags } from "../commands/RunFlags.ts"
import { chooseWorkspace, isGitRepository, readRequest, withFlags } from "../Input.ts"
import { printJson } from "../JsonOutput.ts"
import { progressRenderer, renderRanking, renderResult } from "../Render.ts"
import { jsonText, visible } from "../TerminalText.ts"
import { lockingOptions } from "./LockedWorkspace.ts"

const encodeResult = Schema.encodeSync(CodeGenerationResult)

const badInput: ReadonlySet<string> = new Set(badInputTags)

/** Runs the pipeline on the request of `flags`, as the task type `taskType` when given. */
export const runPipeline = Effect.fn("cli.runPipeline")(function* (flags: RunFlags, taskType: TaskType | undefined) {
  yield* UnderWay.note({ _tag: "WorkspaceRun" })
  const workspace = yield* chooseWorkspace(flags.workspace)
  const read: CodeGenerationRequest = withFlags(yield* readRequest(flags.request), {
    template: Option.getOrUndefined(flags.template),
    dryRun: flags.dryRun,
    commit: flags.commit,
    runTests: flags.runTests,
    force: flags.force
  })
  const request =
    taskType === undefined || read.taskType === taskType ? read : new CodeGenerationRequest({ ...read, taskType })
  const { config, warnings } = yield* loadRunConfig(workspace, {
    allowDirty: flags.allowDirty,
    provider: Option.getOrUndefined(flags.provider),
    model: Option.getOrUndefined(flags.model),
    baseUrl: Option.getOrUndefined(flags.baseUrl)
  })
  for (const warning of warnings) yield* Console.error(`warning: ${visible(warning)}`)
  const committing = request.options.dryRun !== true && request.options.commit !== false
  if (committing && !(yield* isGitRepository(workspace))) {
    return yield* new WorkspaceError({
      path: workspace,
      detail: "is not a git repository: run `git init` there, or pass --no-commit or --dry-run"
    })
  }
  const result = yield* Effect.gen(function* () {
    // A language no pack handles is bad input, refused before anything runs (the pipeline
    // would otherwise fall back on another language's templates).
    yield* (yield* LanguageRegistry).get(request.language)
    const generator = yield* CodeGenerator
    if (flags.explain) yield* Console.error(renderRanking(yield* generator.candidates(request)))
    return yield* generator.generate(request)
  }).pipe(
    // One run at a time; a run a crash interrupted is undone before this one reads anything.
    Effect.provide(
      NodePipeline.layer(workspace, config, { ...lockingOptions(flags.wait), onProgress: progressRenderer() })
    )
  )
  if (flags.json) yield* printJson(jsonText(encodeResult(result)))
  else yield* Console.log(renderResult(result))
  // A failed result whose error is bad input (a request naming a file that is not there) is
  // exit 2, as when the pipeline refuses the request outright.
  const refused = result.status !== "success" && result.errors.some((error) => badInput.has(error.tag))
  yield* SettledExit.settle(result.status === "success" ? 0 : refused ? 2 : 1)
  if (result.status !== "success") {
    const reason = result.errors.map((e) => e.message).join("; ")
    return yield* refused ? new BadInputFailed({ reason }) : new CommandFailed({ reason })
  }
  // Uninterruptible but for waiting for the lock and the run itself (see `generate`): an
  // interruption after the run has ended leaves its outcome and its report whole.
}, Effect.uninterruptible)
