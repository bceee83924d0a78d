/**
 * Template manifests: what a template pack declares about itself.
 */
import { Effect, Schema } from "effect"
import { TaskType } from "./Request.ts"

/** Validation rules a parameter may carry. */
export class ParameterValidation extends Schema.Class<ParameterValidation>("@tamma/codegen/ParameterValidation")({
  pattern: Schema.optional(Schema.String),
  enum: Schema.optional(Schema.Array(Schema.Unknown)),
  min: Schema.optional(Schema.Number),
  max: Schema.optional(Schema.Number),
  minLength: Schema.optional(Schema.Int),
  maxLength: Schema.optional(Schema.Int)
}) {}

/** A typed parameter of a template. */
export class TemplateParameter extends Schema.Class<TemplateParameter>("@tamma/codegen/TemplateParameter")({
  name: Schema.String.check(Schema.isPattern(/^[A-Za-z_][A-Za-z0-9_]*$/)),
  type: Schema.Literals(["string", "number", "boolean", "array", "object"]),
  required: Schema.Boolean.pipe(Schema.withDecodingDefaultKey(Effect.succeed(false))),
  default: Schema.optional(Schema.Unknown),
  description: Schema.String.pipe(Schema.withDecodingDefaultKey(Effect.succeed(""))),
  validation: Schema.optional(ParameterValidation)
}) {}

/** Something a template needs: another template or a package of an ecosystem. */
export class TemplateDependency extends Schema.Class<TemplateDependency>("@tamma/codegen/TemplateDependency")({
  kind: Schema.Literals(["template", "npm", "pip", "cargo", "go", "maven"]),
  name: Schema.NonEmptyString,
  version: Schema.optional(Schema.String)
}) {}

const SemVer = Schema.String.check(
  Schema.isPattern(/^\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?$/, { message: "Expected a semantic version such as 1.0.0" })
)

/** The manifest of a template pack (`template.json`). */
export class TemplateManifest extends Schema.Class<TemplateManifest>("@tamma/codegen/TemplateManifest")({
  id: Schema.String.check(Schema.isPattern(/^[a-z0-9][a-z0-9._/-]*$/)),
  name: Schema.NonEmptyString,
  description: Schema.String.pipe(Schema.withDecodingDefaultKey(Effect.succeed(""))),
  language: Schema.NonEmptyString,
  category: TaskType,
  framework: Schema.optional(Schema.String),
  tags: Schema.Array(Schema.String).pipe(Schema.withDecodingDefaultKey(Effect.succeed([]))),
  version: SemVer,
  parameters: Schema.Array(TemplateParameter).pipe(Schema.withDecodingDefaultKey(Effect.succeed([]))),
  dependencies: Schema.Array(TemplateDependency).pipe(Schema.withDecodingDefaultKey(Effect.succeed([]))),
  /** Parameters that render a representative example; used by `template render` and conformance tests. */
  example: Schema.Record(Schema.String, Schema.Unknown).pipe(Schema.withDecodingDefaultKey(Effect.succeed({}))),
  metadata: Schema.Record(Schema.String, Schema.Unknown).pipe(Schema.withDecodingDefaultKey(Effect.succeed({})))
}) {}

/** One nunjucks file of a pack; `path` is itself a template. */
export class TemplateFile extends Schema.Class<TemplateFile>("@tamma/codegen/TemplateFile")({
  path: Schema.NonEmptyString,
  source: Schema.String
}) {}

/** A loaded template: its manifest, its files and where it came from. */
export class Template extends Schema.Class<Template>("@tamma/codegen/Template")({
  manifest: TemplateManifest,
  files: Schema.Array(TemplateFile),
  /** Shared partials of the template's language, by name, for `include`/`extends`/`import`. */
  partials: Schema.Record(Schema.String, Schema.String).pipe(Schema.withDecodingDefaultKey(Effect.succeed({}))),
  source: Schema.Literals(["builtin", "workspace", "user"]),
  /** Content hash of manifest and files. */
  hash: Schema.String
}) {
  get id(): string {
    return this.manifest.id
  }
  get version(): string {
    return this.manifest.version
  }
}

/** A rendered file before it is staged. */
export class RenderedFile extends Schema.Class<RenderedFile>("@tamma/codegen/RenderedFile")({
  path: Schema.String,
  content: Schema.String
}) {}
