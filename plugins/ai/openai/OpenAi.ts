/**
 * OpenAI (Chat Completions) as an `effect/ai` `LanguageModel`. The key and base URL come from
 * the options, else from `OPENAI_API_KEY` / `OPENAI_BASE_URL`; the key stays `Redacted`.
 */
import { Effect, Layer, type Redacted } from "effect"
import { LanguageModel, Model } from "effect/ai"
import type { HttpClient } from "effect/http"
import { envSecret, envString } from "../ProviderEnv.ts"
import { makeChatCompletionsModel } from "./ChatCompletionsModel.ts"

export interface OpenAiOptions {
  readonly apiKey?: Redacted.Redacted<string> | undefined
  readonly baseUrl?: string | undefined
  /** Sent when a request sets none. */
  readonly maxTokens?: number | undefined
}

const defaultBaseUrl = "https://api.openai.com/v1"

/** The `LanguageModel` for one model id. */
export const make = Effect.fnUntraced(function* (model: string, options: OpenAiOptions = {}) {
  const apiKey = options.apiKey ?? (yield* envSecret("OPENAI_API_KEY"))
  const baseUrl = options.baseUrl ?? (yield* envString("OPENAI_BASE_URL")) ?? defaultBaseUrl
  return yield* makeChatCompletionsModel({
    module: "OpenAi",
    baseUrl,
    model,
    apiKey,
    requireKey: true,
    maxTokensField: "max_completion_tokens",
    defaultMaxTokens: options.maxTokens
  })
})

/** A `Model` layer: `LanguageModel` plus `ProviderName` "openai" and `ModelName`. */
export const model = (
  modelId: string,
  options: OpenAiOptions = {}
): Model.Model<"openai", LanguageModel.LanguageModel, HttpClient.HttpClient> =>
  Model.make("openai", modelId, Layer.effect(LanguageModel.LanguageModel, make(modelId, options)))

export const defaultModel = "gpt-4.1"
