import { describe, expect, it, layer } from "@effect/vitest"
import { Effect, Layer, Option } from "effect"
import type { QualityIssue } from "../../../../core/domain/Quality.ts"
import { LanguageRegistry } from "../../../../core/services/LanguageRegistry.ts"
import { QualityChecker } from "../../../../core/services/QualityChecker.ts"
import { JavaScript } from "../../../../plugins/languages/javascript/index.ts"

const testLayer = Layer.mergeAll(QualityChecker.layer, JavaScript.layer).pipe(
  Layer.provideMerge(LanguageRegistry.layer)
)

describe("JavaScript", () => {
  it("declares the JavaScript conventions", () => {
    const { pack } = JavaScript
    expect(pack.id).toBe("javascript")
    expect(pack.extensions).toEqual([".js", ".mjs", ".cjs", ".jsx"])
    expect(pack.comment).toEqual({ line: "//", block: ["/*", "*/"] })
    expect(pack.testFrameworks?.map((framework) => framework.name)).toEqual(["vitest", "node:test"])
    expect(pack.isTestPath?.("src/foo.js")).toBe(false)
    expect(pack.isTestPath?.("src/foo.spec.js")).toBe(true)
    expect(pack.tools.map((tool) => tool.name)).toEqual(["biome", "biome-format", "eslint", "tree-sitter-rules"])
  })

  layer(testLayer)("through the QualityChecker", (it) => {
    it.effect("is detected from .mjs and .cjs paths and found by alias", () =>
      Effect.gen(function* () {
        const registry = yield* LanguageRegistry
        for (const path of ["src/a.mjs", "src/a.cjs", "src/a.jsx"]) {
          expect(Option.map(yield* registry.detect(path), (pack) => pack.id)).toEqual(Option.some("javascript"))
        }
        expect((yield* registry.get("js")).id).toBe("javascript")
      })
    )

    it.effect("scores clean code 1", () =>
      Effect.gen(function* () {
        const code =
          'import { readFile } from "node:fs/promises"\n\nexport const load = (path) => readFile(path, "utf8")\n'
        const result = yield* (yield* QualityChecker).check(code, "javascript", "src/load.mjs")
        expect(result.issues).toEqual([])
        expect(result.score).toBe(1)
      })
    )

    it.effect("reports the tree-sitter rules' findings in .js and .jsx files", () =>
      Effect.gen(function* () {
        const checker = yield* QualityChecker
        const rulesOf = (issues: ReadonlyArray<QualityIssue>) =>
          issues.filter((issue) => issue.tool === "tree-sitter-rules").map((issue) => [issue.rule, issue.line])
        const js = 'export const token = () => Math.random().toString(36)\nexport const apiKey = "sk-live-4f9a8b7c"\n'
        expect(rulesOf((yield* checker.check(js, "javascript", "src/keys.mjs")).issues)).toEqual([
          ["javascript/insecure-random", 1],
          ["javascript/hardcoded-credential", 2]
        ])
        const jsx = "export const Post = ({ html }) => <div dangerouslySetInnerHTML={{ __html: html }} />\n"
        expect(rulesOf((yield* checker.check(jsx, "javascript", "src/post.jsx")).issues)).toEqual([
          ["javascript/dangerously-set-inner-html", 1]
        ])
      })
    )

    it.effect("reports TypeScript syntax in a .js file as a syntax error", () =>
      Effect.gen(function* () {
        const result = yield* (yield* QualityChecker).check("export const f = (a: number) => a\n", "js", "src/f.js")
        expect(result.issues.map((issue) => [issue.category, issue.line, issue.column])).toContainEqual([
          "syntax",
          1,
          20
        ])
      })
    )

    it.effect("formats by alias", () =>
      Effect.gen(function* () {
        const formatted = yield* (yield* QualityChecker).format("module.exports={a:'b'};", "js", "index.cjs")
        expect(formatted).toBe('module.exports = { a: "b" }\n')
      })
    )
  })
})
