/**
 * Makes formatters trustworthy for the pipeline: `guard` refuses code that tree-sitter cannot
 * parse before the formatter sees it (some formatters return bad input unchanged, others fail
 * with unreadable messages), and `formatCheck` turns any formatter into a `format` finding.
 */
import { Effect } from "effect"
import { QualityIssue } from "../../../core/domain/Quality.ts"
import { QualityToolError } from "../../../core/errors.ts"
import type { Formatter, QualityTool } from "../../../core/services/LanguageRegistry.ts"
import type { Grammar } from "./Grammar.ts"
import { firstSyntaxError } from "./SyntaxCheck.ts"

/** `formatter`, failing with the first syntax error when `grammar` does not parse the code. */
export const guard = (grammar: Grammar, formatter: Formatter): Formatter => ({
  name: formatter.name,
  format: Effect.fn("FormatterGuard.format")(function* (code: string, path: string) {
    const error = yield* firstSyntaxError(code, grammar, path)
    if (error !== undefined) return yield* new QualityToolError({ tool: formatter.name, path, cause: error })
    return yield* formatter.format(code, path)
  })
})

const firstDifferentLine = (code: string, formatted: string): number => {
  const before = code.split("\n")
  const after = formatted.split("\n")
  let index = 0
  while (index < before.length && index < after.length && before[index] === after[index]) index++
  return Math.min(index + 1, before.length)
}

/**
 * A tool reporting one `info` finding when `formatter` would change the code; none when it cannot
 * format it (the syntax check says why).
 */
export const formatCheck = (formatter: Formatter): QualityTool => ({
  name: `${formatter.name}-format`,
  check: Effect.fn("FormatterGuard.formatCheck")(function* (code: string, path: string) {
    const formatted = yield* formatter
      .format(code, path)
      .pipe(Effect.catchTag("QualityToolError", () => Effect.succeed(code)))
    if (formatted === code) return []
    const line = firstDifferentLine(code, formatted)
    return [
      new QualityIssue({
        severity: "info",
        category: "format",
        rule: `${formatter.name}/format`,
        message: `The code is not formatted as ${formatter.name} formats it (first difference on line ${line})`,
        line,
        column: 1,
        tool: formatter.name,
        fix: `format the file with ${formatter.name}`
      })
    ]
  })
})
