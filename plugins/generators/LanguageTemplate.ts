/**
 * The template a generator renders for a request's language, as the language's pack names it:
 * the test and documentation generators choose their template through the registry.
 */
import { Effect, Option } from "effect"
import type { LanguagePack, LanguageRegistry } from "../../core/services/LanguageRegistry.ts"

/** The id `pick` reads from the pack of `language`; undefined when no pack or no template. */
export const templateOfLanguage = (
  registry: LanguageRegistry["Service"],
  language: string,
  pick: (pack: LanguagePack) => string | undefined
): string | undefined =>
  // The registry answers from memory, so its lookup runs here and `templateFor` stays a plain function.
  Option.getOrUndefined(Option.flatMapNullishOr(Effect.runSync(Effect.option(registry.get(language))), pick))
