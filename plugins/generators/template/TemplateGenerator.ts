/**
 * The template-only generator: renders the selected template with the request's context.
 * It serves every task type and is what runs when no AI provider is configured.
 */
import { Effect } from "effect"
import type { CodeGenerationRequest } from "../../../core/domain/Request.ts"
import { FileExistsError } from "../../../core/errors.ts"
import { type Generator, type GeneratorInput, GeneratorRegistry } from "../../../core/services/GeneratorRegistry.ts"
import { TemplateEngine } from "../../../core/services/TemplateEngine.ts"

/**
 * The files a request asks to rewrite: those a refactoring names as its existing code or as
 * affected. Replacing them whole is what such a template is for.
 */
const namedForRewrite = (request: CodeGenerationRequest): ReadonlySet<string> =>
  request.taskType !== "refactoring"
    ? new Set()
    : new Set([
        ...request.context.existingCode.map((file) => file.path),
        ...(request.context.analysis?.affectedFiles ?? [])
      ])

/**
 * Refuses a rendered file whose path already holds a file: a template writes whole files
 * without reading them, so it would silently replace one that merely shares a name. `force`
 * lets it (the diff then shows a modification), as does a refactoring that names the file.
 */
const refuseExisting = Effect.fnUntraced(function* (input: GeneratorInput, paths: ReadonlyArray<string>) {
  if (input.request.options.force === true) return
  const named = namedForRewrite(input.request)
  for (const path of paths) {
    if (named.has(path)) continue
    if ((yield* input.read(path)) !== undefined) return yield* new FileExistsError({ path })
  }
})

export const TemplateGenerator = {
  name: "template",
  layer: GeneratorRegistry.register(
    Effect.gen(function* () {
      const engine = yield* TemplateEngine
      const generator: Generator = {
        name: "template",
        taskTypes: ["implementation", "test", "refactoring", "documentation"],
        priority: 0,
        supports: () => true,
        generate: Effect.fn("TemplateGenerator.generate")(function* (input: GeneratorInput) {
          const files = yield* engine.render(input.template, input.context)
          yield* refuseExisting(
            input,
            files.map((file) => file.path)
          )
          return { files, notes: [] }
        })
      }
      return generator
    })
  )
}
