/**
 * The context a template renders with, prepared from the request.
 */
import type { CodeGenerationRequest } from "../domain/Request.ts"
import type { TemplateContext } from "../services/TemplateEngine.ts"

/** Request fields under their own names, the request's parameters at the top level. */
export const templateContextOf = (request: CodeGenerationRequest): TemplateContext => ({
  taskType: request.taskType,
  language: request.language,
  framework: request.framework,
  issue: request.context.issue,
  analysis: request.context.analysis,
  requirements: request.requirements,
  conventions: request.context.conventions,
  dependencies: request.context.dependencies,
  existingFiles: request.context.existingCode.map((file) => file.path),
  ...request.parameters
})
