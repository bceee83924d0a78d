import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import type { QualityIssue } from "../../../../core/domain/Quality.ts"
import { go } from "../../../../plugins/languages/go/SecurityRules.ts"
import { java } from "../../../../plugins/languages/java/SecurityRules.ts"
import { php } from "../../../../plugins/languages/php/SecurityRules.ts"
import { python } from "../../../../plugins/languages/python/SecurityRules.ts"
import { ruby } from "../../../../plugins/languages/ruby/SecurityRules.ts"
import { rust } from "../../../../plugins/languages/rust/SecurityRules.ts"
import { typescript } from "../../../../plugins/languages/typescript/SecurityRules.ts"
import { isFlowRule, type RuleSet } from "../../../../plugins/quality/tree-sitter/Rule.ts"
import * as RuleEngine from "../../../../plugins/quality/tree-sitter/RuleEngine.ts"
import { syntaxCheck } from "../../../../plugins/quality/tree-sitter/SyntaxCheck.ts"
import type { ExampleTable } from "./Examples.ts"
import { goExamples } from "./go.examples.ts"
import { javaExamples } from "./java.examples.ts"
import { phpExamples } from "./php.examples.ts"
import { pythonExamples } from "./python.examples.ts"
import { rubyExamples } from "./ruby.examples.ts"
import { rustExamples } from "./rust.examples.ts"
import { typescriptExamples } from "./typescript.examples.ts"

const tables: ReadonlyArray<readonly [RuleSet, ExampleTable]> = [
  [python, pythonExamples],
  [go, goExamples],
  [java, javaExamples],
  [rust, rustExamples],
  [typescript, typescriptExamples],
  [php, phpExamples],
  [ruby, rubyExamples]
]

describe.each(tables)("rules of $language", (ruleSet, examples) => {
  // One engine per grammar of the set: a query must work in each (typescript, tsx, javascript).
  const engines = ruleSet.grammars.map((grammar) => ({
    engine: RuleEngine.make(ruleSet, grammar),
    syntax: syntaxCheck(grammar)
  }))
  const path = `example.${ruleSet.language}`
  const security = ruleSet.rules.filter((rule) => rule.category === "security")
  const performance = ruleSet.rules.filter((rule) => rule.category === "performance")

  it("has enough rules, each with unique id, CWE for security, and examples", () => {
    expect(security.length).toBeGreaterThanOrEqual(15)
    expect(performance.length).toBeGreaterThanOrEqual(6)
    const ids = ruleSet.rules.map((rule) => rule.id)
    expect(new Set(ids).size).toBe(ids.length)
    for (const rule of ruleSet.rules) {
      expect(rule.id.startsWith(`${ruleSet.language}/`)).toBe(true)
      expect(rule.fix.length).toBeGreaterThan(0)
      if (rule.category === "security") {
        expect(rule.cwe, rule.id).toMatch(/^CWE-\d+$/)
        expect(rule.level, rule.id).toBeDefined()
      }
    }
    // The data-flow rules' examples are the corpus under test/fixtures/security/.
    const queryIds = ruleSet.rules.filter((rule) => !isFlowRule(rule)).map((rule) => rule.id)
    expect(Object.keys(examples).sort()).toEqual([...queryIds].sort())
  })

  it.effect("compiles every rule in every grammar", () =>
    Effect.gen(function* () {
      for (const { engine } of engines) {
        yield* engine.compileAll()
        expect(yield* engine.check("", path)).toEqual([])
      }
    })
  )

  it.effect.each(ruleSet.rules.filter((rule) => !isFlowRule(rule)).map((rule) => [rule.id, rule] as const))(
    "%s: fires on vulnerable code only",
    ([id]) =>
      Effect.gen(function* () {
        const entry = examples[id]
        expect(entry?.vulnerable.length).toBeGreaterThan(0)
        expect(entry?.safe.length).toBeGreaterThan(0)
        const cases = [
          ...(entry?.vulnerable ?? []).map((code) => [code, true] as const),
          ...(entry?.safe ?? []).map((code) => [code, false] as const)
        ]
        for (const [code, vulnerable] of cases) {
          // Broken example code would test the parser's error recovery, not the rule: each example
          // is checked in the grammars that parse it (JSX and type annotations are not in all), and
          // at least one must.
          const parsed: Array<RuleEngine.Engine> = []
          const syntaxErrors: Array<QualityIssue> = []
          for (const { engine, syntax } of engines) {
            const issues = yield* syntax.check(code, path)
            if (issues.length === 0) parsed.push(engine)
            else syntaxErrors.push(...issues)
          }
          if (parsed.length === 0) expect(syntaxErrors, code).toEqual([])
          for (const engine of parsed) {
            const fired = (yield* engine.check(code, path)).filter((issue) => issue.rule === id)
            if (vulnerable)
              expect(fired.length, `${id} should fire on (${engine.grammar}):\n${code}`).toBeGreaterThan(0)
            else expect(fired, `${id} should not fire on (${engine.grammar}):\n${code}`).toEqual([])
          }
        }
      })
  )
})
