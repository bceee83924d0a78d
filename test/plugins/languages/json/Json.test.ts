import { describe, expect, it, layer } from "@effect/vitest"
import { Effect, Layer, Option } from "effect"
import { QualityToolError } from "../../../../core/errors.ts"
import { LanguageRegistry } from "../../../../core/services/LanguageRegistry.ts"
import { QualityChecker } from "../../../../core/services/QualityChecker.ts"
import { Json } from "../../../../plugins/languages/json/index.ts"

const testLayer = Layer.mergeAll(QualityChecker.layer, Json.layer).pipe(Layer.provideMerge(LanguageRegistry.layer))

describe("Json", () => {
  it("declares the JSON conventions", () => {
    expect(Json.pack.id).toBe("json")
    expect(Json.pack.extensions).toContain(".json")
    expect([Json.pack.symbols, Json.pack.testLayout, Json.pack.testFrameworks]).toEqual([
      undefined,
      undefined,
      undefined
    ])
    expect(Json.pack.formatter?.name).toBe("biome")
  })

  layer(testLayer)("through the QualityChecker", (it) => {
    it.effect("is detected from a .json path", () =>
      Effect.gen(function* () {
        const detected = yield* (yield* LanguageRegistry).detect("package.json")
        expect(Option.map(detected, (pack) => pack.id)).toEqual(Option.some("json"))
      })
    )

    it.effect("scores formatted, valid JSON 1", () =>
      Effect.gen(function* () {
        // Biome formats package.json as npm writes it: always expanded.
        const manifest = '{\n  "name": "x",\n  "private": true\n}\n'
        const result = yield* (yield* QualityChecker).check(manifest, "json", "package.json")
        expect(result.issues).toEqual([])
        expect(result.score).toBe(1)
      })
    )

    it.effect("reports what does not parse as syntax issues", () =>
      Effect.gen(function* () {
        const result = yield* (yield* QualityChecker).check('{\n  "a": 1\n  "b": 2\n}\n', "json", "data.json")
        expect(result.issues.map((issue) => [issue.category, issue.line, issue.column])).toEqual([["syntax", 3, 3]])
      })
    )

    it.effect("accepts comments in .jsonc", () =>
      Effect.gen(function* () {
        const result = yield* (yield* QualityChecker).check('{\n  // why\n  "a": 1\n}\n', "jsonc", "settings.jsonc")
        expect(result.issues).toEqual([])
      })
    )

    it.effect("formats, and fails on what does not parse", () =>
      Effect.gen(function* () {
        const checker = yield* QualityChecker
        expect(yield* checker.format('{"a":[1,2]}', "json")).toBe('{ "a": [1, 2] }\n')
        expect(yield* Effect.flip(checker.format('{"a":}', "json"))).toBeInstanceOf(QualityToolError)
      })
    )
  })
})
