/**
 * What a run returns: the files, their diffs and quality, and how the run went.
 */
import { Effect, Schema } from "effect"
import { QualityResult } from "./Quality.ts"
import { TestReport } from "./TestReport.ts"

/** A file the run created, modified or deleted. */
export class GeneratedFile extends Schema.Class<GeneratedFile>("@tamma/codegen/GeneratedFile")({
  path: Schema.String,
  language: Schema.String,
  action: Schema.Literals(["create", "modify", "delete"]),
  content: Schema.String,
  /** Unified diff against what was there before. */
  diff: Schema.String,
  quality: QualityResult
}) {}

/** Duration and outcome of one pipeline step. */
export class StepTiming extends Schema.Class<StepTiming>("@tamma/codegen/StepTiming")({
  step: Schema.String,
  status: Schema.Literals(["done", "skipped", "failed"]),
  durationMs: Schema.Number,
  detail: Schema.optional(Schema.String)
}) {}

/** A template that was considered, with its ranking score. */
export class TemplateCandidate extends Schema.Class<TemplateCandidate>("@tamma/codegen/TemplateCandidate")({
  id: Schema.String,
  version: Schema.String,
  score: Schema.Number,
  reasons: Schema.Array(Schema.String)
}) {}

/** Token use of the run's model calls. */
export class TokenUsage extends Schema.Class<TokenUsage>("@tamma/codegen/TokenUsage")({
  input: Schema.Int,
  output: Schema.Int,
  calls: Schema.Int,
  costUsd: Schema.Number
}) {}

/** How the run went. */
export class GenerationMetadata extends Schema.Class<GenerationMetadata>("@tamma/codegen/GenerationMetadata")({
  runId: Schema.String,
  startedAt: Schema.String,
  durationMs: Schema.Number,
  steps: Schema.Array(StepTiming),
  template: Schema.optional(TemplateCandidate),
  alternatives: Schema.Array(TemplateCandidate),
  generator: Schema.String,
  provider: Schema.String,
  model: Schema.optional(Schema.String),
  iterations: Schema.Int,
  tokens: TokenUsage,
  dryRun: Schema.Boolean
}) {}

/** A typed error kept in the result: its tag and message. */
export class ResultError extends Schema.Class<ResultError>("@tamma/codegen/ResultError")({
  tag: Schema.String,
  message: Schema.String
}) {}

/** Where the run's change landed in git. */
export class CommitInfo extends Schema.Class<CommitInfo>("@tamma/codegen/CommitInfo")({
  branch: Schema.String,
  sha: Schema.String,
  message: Schema.String,
  previousBranch: Schema.optional(Schema.String)
}) {}

/**
 * What a state of the change reached in the repair loop, worst first: its edits did not all apply,
 * it does not compile, it misses the quality gate, its tests fail, or everything passed.
 */
export const RepairOutcome = Schema.Literals([
  "no-change",
  "edits-failed",
  "compile-failed",
  "gate-failed",
  "tests-failed",
  "passed"
])
export type RepairOutcome = typeof RepairOutcome.Type

/** One round of the repair loop: why it ran, what it cost, and where it left the change. */
export class RepairIteration extends Schema.Class<RepairIteration>("@tamma/codegen/RepairIteration")({
  /** 1 for the first answer, then one per repair message. */
  index: Schema.Int,
  /** What the round answered: `initial`, or the failures sent back to the model. */
  reason: Schema.String,
  /** Model calls made in the round (continuations and per-file calls included). */
  calls: Schema.Int,
  /** Input plus output tokens of those calls. */
  tokens: Schema.Int,
  outcome: RepairOutcome,
  /** The failures found after the round, one line each. */
  failures: Schema.Array(Schema.String)
}) {}

/** The result of `generateCode`, `generateTests` and `refactorCode`. */
export class CodeGenerationResult extends Schema.Class<CodeGenerationResult>("@tamma/codegen/CodeGenerationResult")({
  status: Schema.Literals(["success", "partial", "failed"]),
  files: Schema.Array(GeneratedFile),
  quality: QualityResult,
  suggestions: Schema.Array(Schema.String),
  errors: Schema.Array(ResultError),
  metadata: GenerationMetadata,
  commit: Schema.optional(CommitInfo),
  /** The change's tests, run in a sandbox before the apply. */
  tests: Schema.optional(TestReport),
  /** The rounds of the repair loop, in order (empty for a template-only run). */
  iterations: Schema.Array(RepairIteration).pipe(Schema.withDecodingDefaultKey(Effect.succeed([]))),
  applied: Schema.Boolean
}) {}
