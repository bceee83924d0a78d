/**
 * The flags of a pipeline run (`generate`, `test`, `refactor`), shared by the commands that
 * declare them and the handler that reads them.
 */
import * as Flag from "effect/cli/Flag"
import { ProviderName } from "../../core/domain/ProviderName.ts"

/** The model flags every command that may call a provider shares. */
export const modelFlag = Flag.String("model").pipe(Flag.withDescription("Model id for the provider"), Flag.optional)
export const baseUrlFlag = Flag.String("base-url").pipe(
  Flag.withDescription("Provider base URL (an OpenAI-compatible server such as Ollama)"),
  Flag.optional
)

export const runFlags = {
  request: Flag.String("request").pipe(Flag.withDescription("Required: the request file (JSON), or - for stdin")),
  // Optional rather than defaulted: a workspace named on the command line may be any folder,
  // a defaulted one is never this package's own checkout.
  workspace: Flag.String("workspace").pipe(
    Flag.withDescription(
      "Workspace folder, a git repository unless --no-commit or --dry-run (default: the folder the command was run from)"
    ),
    Flag.optional
  ),
  provider: Flag.Literals("provider", ProviderName.literals).pipe(
    Flag.withDescription("AI provider (overrides tamma.config.json); none runs template-only"),
    Flag.optional
  ),
  model: modelFlag,
  baseUrl: baseUrlFlag,
  runTests: Flag.Boolean("run-tests").pipe(
    Flag.withDescription("Run the change's tests before applying it (--no-run-tests skips them)"),
    Flag.withDefault(true)
  ),
  template: Flag.String("template").pipe(
    Flag.withDescription("Template ID[@VERSION]; overrides selection"),
    Flag.optional
  ),
  dryRun: Flag.Boolean("dry-run").pipe(Flag.withDescription("Write nothing; print the diffs"), Flag.withDefault(false)),
  commit: Flag.Boolean("commit").pipe(
    Flag.withDescription("Commit on a new branch (--no-commit writes the files only)"),
    Flag.withDefault(true)
  ),
  allowDirty: Flag.Boolean("allow-dirty").pipe(
    Flag.withDescription("Run on a work tree with uncommitted changes (they are never touched)"),
    Flag.withDefault(false)
  ),
  wait: Flag.Boolean("wait").pipe(
    Flag.withDescription("Wait for another run on the workspace to finish instead of failing (exit 2)"),
    Flag.withDefault(false)
  ),
  force: Flag.Boolean("force").pipe(
    Flag.withDescription("Let a template replace files that already exist (shown as modifications)"),
    Flag.withDefault(false)
  ),
  explain: Flag.Boolean("explain").pipe(Flag.withDescription("Print the template ranking"), Flag.withDefault(false)),
  json: Flag.Boolean("json").pipe(
    Flag.withDescription("Print the result as one JSON document"),
    Flag.withDefault(false)
  )
}

export type RunFlags = {
  readonly [K in keyof typeof runFlags]: (typeof runFlags)[K] extends Flag.Flag<infer A> ? A : never
}
