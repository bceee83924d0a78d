/**
 * The configuration of a pipeline: `tamma.config.json` in the workspace, flags over it.
 */
import { Effect, Schema } from "effect"
import { invalidBranchName } from "./BranchName.ts"
import { ProviderName } from "./ProviderName.ts"
import { QualityGate } from "./Quality.ts"

export { ProviderName }

/** A limit, a timeout or a count: zero or less can never be met, so it is refused, not run. */
const AtLeastOne = Schema.Int.check(Schema.isGreaterThanOrEqualTo(1))

/** A name or email of the commit's author: a line break or an angle bracket would rewrite the commit's header. */
const Ident = Schema.String.check(
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it refuses
  Schema.isPattern(/^[^<>\u0000-\u001f\u007f]+$/, {
    message: "Expected a name or email without control characters, < or >"
  })
)

/**
 * What comes before the run's slug (`7-add-clamp`) in its branch name, held to the rules of
 * `git check-ref-format --branch` that the whole name could break: a prefix git refuses is bad
 * input, refused before the run rather than after the model has answered.
 */
const BranchPrefix = Schema.String.check(
  Schema.makeFilter((prefix: string) => {
    const problem = invalidBranchName(`${prefix}x`)
    return problem === undefined ? true : `Expected a prefix git accepts in a branch name; with it the name ${problem}`
  })
)

export class GitConfig extends Schema.Class<GitConfig>("@tamma/codegen/GitConfig")({
  branchPrefix: BranchPrefix.pipe(Schema.withDecodingDefaultKey(Effect.succeed("tamma/"))),
  authorName: Schema.optional(Ident),
  authorEmail: Schema.optional(Ident),
  allowDirty: Schema.Boolean.pipe(Schema.withDecodingDefaultKey(Effect.succeed(false))),
  /**
   * Run the repository's `pre-commit` and `commit-msg` hooks on the run's commit; a failing hook
   * fails the run and nothing is written. Off by default, as Aider does: hooks are the
   * repository's code, and an agent's commit should not run it unless the user asks.
   */
  runHooks: Schema.Boolean.pipe(Schema.withDecodingDefaultKey(Effect.succeed(false)))
}) {}

export class FilesConfig extends Schema.Class<FilesConfig>("@tamma/codegen/FilesConfig")({
  allow: Schema.Array(Schema.String).pipe(Schema.withDecodingDefaultKey(Effect.succeed(["**"]))),
  deny: Schema.Array(Schema.String).pipe(
    Schema.withDecodingDefaultKey(Effect.succeed([".env*", "**/.env*", "**/*.pem", "**/id_rsa*", "node_modules/**"]))
  ),
  maxFileBytes: AtLeastOne.pipe(Schema.withDecodingDefaultKey(Effect.succeed(1_048_576))),
  maxPathLength: AtLeastOne.pipe(Schema.withDecodingDefaultKey(Effect.succeed(255))),
  /**
   * Write through a symlink whose target is inside the workspace (the target changes, the link
   * stays a link). Off: a path that is or passes through a symlink is refused. A link that leaves
   * the workspace is refused either way.
   */
  followSymlinks: Schema.Boolean.pipe(Schema.withDecodingDefaultKey(Effect.succeed(false)))
}) {}

/** One model of one provider. */
export class ModelSpec extends Schema.Class<ModelSpec>("@tamma/codegen/ModelSpec")({
  name: ProviderName,
  model: Schema.optional(Schema.String),
  baseUrl: Schema.optional(Schema.String),
  maxTokens: Schema.optional(Schema.Int),
  /** `openai-compatible` only: the variable holding its key (default `OPENAI_COMPATIBLE_API_KEY`). */
  apiKeyEnv: Schema.optional(Schema.String)
}) {}

