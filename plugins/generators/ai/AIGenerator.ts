/**
 * The model-backed generator: the template renders a skeleton, the prompt carries the request
 * and the relevant code, the model answers, and the answer becomes files (edits applied to the
 * files that exist). A truncated answer is continued once; edits that do not apply are sent
 * back once with what the file really says. A change of several files is asked for file by file,
 * concurrently, sources before tests. Serves every task type when a model is configured.
 */
import { Effect, Result } from "effect"
import type { RenderedFile } from "../../../core/domain/Template.ts"
import { promptContext } from "../../../core/pipeline/prompts/PromptContext.ts"
import type { ChatMessage } from "../../../core/services/AIProvider.ts"
import { AIProvider } from "../../../core/services/AIProvider.ts"
import { type Generator, type GeneratorInput, GeneratorRegistry } from "../../../core/services/GeneratorRegistry.ts"
import { TemplateEngine } from "../../../core/services/TemplateEngine.ts"
import { isTestPath } from "../../../core/services/TestRunner.ts"
import { answerFiles } from "./AnswerFiles.ts"
import { loadPromptTemplates } from "./PromptTemplates.ts"

export interface AIGeneratorOptions {
  /** Tokens the existing code may take in a prompt. */
  readonly contextTokens?: number
  readonly maxTokens?: number
  readonly temperature?: number
  /**
   * How a change of several files is asked for. `per-file` (the default): one call per file,
   * the sources first and then their tests (which see the sources written), `concurrency` calls
   * at a time. `whole`: every file in one call.
   */
  readonly split?: "per-file" | "whole"
  /** AI calls in flight at once in `per-file` mode (default 4). */
  readonly concurrency?: number
}

const continueMessage =
  "Your answer was cut off. Continue exactly where it stopped, without repeating anything and without any introduction."

const repairMessage = (failures: ReadonlyArray<string>) =>
  `Some of your edits could not be applied:\n\n${failures.join("\n\n")}\n\nAnswer again with corrected SEARCH/REPLACE blocks for those edits only; copy the SEARCH lines exactly from the file.`

/** What one call (or the calls for one file) produced. */
interface Part {
  readonly files: ReadonlyArray<RenderedFile>
  readonly notes: ReadonlyArray<string>
  readonly failures: ReadonlyArray<string>
}

export const make = Effect.fn("AIGenerator.make")(function* (options: AIGeneratorOptions = {}) {
  const engine = yield* TemplateEngine
  const ai = yield* AIProvider
  const renderPrompt = yield* loadPromptTemplates()
  const concurrency = Math.max(1, options.concurrency ?? 4)

  const generate = Effect.fn("AIGenerator.generate")(function* (input: GeneratorInput) {
    const skeleton = yield* engine.render(input.template, input.context)
    const existing = new Map<string, string>()
    for (const file of skeleton) {
      const content = yield* input.read(file.path)
      if (content !== undefined) existing.set(file.path, content)
    }
    const settings = {
      maxTokens: input.request.options.maxTokens ?? options.maxTokens ?? 8192,
      temperature: input.request.options.temperature ?? options.temperature ?? 0.2
    }
    const omitted = new Set<string>()

    /** One conversation: the answer, its continuation when cut off, and one repair of failed edits. */
    const ask = Effect.fnUntraced(function* (focus: RenderedFile | undefined, written: ReadonlyArray<RenderedFile>) {
      const context = promptContext({
        request: input.request,
        template: input.template,
        skeleton,
        existing: [...existing].map(([path, content]) => ({ path, content })),
        tokenBudget: options.contextTokens ?? 24_000,
        ...(focus === undefined ? {} : { focus: focus.path, written })
      })
      for (const path of context.omitted) omitted.add(path)
      const prompt = yield* renderPrompt(context)
      const targets = focus === undefined ? skeleton : [focus]
      const messages: Array<ChatMessage> = [
        { role: "system", content: prompt.system },
        { role: "user", content: prompt.user }
      ]
      const first = yield* ai.sendMessage({ messages, ...settings })
      let answer = first.text
      let result = answerFiles({ answer, skeleton: targets, existing })
      const cutOff = Result.isFailure(result) && result.failure.reason === "truncated"
      if (first.finishReason === "length" || cutOff) {
        const more = yield* ai.sendMessage({
          messages: [...messages, { role: "assistant", content: answer }, { role: "user", content: continueMessage }],
          ...settings
        })
        answer = `${answer}${more.text}`
        result = answerFiles({ answer, skeleton: targets, existing })
      }
      if (Result.isFailure(result)) return yield* result.failure
      let outcome: Part = result.success
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
      if (focus === undefined) return outcome
      // Each file has its own call: what a call wrote beyond its file is not its to write.
      const extra = outcome.files.filter((file) => file.path !== focus.path)
      return {
        files: outcome.files.filter((file) => file.path === focus.path),
        notes: [
          ...outcome.notes,
          ...extra.map((file) => `ignored ${file.path} from the answer for ${focus.path}: each file has its own call`)
        ],
        failures: outcome.failures
      }
    })

    const parts: ReadonlyArray<Part> =
      options.split === "whole" || skeleton.length < 2
        ? [yield* ask(undefined, [])]
        : yield* Effect.gen(function* () {
            const sources = skeleton.filter((file) => !isTestPath(file.path))
            const tests = skeleton.filter((file) => isTestPath(file.path))
            const first = yield* Effect.forEach(sources, (file) => ask(file, []), { concurrency })
            const written = first.flatMap((part) => part.files)
            const second = yield* Effect.forEach(tests, (file) => ask(file, written), { concurrency })
            return [...first, ...second]
          })
    return {
      files: parts.flatMap((part) => part.files),
      notes: [
        ...parts.flatMap((part) => part.notes),
        ...parts.flatMap((part) => part.failures.map((failure) => `edit not applied: ${failure}`)),
        ...(omitted.size === 0 ? [] : [`left out of the prompt for length: ${[...omitted].join(", ")}`])
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
