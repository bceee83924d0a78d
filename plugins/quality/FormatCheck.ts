/**
 * Any formatter as a quality tool: one `format` finding where the code first differs from its
 * formatted form, none when the formatter cannot parse it (the syntax check reports that). The
 * form is the formatter's in the code's own habits (indentation, quotes, semicolons): a 4-space
 * project is not "unformatted" for not being indented as the formatter indents by default.
 */
import { Effect } from "effect"
import { QualityIssue } from "../../core/domain/Quality.ts"
import { detectStyle } from "../../core/pipeline/StyleDetection.ts"
import type { Formatter, QualityTool } from "../../core/services/LanguageRegistry.ts"

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
/** `label` names the formatter in messages (its tool name by default). */
export const formatCheck = (formatter: Formatter, label: string = formatter.name): QualityTool => ({
  name: `${formatter.name}-format`,
  check: Effect.fn("FormatCheck.check")(function* (code: string, path: string) {
    const formatted = yield* formatter
      .format(code, path, detectStyle(code))
      .pipe(Effect.catchTag("QualityToolError", () => Effect.succeed(code)))
    if (formatted === code) return []
    const line = firstDifferentLine(code, formatted)
    return [
      new QualityIssue({
        severity: "info",
        category: "format",
        rule: `${formatter.name}/format`,
        message: `The code is not formatted as ${label} formats it (first difference on line ${line})`,
        line,
        column: 1,
        tool: formatter.name,
        fix: `format the file with ${label}`
      })
    ]
  })
})
