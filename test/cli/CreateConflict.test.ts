/**
 * A template that would create a file that already exists: refused as bad input (exit 2,
 * nothing written) unless --force, which turns the create into a visible modification.
 */
import * as fs from "node:fs"
import * as nodePath from "node:path"
import { Schema } from "effect"
import { afterEach, describe, expect, it } from "vitest"
import { CodeGenerationResult } from "../../core/domain/Result.ts"
import { demoRepository, demoRequest, runCli, workTreeHash } from "../safety/DemoWorkspace.ts"
import { git, removeFolder } from "../safety/Workspace.ts"

const made: Array<string> = []
const track = (dir: string) => {
  made.push(dir)
  return dir
}

afterEach(() => {
  for (const dir of made.splice(0)) removeFolder(dir)
})

const decodeResult = Schema.decodeUnknownSync(Schema.fromJsonString(CodeGenerationResult))
/** What `--json` prints for a run refused as bad input: its status and typed errors. */
const decodeFailure = Schema.decodeUnknownSync(
  Schema.fromJsonString(
    Schema.Struct({
      status: Schema.Literal("failed"),
      errors: Schema.Array(Schema.Struct({ tag: Schema.String, message: Schema.String }))
    })
  )
)

/** The pricing module renamed `strings`: the demo workspace already has `src/strings.ts`. */
const stringsModule = () =>
  track(
    nodePath.dirname(
      demoRequest("02-pricing.json", (request) => {
        const parameters = request.parameters
        if (typeof parameters === "object" && parameters !== null) Object.assign(parameters, { name: "strings" })
      })
    )
  )

describe("a template creating a file that exists", () => {
  it("is refused with FileExistsError, exit 2, and the workspace and repository untouched", () => {
    const repo = track(demoRepository())
    const request = nodePath.join(stringsModule(), "02-pricing.json")
    const original = fs.readFileSync(nodePath.join(repo, "src/strings.ts"), "utf8")
    const tree = workTreeHash(repo)
    const head = git(repo, "rev-parse", "HEAD")

    const run = runCli(["generate", "--request", request, "--workspace", repo, "--no-run-tests", "--json"])

    expect(run.status).toBe(2)
    const result = decodeFailure(run.stdout)
    expect(result.status).toBe("failed")
    expect(result.errors.map((error) => error.tag)).toEqual(["FileExistsError"])
    expect(result.errors[0]?.message).toContain('"src/strings.ts"')
    expect(fs.readFileSync(nodePath.join(repo, "src/strings.ts"), "utf8")).toBe(original)
    expect(fs.existsSync(nodePath.join(repo, "test/strings.test.ts"))).toBe(false)
    expect(workTreeHash(repo)).toBe(tree)
    expect(git(repo, "rev-parse", "HEAD")).toBe(head)
    expect(git(repo, "branch", "--format=%(refname:short)")).toBe("main")
    expect(git(repo, "status", "--porcelain")).toBe("")
  })

  it("with --force replaces it, shown and committed as a modification, the tree clean", () => {
    const repo = track(demoRepository())
    const request = nodePath.join(stringsModule(), "02-pricing.json")
    const original = fs.readFileSync(nodePath.join(repo, "src/strings.ts"), "utf8")

    const run = runCli(["generate", "--request", request, "--workspace", repo, "--no-run-tests", "--force", "--json"])

    expect(run.status).toBe(0)
    const result = decodeResult(run.stdout)
    expect(result.status).toBe("success")
    const strings = result.files.find((file) => file.path === "src/strings.ts")
    expect(strings?.action).toBe("modify")
    expect(strings?.diff).toContain("--- a/src/strings.ts")
    expect(strings?.diff).not.toContain("/dev/null")
    expect(result.files.find((file) => file.path === "test/strings.test.ts")?.action).toBe("create")
    expect(fs.readFileSync(nodePath.join(repo, "src/strings.ts"), "utf8")).not.toBe(original)
    expect(git(repo, "show", "--name-status", "--format=", "HEAD").split("\n").sort()).toEqual([
      "A\ttest/strings.test.ts",
      "M\tsrc/strings.ts"
    ])
    expect(git(repo, "ls-files", "-s", "--", "src/strings.ts")).toMatch(/^100644 /)
    expect(git(repo, "status", "--porcelain")).toBe("")
  })

  it("options.force in the request does what --force does", () => {
    const repo = track(demoRepository())
    const folder = track(
      nodePath.dirname(
        demoRequest("02-pricing.json", (request) => {
          Object.assign(request, { options: { force: true } })
          const parameters = request.parameters
          if (typeof parameters === "object" && parameters !== null) Object.assign(parameters, { name: "strings" })
        })
      )
    )

    const run = runCli([
      "generate",
      "--request",
      nodePath.join(folder, "02-pricing.json"),
      "--workspace",
      repo,
      "--no-run-tests",
      "--dry-run",
      "--json"
    ])

    expect(run.status).toBe(0)
    expect(decodeResult(run.stdout).files.find((file) => file.path === "src/strings.ts")?.action).toBe("modify")
    expect(git(repo, "status", "--porcelain")).toBe("")
  })
})
