/**
 * The data-flow rules against the corpus in test/fixtures/security/<language>/<rule>/: handlers
 * written as real code is (the value built first, then used), each vulnerable one beside safe
 * look-alikes. Per language: recall (vulnerable files with a finding of the rule's CWE that
 * carries its flow) must be at least 0.9, false alarms (safe files with any finding of that CWE)
 * at most 0.05.
 */
import * as fs from "node:fs"
import * as path from "node:path"
import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import type { QualityIssue } from "../../../../core/domain/Quality.ts"
import { go } from "../../../../plugins/languages/go/SecurityRules.ts"
import { java } from "../../../../plugins/languages/java/SecurityRules.ts"
import { python } from "../../../../plugins/languages/python/SecurityRules.ts"
import { rust } from "../../../../plugins/languages/rust/SecurityRules.ts"
import { typescript } from "../../../../plugins/languages/typescript/SecurityRules.ts"
import type { Grammar } from "../../../../plugins/quality/tree-sitter/Grammar.ts"
import { type FlowRule, isFlowRule, type RuleSet } from "../../../../plugins/quality/tree-sitter/Rule.ts"
import * as RuleEngine from "../../../../plugins/quality/tree-sitter/RuleEngine.ts"
import { syntaxCheck } from "../../../../plugins/quality/tree-sitter/SyntaxCheck.ts"

const corpus = path.resolve(import.meta.dirname, "../../../fixtures/security")

interface Language {
  readonly folder: string
  readonly ruleSet: RuleSet
  readonly grammar: Grammar
}

const languages: ReadonlyArray<Language> = [
  { folder: "typescript", ruleSet: typescript, grammar: "typescript" },
  { folder: "javascript", ruleSet: typescript, grammar: "javascript" },
  { folder: "python", ruleSet: python, grammar: "python" },
  { folder: "go", ruleSet: go, grammar: "go" },
  { folder: "java", ruleSet: java, grammar: "java" },
  { folder: "rust", ruleSet: rust, grammar: "rust" }
]

/** A corpus file: the rule it is about and whether it is vulnerable. */
interface Sample {
  readonly file: string
  readonly rule: FlowRule
  readonly vulnerable: boolean
}

const samplesOf = (language: Language): ReadonlyArray<Sample> => {
  const root = path.join(corpus, language.folder)
  return fs.readdirSync(root).flatMap((name) => {
    const rule = language.ruleSet.rules.find((candidate) => candidate.id === `${language.ruleSet.language}/${name}`)
    if (rule === undefined || !isFlowRule(rule)) throw new Error(`${language.folder}/${name} names no flow rule`)
    return fs
      .readdirSync(path.join(root, name))
      .sort()
      .map((file) => ({ file: path.join(root, name, file), rule, vulnerable: file.startsWith("vulnerable") }))
  })
}

/** The findings about the rule's weakness: its CWE, from any rule (a query rule counts as well). */
const about = (issues: ReadonlyArray<QualityIssue>, rule: FlowRule) =>
  issues.filter((issue) => issue.category === "security" && issue.cwe === rule.cwe)

/** Recall and false alarms per language, for the README. */
const figures: Array<string> = []

describe.each(languages)("security corpus: $folder", (language) => {
  const samples = samplesOf(language)
  const engine = RuleEngine.make(language.ruleSet, language.grammar)
  const syntax = syntaxCheck(language.grammar)

  it("has two vulnerable and two safe samples for every flow rule", () => {
    for (const rule of language.ruleSet.rules.filter(isFlowRule)) {
      const own = samples.filter((sample) => sample.rule === rule)
      expect(own.filter((sample) => sample.vulnerable).length, rule.id).toBeGreaterThanOrEqual(2)
      expect(own.filter((sample) => !sample.vulnerable).length, rule.id).toBeGreaterThanOrEqual(2)
    }
  })

  it.effect("finds at least 0.9 of the vulnerable samples with at most 0.05 false alarms", () =>
    Effect.gen(function* () {
      const missed: Array<string> = []
      const alarms: Array<string> = []
      for (const sample of samples) {
        const code = fs.readFileSync(sample.file, "utf8")
        // A sample that does not parse would test the parser's recovery, not the rule.
        expect(yield* syntax.check(code, sample.file), sample.file).toEqual([])
        const found = about(yield* engine.check(code, sample.file), sample.rule)
        if (sample.vulnerable) {
          const traced = found.filter((issue) => issue.flow !== undefined && issue.sink === issue.line)
          if (traced.length === 0) missed.push(path.relative(corpus, sample.file))
        } else if (found.length > 0) {
          alarms.push(`${path.relative(corpus, sample.file)}: ${found.map((issue) => issue.message).join("; ")}`)
        }
      }
      const vulnerable = samples.filter((sample) => sample.vulnerable).length
      const safe = samples.length - vulnerable
      const recall = (vulnerable - missed.length) / vulnerable
      const falseAlarms = alarms.length / safe
      figures.push(
        `${language.folder}: ${vulnerable} vulnerable, ${safe} safe, recall ${recall.toFixed(2)}, false alarms ${falseAlarms.toFixed(2)}`
      )
      console.log(figures.at(-1))
      expect(recall, `missed:\n${missed.join("\n")}`).toBeGreaterThanOrEqual(0.9)
      expect(falseAlarms, `false alarms:\n${alarms.join("\n")}`).toBeLessThanOrEqual(0.05)
    })
  )

  it.effect("names the value, its origin line and the path in each finding", () =>
    Effect.gen(function* () {
      for (const sample of samples.filter((candidate) => candidate.vulnerable)) {
        const code = fs.readFileSync(sample.file, "utf8")
        for (const issue of about(yield* engine.check(code, sample.file), sample.rule)) {
          if (issue.flow === undefined) continue
          const source = issue.flow[0]
          expect(source?.role, sample.file).toBe("source")
          expect(issue.message, sample.file).toContain(`line ${source?.line}`)
          expect(issue.level === "critical" || issue.level === "high", sample.file).toBe(true)
          for (const step of issue.flow) expect(step.line, sample.file).toBeLessThanOrEqual(issue.line)
        }
      }
    })
  )
})
