/**
 * The C language pack: tree-sitter (the `tree-sitter-c` grammar) checks syntax, clang-format
 * compiled to wasm formats and checks formatting, in the LLVM style. No C linter or analyser
 * (clang-tidy, cppcheck) is published to npm as wasm, and C has no tree-sitter rules yet.
 * Its files are scanned for secrets, as every language's are.
 */
import type { LanguagePack } from "../../../core/services/LanguageRegistry.ts"
import { LanguageRegistry } from "../../../core/services/LanguageRegistry.ts"
import * as ClangFormat from "../../quality/clang-format/ClangFormat.ts"
import { syntaxCheck } from "../../quality/tree-sitter/SyntaxCheck.ts"

const pack: LanguagePack = {
  id: "c",
  name: "C",
  extensions: [".c", ".h"],
  aliases: ["c"],
  comment: { line: "//", block: ["/*", "*/"] },
  formatter: ClangFormat.c.formatter,
  tools: [syntaxCheck("c"), ClangFormat.c.formatCheck]
}

export const C = {
  pack,
  /** Registers the pack into the `LanguageRegistry`. */
  layer: LanguageRegistry.register(pack)
}
