/**
 * Where Rust's generated tests go: an integration test `tests/<module path>.rs` (cargo test),
 * importing `use <crate>::<module path>::{…}` with the crate named in Cargo.toml. Integration
 * tests reach only the library, so a target outside `src/` or the binary's `main.rs` has none.
 */
import { Effect } from "effect"
import type { TestLayoutInput } from "../../../core/domain/TestLayout.ts"
import { TestLayoutError } from "../../../core/errors.ts"
import type { TestLayoutRule } from "../../../core/services/LanguageRegistry.ts"
import { crateName } from "./Symbols.ts"
import { rustTestCases } from "./TestCases.ts"

export const rustTestLayout: TestLayoutRule = {
  template: "rust/test-from-source",
  cases: rustTestCases,
  place: Effect.fnUntraced(function* ({ target, read }: TestLayoutInput) {
    const manifest = yield* read("Cargo.toml")
    const crate = manifest === undefined ? undefined : crateName(manifest)
    if (crate === undefined) return yield* new TestLayoutError({ target, reason: "no crate name in Cargo.toml" })
    if (!target.startsWith("src/") || target === "src/main.rs") {
      return yield* new TestLayoutError({ target, reason: "integration tests reach only the library under src/" })
    }
    const modules = target
      .slice("src/".length)
      .replace(/\.rs$/, "")
      .split("/")
      .filter((part) => part !== "lib" && part !== "mod")
    const path = [crate, ...modules].join("::")
    return {
      framework: "cargo test",
      testPath: `tests/${modules.length === 0 ? crate : modules.join("_")}.rs`,
      importFrom: path,
      subject: path
    }
  })
}
