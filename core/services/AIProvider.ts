/**
 * AIProvider: what the pipeline needs from a model, on top of `effect/ai`'s LanguageModel.
 */
import { Context, Effect, Layer, Ref } from "effect"
import type { Response } from "effect/ai"
import { TokenUsage } from "../domain/Result.ts"
import { AIProviderError } from "../errors.ts"

export interface ChatMessage {
  readonly role: "system" | "user" | "assistant"
  readonly content: string
}

export interface SendMessageRequest {
  readonly messages: ReadonlyArray<ChatMessage>
  readonly maxTokens?: number
  readonly temperature?: number
}

/**
 * Why the model stopped: `length` means the answer hit the token limit and is cut off,
 * `content-filter` that the provider withheld it; `unknown` when the provider did not say.
 */
export type FinishReason = Response.FinishReason

export interface SendMessageResponse {
  readonly text: string
  readonly finishReason: FinishReason
  readonly inputTokens: number
  readonly outputTokens: number
  readonly costUsd: number
}

/**
 * Where the text of an answer goes while it arrives: every AI call made inside an effect given
 * to `AIProvider.onText` reports its text there, delta by delta when the provider streams, else
 * once when the answer is complete. A retried or continued call reports its text again.
 */
export const TextListener = Context.Reference<
  (event: { readonly provider: string; readonly text: string }) => Effect.Effect<void>
>("@tamma/codegen/services/AIProvider/TextListener", { defaultValue: () => () => Effect.void })

/** One answer of a scripted model: its text, or a function of the request, or a failure. */
export type ScriptedAnswer =
  | string
  | { readonly text: string; readonly finishReason?: FinishReason }
  | ((request: SendMessageRequest) => string)
  | AIProviderError

export interface ScriptedOptions {
  readonly name?: string
  readonly model?: string
  /** Told every request, in order, before it is answered. */
  readonly onRequest?: (request: SendMessageRequest) => void
}

/** Four characters a token: close enough for budgets and reports of a scripted model. */
const tokensOf = (text: string) => Math.ceil(text.length / 4)

export class AIProvider extends Context.Service<
  AIProvider,
  {
    /** `none` when no provider is configured: the pipeline then runs template-only. */
    readonly name: string
    readonly model: string | undefined
    readonly available: boolean
    readonly sendMessage: (request: SendMessageRequest) => Effect.Effect<SendMessageResponse, AIProviderError>
    /** Tokens and cost accumulated over this provider's lifetime. */
    readonly usage: Effect.Effect<TokenUsage>
  }
>()("@tamma/codegen/services/AIProvider") {
  /** Runs `effect` with `listener` told the text of every AI answer as it arrives. */
  static readonly onText =
    (listener: (event: { readonly provider: string; readonly text: string }) => Effect.Effect<void>) =>
    <A, E, R>(effect: Effect.Effect<A, E, R>): Effect.Effect<A, E, R> =>
      Effect.provideService(effect, TextListener, listener)

  /**
   * A model that answers from a script, in order: for tests of the pipeline and of code that
   * embeds it. A call past the end of the script fails with reason `unavailable`. Its text
   * reaches `onText` listeners like a real provider's, and `usage` counts calls and tokens.
   */
  static readonly layerScripted = (answers: ReadonlyArray<ScriptedAnswer>, options: ScriptedOptions = {}) =>
    Layer.effect(
      AIProvider,
      Effect.gen(function* () {
        const name = options.name ?? "scripted"
        const next = yield* Ref.make(0)
        const usage = yield* Ref.make(new TokenUsage({ input: 0, output: 0, calls: 0, costUsd: 0 }))
        const sendMessage = Effect.fn("AIProvider.scripted.sendMessage")(function* (request: SendMessageRequest) {
          options.onRequest?.(request)
          const index = yield* Ref.getAndUpdate(next, (n) => n + 1)
          const answer = answers[index]
          if (answer === undefined) {
            return yield* new AIProviderError({
              provider: name,
              reason: "unavailable",
              detail: `the script has no answer ${index + 1} (it has ${answers.length})`
            })
          }
          if (answer instanceof AIProviderError) return yield* answer
          const text =
            typeof answer === "string" ? answer : typeof answer === "function" ? answer(request) : answer.text
          const finishReason: FinishReason = typeof answer === "object" ? (answer.finishReason ?? "stop") : "stop"
          const inputTokens = tokensOf(request.messages.map((m) => m.content).join("\n"))
          const outputTokens = tokensOf(text)
          yield* Ref.update(
            usage,
            (u) =>
              new TokenUsage({
                input: u.input + inputTokens,
                output: u.output + outputTokens,
                calls: u.calls + 1,
                costUsd: u.costUsd
              })
          )
          const listen = yield* TextListener
          yield* listen({ provider: name, text })
          return { text, finishReason, inputTokens, outputTokens, costUsd: 0 } satisfies SendMessageResponse
        })
        return AIProvider.of({
          name,
          model: options.model ?? "script",
          available: true,
          sendMessage,
          usage: Ref.get(usage)
        })
      })
    )

  /** No model: every call fails with reason `unavailable`, and generators fall back to templates. */
  static readonly layerNone = Layer.succeed(
    AIProvider,
    AIProvider.of({
      name: "none",
      model: undefined,
      available: false,
      sendMessage: () =>
        Effect.fail(new AIProviderError({ provider: "none", reason: "unavailable", detail: "no provider configured" })),
      usage: Effect.succeed(new TokenUsage({ input: 0, output: 0, calls: 0, costUsd: 0 }))
    })
  )
}
