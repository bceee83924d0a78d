/**
 * Control characters in generated files. A C0 or C1 control other than tab, LF and CR has no place
 * in source: printed by `cat`, `git diff` or a CI log, an ESC sequence retitles the terminal,
 * clears it or draws a line that is not in the file, so a reviewer reads something other than
 * what runs (CWE-150). Unicode's bidirectional overrides and isolates do the same in an editor or
 * a review page ("Trojan Source"): they reorder the text shown around them, so a comment can seem
 * to close where the code goes on (CWE-451). It runs over every file of every language, as secret
 * scanning does.
 */
import { Effect } from "effect"
import { QualityIssue } from "../../../core/domain/Quality.ts"
import type { QualityTool } from "../../../core/services/LanguageRegistry.ts"

/**
 * C0 but tab, LF, CR, vertical tab and form feed; DEL; C1. These are what a terminal acts on
 * (ESC and CSI sequences, backspace, bell, C1 controls) and so what can make a reviewer read
 * something other than what runs.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
const control = /[\u0000-\u0008\u000e-\u001f\u007f-\u009f]/g

/**
 * Vertical tab and form feed only move the cursor down or start a page: they hide nothing and
 * redraw nothing, so they are not the security finding above. A form feed alone on its line is
 * the page break of Python's and C's own sources (PEP 8 allows it, Emacs moves by it), so such a
 * line is no finding at all; anywhere else either is an info lint finding, out of place but
 * harmless, which costs a point of score and fails no gate.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
const layout = /[\u000b\u000c]/g

/** A line of form feeds and blanks only (CR kept by a CRLF file included). */
const pageBreak = /^[\f \t\r]*\f[\f \t\r]*$/

/**
 * The bidirectional embeddings, overrides and isolates (LRE, RLE, PDF, LRO, RLO; LRI, RLI, FSI,
 * PDI). The marks (LRM, RLM, ALM) are left alone: they only set the direction of a neutral
 * character beside them, as right-to-left text in a string may need, and reorder nothing else.
 */
const bidi = /[\u202a-\u202e\u2066-\u2069]/g

/** The names a finding gives the characters it lists; others are "control". */
const names = new Map([
  [0x0b, "VT"],
  [0x0c, "FF"],
  [0x1b, "ESC"],
  [0x7f, "DEL"],
  [0x9b, "CSI"],
  [0x9d, "OSC"],
  [0x202a, "LRE"],
  [0x202b, "RLE"],
  [0x202c, "PDF"],
  [0x202d, "LRO"],
  [0x202e, "RLO"],
  [0x2066, "LRI"],
  [0x2067, "RLI"],
  [0x2068, "FSI"],
  [0x2069, "PDI"]
])

const nameOf = (code: number): string => names.get(code) ?? "control"

const listOf = (found: ReadonlyArray<RegExpExecArray>): string => {
  const codes = [...new Set(found.map((match) => match[0].charCodeAt(0)))]
  const listed = codes
    .slice(0, 4)
    .map((c) => `U+${c.toString(16).toUpperCase().padStart(4, "0")} (${nameOf(c)})`)
    .join(", ")
  return `${listed}${codes.length > 4 ? ", …" : ""}`
}

/**
 * One finding per line that holds control characters, at the first of them: a security finding
 * when the line holds one a terminal acts on, else an info finding for a vertical tab or a form
 * feed that is not a page break.
 */
export const controlCharacterIssues = (code: string): ReadonlyArray<QualityIssue> => {
  const issues: Array<QualityIssue> = []
  code.split("\n").forEach((line, index) => {
    const reordering = [...line.matchAll(bidi)]
    const firstReordering = reordering[0]
    if (firstReordering !== undefined) {
      issues.push(
        new QualityIssue({
          severity: "error",
          category: "security",
          rule: "control-characters/bidi-control-character",
          message: `${reordering.length} bidirectional control character(s) ${listOf(reordering)}: an editor or a review page shows the text around them reordered, so what a reviewer reads is not what runs`,
          line: index + 1,
          column: (firstReordering.index ?? 0) + 1,
          tool: "control-characters",
          cwe: "CWE-451",
          level: "high",
          fix: "remove the character, or write it as an escape (\\u202e) in a string that must hold it"
        })
      )
    }
    const found = [...line.matchAll(control)]
    const first = found[0]
    if (first !== undefined) {
      issues.push(
        new QualityIssue({
          severity: "error",
          category: "security",
          rule: "control-characters/raw-control-character",
          message: `${found.length} raw control character(s) ${listOf(found)}: a terminal would act on them instead of showing them`,
          line: index + 1,
          column: (first.index ?? 0) + 1,
          tool: "control-characters",
          cwe: "CWE-150",
          level: "high",
          fix: "write the escape in the language's own notation (\\x1b, \\u001b) instead of the raw character"
        })
      )
      return
    }
    const spacing = [...line.matchAll(layout)]
    const firstSpacing = spacing[0]
    if (firstSpacing === undefined || pageBreak.test(line)) return
    issues.push(
      new QualityIssue({
        severity: "info",
        category: "lint",
        rule: "control-characters/layout-control-character",
        message: `${spacing.length} vertical tab or form feed character(s) ${listOf(spacing)}: only a form feed alone on its line is a page break, anything else is stray layout`,
        line: index + 1,
        column: (firstSpacing.index ?? 0) + 1,
        tool: "control-characters",
        fix: "write the escape in the language's own notation (\\f, \\v) or put a page break on a line of its own"
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
