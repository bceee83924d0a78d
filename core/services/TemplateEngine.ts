/**
 * TemplateEngine: renders template packs after validating their parameters and their safety.
 */
import { Context, type Effect } from "effect"
import type { RenderedFile, Template } from "../domain/Template.ts"
import type {
  ParameterInvalidError,
  TemplateInvalidError,
  TemplateProblem,
  TemplateRenderError,
  UnsafePathError
} from "../errors.ts"

/** The values a template sees: the prepared generation context and the parameters. */
export type TemplateContext = Readonly<Record<string, unknown>>

export class TemplateEngine extends Context.Service<
  TemplateEngine,
  {
    /** Renders every file of the template, paths included. Validates first, once per template hash. */
    readonly render: (
      template: Template,
      context: TemplateContext
    ) => Effect.Effect<
      ReadonlyArray<RenderedFile>,
      TemplateInvalidError | TemplateRenderError | ParameterInvalidError | UnsafePathError
    >
    /** Static checks of a whole template: syntax, undeclared variables, the injection guard. */
    readonly validate: (template: Template) => Effect.Effect<ReadonlyArray<TemplateProblem>>
    /** Parses one source, failing with its syntax or safety problems. */
    readonly compile: (source: string, name: string) => Effect.Effect<void, TemplateInvalidError>
    /** The context a template renders with: defaults applied, parameters over the request context. */
    readonly prepareContext: (context: TemplateContext, template: Template) => TemplateContext
    /** Checks the parameters against the manifest, listing every violation. */
    readonly validateContext: (
      context: TemplateContext,
      template: Template
    ) => Effect.Effect<TemplateContext, ParameterInvalidError>
  }
>()("@tamma/codegen/services/TemplateEngine") {}
