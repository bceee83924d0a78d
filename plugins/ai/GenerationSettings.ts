/**
 * Per-request sampling settings. `LanguageModel`'s options carry only the prompt, so the
 * AIProvider sets these around each call and the provider layers read them when they build
 * the HTTP body (the way the official Effect AI providers read their config overrides).
 */
import { Context } from "effect"

export interface GenerationSettingsShape {
  readonly maxTokens: number | undefined
  readonly temperature: number | undefined
}

export const GenerationSettings = Context.Reference<GenerationSettingsShape>(
  "@tamma/codegen/plugins/ai/GenerationSettings",
  { defaultValue: () => ({ maxTokens: undefined, temperature: undefined }) }
)
