/**
 * A `test` request that names only `parameters.target` works with a model as it does without:
 * the model refines what the tests generator writes instead of failing on that template's
 * parameters.
 */
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { afterEach, describe, expect, it } from "vitest"
import { serveScript } from "../../../examples/scripted-model/ScriptedModel.ts"
import { git, project, runCli } from "../support/CliProcess.ts"

const demo = path.join(project, "examples", "demo")
const cleanups: Array<() => Promise<void> | void> = []

afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup()
})

const demoRepository = () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tamma-test-request-"))
  cleanups.push(() => fs.rmSync(dir, { recursive: true, force: true }))
  fs.cpSync(path.join(demo, "workspace"), dir, { recursive: true })
  fs.renameSync(path.join(dir, "gitignore"), path.join(dir, ".gitignore"))
  git(dir, "init", "-q", "-b", "main")
  git(dir, "config", "user.name", "Test User")
  git(dir, "config", "user.email", "test@example.com")
  git(dir, "add", ".")
  git(dir, "commit", "-q", "-m", "initial")
  return dir
}

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
    cleanups.push(() => model.close())
    const run = await cli([
      "test",
      "--request",
      path.join(demo, "requests", "03-tests-for-strings.json"),
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
