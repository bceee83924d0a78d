/**
 * AIProvider: what the pipeline needs from a model, on top of `effect/ai`'s LanguageModel.
 */
import { Context, Effect, Layer } from "effect"
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

export interface SendMessageResponse {
  readonly text: string
  readonly inputTokens: number
  readonly outputTokens: number
  readonly costUsd: number
}

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
