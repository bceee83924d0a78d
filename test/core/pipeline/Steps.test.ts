import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { CodeGenerationRequest, decodeRequestJson } from "../../../core/domain/Request.ts"
import { TemplateManifest } from "../../../core/domain/Template.ts"
import { branchName, commitMessage } from "../../../core/pipeline/CommitMessage.ts"
import { unifiedDiff } from "../../../core/pipeline/Diff.ts"
import { rankTemplates } from "../../../core/pipeline/TemplateSelection.ts"

const request = (extra: Record<string, unknown> = {}) =>
  decodeRequestJson(
    JSON.stringify({
      taskType: "implementation",
      language: "typescript",
      context: { issue: { number: 42, title: "Add an HTTP route for users!", labels: ["http"] } },
      requirements: { functionality: ["list users over http"] },
      ...extra
    })
  )

const manifest = (id: string, fields: Record<string, unknown> = {}) =>
  new TemplateManifest({
    id,
    name: id,
    description: "",
    language: "typescript",
    category: "implementation",
    tags: [],
    version: "1.0.0",
    parameters: [],
    dependencies: [],
    example: {},
    metadata: {},
    ...fields
  })

describe("branchName and commitMessage", () => {
  it.effect("builds the branch from the issue number and a slug of its title", () =>
    Effect.gen(function* () {
      const r = yield* request()
      expect(branchName(r, "tamma/")).toBe("tamma/42-add-an-http-route-for-users")
      const noNumber = new CodeGenerationRequest({
        ...r,
        context: { ...r.context, issue: { ...r.context.issue, number: undefined } }
      })
      expect(branchName(noNumber, "x/")).toBe("x/add-an-http-route-for-users")
    })
  )

  it.effect("writes a conventional commit listing the files and the run id", () =>
    Effect.gen(function* () {
      const message = commitMessage(yield* request(), "run-1", [
        { path: "src/users.ts", action: "create" },
        { path: "src/app.ts", action: "modify" }
      ])
      expect(message.split("\n")[0]).toBe("feat: add an HTTP route for users!")
      expect(message).toContain("- create src/users.ts")
      expect(message).toContain("- modify src/app.ts")
      expect(message).toContain("Refs: #42")
      expect(message).toContain("Tamma-Run: run-1")
    })
  )
})

describe("unifiedDiff", () => {
  it("shows a created file against /dev/null", () => {
    const diff = unifiedDiff({ path: "a.ts", before: undefined, after: "x\n" })
    expect(diff).toContain("--- /dev/null")
    expect(diff).toContain("+++ b/a.ts")
    expect(diff).toContain("+x")
  })

  it("shows a modification line by line", () => {
    const diff = unifiedDiff({ path: "a.ts", before: "a\nb\n", after: "a\nc\n" })
    expect(diff).toContain("-b")
    expect(diff).toContain("+c")
    expect(diff).toContain("@@ -1,2 +1,2 @@")
  })
})

describe("rankTemplates", () => {
  it.effect("prefers tag and keyword matches, and filters other frameworks", () =>
    Effect.gen(function* () {
      const r = yield* request({ framework: "express" })
      const ranked = rankTemplates(r, [
        manifest("typescript/module"),
        manifest("typescript/express-route", { framework: "express", tags: ["http", "route"] }),
        manifest("typescript/fastify-route", { framework: "fastify", tags: ["http"] })
      ])
      expect(ranked.map((c) => c.id)).toEqual(["typescript/express-route", "typescript/module"])
      expect(ranked[0]?.reasons.join(" ")).toContain("tag http")
    })
  )
})
