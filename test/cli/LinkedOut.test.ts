import * as fs from "node:fs"
import * as path from "node:path"
import { describe, expect, it } from "vitest"
import { commitAll, demoRequests, gitState, runCli, scratchFolders, snapshot } from "./support/CliProcess.ts"
import { countingModel } from "./support/CountingModel.ts"

const { onCleanup, tempDir, userHome, demoRepository } = scratchFolders()

/** The demo's pricing request, with `context` merged over its own. */
const requestFile = (context: Record<string, unknown> = {}) => {
  const request = JSON.parse(fs.readFileSync(path.join(demoRequests, "02-pricing.json"), "utf8"))
  const file = path.join(tempDir("tamma-request-"), "request.json")
  fs.writeFileSync(file, JSON.stringify({ ...request, context: { ...request.context, ...context } }))
  return file
}

interface Outcome {
  readonly status: number | null
  readonly errors: ReadonlyArray<{ readonly tag: string; readonly message: string }>
  readonly requests: number
}

/** Commits `repo` as it is, then a committing run of `request` in it against the counting model; what the disk and git hold is unchanged. */
const runAgainst = async (repo: string, request: string, outside: string): Promise<Outcome> => {
  // The links are committed: a clean repository, as a cloned one is.
  commitAll(repo)
  const model = await countingModel(onCleanup)
  const files = snapshot(repo)
  const outsideFiles = snapshot(outside, [])
  const state = gitState(repo)
  const run = await runCli(["generate", "--request", request, "--workspace", repo, "--no-run-tests", "--json"], {
    env: {
      OPENAI_API_KEY: "sk-test",
      XDG_CONFIG_HOME: userHome({ provider: { name: "openai", model: "gpt-4.1", baseUrl: model.url, stream: false } })
    }
  })
  expect(snapshot(repo)).toEqual(files)
  expect(snapshot(outside, [])).toEqual(outsideFiles)
  expect(gitState(repo)).toEqual(state)
  const document = JSON.parse(run.stdout) as { errors?: Outcome["errors"] }
  return { status: run.status, errors: document.errors ?? [], requests: model.requests() }
}

describe("a workspace link out of the workspace is refused before the model is paid", () => {
  it("a folder the skeleton writes into (src -> outside): exit 2 naming the path, no model request", async () => {
    const outside = tempDir("tamma-outside-")
    const repo = demoRepository("tamma-linked-", { commit: false })
    fs.rmSync(path.join(repo, "src"), { recursive: true })
    fs.symlinkSync(outside, path.join(repo, "src"))
    const outcome = await runAgainst(repo, requestFile(), outside)
    expect(outcome.requests).toBe(0)
    expect(outcome.status).toBe(2)
    expect(outcome.errors[0]?.tag).toBe("UnsafePathError")
    expect(outcome.errors[0]?.message).toContain('"src/pricing.ts"')
  })

  it("a file the skeleton writes (src/pricing.ts -> outside, existing or dangling): no model request", async () => {
    for (const existing of [true, false]) {
      const outside = tempDir("tamma-outside-")
      if (existing) fs.writeFileSync(path.join(outside, "x.ts"), "private\n")
      const repo = demoRepository("tamma-linked-", { commit: false })
      fs.symlinkSync(path.join(outside, "x.ts"), path.join(repo, "src", "pricing.ts"))
      const outcome = await runAgainst(repo, requestFile(), outside)
      expect(outcome.requests).toBe(0)
      expect(outcome.status).toBe(2)
      expect(outcome.errors[0]?.message).toContain('"src/pricing.ts"')
      expect(outcome.errors[0]?.message).toContain("symlink-escape")
    }
  })

  it("a file the request names (existing code, affected files) through a link out: no model request", async () => {
    for (const context of [
      { existingCode: [{ path: "lib/notes.ts", content: "export const notes = 1\n" }] },
      { analysis: { affectedFiles: ["lib/notes.ts"] } }
    ]) {
      const outside = tempDir("tamma-outside-")
      fs.writeFileSync(path.join(outside, "notes.ts"), "private\n")
      const repo = demoRepository("tamma-linked-", { commit: false })
      fs.symlinkSync(outside, path.join(repo, "lib"))
      const outcome = await runAgainst(repo, requestFile(context), outside)
      expect(outcome.requests).toBe(0)
      expect(outcome.status).toBe(2)
      expect(outcome.errors[0]?.message).toContain('"lib/notes.ts"')
    }
  })
})
