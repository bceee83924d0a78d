import { execFileSync } from "node:child_process"
import * as fs from "node:fs"
import * as path from "node:path"
import { Schema } from "effect"
import { describe, expect, it } from "vitest"
import { CodeGenerationResult } from "../../core/domain/Result.ts"
import { cliSync, git, demoRequests as requests, scratchFolders, snapshot } from "./support/CliProcess.ts"

const scratch = scratchFolders()

/** A scratch repository made from the demo workspace, with one commit on main. */
const scratchRepo = (init = true): string => scratch.demoRepository("tamma-cli-", { commit: init })

const cli = (args: ReadonlyArray<string>, input?: string) => cliSync(args, input === undefined ? {} : { input })

describe("tamma-codegen generate", () => {
  it("commits formatted, checked files on a new branch", () => {
    const repo = scratchRepo()
    const run = cli(["generate", "--request", path.join(requests, "01-text-helpers.json"), "--workspace", repo])
    expect(run.stderr).toContain("format-and-validate")
    expect(run.status).toBe(0)
    expect(run.stdout).toContain("+++ b/src/text.ts")
    expect(git(repo, "rev-parse", "--abbrev-ref", "HEAD")).toBe("tamma/12-add-text-helpers-for-slugs-and-word")
    expect(git(repo, "log", "--format=%s", "-1")).toBe("feat: add text helpers for slugs and word counts")
    expect(git(repo, "show", "--stat", "--format=", "HEAD")).toMatch(/src\/text\.ts[\s\S]*test\/text\.test\.ts/)
    expect(git(repo, "show", "--name-only", "--format=", "HEAD").split("\n").sort()).toEqual([
      "src/text.ts",
      "test/text.test.ts"
    ])
    expect(git(repo, "log", "--format=%an <%ae>", "-1")).toBe("Test User <test@example.com>")
    expect(git(repo, "status", "--porcelain")).toBe("")
    execFileSync("git", ["fsck", "--strict"], { cwd: repo })
    expect(git(repo, "log", "--format=%s", "main")).toBe("initial")
    const text = fs.readFileSync(path.join(repo, "src", "text.ts"), "utf8")
    expect(text).toContain("export function slugify(title: string): string {")
  })

  it("--json prints one CodeGenerationResult and nothing else on stdout", () => {
    const repo = scratchRepo()
    const run = cli(["generate", "--request", path.join(requests, "02-pricing.json"), "--workspace", repo, "--json"])
    expect(run.status).toBe(0)
    const result = Schema.decodeUnknownSync(Schema.fromJsonString(CodeGenerationResult))(run.stdout)
    expect(result.status).toBe("success")
    expect(result.files.map((f) => f.path)).toEqual(["src/pricing.ts", "test/pricing.test.ts"])
    expect(result.commit?.sha).toBe(git(repo, "rev-parse", "HEAD"))
    expect(result.metadata.template?.id).toBe("typescript/module")
    expect(result.metadata.steps.map((s) => s.step)).toContain("commit")
    expect(result.metadata.provider).toBe("none")
  })

  it("--dry-run writes nothing and prints the diffs", () => {
    const repo = scratchRepo()
    const before = snapshot(repo, [".git"])
    const head = git(repo, "rev-parse", "HEAD")
    const run = cli([
      "generate",
      "--request",
      path.join(requests, "01-text-helpers.json"),
      "--workspace",
      repo,
      "--dry-run"
    ])
    expect(run.status).toBe(0)
    expect(run.stdout).toContain("+export function countWords(text: string): number {")
    expect(run.stdout).toContain("dry run: nothing was written")
    expect(snapshot(repo, [".git"])).toEqual(before)
    expect(git(repo, "rev-parse", "HEAD")).toBe(head)
    expect(git(repo, "branch", "--format=%(refname:short)")).toBe("main")
  })

  it("reads the request from stdin with --request -", () => {
    const repo = scratchRepo()
    const request = fs.readFileSync(path.join(requests, "02-pricing.json"), "utf8")
    const run = cli(["generate", "--request", "-", "--workspace", repo, "--no-commit"], request)
    expect(run.status).toBe(0)
    expect(fs.existsSync(path.join(repo, "src", "pricing.ts"))).toBe(true)
    expect(git(repo, "log", "--format=%s")).toBe("initial")
  })
})