/** The model the pipeline uses (`none`: template-only), its fallbacks, and how calls are made. */
export class ProviderConfig extends Schema.Class<ProviderConfig>("@tamma/codegen/ProviderConfig")({
  name: ProviderName,
  model: Schema.optional(Schema.String),
  /** Where requests (and the key) go. The CLI takes it for a keyed provider only from the user's side, never the workspace's. */
  baseUrl: Schema.optional(Schema.String),
  maxTokens: Schema.optional(Schema.Int),
  /** `openai-compatible` only: the variable holding its key (default `OPENAI_COMPATIBLE_API_KEY`). */
  apiKeyEnv: Schema.optional(Schema.String),
  /** Tried in order when the primary fails for a reason other than a bad request. */
  fallbacks: Schema.Array(ModelSpec).pipe(Schema.withDecodingDefaultKey(Effect.succeed([]))),
  /** Per attempt. */
  timeoutMs: AtLeastOne.pipe(Schema.withDecodingDefaultKey(Effect.succeed(120_000))),
  maxRetries: Schema.Int.pipe(Schema.withDecodingDefaultKey(Effect.succeed(3))),
  /** Stream answers over SSE (tokens show as they arrive). */
  stream: Schema.Boolean.pipe(Schema.withDecodingDefaultKey(Effect.succeed(true))),
  /** Append every exchange to this JSONL file. */
  record: Schema.optional(Schema.String),
  /** Answer from this JSONL file instead of calling a provider. */
  replay: Schema.optional(Schema.String),
  /** Token budget of the existing code put into a prompt. */
  contextTokens: Schema.Int.pipe(Schema.withDecodingDefaultKey(Effect.succeed(24_000))),
  /** `per-file`: one call per file of a change (sources, then their tests); `whole`: one call for all. */
  split: Schema.Literals(["per-file", "whole"]).pipe(
    Schema.withDecodingDefaultKey(Effect.succeed("per-file" as const))
  ),
  /** AI calls in flight at once. */
  concurrency: Schema.Int.check(Schema.isGreaterThanOrEqualTo(1)).pipe(
    Schema.withDecodingDefaultKey(Effect.succeed(4))
  ),
  /** UTF-8 bytes one answer may reach (4 MiB): a longer one fails while it arrives, unretried. */
  maxAnswerBytes: Schema.Int.check(Schema.isGreaterThanOrEqualTo(1)).pipe(
    Schema.withDecodingDefaultKey(Effect.succeed(4 * 1024 * 1024))
  )
}) {}

export class TestsConfig extends Schema.Class<TestsConfig>("@tamma/codegen/TestsConfig")({
  /** Run the change's tests in a sandbox before applying it. */
  run: Schema.Boolean.pipe(Schema.withDecodingDefaultKey(Effect.succeed(true))),
  /** A failing or timed-out test run fails the whole run (nothing is written). */
  requirePass: Schema.Boolean.pipe(Schema.withDecodingDefaultKey(Effect.succeed(true))),
  timeoutMs: AtLeastOne.pipe(Schema.withDecodingDefaultKey(Effect.succeed(120_000))),
  /**
   * `sandbox`: tests and checks run in bubblewrap, without network, writing only the sandbox;
   * `none`: unconfined. Only trusted configuration may say `none`, never the workspace's file.
   */
  isolation: Schema.Literals(["sandbox", "none"]).pipe(
    Schema.withDecodingDefaultKey(Effect.succeed("sandbox" as const))
  )
}) {}

/** The whole configuration; every field has a default, so `{}` is a valid config. */
export class CodeGenConfig extends Schema.Class<CodeGenConfig>("@tamma/codegen/CodeGenConfig")({
  provider: ProviderConfig.pipe(Schema.withDecodingDefaultKey(Effect.succeed({ name: "none" as const }))),
  quality: QualityGate.pipe(Schema.withDecodingDefaultKey(Effect.succeed({}))),
  /** Rounds of the repair loop, the first answer included: a model-backed run makes at most this many. */
  maxIterations: Schema.Int.check(Schema.isGreaterThanOrEqualTo(1)).pipe(
    Schema.withDecodingDefaultKey(Effect.succeed(3))
  ),
  /** Tokens (input and output) a run's model calls may use before no further repair round starts. */
  tokenBudget: Schema.Int.check(Schema.isGreaterThanOrEqualTo(1)).pipe(
    Schema.withDecodingDefaultKey(Effect.succeed(400_000))
  ),
  concurrency: AtLeastOne.pipe(Schema.withDecodingDefaultKey(Effect.succeed(4))),
  git: GitConfig.pipe(Schema.withDecodingDefaultKey(Effect.succeed({}))),
  files: FilesConfig.pipe(Schema.withDecodingDefaultKey(Effect.succeed({}))),
  tests: TestsConfig.pipe(Schema.withDecodingDefaultKey(Effect.succeed({}))),
  /** Extra template folders, searched after the workspace's `.tamma/templates`. */
  templateDirs: Schema.Array(Schema.String).pipe(Schema.withDecodingDefaultKey(Effect.succeed([])))
}) {}

export const decodeConfig = Schema.decodeUnknownEffect(CodeGenConfig, { errors: "all" })
export const decodeConfigJson = Schema.decodeUnknownEffect(Schema.fromJsonString(CodeGenConfig), { errors: "all" })

/** The configuration with every default applied. */
export const defaultConfig: CodeGenConfig = Schema.decodeUnknownSync(CodeGenConfig)({})
export const defaultFilesConfig: FilesConfig = defaultConfig.files
