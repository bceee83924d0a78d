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

  it("fails the default quality gate", () => {
    const [issue] = controlCharacterIssues(`x${esc}[2J`)
    const gate = defaultConfig.quality
    expect(issue).toBeDefined()
    if (issue === undefined) return
    expect(gateViolations(gate, { score: 0.8, issues: [issue], suggestions: [] })).toContain(
      "high security finding control-characters/raw-control-character at 1:2"
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