describe("bad input exits 2 and writes nothing", () => {
  const expectNothingWritten = (repo: string, run: ReturnType<typeof cli>, message: RegExp) => {
    const before = snapshot(repo, [".git"])
    expect(run.status).toBe(2)
    // Progress lines may come first; the error is one line starting with "error:", details after it.
    const errorLine = run.stderr.split("\n").find((line) => line.startsWith("error: "))
    expect(errorLine).toMatch(message)
    expect(run.stdout).toBe("")
    expect(snapshot(repo, [".git"])).toEqual(before)
  }

  it("a request that does not decode names the field", () => {
    const repo = scratchRepo()
    const bad = path.join(repo, "..", `${path.basename(repo)}-bad.json`)
    fs.writeFileSync(bad, JSON.stringify({ taskType: "deploy", language: "typescript", context: { issue: {} } }))
    scratch.onCleanup(() => fs.rmSync(bad, { force: true }))
    const run = cli(["generate", "--request", bad, "--workspace", repo])
    expectNothingWritten(repo, run, /RequestInvalidError/)
    expect(run.stderr).toContain('["taskType"]')
    expect(run.stderr).toContain('["context"]["issue"]["title"]')
  })

  it("an unknown template", () => {
    const repo = scratchRepo()
    const run = cli([
      "generate",
      "--request",
      path.join(requests, "02-pricing.json"),
      "--workspace",
      repo,
      "--template",
      "typescript/nope"
    ])
    expectNothingWritten(repo, run, /TemplateNotFoundError: Template not found: typescript\/nope/)
  })

  it("parameters that break the template's rules", () => {
    const repo = scratchRepo()
    const request = JSON.parse(fs.readFileSync(path.join(requests, "02-pricing.json"), "utf8"))
    request.parameters.name = "9 bad name!"
    request.parameters.functions = []
    const run = cli(["generate", "--request", "-", "--workspace", repo], JSON.stringify(request))
    expectNothingWritten(repo, run, /ParameterInvalidError/)
    expect(run.stderr).toContain("name: must match")
    expect(run.stderr).toContain("functions: must have length at least 1")
  })

  it("a missing workspace", () => {
    const run = cli(["generate", "--request", path.join(requests, "02-pricing.json"), "--workspace", "/nonexistent/ws"])
    expect(run.status).toBe(2)
    expect(run.stderr).toContain("WorkspaceError")
  })

  it("a workspace that is not a git repository when a commit is asked for", () => {
    const dir = scratchRepo(false)
    const run = cli(["generate", "--request", path.join(requests, "02-pricing.json"), "--workspace", dir])
    expectNothingWritten(dir, run, /WorkspaceError: .* is not a git repository/)
  })

  it("an unknown flag", () => {
    const run = cli(["generate", "--bogus"])
    expect(run.status).toBe(2)
  })

  it("--help exits 0", () => {
    const run = cli(["--help"])
    expect(run.status).toBe(0)
    expect(run.stdout).toContain("generate")
  })
})

describe("a dirty work tree", () => {
  it("is refused unless --allow-dirty, and the user's change is never touched", () => {
    const repo = scratchRepo()
    fs.appendFileSync(path.join(repo, "README.md"), "local edit\n")
    const refused = cli(["generate", "--request", path.join(requests, "02-pricing.json"), "--workspace", repo])
    expect(refused.status).toBe(2)
    expect(refused.stderr).toContain("README.md")
    const allowed = cli([
      "generate",
      "--request",
      path.join(requests, "02-pricing.json"),
      "--workspace",
      repo,
      "--allow-dirty"
    ])
    expect(allowed.status).toBe(0)
    expect(git(repo, "show", "--name-only", "--format=", "HEAD").split("\n").sort()).toEqual([
      "src/pricing.ts",
      "test/pricing.test.ts"
    ])
    expect(fs.readFileSync(path.join(repo, "README.md"), "utf8")).toContain("local edit")
    expect(git(repo, "status", "--porcelain")).toBe("M README.md")
  })
})
