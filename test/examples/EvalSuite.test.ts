/**
 * `npm run eval` in CI: the shipped suite replays offline from its hand-written cassettes and
 * must not fall below `examples/eval/baseline.json`. The baseline is read, never written.
 */
import * as fs from "node:fs"
import * as path from "node:path"
import { describe, expect, it } from "vitest"
import { project, runCli } from "../cli/support/CliProcess.ts"

const suite = path.join(project, "examples", "eval")
const baselineFile = path.join(suite, "baseline.json")

describe("the shipped evaluation suite", () => {
  it("replays offline, every task as expected, and holds its baseline", { timeout: 600_000 }, async () => {
    const before = fs.readFileSync(baselineFile, "utf8")
    const run = await runCli(["eval", suite, "--baseline", baselineFile, "--json", "--concurrency", "2"])
    const report = JSON.parse(run.stdout)
    const failed = report.tasks
      .filter((task: { readonly passed: boolean }) => !task.passed)
      .map((task: { readonly id: string; readonly verdict: string }) => `${task.id}: ${task.verdict}`)
    expect(failed).toEqual([])
    expect(run.stderr).not.toContain("regression:")
    expect(run.status).toBe(0)
    expect(report.mode).toBe("replay")
    expect(report.totals.tasks).toBeGreaterThanOrEqual(21)
    expect(Object.keys(report.languages).sort()).toEqual(["go", "java", "javascript", "python", "rust", "typescript"])
    // The negative tasks failed and wrote nothing; the critical finding of one of them is counted.
    const negatives = report.tasks.filter((task: { readonly expected: string }) => task.expected === "failed")
    expect(
      negatives.map((task: { readonly outcome: string; readonly untouched: boolean }) => [task.outcome, task.untouched])
    ).toEqual(negatives.map(() => ["failed", true]))
    expect(report.totals.security.critical).toBeGreaterThanOrEqual(1)
    expect(fs.readFileSync(baselineFile, "utf8")).toBe(before)
  })
})
