/**
 * Any server that speaks OpenAI Chat Completions without needing a key: Ollama
 * (`http://localhost:11434/v1`), vLLM (`http://localhost:8000/v1`), llama.cpp's server
 * (`http://localhost:8080/v1`), LM Studio (`http://localhost:1234/v1`). A key of its own is sent
 * when one is set: `apiKey`, else the variable `apiKeyEnv` names, else `OPENAI_COMPATIBLE_API_KEY`;
 * `OPENAI_API_KEY` is never forwarded to a third-party address.
 */
import { Effect, Layer, type Redacted } from "effect"
import { LanguageModel, Model } from "effect/ai"
import type { HttpClient } from "effect/http"
import { makeChatCompletionsModel } from "../openai/ChatCompletionsModel.ts"
import { envSecret, envString } from "../ProviderEnv.ts"

export interface OpenAiCompatibleOptions {
  /** Defaults to `OPENAI_BASE_URL`, then Ollama's local address. */
  readonly baseUrl?: string | undefined
  readonly apiKey?: Redacted.Redacted<string> | undefined
  /** The variable holding the key when `apiKey` is not given; `OPENAI_COMPATIBLE_API_KEY` by default. */
  readonly apiKeyEnv?: string | undefined
  readonly maxTokens?: number | undefined
}

export const ollamaBaseUrl = "http://localhost:11434/v1"

export const make = Effect.fnUntraced(function* (model: string, options: OpenAiCompatibleOptions = {}) {
  const baseUrl = options.baseUrl ?? (yield* envString("OPENAI_BASE_URL")) ?? ollamaBaseUrl
  const apiKey = options.apiKey ?? (yield* envSecret(options.apiKeyEnv ?? "OPENAI_COMPATIBLE_API_KEY"))
  return yield* makeChatCompletionsModel({
    module: "OpenAiCompatible",
    baseUrl,
    model,
    apiKey,
    requireKey: false,
    // Local servers know the classic field; `max_completion_tokens` is OpenAI-only.
    maxTokensField: "max_tokens",
    defaultMaxTokens: options.maxTokens
  })
})

/** A `Model` layer: `LanguageModel` plus `ProviderName` "openai-compatible" and `ModelName`. */
export const model = (
  modelId: string,
  options: OpenAiCompatibleOptions = {}
): Model.Model<"openai-compatible", LanguageModel.LanguageModel, HttpClient.HttpClient> =>
  Model.make("openai-compatible", modelId, Layer.effect(LanguageModel.LanguageModel, make(modelId, options)))
