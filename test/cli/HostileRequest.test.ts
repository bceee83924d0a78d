import * as fs from "node:fs"
import * as path from "node:path"
import { Schema } from "effect"
import { describe, expect, it } from "vitest"
import { CodeGenerationRequest } from "../../core/domain/Request.ts"
import { commitMessage } from "../../core/pipeline/CommitMessage.ts"
import { cliSync, demoRequests, gitState, runCli, scratchFolders } from "./support/CliProcess.ts"
import { countingModel } from "./support/CountingModel.ts"

const { onCleanup, tempDir, userHome, demoRepository } = scratchFolders()

const pricing = JSON.parse(fs.readFileSync(path.join(demoRequests, "02-pricing.json"), "utf8"))

describe("a request's branch that git would refuse", () => {
  it("is bad input before the model is called: exit 2, naming options.branch, nothing written", async () => {
    for (const branch of ["../../x", "x\u001b[2J", "feature/", "a..b", "-x", "x.lock"]) {
      const model = await countingModel(onCleanup)
      const repo = demoRepository("tamma-branch-")
      const state = gitState(repo)
      const request = path.join(tempDir("tamma-request-"), "request.json")
      fs.writeFileSync(request, JSON.stringify({ ...pricing, options: { branch } }))
      const run = await runCli(["generate", "--request", request, "--workspace", repo, "--no-run-tests", "--json"], {
        env: {
          OPENAI_API_KEY: "sk-test",
          XDG_CONFIG_HOME: userHome({
            provider: { name: "openai", model: "gpt-4.1", baseUrl: model.url, stream: false }
          })
        }
      })
      expect(model.requests()).toBe(0)
      expect(run.status).toBe(2)
      const [error] = (JSON.parse(run.stdout) as { errors: Array<{ tag: string; message: string }> }).errors
      expect(error?.tag).toBe("RequestInvalidError")
      expect(error?.message).toContain('["options"]["branch"]')
      expect(gitState(repo)).toEqual(state)
    }
  })
})

describe("the commit message of a hostile issue title", () => {
  it("writes out its control characters and bidirectional overrides, so `git log` shows them", () => {
    const request = Schema.decodeUnknownSync(CodeGenerationRequest)({
      ...pricing,
      context: { issue: { title: "Add \u001b]52;c;ZXZpbA==\u0007 \u202eevil\u2066 x\u0085" } }
    })
    const message = commitMessage(request, "run-1", [{ path: "src/a.ts", action: "create" }])
    // biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
    expect(message).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/)
    expect(message.split("\n")[0]).toBe("feat: add \\x1b]52;c;ZXZpbA==\\x07 \\u202eevil\\u2066 x\\x85")
  })
})

describe("a run record planted in .tamma/runs", () => {
  it("`runs` shows its summary and branch with their control characters written out", () => {
    const repo = demoRepository("tamma-runs-")
    const hostile = "\u001b]52;c;ZXZpbA==\u0007\u001b[2J\r\u009b31m\u202eevil"
    const runs = path.join(repo, ".tamma", "runs")
    fs.mkdirSync(runs, { recursive: true })
    fs.writeFileSync(
      path.join(runs, "20260101T000000-cccccc.json"),
      JSON.stringify({
        runId: "20260101T000000-cccccc",
        startedAt: 1,
        finishedAt: 2,
        summary: `planted ${hostile}`,
        branch: `b${hostile}`,
        commit: "0123456789abcdef",
        files: []
      })
    )
    const run = cliSync(["runs", "--workspace", repo], { env: { XDG_CONFIG_HOME: userHome() } })
    expect(run.status).toBe(0)
    // biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
    expect(run.stdout).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/)
    expect(run.stdout).toContain("planted \\x1b]52;c;ZXZpbA==\\x07")
  })
})
