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
import { isFlowRule, type Rule } from "../../../../plugins/quality/tree-sitter/Rule.ts"
import { corpusCheckOf, corpusLanguages, expectTwoOfEach, samplesOf } from "./CorpusSamples.ts"

const corpus = path.resolve(import.meta.dirname, "../../../fixtures/security-patterns")
const languages = corpusLanguages.filter((language) => fs.existsSync(path.join(corpus, language.folder)))
const isPatternRule = (rule: Parameters<typeof isFlowRule>[0]): rule is Rule => !isFlowRule(rule)
/**
 * The timing rules guess a secret from a name, and a lexer's `token == self.eof` looks the same:
 * they are medium in every language, reported without failing the default gate.
 */
const guessedFromName = /\/timing-attack$/
const levelFits = (rule: string, level: string | undefined) =>
  guessedFromName.test(rule) ? level === "medium" : level === "high" || level === "critical"

describe.each(languages)("pattern security corpus: $folder", (language) => {
  const samples = samplesOf(corpus, language, "pattern", isPatternRule)
  const check = corpusCheckOf(language)

  it("has two vulnerable and two safe samples for every rule in the corpus", () => {
    expectTwoOfEach(samples, new Set(samples.map((sample) => sample.rule)))
  })

  it.effect(
    "reports every vulnerable sample with its rule, at high level or above (timing: medium), and no safe one",
    () =>
      Effect.gen(function* () {
        const missed: Array<string> = []
        const alarms: Array<string> = []
        for (const sample of samples) {
          const issues = (yield* check(sample.file)).filter((issue) => issue.category === "security")
          const name = path.relative(corpus, sample.file)
          if (sample.vulnerable) {
            const own = issues.filter((issue) => issue.rule === sample.rule.id)
            if (own.length === 0) missed.push(name)
            for (const issue of own) expect(levelFits(issue.rule, issue.level), `${name}: ${issue.level}`).toBe(true)
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
