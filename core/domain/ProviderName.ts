/**
 * The AI providers the pipeline knows, declared once: the config, the CLI's `--provider` flag
 * and the provider chain all derive from this list.
 */
// A deep import: the CLI's flags read this module at start-up.
import * as Schema from "effect/Schema"

export const ProviderName = Schema.Literals(["none", "anthropic", "openai", "openai-compatible"])
export type ProviderName = typeof ProviderName.Type
