/**
 * Runs a rule set over code: its queries are compiled once per grammar (on first use; a rule with
 * `when`, on the first file that contains its words) and every rule reports each position it
 * matches once. `byExtension` picks the grammar per file for a set that spans several (`.ts` and
 * `.tsx`).
 */
import { Effect } from "effect"
import type { Language, Node, Query, QueryMatch, Tree } from "web-tree-sitter"
import { QualityIssue } from "../../../core/domain/Quality.ts"
import { QualityToolError } from "../../../core/errors.ts"
import type { QualityTool } from "../../../core/services/LanguageRegistry.ts"
import { ownTurn, yieldToLoop } from "../EventLoopTurn.ts"
import { causeOf, once } from "../Loading.ts"
import * as Flow from "./Flow.ts"
import type { Grammar } from "./Grammar.ts"
import type * as QueryWords from "./QueryWords.ts"
import { isFlowRule, type Rule, type RuleSet } from "./Rule.ts"
import * as TreeSitter from "./TreeSitter.ts"

/** The `tool` of every issue a rule reports. */
export const rulesToolName = "tree-sitter-rules"

/** A query over several rules: the rule of each of its patterns. */
interface Pass {
  readonly query: Query
  readonly ruleOf: ReadonlyArray<number>
}

/**
 * A rule set compiled for one grammar. The rules without `when` are one query: one pass of one
 * query over a tree is several times faster than a pass per rule, and the pattern indexes say
 * which rule a match belongs to. A rule with `when` is compiled on its own, the first time a file
 * contains its words (its `when`, and the words its predicates need), and an `inside` the first
 * time a match of its rule needs it: a process that checks one file compiles only what that file
 * calls for (compiling is most of the rules' time on a file V8 and tree-sitter see once).
 */
interface Compiled {
  readonly always: Pass | undefined
  /** The rules with `when` compiled so far, by index. */
  readonly gated: Map<number, Pass>
  /**
   * The distinct `inside` queries compiled so far, by their index in `insides`: each is compiled
   * when a match of its rule first needs it, as most rules match nothing in most files.
   */
  readonly scopes: Map<number, Query>
  /** The distinct `inside` sources. */
  readonly insides: ReadonlyArray<string>
  /** Each rule's index among the distinct `inside` queries, if it has one. */
  readonly ruleInside: ReadonlyArray<number | undefined>
  readonly language: Language
  readonly QueryClass: typeof Query
}

/**
 * `sources` as one query, and the source each of its patterns comes from: a pattern's start byte
 * lies in the span its source occupies in the joined text.
 */
const combine = (language: Language, QueryClass: typeof Query, sources: ReadonlyArray<string>) => {
  const starts: Array<number> = []
  let offset = 0
  for (const source of sources) {
    starts.push(offset)
    offset += Buffer.byteLength(source) + 1
  }
  const query = new QueryClass(language, sources.join("\n"))
  const sourceOf = Array.from({ length: query.patternCount() }, (_, pattern) => {
    const start = query.startIndexForPattern(pattern)
    let index = starts.length - 1
    while (index > 0 && (starts[index] ?? 0) > start) index--
    return index
  })
  return { query, sourceOf }
}

/** Compiles the rules without `when` (their `inside` waits for a match); throws what tree-sitter throws. */
const compileRules = (rules: ReadonlyArray<Rule>, language: Language, QueryClass: typeof Query): Compiled => {
  const insides = [...new Set(rules.flatMap((rule) => (rule.inside === undefined ? [] : [rule.inside])))]
  const always = rules.flatMap((rule, index) => (rule.when === undefined ? [index] : []))
  const matches =
    always.length === 0
      ? undefined
      : combine(
          language,
          QueryClass,
          always.map((index) => rules[index]?.query ?? "")
        )
  const compiled: Compiled = {
    always:
      matches === undefined
        ? undefined
        : { query: matches.query, ruleOf: matches.sourceOf.map((source) => always[source] ?? 0) },
    gated: new Map(),
    scopes: new Map(),
    insides,
    ruleInside: rules.map((rule) => (rule.inside === undefined ? undefined : insides.indexOf(rule.inside))),
    language,
    QueryClass
  }
  return compiled
}

