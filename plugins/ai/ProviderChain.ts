/**
 * From configuration to an `AIProvider`: each `{ name, model, baseUrl }` becomes a provider's
 * model layer, the list becomes the fallback chain, and `none` (or an empty list) becomes
 * `AIProvider.layerNone` so the pipeline runs template-only.
 */
import type { Layer } from "effect"
import type { HttpClient } from "effect/http"
import type { ProviderName } from "../../core/domain/ProviderName.ts"
import { AIProvider } from "../../core/services/AIProvider.ts"
import * as AIProviderLive from "./AIProviderLive.ts"
import * as Anthropic from "./anthropic/Anthropic.ts"
import * as OpenAi from "./openai/OpenAi.ts"
import * as OpenAiCompatible from "./openai-compatible/OpenAiCompatible.ts"

export interface ProviderSpec {
  readonly name: ProviderName
  readonly model?: string | undefined
  readonly baseUrl?: string | undefined
  readonly maxTokens?: number | undefined
  /** `openai-compatible` only: the variable holding its key. */
  readonly apiKeyEnv?: string | undefined
}

/** The model layer of one provider; `undefined` for `none`. */
export const modelLayer = (spec: ProviderSpec): AIProviderLive.ModelLayer | undefined => {
  switch (spec.name) {
    case "none":
      return undefined
    case "anthropic":
      return Anthropic.model(spec.model ?? Anthropic.defaultModel, { baseUrl: spec.baseUrl, maxTokens: spec.maxTokens })
    case "openai":
      return OpenAi.model(spec.model ?? OpenAi.defaultModel, { baseUrl: spec.baseUrl, maxTokens: spec.maxTokens })
    case "openai-compatible":
      // A local server has no sensible default model: the config names the one it serves.
      return OpenAiCompatible.model(spec.model ?? "llama3.2", {
        baseUrl: spec.baseUrl,
        maxTokens: spec.maxTokens,
        apiKeyEnv: spec.apiKeyEnv
      })
  }
}

/** The `AIProvider` for a primary provider and its fallbacks. */
export const layer = (
  specs: ReadonlyArray<ProviderSpec>,
  options: Omit<AIProviderLive.AIProviderLiveOptions, "models"> = {}
): Layer.Layer<AIProvider, never, HttpClient.HttpClient> => {
  const models = specs.flatMap((spec) => {
    const model = modelLayer(spec)
    return model === undefined ? [] : [model]
  })
  const [first, ...rest] = models
  return first === undefined ? AIProvider.layerNone : AIProviderLive.layer({ ...options, models: [first, ...rest] })
}
