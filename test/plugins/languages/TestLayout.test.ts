import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import type { TestLayoutInput } from "../../../core/domain/TestLayout.ts"
import type { LanguagePack } from "../../../core/services/LanguageRegistry.ts"
import { Go } from "../../../plugins/languages/go/Go.ts"
import { JavaScript } from "../../../plugins/languages/javascript/JavaScript.ts"
import { Python } from "../../../plugins/languages/python/Python.ts"
import { Rust } from "../../../plugins/languages/rust/Rust.ts"
import { TypeScript } from "../../../plugins/languages/typescript/TypeScript.ts"

const reader = (files: Record<string, string>) => (path: string) => Effect.succeed(files[path])

const packs: Readonly<Record<string, LanguagePack>> = {
  typescript: TypeScript.pack,
  javascript: JavaScript.pack,
  python: Python.pack,
  go: Go.pack,
  rust: Rust.pack
}

/** The layout the pack of `language` gives. */
const testLayout = (input: TestLayoutInput & { readonly language: string }) => {
  const rule = packs[input.language]?.testLayout
  return rule === undefined ? Effect.die(`${input.language} has no test layout`) : rule.place(input)
}

describe("each pack's testLayout", () => {
  it.effect("follows each language's convention", () =>
    Effect.gen(function* () {
      const read = reader({
        "package.json": '{"devDependencies":{"vitest":"^3"}}',
        "Cargo.toml": '[package]\nname = "text-kit"\n'
      })
      const ts = yield* testLayout({
        target: "src/util/text.ts",
        language: "typescript",
        source: "export const a = 1",
        read
      })
      expect(ts).toEqual({
        framework: "vitest",
        testPath: "test/util/text.test.ts",
        importFrom: "../../src/util/text",
        subject: "text"
      })
      const js = yield* testLayout({
        target: "lib/a.mjs",
        language: "javascript",
        source: 'import { b } from "./b.mjs"',
        read: reader({ "package.json": "{}" })
      })
      expect(js).toMatchObject({
        framework: "node:test",
        testPath: "test/lib/a.test.mjs",
        importFrom: "../../lib/a.mjs"
      })
      const py = yield* testLayout({ target: "src/pkg/users.py", language: "python", source: "", read })
      expect(py).toEqual({
        framework: "pytest",
        testPath: "tests/test_users.py",
        importFrom: "pkg.users",
        subject: "pkg.users"
      })
      const go = yield* testLayout({
        target: "internal/store/store.go",
        language: "go",
        source: "package store\n",
        read
      })
      expect(go).toMatchObject({ testPath: "internal/store/store_test.go", importFrom: "store" })
      const rs = yield* testLayout({ target: "src/net/http.rs", language: "rust", source: "", read })
      expect(rs).toMatchObject({ testPath: "tests/net_http.rs", importFrom: "text_kit::net::http" })
      const lib = yield* testLayout({ target: "src/lib.rs", language: "rust", source: "", read })
      expect(lib).toMatchObject({ testPath: "tests/text_kit.rs", importFrom: "text_kit" })
      const main = yield* Effect.flip(testLayout({ target: "src/main.rs", language: "rust", source: "", read }))
      expect(main._tag).toBe("TestLayoutError")
    })
  )
})
