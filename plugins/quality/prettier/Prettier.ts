/**
 * Prettier as a formatter for languages that only a Prettier plugin formats (Java, Rust). Prettier
 * and the plugin are imported on first use; tree-sitter refuses code that does not parse first,
 * because the plugins' own parse errors are long dumps (a syntax tree, ANSI-coloured frames).
 */
import { Effect } from "effect"
import type { FormatStyle } from "../../../core/domain/FormatStyle.ts"
import { QualityToolError } from "../../../core/errors.ts"
import type { Formatter } from "../../../core/services/LanguageRegistry.ts"
import { causeOf, once } from "../Loading.ts"
import { guard } from "../tree-sitter/FormatterGuard.ts"
import type { Grammar } from "../tree-sitter/Grammar.ts"
import { type PrettierStyle, prettierStyle } from "./PrettierStyle.ts"

/** Formats source text in a style; what a loaded Prettier plus plugin comes down to. */
export type FormatSource = (code: string, style: PrettierStyle) => Promise<string>

/** A language that Prettier formats through a plugin. */
export interface PrettierLanguage {
  /** The formatter's name: `prettier-java`. */
  readonly name: string
  /** The grammar that checks the code before Prettier sees it. */
  readonly grammar: Grammar
  /** Imports Prettier and the plugin; called once. */
  readonly load: () => Promise<FormatSource>
}

const ansiEscape = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, "g")
const plainCauseOf = (error: unknown): string => causeOf(error).replace(ansiEscape, "")

/** A formatter for `language`, loading Prettier on its first call. */
export const make = (language: PrettierLanguage): Formatter => {
  const load = once(language.load)

  const format = Effect.fn("Prettier.format")(function* (code: string, path: string, style?: FormatStyle) {
    const toolError = (error: unknown) =>
      new QualityToolError({ tool: language.name, path, cause: plainCauseOf(error) })
    const formatSource = yield* Effect.tryPromise({ try: load, catch: toolError })
    return yield* Effect.tryPromise({ try: () => formatSource(code, prettierStyle(style)), catch: toolError })
  })

  return guard(language.grammar, { name: language.name, format })
}
