import { describe, expect, it } from "@effect/vitest"
import { Effect, Layer } from "effect"
import { type LanguagePack, LanguageRegistry } from "../../../core/services/LanguageRegistry.ts"

const pack = (id: string, extension: string, isTestPath?: (path: string) => boolean): LanguagePack => ({
  id,
  name: id,
  extensions: [extension],
  aliases: [],
  comment: {},
  tools: [],
  ...(isTestPath === undefined ? {} : { isTestPath })
})

const registered = (first: LanguagePack, ...rest: ReadonlyArray<LanguagePack>) =>
  Layer.mergeAll(LanguageRegistry.register(first), ...rest.map(LanguageRegistry.register)).pipe(
    Layer.provideMerge(LanguageRegistry.layer)
  )

describe("LanguageRegistry.isTestPath", () => {
  it.effect("is a test path when some registered pack calls it one, whatever the file's extension", () =>
    Effect.gen(function* () {
      const registry = yield* LanguageRegistry
      expect(yield* registry.isTestPath("src/a_test.go")).toBe(true)
      expect(yield* registry.isTestPath("spec/fixtures/data.json")).toBe(true)
      expect(yield* registry.isTestPath("src/a.go")).toBe(false)
      expect(yield* registry.isTestPath("src/a.txt")).toBe(false)
    }).pipe(
      Effect.provide(
        registered(
          pack("go", ".go", (path) => path.endsWith("_test.go")),
          pack("js", ".js", (path) => path.startsWith("spec/")),
          pack("txt", ".txt")
        )
      )
    )
  )

  it.effect("knows no test file without a pack that says so", () =>
    Effect.gen(function* () {
      expect(yield* (yield* LanguageRegistry).isTestPath("test/a.test.ts")).toBe(false)
    }).pipe(Effect.provide(registered(pack("txt", ".txt"))))
  )
})
