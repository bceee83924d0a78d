/**
 * Makes formatters trustworthy for the pipeline: `guard` refuses code that tree-sitter cannot
 * parse before the formatter sees it (some formatters return bad input unchanged, others fail
 * with unreadable messages).
 */
import { Effect } from "effect"
import type { FormatStyle } from "../../../core/domain/FormatStyle.ts"
import { QualityToolError } from "../../../core/errors.ts"
import type { Formatter } from "../../../core/services/LanguageRegistry.ts"
import type { Grammar } from "./Grammar.ts"
import { firstSyntaxError } from "./SyntaxCheck.ts"

/** `formatter`, failing with the first syntax error when `grammar` does not parse the code. */
export const guard = (grammar: Grammar, formatter: Formatter): Formatter => ({
  name: formatter.name,
  format: Effect.fn("FormatterGuard.format")(function* (code: string, path: string, style?: FormatStyle) {
    const error = yield* firstSyntaxError(code, grammar, path)
    if (error !== undefined) return yield* new QualityToolError({ tool: formatter.name, path, cause: error })
    return yield* formatter.format(code, path, style)
  })
})
