import { Effect, Schema } from "effect"
import { describe, expect, it } from "vitest"
import { answerTail, progressLine, progressRenderer, renderRanking, renderResult } from "../../cli/Render.ts"
import { jsonText, visible } from "../../cli/TerminalText.ts"
import { CodeGenerationResult } from "../../core/domain/Result.ts"

const esc = "\u001b"
/** An OSC title change, a screen clear, and a line drawn over the one before it. */
const hostile = `${esc}]0;pwned\u0007${esc}[2J\r✓ all good`
// biome-ignore lint/suspicious/noControlCharactersInRegex: what must never reach the terminal
const rawControl = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/

const decode = Schema.decodeUnknownSync(CodeGenerationResult)
const quality = { score: 0.8, issues: [], suggestions: [] }
const metadata = {
  runId: "r1",
  startedAt: "2026-01-01T00:00:00.000Z",
  durationMs: 10,
  steps: [],
  alternatives: [],
  generator: "ai",
  provider: "openai",
  iterations: 2,
  tokens: { input: 1, output: 1, calls: 2, costUsd: 0 },
  dryRun: false
}

const failedRun = decode({
  status: "failed",
  files: [
    {
      path: `src/a${esc}[31m.ts`,
      language: "typescript",
      action: "create",
      content: "x",
      diff: `--- /dev/null\n+++ b/src/a.ts\n@@ -0,0 +1 @@\n+const s = "${hostile}"\n`,
      quality: {
        score: 0.6,
        issues: [
          {
            severity: "error",
            category: "security",
            rule: "control-characters/raw-control-character",
            message: `raw ${esc}[2J`,
            line: 1,
            column: 12,
            cwe: "CWE-150",
            level: "high"
          }
        ]
      }
    }
  ],
  quality,
  suggestions: [`review: ${hostile}`],
  errors: [{ tag: "TestsFailedError", message: `2 test(s) failed:\nadds ${hostile}` }],
  metadata,
  tests: {
    framework: "vitest",
    status: "failed",
    passed: 1,
    failed: 2,
    skipped: 0,
    durationMs: 5,
    cases: [
      {
        name: `adds ${hostile}`,
        status: "failed",
        message: `expected 2 got ${esc}[8m3`,
        file: "test/a.test.ts",
        line: 3
      },
      { name: "subtracts", status: "failed" },
      { name: "multiplies", status: "passed" }
    ],
    command: "vitest run",
    output: ""
  },
  iterations: [
    {
      index: 1,
      reason: "initial",
      calls: 2,
      tokens: 1500,
      outcome: "tests-failed",
      failures: [`adds: ${esc}[2J boom`]
    },
    { index: 2, reason: "2 failing tests", calls: 1, tokens: 900, outcome: "tests-failed", failures: ["adds: boom"] }
  ],
  applied: false
})

describe("visible", () => {
  it("writes every control character out but tab and newline; the rest of the text is untouched", () => {
    expect(visible(hostile)).toBe("\\x1b]0;pwned\\x07\\x1b[2J\\x0d✓ all good")
    expect(visible("a\tb\nc — 東京")).toBe("a\tb\nc — 東京")
    expect(visible("\u009b\u007f\u0000")).toBe("\\x9b\\x7f\\x00")
    expect(visible("abc\u202eevil")).toBe("abc\\u202eevil")
  })

  it("jsonText is the same JSON document with no raw control character in it", () => {
    const value = { text: `${hostile}\u009b\u007f\u202e`, n: 1 }
    const text = jsonText(value)
    expect(text).not.toMatch(rawControl)
    expect(text).not.toContain("\u202e")
    expect(JSON.parse(text)).toEqual(value)
  })
})

