/**
 * The Rust language pack: tree-sitter checks syntax and runs the Rust rules, Prettier with
 * `prettier-plugin-rust` formats and checks formatting; integration tests are `tests/<name>.rs`
 * (cargo). rustfmt and clippy are not published to npm as wasm, so the rules are the only lint.
 */
import type { LanguagePack } from "../../../core/services/LanguageRegistry.ts"
import { LanguageRegistry } from "../../../core/services/LanguageRegistry.ts"
import { PrettierRust } from "../../quality/prettier/PrettierRust.ts"
import * as RuleEngine from "../../quality/tree-sitter/RuleEngine.ts"
import { syntaxCheck } from "../../quality/tree-sitter/SyntaxCheck.ts"
import { cargoTest } from "../../testing/frameworks/Frameworks.ts"
import { rustAssertions } from "./Assertions.ts"
import { cargoCheck } from "./CompileCheck.ts"
import { rust } from "./SecurityRules.ts"
import { rustSymbolReader } from "./Symbols.ts"
import { rustTestLayout } from "./TestLayout.ts"

/** cargo's integration tests: the files under a `tests/` folder. */
export const isRustTestPath = (path: string): boolean => /(^|\/)tests\//.test(path)

const rules = RuleEngine.make(rust)

const pack: LanguagePack = {
  id: "rust",
  name: "Rust",
  extensions: [".rs"],
  aliases: ["rust", "rs"],
  comment: { line: "//", block: ["/*", "*/"] },
  formatter: PrettierRust.formatter,
  tools: [syntaxCheck("rust"), rules.tool, PrettierRust.formatCheck],
  compileCheck: cargoCheck,
  symbols: rustSymbolReader,
  testLayout: rustTestLayout,
  documentation: { template: "rust/doc-comments", docstring: false },
  testFrameworks: [cargoTest],
  isTestPath: isRustTestPath,
  assertionCheck: rustAssertions
}

export const Rust = {
  pack,
  /** Registers the pack into the `LanguageRegistry`. */
  layer: LanguageRegistry.register(pack)
}
