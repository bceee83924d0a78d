/**
 * The C++ language pack: tree-sitter checks syntax, clang-format compiled to wasm formats and
 * checks formatting, in the LLVM style. No C++ linter or analyser (clang-tidy, cppcheck) is
 * published to npm as wasm, and C++ has no tree-sitter rules yet. `.h` belongs to the C pack.
 * Its files are scanned for secrets, as every language's are.
 */
import type { LanguagePack } from "../../../core/services/LanguageRegistry.ts"
import { LanguageRegistry } from "../../../core/services/LanguageRegistry.ts"
import * as ClangFormat from "../../quality/clang-format/ClangFormat.ts"
import { syntaxCheck } from "../../quality/tree-sitter/SyntaxCheck.ts"

const pack: LanguagePack = {
  id: "cpp",
  name: "C++",
  extensions: [".cpp", ".cc", ".cxx", ".c++", ".hpp", ".hh", ".hxx", ".h++", ".ipp"],
  aliases: ["cpp", "c++", "cxx"],
  comment: { line: "//", block: ["/*", "*/"] },
  formatter: ClangFormat.cpp.formatter,
  tools: [syntaxCheck("cpp"), ClangFormat.cpp.formatCheck]
}

export const Cpp = {
  pack,
  /** Registers the pack into the `LanguageRegistry`. */
  layer: LanguageRegistry.register(pack)
}
