/**
 * A result whose change no test run checked says so, and why, instead of saying nothing a reader
 * could take for a pass.
 */
import { Schema } from "effect"
import { describe, expect, it } from "vitest"
import { renderResult } from "../../cli/Render.ts"
import { CodeGenerationResult } from "../../core/domain/Result.ts"

const decode = Schema.decodeUnknownSync(CodeGenerationResult)

const run = (steps: ReadonlyArray<Record<string, unknown>>, tests?: Record<string, unknown>) =>
  decode({
    status: "success",
    files: [
      {
        path: "src/clamp.ts",
        language: "typescript",
        action: "create",
        content: "export {}\n",
        diff: "--- /dev/null\n+++ b/src/clamp.ts\n@@ -0,0 +1 @@\n+export {}\n",
        quality: { score: 1, issues: [], suggestions: [] }
      }
    ],
    quality: { score: 1, issues: [], suggestions: [] },
    suggestions: [],
    errors: [],
    metadata: {
      runId: "r1",
      startedAt: "2026-01-01T00:00:00.000Z",
      durationMs: 10,
      steps,
      alternatives: [],
      generator: "ai",
      provider: "openai",
      iterations: 1,
      tokens: { input: 1, output: 1, calls: 1, costUsd: 0 },
      dryRun: false
    },
    ...(tests === undefined ? {} : { tests }),
    iterations: [],
    applied: true
  })

// biome-ignore lint/suspicious/noControlCharactersInRegex: colours are not what is asserted
const plain = (text: string) => text.replace(/\u001b\[[0-9;]*m/g, "")

describe("the tests line of a result", () => {
  it.each([
    ["disabled", "tests not run: disabled"],
    ["no test files in the change", "tests not run: no test files in the change"],
    ["no test runner", "tests not run: no test runner"]
  ])("says the tests were not run when the step was skipped (%s)", (detail, line) => {
    const out = plain(renderResult(run([{ step: "test", status: "skipped", durationMs: 0, detail }])))
    expect(out.split("\n")).toContain(line)
  })

  it("gives the run's counts, and no such line, when the tests ran", () => {
    const out = plain(
      renderResult(
        run([{ step: "test", status: "done", durationMs: 5, detail: "vitest: 1 passed" }], {
          framework: "vitest",
          status: "passed",
          passed: 1,
          failed: 0,
          skipped: 0,
          durationMs: 5,
          cases: [{ name: "limits", status: "passed" }],
          command: "vitest run",
          output: ""
        })
      )
    )
    expect(out).toContain("tests vitest: 1 passed, 0 failed, 0 skipped")
    expect(out).not.toContain("not run")
  })
})
