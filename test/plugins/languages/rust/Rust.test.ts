import { readFileSync } from "node:fs"
import { describe, expect, it, layer } from "@effect/vitest"
import { Effect, Layer } from "effect"
import { QualityToolError } from "../../../../core/errors.ts"
import { LanguageRegistry } from "../../../../core/services/LanguageRegistry.ts"
import { QualityChecker } from "../../../../core/services/QualityChecker.ts"
import { isRustTestPath, Rust } from "../../../../plugins/languages/rust/index.ts"

const testLayer = Layer.mergeAll(QualityChecker.layer, Rust.layer).pipe(Layer.provideMerge(LanguageRegistry.layer))

const clean = readFileSync(new URL("../../../fixtures/quality/rust/inventory.rs", import.meta.url), "utf8")

const messy = 'fn main(){let x=1;println!("{}",x);}\n'

describe("Rust", () => {
  it("declares the Rust conventions", () => {
    const { pack } = Rust
    expect([pack.id, pack.extensions, pack.aliases, pack.comment.line]).toEqual(["rust", [".rs"], ["rust", "rs"], "//"])
    expect(pack.testFrameworks?.map((framework) => framework.name)).toEqual(["cargo test"])
    expect(pack.testLayout?.template).toBe("rust/test-from-source")
    expect(pack.formatter?.name).toBe("prettier-rust")
    expect(pack.tools.map((tool) => tool.name)).toEqual(["tree-sitter", "tree-sitter-rules", "prettier-rust-format"])
  })

  it.each([
    ["tests/parser.rs", true],
    ["crates/a/tests/parser.rs", true],
    ["src/parser/mod.rs", false]
  ])("calls %s a test file: %s", (path, test) => {
    expect(isRustTestPath(path)).toBe(test)
  })

  layer(testLayer)("through the QualityChecker", (it) => {
    it.effect("scores the clean fixture at least 0.9 with no security finding", () =>
      Effect.gen(function* () {
        const result = yield* (yield* QualityChecker).check(clean, "rust", "src/inventory.rs")
        expect(result.issues.filter((issue) => issue.category === "security")).toEqual([])
        expect(result.score).toBeGreaterThanOrEqual(0.9)
      })
    )

    it.effect("reports the rules' findings", () =>
      Effect.gen(function* () {
        const code = "pub fn first(bytes: &[u8]) -> u8 {\n    unsafe { *bytes.get_unchecked(0) }\n}\n"
        const result = yield* (yield* QualityChecker).check(code, "rs", "src/first.rs")
        expect(result.issues.map((issue) => [issue.rule, issue.category, issue.line])).toEqual([
          ["rust/unsafe-block", "security", 2],
          ["rust/unchecked-memory", "security", 2]
        ])
      })
    )

    it.effect("reports a syntax error at its line", () =>
      Effect.gen(function* () {
        const code = "fn ok() -> u8 {\n    1\n}\n\nfn broken() -> u8 {\n    let x = ;\n    x\n}\n"
        const result = yield* (yield* QualityChecker).check(code, "rust", "src/broken.rs")
        const syntax = result.issues.filter((issue) => issue.category === "syntax")
        expect(syntax.map((issue) => issue.line)).toEqual([6])
      })
    )

    it.effect("formats idempotently", () =>
      Effect.gen(function* () {
        const checker = yield* QualityChecker
        const once = yield* checker.format(messy, "rust")
        expect(once).toBe('fn main() {\n    let x = 1;\n    println!("{}", x);\n}\n')
        expect(yield* checker.format(once, "rust")).toBe(once)
        expect(yield* checker.format(clean, "rust")).toBe(clean)
      })
    )

    it.effect("fails to format code that does not parse", () =>
      Effect.gen(function* () {
        const error = yield* Effect.flip((yield* QualityChecker).format("fn main( {\n", "rust"))
        expect(error).toBeInstanceOf(QualityToolError)
        expect(error.message).toContain("syntax error at 1:")
      })
    )
  })
})
