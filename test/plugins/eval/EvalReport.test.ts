/**
 * The figures of an evaluation: totals and percentiles, the baseline's regressions, and the HTML
 * page that must show hostile text as text.
 */
import { describe, expect, it } from "vitest"
import { Baseline, baselineOf, regressions } from "../../../plugins/eval/Baseline.ts"
import { escapeHtml, renderHtml } from "../../../plugins/eval/EvalHtml.ts"
import { CheckReport, percentile, reportOf, TaskReport } from "../../../plugins/eval/EvalReport.ts"

const task = (id: string, fields: Partial<ConstructorParameters<typeof TaskReport>[0]> = {}) =>
  new TaskReport({
    id,
    language: "typescript",
    kind: "bug-fix",
    expected: "success",
    outcome: "success",
    passed: true,
    verdict: "passed",
    check: new CheckReport({ status: "passed", command: "vitest run", durationMs: 10, output: "" }),
    untouched: false,
    quality: 1,
    security: { critical: 0, high: 0, medium: 0, low: 0 },
    iterations: [],
    calls: 2,
    tokensIn: 100,
    tokensOut: 40,
    costUsd: 0.01,
    wallMs: 1000,
    modelMs: 0,
    checksMs: 0,
    overheadMs: 990,
    steps: [],
    diff: "",
    errors: [],
    ...fields
  })

describe("the totals of an evaluation", () => {
  it("counts success, quality over the tasks with a result, and nearest-rank percentiles", () => {
    const report = reportOf("2026-01-01T00:00:00Z", "replay", [
      task("a", { wallMs: 1000, quality: 0.9 }),
      task("b", { wallMs: 3000, quality: 0.7, passed: false, language: "go" }),
      task("c", {
        wallMs: 2000,
        quality: undefined,
        outcome: "error",
        passed: false,
        security: { critical: 1, high: 0, medium: 2, low: 0 }
      })
    ])
    expect(report.totals.passed).toBe(1)
    expect(report.totals.successRate).toBeCloseTo(1 / 3)
    expect(report.totals.meanQuality).toBeCloseTo(0.8)
    expect(report.totals.p50Ms).toBe(2000)
    expect(report.totals.p95Ms).toBe(3000)
    expect(report.totals.costUsd).toBeCloseTo(0.03)
    expect(report.totals.security).toEqual({ critical: 1, high: 0, medium: 2, low: 0 })
    expect(Object.keys(report.languages)).toEqual(["go", "typescript"])
    expect(report.languages.go?.passed).toBe(0)
    expect(percentile([], 0.5)).toBe(0)
  })
})

describe("a baseline", () => {
  const report = (passed: ReadonlyArray<boolean>, quality = 0.9) =>
    reportOf(
      "now",
      "replay",
      passed.map((ok, index) => task(`t${index}`, { passed: ok, quality, verdict: ok ? "passed" : "the check failed" }))
    )

  it("holds when every task it lists still passes and the rates are no lower", () => {
    const baseline = baselineOf(report([true, true, false]))
    expect(baseline.passed).toEqual(["t0", "t1"])
    expect(regressions(baseline, report([true, true, false]))).toEqual([])
    expect(regressions(baseline, report([true, true, true]))).toEqual([])
  })

  it("names each task that passed in the baseline and fails now, and a lower success rate or quality", () => {
    const baseline = new Baseline({ successRate: 1, meanQuality: 0.95, passed: ["t0", "t1"] })
    const fallen = regressions(baseline, report([true, false], 0.8))
    expect(fallen[0]).toBe("t1 passed in the baseline and now fails: the check failed")
    expect(fallen.some((line) => line.startsWith("success rate 50.0%"))).toBe(true)
    expect(fallen.some((line) => line.startsWith("mean quality 80.0%"))).toBe(true)
  })
})

describe("the HTML report", () => {
  it("escapes every text from the tasks: a diff or message cannot open a tag", () => {
    const hostile = `<script>alert("x")</script><img src=x onerror='y'>`
    const html = renderHtml(
      reportOf("now", "replay", [
        task(hostile, { verdict: hostile, diff: `+${hostile}`, errors: [{ tag: hostile, message: hostile }] })
      ])
    )
    expect(html).not.toContain("<script>")
    expect(html).not.toContain("<img")
    expect(html).toContain(escapeHtml(hostile))
    // Self-contained: nothing is fetched.
    expect(html).not.toMatch(/<(link|script|iframe)\b|src=["']?http/)
    expect(html).toContain("default-src 'none'")
  })
})
