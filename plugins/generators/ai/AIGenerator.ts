/**
 * The model-backed generator: the template renders a skeleton, the prompt carries the request
 * and the relevant code, the model answers, and the answer becomes files (edits applied to the
 * files that exist). A truncated answer is continued once; edits that do not apply are sent
 * back once with what the file really says. Serves every task type when a model is configured.
 */
import { Effect, Result } from "effect"
import { promptContext } from "../../../core/pipeline/prompts/PromptContext.ts"
import type { ChatMessage } from "../../../core/services/AIProvider.ts"
import { AIProvider } from "../../../core/services/AIProvider.ts"
import { type Generator, type GeneratorInput, GeneratorRegistry } from "../../../core/services/GeneratorRegistry.ts"
import { TemplateEngine } from "../../../core/services/TemplateEngine.ts"
import { answerFiles } from "./AnswerFiles.ts"
import { loadPromptTemplates } from "./PromptTemplates.ts"

export interface AIGeneratorOptions {
  /** Tokens the existing code may take in a prompt. */
  readonly contextTokens?: number
  readonly maxTokens?: number
  readonly temperature?: number
}

const continueMessage =
  "Your answer was cut off. Continue exactly where it stopped, without repeating anything and without any introduction."

const repairMessage = (failures: ReadonlyArray<string>) =>
  `Some of your edits could not be applied:\n\n${failures.join("\n\n")}\n\nAnswer again with corrected SEARCH/REPLACE blocks for those edits only; copy the SEARCH lines exactly from the file.`

export const make = Effect.fn("AIGenerator.make")(function* (options: AIGeneratorOptions = {}) {
  const engine = yield* TemplateEngine
  const ai = yield* AIProvider
  const renderPrompt = yield* loadPromptTemplates()

  const generate = Effect.fn("AIGenerator.generate")(function* (input: GeneratorInput) {
    const skeleton = yield* engine.render(input.template, input.context)
    const existing = new Map<string, string>()
    for (const file of skeleton) {
      const content = yield* input.read(file.path)
      if (content !== undefined) existing.set(file.path, content)
    }
    const context = promptContext({
      request: input.request,
      template: input.template,
      skeleton,
      existing: [...existing].map(([path, content]) => ({ path, content })),
      tokenBudget: options.contextTokens ?? 24_000
    })
    const prompt = yield* renderPrompt(context)
    const settings = {
      maxTokens: input.request.options.maxTokens ?? options.maxTokens ?? 8192,
      temperature: input.request.options.temperature ?? options.temperature ?? 0.2
    }
    const messages: Array<ChatMessage> = [
      { role: "system", content: prompt.system },
      { role: "user", content: prompt.user }
    ]
    let answer = (yield* ai.sendMessage({ messages, ...settings })).text
    let result = answerFiles({ answer, skeleton, existing })
    if (Result.isFailure(result) && result.failure.reason === "truncated") {
      const more = yield* ai.sendMessage({
        messages: [...messages, { role: "assistant", content: answer }, { role: "user", content: continueMessage }],
        ...settings
      })
      answer = `${answer}${more.text}`
      result = answerFiles({ answer, skeleton, existing })
    }
    if (Result.isFailure(result)) return yield* result.failure
    let outcome = result.success
    if (outcome.failures.length > 0) {
      const repair = yield* ai.sendMessage({
        messages: [
          ...messages,
          { role: "assistant", content: answer },
          { role: "user", content: repairMessage(outcome.failures) }
        ],
        ...settings
      })
      const current = new Map([...existing, ...outcome.files.map((file) => [file.path, file.content] as const)])
      const repaired = answerFiles({ answer: repair.text, skeleton: [], existing: current })
      if (Result.isSuccess(repaired)) {
        const merged = new Map(outcome.files.map((file) => [file.path, file]))
        for (const file of repaired.success.files) merged.set(file.path, file)
        outcome = {
          files: [...merged.values()],
          notes: [...outcome.notes, ...repaired.success.notes],
          failures: repaired.success.failures
        }
      }
    }
    return {
      files: outcome.files,
      notes: [
        ...outcome.notes,
        ...outcome.failures.map((failure) => `edit not applied: ${failure}`),
        ...(context.omitted.length === 0 ? [] : [`left out of the prompt for length: ${context.omitted.join(", ")}`])
      ]
    }
  })

  const generator: Generator = {
    name: "ai",
    taskTypes: ["implementation", "test", "refactoring", "documentation"],
    priority: 10,
    supports: () => ai.available,
    generate
  }
  return generator
})

export const AIGenerator = {
  name: "ai",
  /** Registers the generator; needs `TemplateEngine` and `AIProvider`. */
  layer: (options: AIGeneratorOptions = {}) => GeneratorRegistry.register(make(options).pipe(Effect.orDie))
}
