import { describe, expect, it } from "@effect/vitest"
import { Effect, Exit } from "effect"
import { decodeConfig, defaultConfig } from "../../core/domain/Config.ts"
import { gateViolations, QualityIssue, QualityResult, scoreIssues } from "../../core/domain/Quality.ts"
import { decodeRequestJson } from "../../core/domain/Request.ts"

const minimal = {
  taskType: "implementation",
  language: "typescript",
  context: { issue: { title: "Add a thing" } }
}

const issue = (category: QualityIssue["category"], severity: QualityIssue["severity"], level?: QualityIssue["level"]) =>
  new QualityIssue({ category, severity, rule: "r", message: "m", line: 1, column: 1, level })

describe("CodeGenerationRequest", () => {
  it.effect("decodes a minimal request and fills the defaults", () =>
    Effect.gen(function* () {
      const request = yield* decodeRequestJson(JSON.stringify(minimal))
      expect(request.taskType).toBe("implementation")
      expect(request.context.issue.labels).toEqual([])
      expect(request.requirements.functionality).toEqual([])
      expect(request.parameters).toEqual({})
      expect(request.options.dryRun).toBeUndefined()
    })
  )

  it.effect("names every bad field and what was expected", () =>
    Effect.gen(function* () {
      const bad = { ...minimal, taskType: "deploy", context: { issue: { title: 3 } }, options: { maxIterations: 99 } }
      const exit = yield* Effect.exit(decodeRequestJson(JSON.stringify(bad)))
      expect(Exit.isFailure(exit)).toBe(true)
      const message = Exit.isFailure(exit) ? String(exit.cause) : ""
      expect(message).toContain('"taskType"')
      expect(message).toContain('"implementation" | "test" | "refactoring" | "documentation"')
      expect(message).toContain('["context"]["issue"]["title"]')
      expect(message).toContain("Expected string")
    })
  )

  it.effect("refuses text that is not JSON", () =>
    Effect.gen(function* () {
      const exit = yield* Effect.exit(decodeRequestJson("{ nope"))
      expect(Exit.isFailure(exit)).toBe(true)
    })
  )

  it.effect("refuses a malformed template reference", () =>
    Effect.gen(function* () {
      const exit = yield* Effect.exit(decodeRequestJson(JSON.stringify({ ...minimal, template: "../../etc" })))
      expect(Exit.isFailure(exit)).toBe(true)
    })
  )
})

describe("CodeGenConfig", () => {
  it("has defaults for every field", () => {
    expect(defaultConfig.quality.minScore).toBe(0.85)
    expect(defaultConfig.git.branchPrefix).toBe("tamma/")
    expect(defaultConfig.files.deny).toContain("**/*.pem")
    expect(defaultConfig.provider.name).toBe("none")
  })

  it.effect("refuses an unknown provider", () =>
    Effect.gen(function* () {
      const exit = yield* Effect.exit(decodeConfig({ provider: { name: "skynet" } }))
      expect(Exit.isFailure(exit)).toBe(true)
    })
  )
})

describe("quality scoring", () => {
  it("weighs issues with the spec's weights", () => {
    expect(scoreIssues([])).toBe(1)
    expect(scoreIssues([issue("lint", "error")])).toBe(0.9)
    expect(scoreIssues([issue("lint", "warning")])).toBe(0.95)
    expect(scoreIssues([issue("format", "info")])).toBe(0.99)
    expect(scoreIssues([issue("security", "warning")])).toBe(0.8)
    expect(scoreIssues([issue("security", "error", "medium")])).toBe(0.8)
    // A low-level security finding weighs as its severity.
    expect(scoreIssues([issue("security", "info", "low")])).toBe(0.99)
    expect(scoreIssues([issue("security", "warning", "low")])).toBe(0.95)
    expect(scoreIssues([issue("performance", "info")])).toBe(0.85)
    expect(scoreIssues(Array.from({ length: 11 }, () => issue("lint", "error")))).toBe(0)
  })

  it("fails the gate on low scores, syntax errors and high security findings", () => {
    const gate = defaultConfig.quality
    const clean = new QualityResult({ score: 1, issues: [], suggestions: [] })
    expect(gateViolations(gate, clean)).toEqual([])
    const low = new QualityResult({ score: 0.5, issues: [], suggestions: [] })
    expect(gateViolations(gate, low)[0]).toContain("below 0.85")
    const syntax = new QualityResult({ score: 0.9, issues: [issue("syntax", "error")], suggestions: [] })
    expect(gateViolations(gate, syntax)).toHaveLength(1)
    const high = new QualityResult({ score: 0.9, issues: [issue("security", "error", "high")], suggestions: [] })
    expect(gateViolations(gate, high)[0]).toContain("high security finding")
    // A low-level finding fails neither by its level nor by the score it leaves.
    const lowIssues = [issue("security", "info", "low")]
    const lowLevel = new QualityResult({ score: scoreIssues(lowIssues), issues: lowIssues, suggestions: [] })
    expect(gateViolations(gate, lowLevel)).toEqual([])
  })
})
