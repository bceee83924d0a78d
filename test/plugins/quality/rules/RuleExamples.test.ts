import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { go } from "../../../../plugins/quality/rules/go.ts"
import { java } from "../../../../plugins/quality/rules/java.ts"
import { python } from "../../../../plugins/quality/rules/python.ts"
import { rust } from "../../../../plugins/quality/rules/rust.ts"
import type { RuleSet } from "../../../../plugins/quality/tree-sitter/Rule.ts"
import * as RuleEngine from "../../../../plugins/quality/tree-sitter/RuleEngine.ts"
import { syntaxCheck } from "../../../../plugins/quality/tree-sitter/SyntaxCheck.ts"
import type { ExampleTable } from "./Examples.ts"
import { goExamples } from "./go.examples.ts"
import { javaExamples } from "./java.examples.ts"
import { pythonExamples } from "./python.examples.ts"
import { rustExamples } from "./rust.examples.ts"

const tables: ReadonlyArray<readonly [RuleSet, ExampleTable]> = [
  [python, pythonExamples],
  [go, goExamples],
  [java, javaExamples],
  [rust, rustExamples]
]

describe.each(tables)("rules of $language", (ruleSet, examples) => {
  const engine = RuleEngine.make(ruleSet)
  const syntax = syntaxCheck(engine.grammar)
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
    expect(Object.keys(examples).sort()).toEqual([...ids].sort())
  })

  it.effect.each(ruleSet.rules.map((rule) => [rule.id, rule] as const))("%s: fires on vulnerable code only", ([id]) =>
    Effect.gen(function* () {
      const entry = examples[id]
      expect(entry?.vulnerable.length).toBeGreaterThan(0)
      expect(entry?.safe.length).toBeGreaterThan(0)
      for (const code of entry?.vulnerable ?? []) {
        // Broken example code would test the parser's error recovery, not the rule.
        expect(yield* syntax.check(code, path), code).toEqual([])
        const fired = (yield* engine.check(code, path)).filter((issue) => issue.rule === id)
        expect(fired.length, `${id} should fire on:\n${code}`).toBeGreaterThan(0)
      }
      for (const code of entry?.safe ?? []) {
        expect(yield* syntax.check(code, path), code).toEqual([])
        const fired = (yield* engine.check(code, path)).filter((issue) => issue.rule === id)
        expect(fired, `${id} should not fire on:\n${code}`).toEqual([])
      }
    })
  )
})
