import { describe, expect, it, layer } from "@effect/vitest"
import { Effect, Layer, Option } from "effect"
import type { QualityIssue } from "../../../../core/domain/Quality.ts"
import { LanguageNotSupportedError, QualityToolError } from "../../../../core/errors.ts"
import { LanguageRegistry } from "../../../../core/services/LanguageRegistry.ts"
import { QualityChecker } from "../../../../core/services/QualityChecker.ts"
import { TypeScript } from "../../../../plugins/languages/typescript/index.ts"

const testLayer = Layer.mergeAll(QualityChecker.layer, TypeScript.layer).pipe(
  Layer.provideMerge(LanguageRegistry.layer)
)

const clean = `/** A point on the plane. */
export interface Point {
  readonly x: number
  readonly y: number
}

/** The distance between two points. */
export const distance = (a: Point, b: Point): number => Math.hypot(a.x - b.x, a.y - b.y)
`

const messy = `export function  isOrigin(p:{x:number,y:number}){
  if (p.x == 0 && p.y == 0) { return true }
return false}
`

describe("TypeScript", () => {
  it("declares the TypeScript conventions", () => {
    const { pack } = TypeScript
    expect(pack.id).toBe("typescript")
    expect(pack.extensions).toEqual([".ts", ".tsx", ".mts", ".cts"])
    expect(pack.aliases).toEqual(["ts", "typescript", "tsx"])
    expect(pack.comment).toEqual({ line: "//", block: ["/*", "*/"] })
    expect(pack.testFrameworks?.map((framework) => framework.name)).toEqual(["vitest", "node:test"])
    expect(pack.testLayout?.template).toBe("typescript/test-from-source")
    expect(pack.isTestPath?.("src/foo.ts")).toBe(false)
    expect(pack.isTestPath?.("test/foo.test.ts")).toBe(true)
    expect(pack.formatter?.name).toBe("biome")
    expect(pack.tools.map((tool) => tool.name)).toEqual(["biome", "biome-format", "eslint", "tree-sitter-rules"])
  })

  describe("through the QualityChecker", () => {
    layer(testLayer)("registered", (it) => {
      it.effect("is found by id, alias and extension", () =>
        Effect.gen(function* () {
          const registry = yield* LanguageRegistry
          for (const name of ["typescript", "ts", "tsx", ".mts", "cts"]) {
            expect((yield* registry.get(name)).id).toBe("typescript")
          }
        })
      )

      it.effect("is detected from a .tsx path", () =>
        Effect.gen(function* () {
          const registry = yield* LanguageRegistry
          const detected = yield* registry.detect("src/a.tsx")
          expect(Option.map(detected, (found) => found.id)).toEqual(Option.some("typescript"))
          expect(Option.isNone(yield* registry.detect("src/a.py"))).toBe(true)
        })
      )

      it.effect("scores clean code 1", () =>
        Effect.gen(function* () {
          const result = yield* (yield* QualityChecker).check(clean, "typescript", "src/point.ts")
          expect(result.issues).toEqual([])
          expect(result.score).toBe(1)
        })
      )

      it.effect("scores messy code lower, with Biome's findings", () =>
        Effect.gen(function* () {
          const result = yield* (yield* QualityChecker).check(messy, "ts", "src/origin.ts")
          expect(result.score).toBeLessThan(1)
          expect(result.issues.map((issue) => [issue.rule, issue.line, issue.column])).toEqual([
            ["biome/format", 1, 1],
            ["lint/suspicious/noDoubleEquals", 2, 11],
            ["lint/suspicious/noDoubleEquals", 2, 23]
          ])
          // Two errors (10 each) and one format finding (1).
          expect(result.score).toBeCloseTo(0.79)
          expect(result.suggestions).toContain("biome/format: format the file with Biome")
        })
      )

      it.effect("reports the tree-sitter rules' findings, parsing .tsx with the tsx grammar", () =>
        Effect.gen(function* () {
          const checker = yield* QualityChecker
          const rulesOf = (issues: ReadonlyArray<QualityIssue>) =>
            issues
              .filter((issue) => issue.tool === "tree-sitter-rules")
              .map((issue) => [issue.rule, issue.line, issue.cwe])
          const ts =
            'import { exec } from "node:child_process"\n\nexport const run = (script: string) => exec("sh " + script)\n'
          expect(rulesOf((yield* checker.check(ts, "typescript", "src/run.ts")).issues)).toEqual([
            ["javascript/command-injection", 3, "CWE-78"]
          ])
          const tsx =
            "export const Post = ({ html }: { html: string }) => <div dangerouslySetInnerHTML={{ __html: html }} />\n"
          expect(rulesOf((yield* checker.check(tsx, "typescript", "src/post.tsx")).issues)).toEqual([
            ["javascript/dangerously-set-inner-html", 1, "CWE-79"]
          ])
        })
      )

      it.effect("counts a weakness that Biome, ESLint and the rules all report as one finding", () =>
        Effect.gen(function* () {
          const checker = yield* QualityChecker
          const code = "export function run(input: string) {\n  return eval(input)\n}\n"
          const security = (yield* checker.check(code, "typescript", "src/run.ts")).issues.filter(
            (issue) => issue.category === "security"
          )
          expect(security.map((issue) => [issue.line, issue.cwe, issue.level])).toEqual([[2, "CWE-95", "critical"]])
        })
      )

      it.effect("formats by language id and by alias", () =>
        Effect.gen(function* () {
          const checker = yield* QualityChecker
          const byId = yield* checker.format(messy, "typescript")
          const byAlias = yield* checker.format(messy, "tsx", "src/origin.tsx")
          const expected = `export function isOrigin(p: { x: number; y: number }) {
  if (p.x == 0 && p.y == 0) {
    return true
  }
  return false
}
`
          expect(byId).toBe(expected)
          expect(byAlias).toBe(expected)
        })
      )

      it.effect("fails to format code that does not parse", () =>
        Effect.gen(function* () {
          const error = yield* Effect.flip((yield* QualityChecker).format("const = 1", "typescript"))
          expect(error).toBeInstanceOf(QualityToolError)
        })
      )

      it.effect("reports a syntax error as a syntax issue", () =>
        Effect.gen(function* () {
          const result = yield* (yield* QualityChecker).check("export const a = 1\nconst = 2\n", "typescript", "a.ts")
          expect(result.issues.filter((issue) => issue.category === "syntax").map((issue) => issue.line)).toEqual([2])
        })
      )

      it.effect("does not answer for a language it does not know", () =>
        Effect.gen(function* () {
          const error = yield* Effect.flip((yield* QualityChecker).check("x = 1", "python"))
          expect(error).toBeInstanceOf(LanguageNotSupportedError)
        })
      )
    })
  })
})