/** An `inside` query that tree-sitter refused, thrown out of the matching to name its rule. */
class InsideUncompilable extends Error {
  readonly reason: unknown
  constructor(reason: unknown) {
    super("an inside query does not compile")
    this.reason = reason
  }
}

/** The `inside` query `inside`, compiled now unless it was before. */
const scopeQuery = (compiled: Compiled, inside: number): Query => {
  const known = compiled.scopes.get(inside)
  if (known !== undefined) return known
  let query: Query
  try {
    query = new compiled.QueryClass(compiled.language, compiled.insides[inside] ?? "")
  } catch (reason) {
    throw new InsideUncompilable(reason)
  }
  compiled.scopes.set(inside, query)
  return query
}

/** A character that continues a name in the languages of the rules (JavaScript's set, `$` included). */
const nameChar = String.raw`[\p{ID_Continue}$\u200c\u200d]`

/** Each group's names as receivers: `name.member` or `name?.member`, spaces around the dot allowed. */
const receiverPatterns = (groups: ReadonlyArray<ReadonlyArray<string>>): ReadonlyArray<RegExp> =>
  groups.map(
    (members) =>
      new RegExp(
        String.raw`(?<!${nameChar})([\p{ID_Start}$_]${nameChar}*)\s*\??\.\s*(?:${members.join("|")})(?!${nameChar})`,
        "gu"
      )
  )

/** Whether one name is a receiver of every group's members in `code` (`Rule.sameReceiver`). */
const sharesReceiver = (code: string, patterns: ReadonlyArray<RegExp>): boolean => {
  let names: ReadonlySet<string> | undefined
  for (const pattern of patterns) {
    const found = new Set<string>()
    for (const match of code.matchAll(pattern)) {
      const name = match[1] ?? ""
      if (names === undefined || names.has(name)) found.add(name)
    }
    if (found.size === 0) return false
    names = found
  }
  return true
}

/** Whether `code` meets `rule`'s `sameReceiver` (true for a rule without one). */
export const hasSameReceiver = (rule: Rule, code: string): boolean =>
  rule.sameReceiver === undefined || sharesReceiver(code, receiverPatterns(rule.sameReceiver))

/**
 * The rules with `when` that `code` calls for: its `when` holds, then the words its predicates
 * need are in it, then a name is the receiver its `sameReceiver` asks for.
 */
const gatedFor = (
  code: string,
  rules: ReadonlyArray<Rule>,
  needs: RuleNeeds,
  receivers: ReadonlyArray<ReadonlyArray<RegExp> | undefined>
): ReadonlyArray<number> =>
  rules.flatMap((rule, index) => {
    if (rule.when === undefined || !rule.when.test(code) || !needs.meets(index, code)) return []
    const patterns = receivers[index]
    return patterns === undefined || sharesReceiver(code, patterns) ? [index] : []
  })

/** The rule at `index` compiled alone: its pass. */
const compileGated = (rules: ReadonlyArray<Rule>, index: number, language: Language, QueryClass: typeof Query) => {
  const query = new QueryClass(language, rules[index]?.query ?? "")
  return { query, ruleOf: Array.from({ length: query.patternCount() }, () => index) }
}

/** Why the first rule that does not compile alone (its query or its `inside`) fails, if one does. */
const firstUncompilable = (
  rules: ReadonlyArray<Rule>,
  language: Language,
  QueryClass: typeof Query
): string | undefined => {
  for (const rule of rules) {
    for (const source of [rule.query, rule.inside]) {
      if (source === undefined) continue
      try {
        new QueryClass(language, source).delete()
      } catch (own) {
        return `rule ${rule.id} does not compile: ${causeOf(own)}`
      }
    }
  }
  return undefined
}

