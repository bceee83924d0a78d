import { describe, expect, it } from "@effect/vitest"
import { Effect, Layer } from "effect"
import { defaultConfig } from "../../../../core/domain/Config.ts"
import { gateViolations } from "../../../../core/domain/Quality.ts"
import { LanguageRegistry } from "../../../../core/services/LanguageRegistry.ts"
import { QualityChecker } from "../../../../core/services/QualityChecker.ts"
import {
  ControlCharacters,
  controlCharacterIssues
} from "../../../../plugins/quality/control-chars/ControlCharacters.ts"
import { languagesLayer } from "../../../../presets/NodeQuality.ts"

const esc = "\u001b"

describe("ControlCharacters", () => {
  it.effect("finds ESC sequences, C1 controls and DEL, one finding per line at the first of them", () =>
    Effect.gen(function* () {
      const code = [
        "const a = 1",
        `// ${esc}]0;pwned\u0007 title`,
        `const b = "ok${esc}[2J"`,
        "const c = '\u009b31m'",
        "const d = '\u007f'"
      ].join("\n")
      const issues = yield* ControlCharacters.check(code, "src/a.ts")
      expect(issues.map((issue) => [issue.line, issue.column])).toEqual([
        [2, 4],
        [3, 14],
        [4, 12],
        [5, 12]
      ])
      for (const issue of issues) {
        expect(issue.category).toBe("security")
        expect(issue.cwe).toBe("CWE-150")
        expect(issue.level).toBe("high")
      }
      expect(issues[0]?.message).toContain("U+001B (ESC)")
      expect(issues[0]?.message).toContain("U+0007")
      expect(issues[2]?.message).toContain("U+009B (CSI)")
    })
  )

  it("leaves tab, LF, CRLF, escapes written as text, and non-ASCII text alone", () => {
    const code = 'const t = "\\x1b[0m\\u001b"\r\n\tconst name = "Zoë — 東京 ✓"\n'
    expect(controlCharacterIssues(code)).toEqual([])
  })

  it("takes a form feed alone on its line for a page break, as in Python's and C's own sources", () => {
    // The shape of Python 3.11's email/charset.py: a page break between sections.
    const code = ["import email.base64mime", "", "\f", "", "# Flags for types of header encodings", "QP = 1"].join("\n")
    expect(controlCharacterIssues(code)).toEqual([])
    expect(controlCharacterIssues("int a;\r\n\f\r\nint b;\r\n")).toEqual([])
    expect(controlCharacterIssues("x = 1\n  \f\t\n")).toEqual([])
  })

  it("reports a vertical tab or a form feed inside a line as info lint that fails no gate", () => {
    const issues = controlCharacterIssues(["x = 1", "y = 2\f", "\u000b", 'z = "a\u000bb\fc"'].join("\n"))
    expect(issues.map((issue) => [issue.line, issue.column])).toEqual([
      [2, 6],
      [3, 1],
      [4, 7]
    ])
    for (const issue of issues) {
      expect(issue.rule).toBe("control-characters/layout-control-character")
      expect(issue.severity).toBe("info")
      expect(issue.category).toBe("lint")
      expect(issue.level).toBeUndefined()
    }
    expect(issues[2]?.message).toContain("U+000B (VT), U+000C (FF)")
    expect(gateViolations(defaultConfig.quality, { score: 0.99, issues, suggestions: [] })).toEqual([])
  })

  it("keeps a line with a form feed and an ESC sequence a high finding, at the ESC", () => {
    const issues = controlCharacterIssues(`\f// ${esc}[2J`)
    expect(issues.map((issue) => [issue.rule, issue.level, issue.column])).toEqual([
      ["control-characters/raw-control-character", "high", 5]
    ])
    expect(issues[0]?.message).not.toContain("U+000C")
  })

  it("fails the default quality gate", () => {
    const [issue] = controlCharacterIssues(`x${esc}[2J`)
    const gate = defaultConfig.quality
    expect(issue).toBeDefined()
    if (issue === undefined) return
    expect(gateViolations(gate, { score: 0.8, issues: [issue], suggestions: [] })).toContain(
      "high security finding control-characters/raw-control-character at 1:2"
    )
  })

  it("reports a bidirectional override or isolate (Trojan Source) as a high finding, not the marks of right-to-left text", () => {
    // The comment seems to end before `isAdmin`; an editor shows the RLO and LRI reordering it.
    const trojan = 'if (accessLevel != "user") { // Check if admin \u202e \u2066 isAdmin \u2069 \u2066\n  grant()\n}\n'
    const issues = controlCharacterIssues(trojan)
    expect(issues.map((issue) => [issue.rule, issue.line, issue.column, issue.level, issue.cwe])).toEqual([
      ["control-characters/bidi-control-character", 1, 48, "high", "CWE-451"]
    ])
    expect(issues[0]?.message).toContain("U+202E (RLO), U+2066 (LRI), U+2069 (PDI)")
    // Right-to-left text with its marks (RLM, LRM, ALM) in a string reorders nothing else.
    expect(controlCharacterIssues('const greeting = "\u0645\u0631\u062d\u0628\u0627\u200f \u200e(1)\u061c"\n')).toEqual(
      []
    )
  })

  it.effect("runs on every file of every language in the default wiring", () =>
    Effect.gen(function* () {
      const checker = yield* QualityChecker
      for (const [path, code] of [
        ["src/a.py", `x = "${esc}[2J"\n`],
        ["README.md", `# Title ${esc}]0;x\u0007\n`],
        ["config.yaml", `key: "\u009b"\n`]
      ] as const) {
        const result = yield* checker.check(
          code,
          path.split(".").at(-1) === "py" ? "python" : path.endsWith(".md") ? "markdown" : "yaml",
          path
        )
        expect(
          result.issues.some((issue) => issue.cwe === "CWE-150"),
          path
        ).toBe(true)
      }
      const registry = yield* LanguageRegistry
      expect((yield* registry.sharedTools).map((tool) => tool.name)).toContain("control-characters")
    }).pipe(Effect.provide(QualityChecker.layer.pipe(Layer.provideMerge(languagesLayer))))
  )
})
