/**
 * The model-backed generator: the template renders a skeleton, the prompt carries the request
 * and the relevant code, the model answers, and the answer becomes files (edits applied to the
 * files that exist). A truncated answer is continued once. It refines what the next generator
 * serving the request produces (the tests generator's tests, a template's files), and answers the
 * pipeline's repair rounds: one message with every failure, edits applied to the change as it
 * stands. A change of several files is asked for file by file, concurrently, sources before
 * tests. Serves every task type when a model is configured.
 */
import { Effect, Result } from "effect"
import { RenderedFile } from "../../../core/domain/Template.ts"
import type { ExtractionError, UnsafeAnswerError } from "../../../core/errors.ts"
import { requestPaths } from "../../../core/pipeline/LinkedOutPaths.ts"
import type { ChatMessage } from "../../../core/services/AIProvider.ts"
import { AIProvider } from "../../../core/services/AIProvider.ts"
import {
  type Generator,
  type GeneratorInput,
  GeneratorRegistry,
  type RepairInput
} from "../../../core/services/GeneratorRegistry.ts"
import { LanguageRegistry } from "../../../core/services/LanguageRegistry.ts"
import { TemplateEngine } from "../../../core/services/TemplateEngine.ts"
import { type AnswerFiles, answerFiles, type EditFailure, overFileCap } from "./AnswerFiles.ts"
import { promptContext } from "./PromptContext.ts"
import { loadPromptTemplates, loadPromptText } from "./PromptTemplates.ts"
import { repairMessages } from "./RepairPrompt.ts"

/**
 * An answer with no code at all says the files need no change: an existing file stays as it is,
 * a new one keeps the skeleton's content. Any other failure to read the answer fails the call.
 */
const proseMeansNoChange = (
  result: Result.Result<AnswerFiles, ExtractionError | UnsafeAnswerError>,
  targets: ReadonlyArray<RenderedFile>,
  existing: ReadonlyMap<string, string>
): Effect.Effect<AnswerFiles, ExtractionError | UnsafeAnswerError> => {
  if (Result.isSuccess(result)) return Effect.succeed(result.success)
  const failure = result.failure
  if (failure._tag !== "ExtractionError" || failure.reason !== "no code") return Effect.fail(failure)
  return Effect.succeed({
    files: targets.filter((file) => !existing.has(file.path)),
    notes: targets.map((file) =>
      existing.has(file.path)
        ? `${file.path}: the answer says it needs no change; left as it is`
        : `${file.path}: the answer held no code; the template's file is kept`
    ),
    failures: []
  })
}

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

/** What one call (or the calls for one file) produced. */
interface Part {
  readonly files: ReadonlyArray<RenderedFile>
  readonly notes: ReadonlyArray<string>
  readonly failures: ReadonlyArray<EditFailure>
}

export const make = Effect.fn("AIGenerator.make")(function* (options: AIGeneratorOptions = {}) {
  const engine = yield* TemplateEngine
  const ai = yield* AIProvider
  const languages = yield* LanguageRegistry
  const renderPrompt = yield* loadPromptTemplates()
  const repairSystem = yield* loadPromptText("repair.md")
  const reviewInstructions = yield* loadPromptText("review.md")
  const concurrency = Math.max(1, options.concurrency ?? 4)

  const generate = Effect.fn("AIGenerator.generate")(function* (input: GeneratorInput) {
    // Refining another generator (the tests generator's tests), its output is the skeleton.
    const skeleton =
      input.base === undefined ? yield* engine.render(input.template, input.context) : (yield* input.base).files
    // Before the first call: a path known now that a link leads out of the workspace fails the
    // run here, unpaid, rather than at staging (a path only the answer names is staging's).
    if (input.refuseLinkOut !== undefined) {
      for (const path of [...skeleton.map((file) => file.path), ...requestPaths(input.request)]) {
        yield* input.refuseLinkOut(path)
      }
    }
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

    /** One conversation: the answer, and its continuation when it was cut off. */
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
      let result = answerFiles({ answer, targets, existing })
      const cutOff =
        Result.isFailure(result) && result.failure._tag === "ExtractionError" && result.failure.reason === "truncated"
      if (first.finishReason === "length" || cutOff) {
        const more = yield* ai.sendMessage({
          messages: [...messages, { role: "assistant", content: answer }, { role: "user", content: continueMessage }],
          ...settings
        })
        answer = `${answer}${more.text}`
        result = answerFiles({ answer, targets, existing })
      }
      const outcome: Part = yield* proseMeansNoChange(result, targets, existing)
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
            const tests = yield* Effect.filter(skeleton, (file) => languages.isTestPath(file.path))
            const sources = skeleton.filter((file) => !tests.includes(file))
            const first = yield* Effect.forEach(sources, (file) => ask(file, []), { concurrency })
            const written = first.flatMap((part) => part.files)
            const second = yield* Effect.forEach(tests, (file) => ask(file, written), { concurrency })
            return [...first, ...second]
          })
    return {
      files: parts.flatMap((part) => part.files),
      notes: [
        ...parts.flatMap((part) => part.notes),
        ...(omitted.size === 0 ? [] : [`left out of the prompt for length: ${[...omitted].join(", ")}`])
      ],
      failures: parts.flatMap((part) => part.failures)
    }
  })

  /** One repair round: one message with every failure; its edits apply to the change as it stands. */
  const repair = Effect.fn("AIGenerator.repair")(function* (input: RepairInput) {
    const current = new Map(input.files.map((file) => [file.path, file.content]))
    // Blocks that name no file belong to the file the failures are about, when there is one.
    const concerned = input.files.filter((file) => input.failures.some((failure) => failure.includes(file.path)))
    const targets = (concerned.length > 0 ? concerned : input.files).map(
      (file) => new RenderedFile({ path: file.path, content: file.content })
    )
    const answer = yield* ai.sendMessage({
      messages: repairMessages(input, repairSystem),
      maxTokens: input.request.options.maxTokens ?? options.maxTokens ?? 8192,
      temperature: input.request.options.temperature ?? options.temperature ?? 0.2
    })
    const result = answerFiles({ answer: answer.text, targets, existing: current })
    if (Result.isSuccess(result)) {
      // The answer is merged into the change: each round may add files, the change stays under the cap.
      const overCap = overFileCap(new Set([...current.keys(), ...result.success.files.map((file) => file.path)]))
      if (overCap !== undefined) return yield* overCap
      return result.success
    }
    // An answer that is prose changes nothing; the loop then sees the same failures again.
    if (result.failure._tag === "ExtractionError" && result.failure.reason === "no code") {
      return { files: [], notes: ["the repair answer held no code"], failures: [] } satisfies Part
    }
    return yield* result.failure
  })

  const generator: Generator = {
    name: "ai",
    taskTypes: ["implementation", "test", "refactoring", "documentation"],
    priority: 10,
    supports: () => ai.available,
    refines: true,
    generate,
    repair,
    reviewInstructions
  }
  return generator
})

export const AIGenerator = {
  name: "ai",
  /** Registers the generator; needs `TemplateEngine` and `AIProvider`. */
  layer: (options: AIGeneratorOptions = {}) => GeneratorRegistry.register(make(options).pipe(Effect.orDie))
}