describe("renderResult", () => {
  const out = renderResult(failedRun)

  it("prints nothing a terminal would act on, and shows what it was", () => {
    expect(out).not.toMatch(rawControl)
    expect(out).toContain('+const s = "\\x1b]0;pwned\\x07\\x1b[2J\\x0d✓ all good"')
    expect(out).toContain("create src/a\\x1b[31m.ts")
  })

  it("a failed run shows its diffs as not written, its failures, its rounds and its errors, and no quality over 0 files", () => {
    expect(out).toMatch(/create src\/a\\x1b\[31m\.ts \(typescript, quality 0\.60\) not written/)
    expect(out).toContain("raw \\x1b[2J")
    expect(out).toContain("CWE-150 high")
    expect(out).toContain("tests vitest: failed: 1 passed, 2 failed, 0 skipped")
    expect(out).toContain("✗ adds \\x1b]0;pwned\\x07\\x1b[2J\\x0d✓ all good (test/a.test.ts:3)")
    expect(out).toContain("expected 2 got \\x1b[8m3")
    expect(out).toContain("✗ subtracts")
    expect(out).toContain("round 1 (initial): 2 call(s), 1,500 tokens → tests-failed")
    expect(out).toContain("round 2 (2 failing tests): 1 call(s), 900 tokens → tests-failed")
    expect(out).toContain("✗ adds: \\x1b[2J boom")
    expect(out).toContain("error TestsFailedError: 2 test(s) failed:\n  adds \\x1b]0;pwned")
    expect(out).toContain("nothing was written")
    expect(out).toMatch(/status failed$/)

    const empty = renderResult(decode({ ...Schema.encodeSync(CodeGenerationResult)(failedRun), files: [] }))
    expect(empty).not.toContain("quality 0.")
    expect(empty).not.toContain("file(s)")
  })

  it("the runner's output when no failing case tells why", () => {
    const encoded = Schema.encodeSync(CodeGenerationResult)(failedRun)
    const crashed = renderResult(
      decode({
        ...encoded,
        tests: { ...encoded.tests, status: "error", cases: [], output: `SyntaxError ${esc}[2J here` }
      })
    )
    expect(crashed).toContain("tests vitest: error")
    expect(crashed).toContain("SyntaxError \\x1b[2J here")
  })

  it("a dry run's diffs are marked not written; an applied run's are not", () => {
    const encoded = Schema.encodeSync(CodeGenerationResult)(failedRun)
    const base = { ...encoded, status: "success", errors: [], tests: undefined, iterations: [] }
    const dry = renderResult(decode({ ...base, metadata: { ...encoded.metadata, dryRun: true } }))
    expect(dry).toContain("not written")
    expect(dry).toContain("dry run: nothing was written")
    expect(dry).toContain("quality 0.80 over 1 file(s)")
    const applied = renderResult(decode({ ...base, applied: true }))
    expect(applied).not.toContain("not written")
  })
})

describe("progress", () => {
  it("a failed step is drawn with ✗, a done one with ✓; a round is a line with its failures", () => {
    expect(
      progressLine({
        _tag: "StepFinished",
        runId: "r",
        step: "test",
        status: "failed",
        durationMs: 3,
        detail: "vitest: 1 passed, 2 failed, 0 skipped"
      })
    ).toMatch(/^ {2}✗ test /)
    expect(progressLine({ _tag: "StepFinished", runId: "r", step: "format", status: "done", durationMs: 3 })).toMatch(
      /^ {2}✓ format /
    )
    const round = progressLine({
      _tag: "IterationFinished",
      runId: "r",
      index: 2,
      reason: "gate failed",
      calls: 1,
      tokens: 2400,
      outcome: "gate-failed",
      failures: [`high security finding ${esc}[2J`]
    })
    expect(round).toBe(
      "  ↻ round 2 (gate failed): 1 call(s), 2,400 tokens → gate-failed\n      ✗ high security finding \\x1b[2J"
    )
    expect(
      progressLine({ _tag: "RunStarted", runId: "r", taskType: "feature", language: "ts", title: hostile })
    ).not.toMatch(rawControl)
  })

  it("on a terminal, the model's text is shown as it arrives, on one line, its controls visible", () => {
    const written: Array<string> = []
    const render = progressRenderer(
      true,
      (text) => void written.push(text),
      () => 120
    )
    Effect.runSync(render({ _tag: "TokensReceived", runId: "r", provider: "openai", text: "export const a = 1\n" }))
    Effect.runSync(render({ _tag: "TokensReceived", runId: "r", provider: "openai", text: hostile }))
    const last = written.at(-1) ?? ""
    expect(last).toContain("openai: 44 characters")
    expect(last).toContain("export const a = 1↵ \\x1b]0;pwned\\x07\\x1b[2J\\x0d✓ all good")
    // Our own line control only: go to the start of the line and clear it, then the text.
    expect(last.startsWith("\r\u001b[K")).toBe(true)
    expect(last.slice(4)).not.toMatch(rawControl)
    Effect.runSync(render({ _tag: "StepFinished", runId: "r", step: "generate", status: "done", durationMs: 5 }))
    expect(written.at(-2)).toBe("\r\u001b[K")
    expect(written.at(-1)).toContain("44 characters from openai")
  })

  it("elsewhere, only a count per step", () => {
    const written: Array<string> = []
    const render = progressRenderer(false, (text) => void written.push(text))
    Effect.runSync(render({ _tag: "TokensReceived", runId: "r", provider: "openai", text: hostile }))
    expect(written).toEqual([])
    Effect.runSync(render({ _tag: "StepFinished", runId: "r", step: "generate", status: "done", durationMs: 5 }))
    expect(written).toEqual([expect.stringContaining("25 characters from openai")])
  })

  it("a tail keeps the end of the text within its width", () => {
    expect(answerTail(`${"a".repeat(50)}END`, 10)).toBe("…aaaaaaEND")
    expect(answerTail("x\ty", 10)).toBe("x y")
  })

  it("the template ranking shows ids and reasons from template packs with their controls visible", () => {
    expect(renderRanking([{ id: `evil${esc}[2J`, version: "1.0.0", score: 3, reasons: [hostile] }])).not.toMatch(
      rawControl
    )
  })
})
