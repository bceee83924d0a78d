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
import { cargoCheck } from "./CompileCheck.ts"
import { rust } from "./SecurityRules.ts"

/** `src/parser.rs` → `tests/parser.rs`, `src/parser/mod.rs` → `tests/parser.rs`; a file under `tests/` maps to itself. */
export const cargoTestPath = (sourcePath: string): string => {
  const path = sourcePath.replaceAll("\\", "/")
  if (/(^|\/)tests\//.test(path)) return path
  const withoutMod = path.replace(/\/mod\.rs$/, ".rs")
  const name = withoutMod.slice(withoutMod.lastIndexOf("/") + 1)
  return `tests/${name}`
}

const rules = RuleEngine.make(rust)

const pack: LanguagePack = {
  id: "rust",
  name: "Rust",
  extensions: [".rs"],
  aliases: ["rust", "rs"],
  comment: { line: "//", block: ["/*", "*/"] },
  naming: { files: "snake", functions: "snake", types: "pascal" },
  tests: { framework: "cargo test", testPathFor: cargoTestPath },
  formatter: PrettierRust.formatter,
  tools: [syntaxCheck("rust"), rules.tool, PrettierRust.formatCheck],
  compileCheck: cargoCheck
}

export const Rust = {
  pack,
  /** Registers the pack into the `LanguageRegistry`. */
  layer: LanguageRegistry.register(pack)
}
