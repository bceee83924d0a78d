/**
 * Ruff's diagnostics, decoded from what the wasm returns, as quality issues: `invalid-syntax` is
 * a syntax error, flake8-bandit (`S…`) findings are security findings, the rest is lint.
 */
import { Schema } from "effect"
import { type IssueCategory, QualityIssue, type Severity } from "../../../core/domain/Quality.ts"

/** The `tool` of every issue Ruff reports. */
export const toolName = "ruff"

const Location = Schema.Struct({ row: Schema.Number, column: Schema.Number })

/** The part of a Ruff diagnostic we use; rows and columns are 1-based. */
export const RuffDiagnostic = Schema.Struct({
  code: Schema.NullOr(Schema.String),
  message: Schema.String,
  start_location: Location,
  fix: Schema.NullOr(Schema.Struct({ message: Schema.NullOr(Schema.String) }))
})
export type RuffDiagnostic = typeof RuffDiagnostic.Type

export const decodeDiagnostics = Schema.decodeUnknownEffect(Schema.Array(RuffDiagnostic))

const categoryOf = (code: string): IssueCategory =>
  code === "invalid-syntax" ? "syntax" : code.startsWith("S") ? "security" : "lint"

// Undefined names (F8xx) and syntax errors (E9xx, invalid-syntax) break the program; the rest is style or smell.
const severityOf = (code: string): Severity =>
  code === "invalid-syntax" || code.startsWith("F8") || code.startsWith("E9") ? "error" : "warning"

/** The issue of one diagnostic. */
export const toIssue = (diagnostic: RuffDiagnostic): QualityIssue => {
  const code = diagnostic.code ?? "invalid-syntax"
  const category = categoryOf(code)
  const fix = diagnostic.fix?.message ?? undefined
  return new QualityIssue({
    severity: severityOf(code),
    category,
    rule: code === "invalid-syntax" ? "ruff/invalid-syntax" : `ruff/${code}`,
    message: diagnostic.message,
    line: diagnostic.start_location.row,
    column: diagnostic.start_location.column,
    tool: toolName,
    ...(category === "security" ? { level: "medium" as const } : {}),
    ...(fix === undefined ? {} : { fix })
  })
}
