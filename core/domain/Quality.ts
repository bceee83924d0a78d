/**
 * Quality findings and scores, in the shape of the validation report.
 */
import { Effect, Schema } from "effect"

export const Severity = Schema.Literals(["error", "warning", "info"])
export type Severity = typeof Severity.Type

export const IssueCategory = Schema.Literals(["syntax", "lint", "format", "security", "performance", "test"])
export type IssueCategory = typeof IssueCategory.Type

export const SecurityLevel = Schema.Literals(["critical", "high", "medium", "low"])
export type SecurityLevel = typeof SecurityLevel.Type

/** A line a tainted value passed through: where it came from, or an assignment that carried it on. */
export class FlowStep extends Schema.Class<FlowStep>("@tamma/codegen/FlowStep")({
  role: Schema.Literals(["source", "propagation"]),
  line: Schema.Int,
  /** The expression or assignment, shortened. */
  code: Schema.String
}) {}

/** One finding of a quality tool. Lines and columns are 1-based. */
export class QualityIssue extends Schema.Class<QualityIssue>("@tamma/codegen/QualityIssue")({
  severity: Severity,
  category: IssueCategory,
  rule: Schema.String,
  message: Schema.String,
  line: Schema.Int,
  column: Schema.Int,
  tool: Schema.optional(Schema.String),
  cwe: Schema.optional(Schema.String),
  level: Schema.optional(SecurityLevel),
  fix: Schema.optional(Schema.String),
  /** A data-flow finding's sink: the line of the call the value reaches. */
  sink: Schema.optional(Schema.Int),
  /** A data-flow finding's path: the source, then each assignment that carried the value on. */
  flow: Schema.optional(Schema.Array(FlowStep))
}) {}

/** The checked state of one piece of code. `score` is in [0, 1]. */
export class QualityResult extends Schema.Class<QualityResult>("@tamma/codegen/QualityResult")({
  score: Schema.Number,
  issues: Schema.Array(QualityIssue),
  suggestions: Schema.Array(Schema.String).pipe(Schema.withDecodingDefaultKey(Effect.succeed([])))
}) {}

/**
 * The spec's weights: error 10, warning 5, info 1, security 20, performance 15. A security finding
 * of level `low` is a heuristic worth a look (a group a regex may backtrack over, a RegExp built at
 * run time) and weighs as its severity: at 20 it alone took any file's score to 0.80, under the
 * default gate's 0.85, though the gate lists only critical and high as failing.
 */
export const issueWeight = (issue: QualityIssue): number => {
  if (issue.category === "security" && issue.level !== "low") return 20
  if (issue.category === "performance") return 15
  return issue.severity === "error" ? 10 : issue.severity === "warning" ? 5 : 1
}

/** score = max(0, (100 − Σ weights) / 100). */
export const scoreIssues = (issues: ReadonlyArray<QualityIssue>): number =>
  Math.max(0, (100 - issues.reduce((sum, issue) => sum + issueWeight(issue), 0)) / 100)

/** The quality gate of a run. */
export class QualityGate extends Schema.Class<QualityGate>("@tamma/codegen/QualityGate")({
  minScore: Schema.Number.pipe(Schema.withDecodingDefaultKey(Effect.succeed(0.85))),
  /** Security levels that fail the gate whatever the score. */
  failOnSecurity: Schema.Array(SecurityLevel).pipe(Schema.withDecodingDefaultKey(Effect.succeed(["critical", "high"]))),
  failOnSyntax: Schema.Boolean.pipe(Schema.withDecodingDefaultKey(Effect.succeed(true))),
  /**
   * ESLint (with eslint-plugin-security) on JS/TS files: `auto` only where the workspace has an
   * ESLint config of its own, `always`, or `never`. A workspace's file may not say `never`.
   */
  eslint: Schema.Literals(["always", "auto", "never"]).pipe(
    Schema.withDecodingDefaultKey(Effect.succeed("auto" as const))
  )
}) {}

/** Why a quality result does not pass the gate, or an empty list. */
export const gateViolations = (gate: QualityGate, result: QualityResult): ReadonlyArray<string> => {
  const violations: Array<string> = []
  if (result.score < gate.minScore) {
    violations.push(`score ${result.score.toFixed(2)} is below ${gate.minScore.toFixed(2)}`)
  }
  for (const issue of result.issues) {
    if (gate.failOnSyntax && issue.category === "syntax") {
      violations.push(`syntax error at ${issue.line}:${issue.column}: ${issue.message}`)
    }
    if (issue.category === "security" && issue.level !== undefined && gate.failOnSecurity.includes(issue.level)) {
      violations.push(`${issue.level} security finding ${issue.rule} at ${issue.line}:${issue.column}`)
    }
  }
  return violations
}
