/**
 * Template parameters: defaults applied, then each value decoded with a Schema built from the
 * manifest, so that every violation is listed at once with its parameter's name.
 */
import { Effect, Schema } from "effect"
import type { Template, TemplateParameter } from "../../../core/domain/Template.ts"
import { ParameterInvalidError, ParameterProblem } from "../../../core/errors.ts"
import type { TemplateContext } from "../../../core/services/TemplateEngine.ts"

const baseSchema = (type: TemplateParameter["type"]): Schema.Codec<unknown> => {
  switch (type) {
    case "string":
      return Schema.String
    case "number":
      return Schema.Finite
    case "boolean":
      return Schema.Boolean
    case "array":
      return Schema.Array(Schema.Unknown)
    case "object":
      return Schema.Record(Schema.String, Schema.Unknown)
  }
}

/** The Schema of one parameter: its type and its validation rules. */
export const parameterSchema = (parameter: TemplateParameter): Schema.Codec<unknown> => {
  const rules = parameter.validation
  const base = baseSchema(parameter.type)
  if (rules === undefined) return base
  return base.pipe(
    Schema.check(
      Schema.makeFilter((value: unknown) => {
        const issues: Array<string> = []
        if (rules.pattern !== undefined && typeof value === "string" && !new RegExp(rules.pattern).test(value)) {
          issues.push(`must match ${rules.pattern}`)
        }
        if (rules.enum !== undefined && !rules.enum.some((allowed) => allowed === value)) {
          issues.push(`must be one of ${rules.enum.map((v) => JSON.stringify(v)).join(", ")}`)
        }
        if (typeof value === "number") {
          if (rules.min !== undefined && value < rules.min) issues.push(`must be at least ${rules.min}`)
          if (rules.max !== undefined && value > rules.max) issues.push(`must be at most ${rules.max}`)
        }
        const length = typeof value === "string" || Array.isArray(value) ? value.length : undefined
        if (length !== undefined) {
          if (rules.minLength !== undefined && length < rules.minLength) {
            issues.push(`must have length at least ${rules.minLength}`)
          }
          if (rules.maxLength !== undefined && length > rules.maxLength) {
            issues.push(`must have length at most ${rules.maxLength}`)
          }
        }
        return issues
      })
    )
  )
}

/** The context with each absent parameter set to its default. */
export const prepareContext = (context: TemplateContext, template: Template): TemplateContext => {
  const prepared: Record<string, unknown> = { ...context }
  for (const parameter of template.manifest.parameters) {
    if (prepared[parameter.name] === undefined && parameter.default !== undefined) {
      prepared[parameter.name] = parameter.default
    }
  }
  return prepared
}

/** A validator of a template's parameters, with each parameter's decoder built once. */
export const contextValidator = (template: Template) => {
  const decoders = template.manifest.parameters.map((parameter) => ({
    parameter,
    decode: Schema.decodeUnknownExit(parameterSchema(parameter))
  }))
  return (context: TemplateContext): Effect.Effect<TemplateContext, ParameterInvalidError> => {
    const problems: Array<ParameterProblem> = []
    for (const { parameter, decode } of decoders) {
      const value = context[parameter.name]
      if (value === undefined) {
        if (parameter.required)
          problems.push(new ParameterProblem({ parameter: parameter.name, message: "is required" }))
        continue
      }
      const decoded = decode(value, { errors: "all" })
      if (decoded._tag === "Failure") {
        const message = decoded.cause.reasons
          .map((reason) => (reason._tag === "Fail" ? String(reason.error) : "invalid"))
          .join("; ")
          .replace(/^SchemaError\((.*)\)$/s, "$1")
        problems.push(new ParameterProblem({ parameter: parameter.name, message }))
      }
    }
    return problems.length === 0
      ? Effect.succeed(context)
      : Effect.fail(new ParameterInvalidError({ template: template.id, problems }))
  }
}

/** Checks every declared parameter of the prepared context; fails with all problems at once. */
export const validateContext = (context: TemplateContext, template: Template) =>
  Effect.suspend(() => contextValidator(template)(context))