/** Why `rules` do not compile: each rule is compiled alone to name the one at fault. */
const compileFailure = (
  rules: ReadonlyArray<Rule>,
  language: Language,
  QueryClass: typeof Query,
  path: string,
  error: unknown
): QualityToolError =>
  new QualityToolError({
    tool: rulesToolName,
    path,
    cause: firstUncompilable(rules, language, QueryClass) ?? `the rules do not compile together: ${causeOf(error)}`
  })

/** QueryWords.ts and its regex parser, loaded with the first check: a run with every file cached never needs them. */
const loadWords = once(() => import("./QueryWords.ts"))

/**
 * The words each rule's predicates need (QueryWords.ts), read the first time a file passes the
 * rule's `when`: most rules never get that far in a run.
 */
const ruleNeeds = (rules: ReadonlyArray<Rule>, { meets, queryNeeds }: typeof QueryWords) => {
  const read = new Map<number, (code: string) => boolean>()
  const testOf = (index: number): ((code: string) => boolean) => {
    const known = read.get(index)
    if (known !== undefined) return known
    const rule = rules[index]
    const query = rule === undefined ? undefined : queryNeeds(rule.query)
    const inside = rule?.inside === undefined ? undefined : queryNeeds(rule.inside)
    const test = (code: string) => meets(code, query) && meets(code, inside)
    read.set(index, test)
    return test
  }
  return { meets: (index: number, code: string) => testOf(index)(code) }
}
type RuleNeeds = ReturnType<typeof ruleNeeds>

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

/** The nodes the `inside` query `query` marks as `@scope` in `tree`. */
const scopesIn = (tree: Tree, query: Query): ReadonlySet<number> => {
  const set = new Set<number>()
  for (const match of query.matches(tree.rootNode)) {
    for (const capture of match.captures) if (capture.name === "scope") set.add(capture.node.id)
  }
  return set
}

/** The findings of the passes in a tree, each rule at most once per position, in reading order. */
const findingsIn = (
  tree: Tree,
  rules: ReadonlyArray<Rule>,
  passes: ReadonlyArray<Pass>,
  compiled: Compiled,
  functionTypes: ReadonlyArray<string>
) => {
  const found: Array<{ readonly issue: QualityIssue; readonly index: number; readonly start: number }> = []
  const seen = new Set<string>()
  // Each `inside` runs over the tree once, when a match first needs it.
  const scopes = new Map<number, ReadonlySet<number>>()
  for (const pass of passes) {
    for (const match of pass.query.matches(tree.rootNode)) {
      const index = pass.ruleOf[match.patternIndex] ?? 0
      const rule = rules[index]
      if (rule === undefined) continue
      const node = markedNode(rule, match)
      if (node === undefined || seen.has(`${index}:${node.startIndex}`)) continue
      const inside = compiled.ruleInside[index]
      if (inside !== undefined) {
        let scope = scopes.get(inside)
        if (scope === undefined) {
          scope = scopesIn(tree, scopeQuery(compiled, inside))
          scopes.set(inside, scope)
        }
        if (!isInside(node, scope, functionTypes)) continue
      }
      seen.add(`${index}:${node.startIndex}`)
      found.push({ issue: issueFor(rule, node), index, start: node.startIndex })
    }
  }
  return found.sort((a, b) => a.start - b.start || a.index - b.index).map(({ issue }) => issue)
}

/**
 * The query findings and the flow findings together. A query rule that already reports the same
 * weakness at the same line keeps its finding (id, level, fix), which gains the flow's message,
 * sink and path: one weakness, one finding.
 */
const joined = (
  found: ReadonlyArray<QualityIssue>,
  flows: ReadonlyArray<QualityIssue>
): ReadonlyArray<QualityIssue> => {
  const all = [...found]
  for (const flow of flows) {
    const same = all.findIndex(
      (issue) =>
        issue.flow === undefined && issue.cwe === flow.cwe && issue.line === flow.line && issue.category === "security"
    )
    const known = all[same]
    if (known === undefined) all.push(flow)
    else all[same] = new QualityIssue({ ...known, message: flow.message, sink: flow.sink, flow: flow.flow })
  }
  return all
}

