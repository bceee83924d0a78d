/**
 * The pipeline run behind `generate`, `test` and `refactor`.
 */
import { Console, Effect, Option, Schema } from "effect"
import type { CodeGenerationRequest } from "../../core/domain/Request.ts"
import { CodeGenerationResult } from "../../core/domain/Result.ts"
import { WorkspaceError } from "../../core/errors.ts"
import { CodeGenerator } from "../../core/pipeline/CodeGenerator.ts"
import { CommandFailed, SettledExit } from "../CliErrors.ts"
import { loadRunConfig } from "../ConfigTrust.ts"
import type { Method, RunFlags } from "../commands/Generate.ts"
import { isGitRepository, readRequest, resolveWorkspace, withFlags } from "../Input.ts"
import { progressRenderer, renderRanking, renderResult } from "../Render.ts"
import { jsonText, visible } from "../TerminalText.ts"
import { pipelineLayer } from "../Wiring.ts"
import { exclusive } from "./Exclusive.ts"

const encodeResult = Schema.encodeSync(CodeGenerationResult)

export const runPipeline = (method: Method) =>
  Effect.fn(`cli.${method}`)(function* (flags: RunFlags) {
    const workspace = yield* resolveWorkspace(flags.workspace)
    const request: CodeGenerationRequest = withFlags(yield* readRequest(flags.request), {
      template: Option.getOrUndefined(flags.template),
      dryRun: flags.dryRun,
      commit: flags.commit,
      runTests: flags.runTests,
      force: flags.force
    })
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
      const generator = yield* CodeGenerator
      if (flags.explain) yield* Console.error(renderRanking(yield* generator.explain(request)))
      return yield* generator[method](request)
    }).pipe(
      Effect.provide(pipelineLayer(workspace, config, progressRenderer())),
      // One run at a time; a run a crash interrupted is undone before this one reads anything.
      exclusive(workspace, { wait: flags.wait })
    )
    if (flags.json) yield* Console.log(jsonText(encodeResult(result)))
    else yield* Console.log(renderResult(result))
    yield* SettledExit.settle(result.status === "success" ? 0 : 1)
    if (result.status !== "success") {
      return yield* new CommandFailed({ reason: result.errors.map((e) => e.message).join("; ") })
    }
    // Uninterruptible but for waiting for the lock and the run itself (see `generateCode`): an
    // interruption after the run has ended leaves its outcome and its report whole.
  }, Effect.uninterruptible)
