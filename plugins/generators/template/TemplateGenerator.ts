/**
 * The template-only generator: renders the selected template with the request's context.
 * It serves every task type and is what runs when no AI provider is configured.
 */
import { Effect } from "effect"
import { type Generator, type GeneratorInput, GeneratorRegistry } from "../../../core/services/GeneratorRegistry.ts"
import { TemplateEngine } from "../../../core/services/TemplateEngine.ts"

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
          return { files, notes: [] }
        })
      }
      return generator
    })
  )
}
