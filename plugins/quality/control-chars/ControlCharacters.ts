/**
 * Control characters in generated files. A C0 or C1 control other than tab, LF and CR has no place
 * in source: printed by `cat`, `git diff` or a CI log, an ESC sequence retitles the terminal,
 * clears it or draws a line that is not in the file, so a reviewer reads something other than
 * what runs (CWE-150). It runs over every file of every language, as secret scanning does.
 */
import { Effect } from "effect"
import { QualityIssue } from "../../../core/domain/Quality.ts"
import type { QualityTool } from "../../../core/services/LanguageRegistry.ts"

/** C0 but tab, LF and CR; DEL; C1. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
const control = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/g

const nameOf = (code: number): string =>
  code === 0x1b ? "ESC" : code === 0x9b ? "CSI" : code === 0x9d ? "OSC" : code === 0x7f ? "DEL" : "control"

/** One finding per line that holds control characters, at the first of them. */
export const controlCharacterIssues = (code: string): ReadonlyArray<QualityIssue> => {
  const issues: Array<QualityIssue> = []
  code.split("\n").forEach((line, index) => {
    const found = [...line.matchAll(control)]
    const first = found[0]
    if (first === undefined) return
    const codes = [...new Set(found.map((match) => match[0].charCodeAt(0)))]
    const listed = codes
      .slice(0, 4)
      .map((c) => `U+${c.toString(16).toUpperCase().padStart(4, "0")} (${nameOf(c)})`)
      .join(", ")
    issues.push(
      new QualityIssue({
        severity: "error",
        category: "security",
        rule: "control-characters/raw-control-character",
        message: `${found.length} raw control character(s) ${listed}${codes.length > 4 ? ", …" : ""}: a terminal would act on them instead of showing them`,
        line: index + 1,
        column: (first.index ?? 0) + 1,
        tool: "control-characters",
        cwe: "CWE-150",
        level: "high",
        fix: "write the escape in the language's own notation (\\x1b, \\u001b) instead of the raw character"
      })
    )
  })
  return issues
}

/** The shared tool; pure and cheap, so it loads nothing. */
export const ControlCharacters: QualityTool = {
  name: "control-characters",
  check: (code) => Effect.sync(() => controlCharacterIssues(code))
}