/** Findings by line and column; a sort is stable, so one position keeps its rules' order. */
const inReadingOrder = (issues: ReadonlyArray<QualityIssue>): ReadonlyArray<QualityIssue> =>
  [...issues].sort((a, b) => a.line - b.line || a.column - b.column)

/**
 * Compiles `ruleSet` for one of its grammars on first use (a rule with `when`, on the first file
 * that contains its words) and checks code with it.
 */
export const make = (ruleSet: RuleSet, grammar: Grammar = ruleSet.grammars[0] ?? "javascript") => {
  let compiled: Compiled | undefined
  const rules = ruleSet.rules.filter((rule): rule is Rule => !isFlowRule(rule))
  let needs: RuleNeeds | undefined
  const receivers = rules.map((rule) =>
    rule.sameReceiver === undefined ? undefined : receiverPatterns(rule.sameReceiver)
  )
  const flowRules = ruleSet.rules.filter(isFlowRule)
  const flowIn =
    ruleSet.flow === undefined || flowRules.length === 0
      ? undefined
      : Flow.analyse(ruleSet.flow, ruleSet.functionTypes, flowRules, rulesToolName)

  /**
   * The compiled rules and the passes `code` needs: the rules without `when`, and each rule with
   * `when` that `code` calls for, compiled now if new. A compile holds the thread for tens of
   * milliseconds, so the loop gets a turn after each (EventLoopTurn.ts): an answer of
   * Biome's native CLI that came meanwhile is read, and its next run starts beside the rest.
   */
  const prepare = Effect.fnUntraced(function* (code: string, path: string) {
    const { language, Query } = yield* TreeSitter.grammar(grammar, path)
    const words = yield* Effect.promise(loadWords)
    const attempt = <A>(compile: () => A) =>
      Effect.try({ try: compile, catch: (error) => compileFailure(rules, language, Query, path, error) })
    // Checks that start together all wait for the grammar; the first one back compiles, and the
    // others find its result.
    const fresh = compiled === undefined
    const done = yield* attempt(() => (compiled ??= compileRules(rules, language, Query)))
    if (fresh) yield* yieldToLoop
    needs ??= ruleNeeds(rules, words)
    const passes = done.always === undefined ? [] : [done.always]
    for (const index of gatedFor(code, rules, needs, receivers)) {
      let pass = done.gated.get(index)
      if (pass === undefined) {
        pass = yield* attempt(() => compileGated(rules, index, language, Query))
        done.gated.set(index, pass)
        yield* yieldToLoop
      }
      passes.push(pass)
    }
    return { compiled: done, passes }
  })

  /** The findings of every rule in `code`. */
  const check = Effect.fn("RuleEngine.check")(function* (code: string, path: string) {
    // The parse and the queries hold the thread: one file's per turn of the loop (EventLoopTurn.ts).
    yield* ownTurn
    const { compiled, passes } = yield* prepare(code, path)
    return yield* TreeSitter.withTree(code, grammar, path, (tree) =>
      Effect.suspend(() => {
        try {
          const found = findingsIn(tree, rules, passes, compiled, ruleSet.functionTypes)
          if (flowIn === undefined) return Effect.succeed(found)
          return Effect.succeed(inReadingOrder(joined(found, flowIn(tree.rootNode, code))))
        } catch (error) {
          // An `inside` compiles on first use, here: its failure names the rule, as at `prepare`.
          if (error instanceof InsideUncompilable) {
            return Effect.fail(compileFailure(rules, compiled.language, compiled.QueryClass, path, error.reason))
          }
          throw error
        }
      })
    )
  })

  /** Compiles every rule now, gated or not: fails with the first rule that does not compile. */
  const compileAll = Effect.fn("RuleEngine.compileAll")(function* () {
    const { language, Query } = yield* TreeSitter.grammar(grammar)
    const cause = firstUncompilable(rules, language, Query)
    if (cause !== undefined) return yield* new QualityToolError({ tool: rulesToolName, path: "<rules>", cause })
  })

  const tool: QualityTool = { name: rulesToolName, check }
  return { ruleSet, grammar, check, compileAll, tool }
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
