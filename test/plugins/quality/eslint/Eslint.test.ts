import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { Eslint } from "../../../../plugins/quality/eslint/Eslint.ts"

describe("Eslint", () => {
  it.effect("reports eslint-plugin-security findings with CWE and level, in TypeScript", () =>
    Effect.gen(function* () {
      const code = [
        'import { exec } from "node:child_process"',
        "export function run(cmd: string): void {",
        '  exec("ls " + cmd)',
        "  eval(cmd)",
        "}"
      ].join("\n")
      const issues = yield* Eslint.check(code, "src/run.ts")
      // The command built at run time is the tree-sitter rules' finding; importing child_process is none.
      expect(issues.filter((i) => i.line <= 3)).toEqual([])
      const evalIssue = issues.find((i) => i.rule === "security/detect-eval-with-expression")
      expect(evalIssue).toMatchObject({ line: 4, category: "security", cwe: "CWE-95", level: "critical" })
    })
  )

  it.effect("parses TypeScript syntax and reports parse errors as syntax", () =>
    Effect.gen(function* () {
      expect(yield* Eslint.check("export const f = <T,>(x: T): T => x\n", "src/f.ts")).toEqual([])
      const broken = yield* Eslint.check("export const = 1\n", "src/g.ts")
      expect(broken[0]?.category).toBe("syntax")
      expect(broken[0]?.line).toBe(1)
    })
  )

  it.effect("stays quiet on ordinary JavaScript", () =>
    Effect.gen(function* () {
      const code = "export function total(items) {\n  return items.reduce((sum, item) => sum + item.price, 0)\n}\n"
      expect(yield* Eslint.check(code, "src/total.js")).toEqual([])
    })
  )
})
