/**
 * Biome diagnostics as quality issues: the category decides the issue's kind, Biome's severity
 * maps onto ours, and positions become 1-based lines and columns in UTF-16 code units. They come
 * from the wasm build (byte spans) or from the native CLI's JSON report (lines and code-point
 * columns); both give the same issue for the same finding. The issues are plain data in their
 * encoded form, which the caller decodes: Biome's thread then loads no Effect (a fifth of a second
 * of its start).
 */
import type { Diagnostic } from "@biomejs/js-api/nodejs"
import type { IssueCategory, QualityIssue, SecurityLevel, Severity } from "../../../core/domain/Quality.ts"
import { positionsFromLinesIn, positionsIn, type SourcePosition } from "./SourcePosition.ts"

/** The `tool` of every issue Biome reports. */
export const toolName = "biome"

/** What the issue's kind, level and weakness are read from, in both builds' reports. */
interface Classified {
  readonly category?: string | undefined
  readonly severity: string
}

/** Parse errors have the category `parse`; Biome's syntax rules live under `syntax/`. */
export const isSyntax = (diagnostic: Classified): boolean =>
  diagnostic.category === "parse" || (diagnostic.category?.startsWith("syntax/") ?? false)

/** Whether Biome considers the diagnostic blocking. */
export const isError = (diagnostic: Classified): boolean =>
  diagnostic.severity === "error" || diagnostic.severity === "fatal"

const severityOf = (diagnostic: Classified): Severity =>
  isError(diagnostic) ? "error" : diagnostic.severity === "warning" ? "warning" : "info"

// Biome's security and performance groups are what the report calls security and performance
// findings, so they are scored with those weights rather than as plain lint.
const categoryOf = (diagnostic: Classified): IssueCategory => {
  if (isSyntax(diagnostic)) return "syntax"
  if (diagnostic.category?.startsWith("lint/security/")) return "security"
  if (diagnostic.category?.startsWith("lint/performance/")) return "performance"
  return "lint"
}

/**
 * The weakness each of Biome's security rules names, so that a finding another tool reports on
 * the same line (the tree-sitter rules, eslint-plugin-security) counts once.
 */
const cweOf: Readonly<Record<string, string>> = {
  "lint/security/noGlobalEval": "CWE-95",
  "lint/security/noDangerouslySetInnerHtml": "CWE-79",
  "lint/security/noScriptUrl": "CWE-79",
  "lint/security/noBlankTarget": "CWE-1022",
  "lint/security/noSecrets": "CWE-798"
}

const levelOf = (severity: Severity): SecurityLevel =>
  severity === "error" ? "high" : severity === "warning" ? "medium" : "low"

/** Biome's own explanation ("== is only allowed when comparing against null."), used as the fix hint. */
const adviceOf = (diagnostic: Diagnostic): string | undefined => {
  const lines: Array<string> = []
  for (const advice of diagnostic.advices.advices) {
    if ("log" in advice) lines.push(advice.log[1].map((node) => node.content).join(""))
  }
  return lines.length === 0 ? undefined : lines.join(" ")
}

/** One issue of a diagnostic, at `position`, with `fix` as its hint when there is one. */
const toIssue = (
  diagnostic: Classified,
  message: string,
  position: SourcePosition,
  fix: string | undefined
): typeof QualityIssue.Encoded => {
  const severity = severityOf(diagnostic)
  const category = categoryOf(diagnostic)
  const cwe = cweOf[diagnostic.category ?? ""]
  return {
    severity,
    category,
    rule: diagnostic.category ?? "biome/unknown",
    message,
    line: position.line,
    column: position.column,
    tool: toolName,
    ...(category === "security" ? { level: levelOf(severity) } : {}),
    ...(category === "security" && cwe !== undefined ? { cwe } : {}),
    ...(fix === undefined ? {} : { fix })
  }
}

/**
 * The issues in the order of their positions: each build reports in an order of its own, and a
 * lint must read the same whichever build answered it (the sort is stable: ties keep their order).
 */
const byPosition = (issues: ReadonlyArray<typeof QualityIssue.Encoded>): ReadonlyArray<typeof QualityIssue.Encoded> =>
  [...issues].sort((a, b) => a.line - b.line || a.column - b.column)

/**
 * Converts the diagnostics Biome reported for `code`, in the order of their positions; a
 * diagnostic without a span points at 1:1.
 */
export const toIssues = (
  code: string,
  diagnostics: ReadonlyArray<Diagnostic>
): ReadonlyArray<typeof QualityIssue.Encoded> => {
  const positionOf = positionsIn(code)
  return byPosition(
    diagnostics.map((diagnostic) => {
      const span = diagnostic.location.span
      const position: SourcePosition = span == null ? { line: 1, column: 1 } : positionOf(span[0])
      return toIssue(diagnostic, diagnostic.description, position, adviceOf(diagnostic))
    })
  )
}

/** A diagnostic of the native CLI's JSON report (`--reporter=json`), as far as an issue needs it. */
export interface NativeDiagnostic {
  readonly severity: string
  readonly message: string
  readonly category?: string | undefined
  readonly location?: { readonly start?: { readonly line: number; readonly column: number } | undefined } | undefined
}

/**
 * Converts the native CLI's diagnostics for `code`, in the order of their positions, as `toIssues`;
 * `fixOf` gives each one's hint. A diagnostic without a position points at 1:1, as in the wasm build's.
 */
export const nativeToIssues = <D extends NativeDiagnostic>(
  code: string,
  diagnostics: ReadonlyArray<D>,
  fixOf: (diagnostic: D) => string | undefined
): ReadonlyArray<typeof QualityIssue.Encoded> => {
  const positionOf = positionsFromLinesIn(code)
  return byPosition(
    diagnostics.map((diagnostic) => {
      const start = diagnostic.location?.start
      const position: SourcePosition =
        start === undefined ? { line: 1, column: 1 } : positionOf(start.line, start.column)
      return toIssue(diagnostic, diagnostic.message, position, fixOf(diagnostic))
    })
  )
}

/** Where the code does not parse, for the message of a failed format. */
export const describeSyntaxErrors = (code: string, diagnostics: ReadonlyArray<Diagnostic>): string => {
  const [first] = toIssues(code, diagnostics)
  return first === undefined ? "Biome reported an error" : syntaxErrorMessage(first, diagnostics.length)
}

/** Why code cannot be formatted: its first syntax error, and how many more of `count` there are. */
export const syntaxErrorMessage = (
  first: { readonly line: number; readonly column: number; readonly message: string },
  count: number
): string =>
  `syntax error at ${first.line}:${first.column}: ${first.message}${count > 1 ? ` (and ${count - 1} more)` : ""}`
