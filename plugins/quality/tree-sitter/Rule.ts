/**
 * A rule is data: what it reports (id, message, severity, CWE, fix hint) beside a tree-sitter
 * query that finds it. Queries are S-expressions with `#match?` / `#eq?` predicates; tree-sitter
 * has no descendant operator, so "inside a loop" and "inside an async function" are said with
 * `inside`, a second query whose `@scope` captures are the regions a match must lie in.
 */
import type { SecurityLevel, Severity } from "../../../core/domain/Quality.ts"
import type { Grammar } from "./Grammar.ts"

/** One query-based security or performance rule. */
export interface Rule {
  /** `<language>/<name>`, stable: it is the issue's `rule`. */
  readonly id: string
  readonly message: string
  readonly severity: Severity
  readonly category: "security" | "performance"
  /** `CWE-78`. */
  readonly cwe?: string
  readonly level?: SecurityLevel
  /** What to do instead; it becomes the issue's `fix` and a suggestion. */
  readonly fix: string
  /** The tree-sitter query; each match is one finding. */
  readonly query: string
  /** The capture whose node is the finding's position: `match` by default, else the match's first capture. */
  readonly capture?: string
  /**
   * A query whose `@scope` captures bound where a match counts: the marked node must lie in a
   * scope with no function boundary between them (a callback defined in a loop is not the loop).
   */
  readonly inside?: string
  /**
   * Text that any code the rule matches contains (`/\beval\b/`): a file without it skips the
   * rule, which is then neither compiled nor run. Query compilation is costly in large grammars
   * and most security rules look for a name most files never mention. It must follow from the
   * query's own predicates; without it, the rule runs on every file. No `g` or `y` flag.
   */
  readonly when?: RegExp
}

/** The rules of one language and what the engine needs to know of its grammar. */
export interface RuleSet {
  /** The language the rules are written for (the rules' id prefix). */
  readonly language: string
  /** The grammars the queries compile against: `typescript`, `tsx` and `javascript` share node names. */
  readonly grammars: ReadonlyArray<Grammar>
  /** Node types that start a new function body: the boundary for `inside`. */
  readonly functionTypes: ReadonlyArray<string>
  readonly rules: ReadonlyArray<Rule>
}

/** Query text as written: backslashes stay, so `#match?` patterns read as in a query file. */
export const q = String.raw

/** A regular expression as a query string for `#match?`, written as a regex literal so that it is read and checked as one. */
export const re = (pattern: RegExp): string => JSON.stringify(pattern.source)

/** A security rule. */
export const security = (rule: Omit<Rule, "category">): Rule => ({ ...rule, category: "security" })

/** A performance rule: a warning. */
export const performance = (rule: Omit<Rule, "category" | "severity">): Rule => ({
  ...rule,
  category: "performance",
  severity: "warning"
})
