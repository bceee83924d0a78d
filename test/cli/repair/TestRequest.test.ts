/**
 * A `test` request that names only `parameters.target` works with a model as it does without:
 * the model refines what the tests generator writes instead of failing on that template's
 * parameters.
 */
import * as path from "node:path"
import { describe, expect, it } from "vitest"
import { serveScript } from "../../../examples/scripted-model/ScriptedModel.ts"
import { demoRequests, git, runCli, scratchFolders } from "../support/CliProcess.ts"

const scratch = scratchFolders()

const demoRepository = () => scratch.demoRepository("tamma-test-request-", { gitignore: true })

const cli = (args: ReadonlyArray<string>) => runCli(args)

describe("a test request with a model", () => {
  it("refines the tests generator's tests and commits them, passing", async () => {
    const workspace = demoRepository()
    const model = await serveScript([
      {
        when: "# Task: test",
        text: "The tests written from the acceptance criteria cover the issue; they need no change."
      },
      { when: "You review a code change", text: '```json\n{"findings": []}\n```' }
    ])
    scratch.onCleanup(() => model.close())
    const run = await cli([
      "test",
      "--request",
      path.join(demoRequests, "03-tests-for-strings.json"),
      "--workspace",
      workspace,
      "--provider",
      "openai-compatible",
      "--model",
      "scripted",
      "--base-url",
      model.url,
      "--json"
    ])
    const result = JSON.parse(run.stdout) as {
      readonly status: string
      readonly errors: ReadonlyArray<unknown>
      readonly files: ReadonlyArray<{ readonly path: string; readonly content: string }>
      readonly tests?: { readonly status: string; readonly passed: number }
      readonly metadata: { readonly generator: string }
      readonly commit?: { readonly branch: string }
    }
    expect(result.errors).toEqual([])
    expect(run.status).toBe(0)
    expect(result.metadata.generator).toBe("ai")
    // The model was shown the tests generator's file, built from the acceptance criteria.
    const first = model.requests[0]?.map((m) => m.content).join("\n") ?? ""
    expect(first).toContain("reverseWords")
    const testFile = result.files.find((f) => f.path.startsWith("test/"))
    expect(testFile?.content).toContain("capitalize")
    expect(result.tests?.status).toBe("passed")
    expect(git(workspace, "show", `${result.commit?.branch}:${testFile?.path}`)).toContain("reverseWords")
  })
})
