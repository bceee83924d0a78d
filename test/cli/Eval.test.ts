/**
 * `tamma-codegen eval` as a user runs it: bad input is exit 2 before anything runs; a task of
 * the shipped suite replays offline and reports as a table, as JSON, and as an HTML page; a
 * baseline the run falls below is exit 1.
 */
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { afterAll, describe, expect, it } from "vitest"
import { project, runCli } from "./support/CliProcess.ts"

const suite = path.join(project, "examples", "eval")
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "tamma-eval-cli-"))
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }))

describe("tamma-codegen eval", () => {
  it("refuses two modes at once, a folder with no task, and a glob that matches none (exit 2)", async () => {
    const modes = await runCli(["eval", suite, "--record", "--live"])
    expect(modes.status).toBe(2)
    expect(modes.stderr).toContain("choose one of --record, --replay, --live")
    const empty = await runCli(["eval", scratch])
    expect(empty.status).toBe(2)
    expect(empty.stderr).toContain("holds no task")
    const none = await runCli(["eval", suite, "--task", "no-such-task-*"])
    expect(none.status).toBe(2)
    expect(none.stderr).toContain("no task id matches")
  })

  it("replays a task offline: one JSON document, a self-contained HTML page, and exit 1 below a baseline", {
    timeout: 180_000
  }, async () => {
    const out = path.join(scratch, "report")
    const baseline = path.join(scratch, "baseline.json")
    fs.writeFileSync(baseline, JSON.stringify({ successRate: 1, meanQuality: 1.01, passed: ["ts-bug-fix"] }))
    const run = await runCli(["eval", suite, "--task", "ts-bug-fix", "--json", "--out", out, "--baseline", baseline])
    const report = JSON.parse(run.stdout)
    expect(report.tasks).toHaveLength(1)
    expect(report.tasks[0]).toMatchObject({ id: "ts-bug-fix", outcome: "success", passed: true })
    expect(report.tasks[0].check.status).toBe("passed")
    expect(report.totals).toMatchObject({ tasks: 1, passed: 1, successRate: 1 })
    expect(report.mode).toBe("replay")
    // The quality the baseline asks for is out of reach: a regression, exit 1, said on stderr.
    expect(run.stderr).toContain("regression: mean quality")
    expect(run.status).toBe(1)
    const html = fs.readFileSync(path.join(out, "report.html"), "utf8")
    expect(html).toContain("ts-bug-fix")
    expect(html).toContain("<details>")
    expect(JSON.parse(fs.readFileSync(path.join(out, "report.json"), "utf8")).totals.passed).toBe(1)
  })
})
