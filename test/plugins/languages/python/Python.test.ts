import { readFileSync } from "node:fs"
import { describe, expect, it, layer } from "@effect/vitest"
import { Effect, Layer } from "effect"
import { QualityToolError } from "../../../../core/errors.ts"
import { LanguageRegistry } from "../../../../core/services/LanguageRegistry.ts"
import { QualityChecker } from "../../../../core/services/QualityChecker.ts"
import { isPythonTestPath, Python } from "../../../../plugins/languages/python/index.ts"

const testLayer = Layer.mergeAll(QualityChecker.layer, Python.layer).pipe(Layer.provideMerge(LanguageRegistry.layer))

const clean = readFileSync(new URL("../../../fixtures/quality/python/inventory.py", import.meta.url), "utf8")

const messy = "import os\ndef  area( w,h ):\n  return w*h\n"

describe("Python", () => {
  it("declares the Python conventions", () => {
    const { pack } = Python
    expect([pack.id, pack.extensions, pack.aliases, pack.comment]).toEqual([
      "python",
      [".py", ".pyi"],
      ["py", "python", "python3"],
      { line: "#" }
    ])
    expect(pack.testFrameworks?.map((framework) => framework.name)).toEqual(["pytest"])
    expect(pack.testLayout?.template).toBe("python/test-from-source")
    expect(pack.documentation).toEqual({ template: "python/doc-comments", docstring: true })
    expect(pack.formatter?.name).toBe("ruff")
    expect(pack.tools.map((tool) => tool.name)).toEqual(["tree-sitter", "tree-sitter-rules", "ruff", "ruff-format"])
  })

  it.each([
    ["tests/test_inventory.py", true],
    ["shop/inventory_test.py", true],
    ["tests/conftest.py", true],
    ["src/shop/inventory.py", false],
    ["inventory.pyi", false]
  ])("calls %s a test file: %s", (path, test) => {
    expect(isPythonTestPath(path)).toBe(test)
  })

  layer(testLayer)("through the QualityChecker", (it) => {
    it.effect("scores the clean fixture at least 0.9 with no security finding", () =>
      Effect.gen(function* () {
        const result = yield* (yield* QualityChecker).check(clean, "python", "src/inventory.py")
        expect(result.issues.filter((issue) => issue.category === "security")).toEqual([])
        expect(result.score).toBeGreaterThanOrEqual(0.9)
      })
    )

    it.effect("reports Ruff's and the rules' findings with their categories", () =>
      Effect.gen(function* () {
        const code =
          'import subprocess\n\n\ndef run(command):\n    subprocess.run(command, shell=True)\n    password = "hunter2"\n    return password\n'
        const result = yield* (yield* QualityChecker).check(code, "py", "src/run.py")
        const found = result.issues.map((issue) => [issue.rule, issue.category, issue.line])
        expect(found).toContainEqual(["python/command-injection", "security", 5])
        expect(found).toContainEqual(["python/hardcoded-credential", "security", 6])
        expect(result.score).toBe(0.6)
      })
    )

    it.effect("reports a syntax error at its line", () =>
      Effect.gen(function* () {
        const code = "def ok():\n    return 1\n\n\ndef broken(:\n    return 2\n"
        const result = yield* (yield* QualityChecker).check(code, "python", "src/broken.py")
        const syntax = result.issues.filter((issue) => issue.category === "syntax")
        expect(syntax.length).toBeGreaterThan(0)
        expect(new Set(syntax.map((issue) => issue.line))).toEqual(new Set([5]))
      })
    )

    it.effect("formats idempotently", () =>
      Effect.gen(function* () {
        const checker = yield* QualityChecker
        const once = yield* checker.format(messy, "python")
        expect(once).toBe("import os\n\n\ndef area(w, h):\n    return w * h\n")
        expect(yield* checker.format(once, "python")).toBe(once)
        expect(yield* checker.format(clean, "python")).toBe(clean)
      })
    )

    it.effect("fails to format code that does not parse", () =>
      Effect.gen(function* () {
        const error = yield* Effect.flip((yield* QualityChecker).format("def f(:\n    pass\n", "python"))
        expect(error).toBeInstanceOf(QualityToolError)
      })
    )

    it.effect("reports unformatted code as a format finding", () =>
      Effect.gen(function* () {
        const result = yield* (yield* QualityChecker).check(messy, "python", "src/area.py")
        expect(result.issues.map((issue) => issue.rule)).toEqual(expect.arrayContaining(["ruff/F401", "ruff/format"]))
      })
    )
  })
})
