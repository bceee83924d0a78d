/**
 * The pattern (query) security rules against the corpus in test/fixtures/security-patterns/
 * <language>/<rule>/: handlers of common frameworks, each vulnerable one beside safe look-alikes.
 * Every vulnerable file must be reported by its rule; no safe file may get a finding of the
 * rule's CWE from any rule, so a look-alike that trips a neighbour still counts as a false alarm.
 */
import * as fs from "node:fs"
import * as path from "node:path"
import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { go } from "../../../../plugins/languages/go/SecurityRules.ts"
import { java } from "../../../../plugins/languages/java/SecurityRules.ts"
import { python } from "../../../../plugins/languages/python/SecurityRules.ts"
import { rust } from "../../../../plugins/languages/rust/SecurityRules.ts"
import { typescript } from "../../../../plugins/languages/typescript/SecurityRules.ts"
import type { Grammar } from "../../../../plugins/quality/tree-sitter/Grammar.ts"
import { isFlowRule, type Rule, type RuleSet } from "../../../../plugins/quality/tree-sitter/Rule.ts"
import * as RuleEngine from "../../../../plugins/quality/tree-sitter/RuleEngine.ts"
import { syntaxCheck } from "../../../../plugins/quality/tree-sitter/SyntaxCheck.ts"

const corpus = path.resolve(import.meta.dirname, "../../../fixtures/security-patterns")

interface Language {
  readonly folder: string
  readonly ruleSet: RuleSet
  readonly grammar: Grammar
}

const allLanguages: ReadonlyArray<Language> = [
  { folder: "typescript", ruleSet: typescript, grammar: "typescript" },
  { folder: "javascript", ruleSet: typescript, grammar: "javascript" },
  { folder: "python", ruleSet: python, grammar: "python" },
  { folder: "go", ruleSet: go, grammar: "go" },
  { folder: "java", ruleSet: java, grammar: "java" },
  { folder: "rust", ruleSet: rust, grammar: "rust" }
]
const languages = allLanguages.filter((language) => fs.existsSync(path.join(corpus, language.folder)))

interface Sample {
  readonly file: string
  readonly rule: Rule
  readonly vulnerable: boolean
}

const samplesOf = (language: Language): ReadonlyArray<Sample> => {
  const root = path.join(corpus, language.folder)
  return fs.readdirSync(root).flatMap((name) => {
    const rule = language.ruleSet.rules.find((candidate) => candidate.id === `${language.ruleSet.language}/${name}`)
    if (rule === undefined || isFlowRule(rule)) throw new Error(`${language.folder}/${name} names no pattern rule`)
    return fs
      .readdirSync(path.join(root, name))
      .sort()
      .map((file) => ({ file: path.join(root, name, file), rule, vulnerable: file.startsWith("vulnerable") }))
  })
}

describe.each(languages)("pattern security corpus: $folder", (language) => {
  const samples = samplesOf(language)
  const engine = RuleEngine.make(language.ruleSet, language.grammar)
  const syntax = syntaxCheck(language.grammar)

  it("has two vulnerable and two safe samples for every rule in the corpus", () => {
    for (const rule of new Set(samples.map((sample) => sample.rule))) {
      const own = samples.filter((sample) => sample.rule === rule)
      expect(own.filter((sample) => sample.vulnerable).length, rule.id).toBeGreaterThanOrEqual(2)
      expect(own.filter((sample) => !sample.vulnerable).length, rule.id).toBeGreaterThanOrEqual(2)
    }
  })

  it.effect("reports every vulnerable sample with its rule, at high level or above, and no safe one", () =>
    Effect.gen(function* () {
      const missed: Array<string> = []
      const alarms: Array<string> = []
      for (const sample of samples) {
        const code = fs.readFileSync(sample.file, "utf8")
        // A sample that does not parse would test the parser's recovery, not the rule.
        expect(yield* syntax.check(code, sample.file), sample.file).toEqual([])
        const issues = (yield* engine.check(code, sample.file)).filter((issue) => issue.category === "security")
        const name = path.relative(corpus, sample.file)
        if (sample.vulnerable) {
          const own = issues.filter((issue) => issue.rule === sample.rule.id)
          if (own.length === 0) missed.push(name)
          for (const issue of own) expect(issue.level === "high" || issue.level === "critical", name).toBe(true)
        } else {
          const found = issues.filter((issue) => issue.cwe === sample.rule.cwe)
          if (found.length > 0) alarms.push(`${name}: ${found.map((issue) => issue.rule).join(", ")}`)
        }
      }
      expect(missed, "missed").toEqual([])
      expect(alarms, "false alarms").toEqual([])
    })
  )
})
