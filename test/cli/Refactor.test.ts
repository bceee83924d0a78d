import * as fs from "node:fs"
import * as path from "node:path"
import { describe, expect, it } from "vitest"
import { cliSync, git, demoRequests as requests, scratchFolders } from "./support/CliProcess.ts"

const scratch = scratchFolders()

const demoRepo = (): string => scratch.demoRepository("tamma-refactor-")

const cli = (args: ReadonlyArray<string>, input: string) => cliSync(args, { input })

describe("tamma-codegen refactor with the real test runner", () => {
  it("a refactoring that keeps behaviour is committed, the existing spec run before and after", () => {
    const repo = demoRepo()
    const run = cli(
      ["refactor", "--request", "-", "--workspace", repo, "--json"],
      fs.readFileSync(path.join(requests, "04-refactor-invoice.json"), "utf8")
    )
    expect(run.status).toBe(0)
    const result = JSON.parse(run.stdout)
    expect(result.metadata.steps.map((s: { step: string }) => s.step)).toEqual(
      expect.arrayContaining(["test-before", "test"])
    )
    expect(result.tests.failed).toBe(0)
    expect(fs.readFileSync(path.join(repo, "src", "invoice.ts"), "utf8")).toContain("subtotalOf(lines)")
    expect(git(repo, "status", "--porcelain")).toBe("")
  })

  it("a refactoring that breaks a test that passed before is refused: exit 1, nothing written", () => {
    const repo = demoRepo()
    const request = JSON.parse(fs.readFileSync(path.join(requests, "04-refactor-invoice.json"), "utf8"))
    // The extracted subtotal forgets the quantities: the existing spec must catch it.
    request.parameters.extracted.body = "return lines.reduce((sum, line) => sum + line.cents, 0)"
    request.parameters.extracted.examples = [{ args: [[{ cents: 250, quantity: 1 }]], expected: 250 }]
    request.parameters.function.examples = [{ args: [[], 20], expected: 0 }]
    const before = fs.readFileSync(path.join(repo, "src", "invoice.ts"), "utf8")
    const run = cli(["refactor", "--request", "-", "--workspace", repo], JSON.stringify(request))
    expect(run.status).toBe(1)
    expect(run.stdout).toContain("adds the tax to the sum of the lines passed before the refactoring and now failed")
    expect(fs.readFileSync(path.join(repo, "src", "invoice.ts"), "utf8")).toBe(before)
    expect(git(repo, "status", "--porcelain")).toBe("")
    expect(git(repo, "branch", "--format=%(refname:short)")).toBe("main")
  })
})
