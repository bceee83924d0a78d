/**
 * The data-flow rules against the corpus in test/fixtures/security/<language>/<rule>/: handlers
 * written as real code is (the value built first, then used), each vulnerable one beside safe
 * look-alikes. Per language: recall (vulnerable files with a finding of the rule's CWE that
 * carries its flow) must be at least 0.9, false alarms (safe files with any finding of that CWE)
 * at most 0.05.
 */
import * as path from "node:path"
import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import type { QualityIssue } from "../../../../core/domain/Quality.ts"
import { type FlowRule, isFlowRule } from "../../../../plugins/quality/tree-sitter/Rule.ts"
import { corpusCheckOf, corpusLanguages, expectTwoOfEach, samplesOf } from "./CorpusSamples.ts"

const corpus = path.resolve(import.meta.dirname, "../../../fixtures/security")

/** The findings about the rule's weakness: its CWE, from any rule (a query rule counts as well). */
const about = (issues: ReadonlyArray<QualityIssue>, rule: FlowRule) =>
  issues.filter((issue) => issue.category === "security" && issue.cwe === rule.cwe)

/** Recall and false alarms per language, for the README. */
const figures: Array<string> = []

describe.each(corpusLanguages)("security corpus: $folder", (language) => {
  const samples = samplesOf(corpus, language, "flow", isFlowRule)
  const check = corpusCheckOf(language)

  it("has two vulnerable and two safe samples for every flow rule", () => {
    expectTwoOfEach(samples, language.ruleSet.rules.filter(isFlowRule))
  })

  it.effect("finds at least 0.9 of the vulnerable samples with at most 0.05 false alarms", () =>
    Effect.gen(function* () {
      const missed: Array<string> = []
      const alarms: Array<string> = []
      for (const sample of samples) {
        const found = about(yield* check(sample.file), sample.rule)
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
        for (const issue of about(yield* check(sample.file), sample.rule)) {
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
