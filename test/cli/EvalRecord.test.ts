/**
 * `eval --record` against a model on 127.0.0.1 writes the task's cassette afresh (recorded
 * entries, matched by hash, no key), and the next `eval` replays it with the server gone.
 */
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { afterAll, describe, expect, it } from "vitest"
import { type ScriptEntry, serveScript } from "../../examples/scripted-model/ScriptedModel.ts"
import { project, runCli } from "./support/CliProcess.ts"

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "tamma-eval-record-"))
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }))

describe("eval --record, then replay", () => {
  it("records each exchange without the key, and replays offline to the same outcome", {
    timeout: 240_000
  }, async () => {
    const task = path.join(scratch, "ts-bug-fix")
    fs.cpSync(path.join(project, "examples", "eval", "ts-bug-fix"), task, { recursive: true })
    const cassette = path.join(task, "cassette.jsonl")
    const script: Array<ScriptEntry> = fs
      .readFileSync(cassette, "utf8")
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line))
      .map((entry) => ({ when: entry.when, text: entry.response.text }))
    const model = await serveScript(script)
    const key = "sk-eval-record-secret"
    const recorded = await runCli(
      [
        "eval",
        task,
        "--record",
        "--provider",
        "openai-compatible",
        "--model",
        "scripted",
        "--base-url",
        model.url,
        "--json"
      ],
      { env: { OPENAI_COMPATIBLE_API_KEY: key } }
    )
    await model.close()
    expect(JSON.parse(recorded.stdout).tasks[0]).toMatchObject({ outcome: "success", passed: true })
    expect(recorded.status).toBe(0)
    expect(model.requests).toHaveLength(2)
    const lines = fs.readFileSync(cassette, "utf8").trim().split("\n")
    expect(lines).toHaveLength(2)
    for (const line of lines) {
      const entry = JSON.parse(line)
      expect(entry.key).toMatch(/^[0-9a-f]{32}$/)
      expect(entry.when).toBeUndefined()
      expect(entry.model).toBe("scripted")
    }
    expect(lines.join("\n")).not.toContain(key)
    expect(lines.join("\n")).not.toContain(model.url)

    const replayed = await runCli(["eval", task, "--replay", "--json"])
    const report = JSON.parse(replayed.stdout)
    expect(report.mode).toBe("replay")
    expect(report.tasks[0]).toMatchObject({ outcome: "success", passed: true, calls: 2 })
    expect(replayed.status).toBe(0)
  })
})
