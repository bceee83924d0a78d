import { readFileSync } from "node:fs"
import { describe, expect, it, layer } from "@effect/vitest"
import { Effect, Layer } from "effect"
import { QualityToolError } from "../../../../core/errors.ts"
import { LanguageRegistry } from "../../../../core/services/LanguageRegistry.ts"
import { QualityChecker } from "../../../../core/services/QualityChecker.ts"
import { Go, isGoTestPath } from "../../../../plugins/languages/go/index.ts"

const testLayer = Layer.mergeAll(QualityChecker.layer, Go.layer).pipe(Layer.provideMerge(LanguageRegistry.layer))

const clean = readFileSync(new URL("../../../fixtures/quality/go/inventory.go", import.meta.url), "utf8")

const messy = 'package main\nimport "fmt"\nfunc main(){\nx:=1\nfmt.Println( x )}\n'

describe("Go", () => {
  it("declares the Go conventions", () => {
    const { pack } = Go
    expect([pack.id, pack.extensions, pack.aliases, pack.comment.line]).toEqual(["go", [".go"], ["go", "golang"], "//"])
    expect(pack.testFrameworks?.map((framework) => framework.name)).toEqual(["go test"])
    expect(pack.testLayout?.template).toBe("go/test-from-source")
    expect(pack.formatter?.name).toBe("gofmt")
    expect(pack.tools.map((tool) => tool.name)).toEqual(["tree-sitter", "tree-sitter-rules", "gofmt-format"])
  })

  it.each([
    ["internal/users/store_test.go", true],
    ["main_test.go", true],
    ["main.go", false],
    ["testdata/fixture.go", false]
  ])("calls %s a test file: %s", (path, test) => {
    expect(isGoTestPath(path)).toBe(test)
  })

  layer(testLayer)("through the QualityChecker", (it) => {
    it.effect("scores the clean fixture at least 0.9 with no security finding", () =>
      Effect.gen(function* () {
        const result = yield* (yield* QualityChecker).check(clean, "go", "inventory/inventory.go")
        expect(result.issues.filter((issue) => issue.category === "security")).toEqual([])
        expect(result.score).toBeGreaterThanOrEqual(0.9)
      })
    )

    it.effect("reports the rules' findings", () =>
      Effect.gen(function* () {
        const code =
          'package main\n\nimport "os/exec"\n\nfunc run(script string) error {\n\treturn exec.Command("sh", "-c", script).Run()\n}\n'
        const result = yield* (yield* QualityChecker).check(code, "golang", "run.go")
        expect(result.issues.map((issue) => [issue.rule, issue.category, issue.line, issue.cwe])).toEqual([
          ["go/exec-shell", "security", 6, "CWE-78"]
        ])
        expect(result.score).toBe(0.8)
      })
    )

    it.effect("reports a syntax error at its line", () =>
      Effect.gen(function* () {
        const code = "package main\n\nfunc ok() int {\n\treturn 1\n}\n\nfunc broken( {\n\treturn\n}\n"
        const result = yield* (yield* QualityChecker).check(code, "go", "broken.go")
        const syntax = result.issues.filter((issue) => issue.category === "syntax")
        expect(syntax[0]?.line).toBe(7)
      })
    )

    it.effect("formats idempotently", () =>
      Effect.gen(function* () {
        const checker = yield* QualityChecker
        const once = yield* checker.format(messy, "go")
        expect(once).toBe('package main\n\nimport "fmt"\n\nfunc main() {\n\tx := 1\n\tfmt.Println(x)\n}\n')
        expect(yield* checker.format(once, "go")).toBe(once)
        expect(yield* checker.format(clean, "go")).toBe(clean)
      })
    )

    it.effect("fails to format code that does not parse", () =>
      Effect.gen(function* () {
        const error = yield* Effect.flip((yield* QualityChecker).format("package main\nfunc main( {\n", "go"))
        expect(error).toBeInstanceOf(QualityToolError)
        expect(error).toMatchObject({ tool: "gofmt", cause: "2:12: expected ')', found '{'" })
      })
    )

    it.effect("reports unformatted code as a format finding", () =>
      Effect.gen(function* () {
        const result = yield* (yield* QualityChecker).check(messy, "go", "main.go")
        expect(result.issues.map((issue) => [issue.rule, issue.line])).toEqual([["gofmt/format", 2]])
      })
    )
  })
})
