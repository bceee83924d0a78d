import { readFileSync } from "node:fs"
import { describe, expect, layer } from "@effect/vitest"
import { Effect, Option } from "effect"
import { LanguageRegistry } from "../../../core/services/LanguageRegistry.ts"
import { QualityChecker } from "../../../core/services/QualityChecker.ts"
import { qualityLayer } from "../../../presets/NodeQuality.ts"

const fixture = (path: string) => readFileSync(new URL(`../../fixtures/quality/${path}`, import.meta.url), "utf8")

interface Case {
  readonly language: string
  readonly path: string
  /** Idiomatic code, already in the pack's style. */
  readonly clean: string
  /** Code with a syntax error on `brokenLine`. */
  readonly broken: string
  readonly brokenLine: number
  /** Valid code the formatter changes; absent for a pack without a formatter. */
  readonly messy?: string
}

const cases: ReadonlyArray<Case> = [
  {
    language: "c",
    path: "src/stack.c",
    // `new` is a name in C, and must not read as C++.
    clean:
      "#include <stddef.h>\n\nint sum(const int *values, size_t count) {\n  int new = 0;\n  for (size_t i = 0; i < count; i++)\n    new += values[i];\n  return new;\n}\n",
    broken: "int sum(int a, int b) {\n  return a +;\n}\n",
    brokenLine: 2,
    messy: "int sum(int a,int b){return a+b;}\n"
  },
  {
    language: "cpp",
    path: "src/stack.cpp",
    clean:
      "#include <vector>\n\nclass Stack {\npublic:\n  void push(int value) { items.push_back(value); }\n  bool empty() const { return items.empty(); }\n\nprivate:\n  std::vector<int> items;\n};\n",
    broken: "class Stack {\npublic:\n  void push(int value { items.push_back(value); }\n};\n",
    brokenLine: 3,
    messy: "class Stack{public:void push(int v){items.push_back(v);}std::vector<int> items;};\n"
  },
  {
    language: "csharp",
    path: "src/Stack.cs",
    clean:
      "namespace Shop\n{\npublic class Cart\n{\n    public int Total(int[] prices)\n    {\n        var sum = 0;\n        foreach (var price in prices)\n            sum += price;\n        return sum;\n    }\n}\n}\n",
    broken: "public class Cart\n{\n    public int Total( { return 0; }\n}\n",
    brokenLine: 3,
    messy: "public class Cart{public int Total(int[] prices){return prices.Length;}}\n"
  },
  {
    language: "php",
    path: "src/Cart.php",
    clean:
      "<?php\n\nfunction total(array $prices): int\n{\n    $sum = 0;\n    foreach ($prices as $price) {\n        $sum += $price;\n    }\n    return $sum;\n}\n",
    broken: "<?php\n\nfunction total(array $prices): int\n{\n    return $prices[0\n}\n",
    brokenLine: 5,
    messy: "<?php\nfunction total(array $prices):int{return array_sum($prices);}\n"
  },
  {
    language: "ruby",
    path: "lib/cart.rb",
    clean:
      "class Cart\n  def initialize(prices)\n    @prices = prices\n  end\n\n  def total\n    @prices.sum\n  end\nend\n",
    broken: "class Cart\n  def total(\n    @prices.sum\n  end\nend\n",
    brokenLine: 2
  }
]

describe("C, C++, C#, PHP and Ruby packs", () => {
  layer(qualityLayer)("registered by default", (it) => {
    it.effect.each(cases)("$language: detected by extension, clean code scores 1", ({ language, path, clean }) =>
      Effect.gen(function* () {
        const registry = yield* LanguageRegistry
        expect(Option.map(yield* registry.detect(path), (pack) => pack.id)).toEqual(Option.some(language))
        const result = yield* (yield* QualityChecker).check(clean, language, path)
        expect(result.issues).toEqual([])
        expect(result.score).toBe(1)
      })
    )

    it.effect.each(cases)("$language: a syntax error at its line", ({ language, path, broken, brokenLine }) =>
      Effect.gen(function* () {
        const { issues } = yield* (yield* QualityChecker).check(broken, language, path)
        const syntax = issues.filter((issue) => issue.category === "syntax")
        expect(syntax.length).toBeGreaterThan(0)
        expect(syntax[0]?.line).toBe(brokenLine)
      })
    )

    it.effect.each(cases.filter((c) => c.messy !== undefined))(
      "$language: formats messy code once and for all, and reports it unformatted",
      ({ language, path, messy = "" }) =>
        Effect.gen(function* () {
          const quality = yield* QualityChecker
          const formatted = yield* quality.format(messy, language, path)
          expect(formatted).not.toBe(messy)
          expect(yield* quality.format(formatted, language, path)).toBe(formatted)
          const { issues } = yield* quality.check(messy, language, path)
          expect(issues.map((issue) => issue.category)).toEqual(["format"])
          expect((yield* quality.check(formatted, language, path)).issues).toEqual([])
        })
    )

    it.effect("refuses to format code that does not parse, rather than print it back", () =>
      Effect.gen(function* () {
        const error = yield* Effect.flip((yield* QualityChecker).format("int main( {\n", "c", "main.c"))
        expect(error._tag).toBe("QualityToolError")
      })
    )

    it.effect.each([
      {
        language: "php",
        path: "app/Http/Controllers/InventoryController.php",
        code: fixture("php/InventoryController.php")
      },
      { language: "ruby", path: "app/models/inventory.rb", code: fixture("ruby/inventory.rb") }
    ])(
      "$language: an idiomatic file of a web app scores at least 0.9 with no security finding",
      ({ language, path, code }) =>
        Effect.gen(function* () {
          const result = yield* (yield* QualityChecker).check(code, language, path)
          expect(result.issues.filter((issue) => issue.category === "security")).toEqual([])
          expect(result.score).toBeGreaterThanOrEqual(0.9)
        })
    )

    it.effect.each([
      {
        language: "php",
        path: "src/Report.php",
        code: "<?php\n\n$rows = $db->query(\"SELECT * FROM users WHERE id = \" . $_GET['id']);\n"
      },
      {
        language: "ruby",
        path: "app/models/report.rb",
        code: "def rows(params)\n  User.where(\"name = '#{params[:name]}'\")\nend\n"
      }
    ])("$language: the rules report SQL built from request input, with its CWE", ({ language, path, code }) =>
      Effect.gen(function* () {
        const { issues } = yield* (yield* QualityChecker).check(code, language, path)
        const security = issues.filter((issue) => issue.category === "security")
        expect(security.map((issue) => [issue.rule.startsWith(`${language}/`), issue.cwe])).toContainEqual([
          true,
          "CWE-89"
        ])
      })
    )

    it.effect("scans Ruby files for secrets like every other language's", () =>
      Effect.gen(function* () {
        const code = 'TOKEN = "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"\n'
        const { issues } = yield* (yield* QualityChecker).check(code, "ruby", "config/token.rb")
        expect(issues.map((issue) => issue.rule)).toContain("secretlint/github")
      })
    )
  })
})
