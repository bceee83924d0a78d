/**
 * Runs a rule set over code: its queries are compiled once per grammar (on first use) and
 * every rule reports each position it matches once. `byExtension` picks the grammar per file for
 * a set that spans several (`.ts` and `.tsx`).
 */
import { Effect } from "effect"
import type { Language, Node, Query, QueryMatch, Tree } from "web-tree-sitter"
import { QualityIssue } from "../../../core/domain/Quality.ts"
import { QualityToolError } from "../../../core/errors.ts"
import type { QualityTool } from "../../../core/services/LanguageRegistry.ts"
import type { Grammar } from "./Grammar.ts"
import type { Rule, RuleSet } from "./Rule.ts"
import * as TreeSitter from "./TreeSitter.ts"

/** The `tool` of every issue a rule reports. */
export const rulesToolName = "tree-sitter-rules"

interface CompiledRule {
  readonly rule: Rule
  readonly query: Query
  readonly inside: Query | undefined
}

const compile = (ruleSet: RuleSet, language: Language, QueryClass: typeof Query, path: string) =>
  Effect.forEach(ruleSet.rules, (rule) =>
    Effect.try({
      try: (): CompiledRule => ({
        rule,
        query: new QueryClass(language, rule.query),
        inside: rule.inside === undefined ? undefined : new QueryClass(language, rule.inside)
      }),
      catch: (error) =>
        new QualityToolError({
          tool: rulesToolName,
          path,
          cause: `rule ${rule.id} does not compile: ${error instanceof Error ? error.message : String(error)}`
        })
    })
  )

const markedNode = (rule: Rule, match: QueryMatch): Node | undefined => {
  const name = rule.capture ?? "match"
  return (match.captures.find((capture) => capture.name === name) ?? match.captures[0])?.node
}

/** Whether `node` lies in one of `scopes` with no function boundary on the way up. */
const isInside = (node: Node, scopes: ReadonlySet<number>, functionTypes: ReadonlyArray<string>): boolean => {
  for (let current: Node | null = node; current !== null; current = current.parent) {
    if (scopes.has(current.id)) return true
    if (current !== node && functionTypes.includes(current.type)) return false
  }
  return false
}

const issueFor = (rule: Rule, node: Node): QualityIssue =>
  new QualityIssue({
    severity: rule.severity,
    category: rule.category,
    rule: rule.id,
    message: rule.message,
    line: node.startPosition.row + 1,
    column: node.startPosition.column + 1,
    tool: rulesToolName,
    fix: rule.fix,
    ...(rule.cwe === undefined ? {} : { cwe: rule.cwe }),
    ...(rule.level === undefined ? {} : { level: rule.level })
  })

/** The findings of compiled rules in a tree, each rule at most once per position. */
const findingsIn = (tree: Tree, compiled: ReadonlyArray<CompiledRule>, functionTypes: ReadonlyArray<string>) => {
  const issues: Array<QualityIssue> = []
  for (const { rule, query, inside } of compiled) {
    const scopes =
      inside === undefined
        ? undefined
        : new Set(
            inside.captures(tree.rootNode).flatMap((capture) => (capture.name === "scope" ? [capture.node.id] : []))
          )
    const seen = new Set<number>()
    for (const match of query.matches(tree.rootNode)) {
      const node = markedNode(rule, match)
      if (node === undefined || seen.has(node.startIndex)) continue
      if (scopes !== undefined && !isInside(node, scopes, functionTypes)) continue
      seen.add(node.startIndex)
      issues.push(issueFor(rule, node))
    }
  }
  return issues.sort((a, b) => a.line - b.line || a.column - b.column)
}

/** Compiles `ruleSet` for one of its grammars on first use and checks code with it. */
export const make = (ruleSet: RuleSet, grammar: Grammar = ruleSet.grammars[0] ?? "javascript") => {
  let compiled: ReadonlyArray<CompiledRule> | undefined
  const compiledRules = Effect.fnUntraced(function* (path: string) {
    if (compiled !== undefined) return compiled
    const loaded = yield* TreeSitter.grammar(grammar, path)
    compiled = yield* compile(ruleSet, loaded.language, loaded.Query, path)
    return compiled
  })

  /** The findings of every rule in `code`. */
  const check = Effect.fn("RuleEngine.check")(function* (code: string, path: string) {
    const rules = yield* compiledRules(path)
    return yield* TreeSitter.withTree(code, grammar, path, (tree) =>
      Effect.sync(() => findingsIn(tree, rules, ruleSet.functionTypes))
    )
  })

  const tool: QualityTool = { name: rulesToolName, check }
  return { ruleSet, grammar, check, tool }
}

/** A rule set compiled (on first use) for one grammar. */
export type Engine = ReturnType<typeof make>

const extensionOf = (path: string): string => {
  const base = path.slice(path.lastIndexOf("/") + 1)
  const dot = base.lastIndexOf(".")
  return dot <= 0 ? "" : base.slice(dot).toLowerCase()
}

/**
 * Checks each file with the grammar its extension calls for (`{ ".tsx": "tsx" }`), else the set's
 * first: one engine per grammar, made and compiled when a file first needs it.
 */
export const byExtension = (ruleSet: RuleSet, grammarsByExtension: Readonly<Record<string, Grammar>>) => {
  const engines = new Map<Grammar, Engine>()
  const engineFor = (path: string): Engine => {
    const grammar = grammarsByExtension[extensionOf(path)] ?? ruleSet.grammars[0] ?? "javascript"
    const known = engines.get(grammar)
    if (known !== undefined) return known
    const engine = make(ruleSet, grammar)
    engines.set(grammar, engine)
    return engine
  }

  /** The findings of every rule in `code`, parsed as the grammar of `path`. */
  const check = (code: string, path: string) => engineFor(path).check(code, path)

  const tool: QualityTool = { name: rulesToolName, check }
  return { ruleSet, check, tool }
}
