/**
 * The typed request that drives a generation run, and the context it carries.
 */
import { Effect, Schema } from "effect"
import { invalidBranchName } from "./BranchName.ts"

const emptyArray = <S extends Schema.Top>(item: S) =>
  Schema.Array(item).pipe(Schema.withDecodingDefaultKey(Effect.succeed([])))

/** The kinds of work the pipeline does; each maps to a generator and a template category. */
export const TaskType = Schema.Literals(["implementation", "test", "refactoring", "documentation"])
export type TaskType = typeof TaskType.Type

/** The issue the run answers. */
export class Issue extends Schema.Class<Issue>("@tamma/codegen/Issue")({
  number: Schema.optional(Schema.Int),
  title: Schema.NonEmptyString,
  body: Schema.optional(Schema.String),
  labels: emptyArray(Schema.String),
  acceptanceCriteria: emptyArray(Schema.String)
}) {}

/** What an earlier analysis stage learned about the issue. */
export class Analysis extends Schema.Class<Analysis>("@tamma/codegen/Analysis")({
  summary: Schema.optional(Schema.String),
  approach: Schema.optional(Schema.String),
  affectedFiles: emptyArray(Schema.String),
  keywords: emptyArray(Schema.String),
  complexity: Schema.optional(Schema.Literals(["low", "medium", "high"]))
}) {}

/** A file of the workspace the generation should know about. */
export class ExistingFile extends Schema.Class<ExistingFile>("@tamma/codegen/ExistingFile")({
  path: Schema.NonEmptyString,
  content: Schema.optional(Schema.String),
  language: Schema.optional(Schema.String)
}) {}

/** A dependency the generated code may use. */
export class Dependency extends Schema.Class<Dependency>("@tamma/codegen/Dependency")({
  name: Schema.NonEmptyString,
  version: Schema.optional(Schema.String),
  ecosystem: Schema.optional(Schema.Literals(["npm", "pip", "cargo", "go", "maven"]))
}) {}

/** The workspace's coding conventions. */
export class Conventions extends Schema.Class<Conventions>("@tamma/codegen/Conventions")({
  indent: Schema.optional(Schema.Literals(["spaces", "tabs"])),
  indentSize: Schema.optional(Schema.Int),
  quotes: Schema.optional(Schema.Literals(["single", "double"])),
  semicolons: Schema.optional(Schema.Boolean),
  naming: Schema.optional(Schema.Literals(["camel", "snake", "pascal", "kebab"])),
  sourceDir: Schema.optional(Schema.String),
  testDir: Schema.optional(Schema.String),
  notes: emptyArray(Schema.String)
}) {}

/** An earlier try at the same request and why it fell short. */
export class PreviousAttempt extends Schema.Class<PreviousAttempt>("@tamma/codegen/PreviousAttempt")({
  summary: Schema.String,
  failures: emptyArray(Schema.String),
  score: Schema.optional(Schema.Number)
}) {}

/** Everything the run knows beyond the requirements. */
export class GenerationContext extends Schema.Class<GenerationContext>("@tamma/codegen/GenerationContext")({
  issue: Issue,
  analysis: Schema.optional(Analysis),
  existingCode: emptyArray(ExistingFile),
  dependencies: emptyArray(Dependency),
  conventions: Schema.optional(Conventions),
  previousAttempts: emptyArray(PreviousAttempt)
}) {}

/** What the generated code must do and respect. */
export class CodeRequirements extends Schema.Class<CodeRequirements>("@tamma/codegen/CodeRequirements")({
  functionality: emptyArray(Schema.String),
  constraints: emptyArray(Schema.String),
  performance: emptyArray(Schema.String),
  security: emptyArray(Schema.String),
  testing: emptyArray(Schema.String),
  documentation: emptyArray(Schema.String)
}) {}

/** Knobs of a single run. Unset fields fall back to the config. */
export class GenerationOptions extends Schema.Class<GenerationOptions>("@tamma/codegen/GenerationOptions")({
  dryRun: Schema.optional(Schema.Boolean),
  commit: Schema.optional(Schema.Boolean),
  includeTests: Schema.optional(Schema.Boolean),
  /** Run the change's tests before applying it; the config decides when unset. */
  runTests: Schema.optional(Schema.Boolean),
  maxIterations: Schema.optional(Schema.Int.check(Schema.isBetween({ minimum: 0, maximum: 10 }))),
  qualityThreshold: Schema.optional(Schema.Number.check(Schema.isBetween({ minimum: 0, maximum: 1 }))),
  temperature: Schema.optional(Schema.Number.check(Schema.isBetween({ minimum: 0, maximum: 2 }))),
  maxTokens: Schema.optional(Schema.Int.check(Schema.isGreaterThanOrEqualTo(1))),
  /** The branch to commit on; a name git would refuse is bad input, refused before the run. */
  branch: Schema.optional(
    Schema.String.check(
      Schema.makeFilter((name: string) => {
        const problem = invalidBranchName(name)
        return problem === undefined ? true : `Expected a branch name git accepts; this one ${problem}`
      })
    )
  ),
  /** Let a template replace files that already exist (they then show as modifications). */
  force: Schema.optional(Schema.Boolean)
}) {}

/** A template reference: `id` or `id@version`. */
export const TemplateRef = Schema.String.check(
  Schema.isPattern(/^[a-z0-9][a-z0-9._/-]*(@[0-9A-Za-z.+-]+)?$/, {
    message: "Expected a template id such as typescript/module or typescript/module@1.0.0"
  })
)

/** The request the pipeline turns into code. */
export class CodeGenerationRequest extends Schema.Class<CodeGenerationRequest>("@tamma/codegen/CodeGenerationRequest")({
  taskType: TaskType,
  language: Schema.NonEmptyString,
  framework: Schema.optional(Schema.String),
  context: GenerationContext,
  requirements: CodeRequirements.pipe(Schema.withDecodingDefaultKey(Effect.succeed({}))),
  template: Schema.optional(TemplateRef),
  /** Parameters for the template; validated against its manifest. */
  parameters: Schema.Record(Schema.String, Schema.Unknown).pipe(Schema.withDecodingDefaultKey(Effect.succeed({}))),
  options: GenerationOptions.pipe(Schema.withDecodingDefaultKey(Effect.succeed({})))
}) {}

/** Decodes a request from JSON text; the error names each field and what was expected. */
export const decodeRequestJson = Schema.decodeUnknownEffect(Schema.fromJsonString(CodeGenerationRequest), {
  errors: "all"
})
