/**
 * AIProvider: what the pipeline needs from a model, on top of `effect/ai`'s LanguageModel.
 */
import { Context, Effect, Layer } from "effect"
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
