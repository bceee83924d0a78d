/**
 * The C# language pack: tree-sitter checks syntax, clang-format compiled to wasm formats and
 * checks formatting, in the Microsoft style. The .NET analysers and `dotnet format` need the .NET
 * SDK, which npm does not bring, and C# has no tree-sitter rules yet.
 * Its files are scanned for secrets, as every language's are.
 */
import type { LanguagePack } from "../../../core/services/LanguageRegistry.ts"
import { LanguageRegistry } from "../../../core/services/LanguageRegistry.ts"
import * as ClangFormat from "../../quality/clang-format/ClangFormat.ts"
import { syntaxCheck } from "../../quality/tree-sitter/SyntaxCheck.ts"

const pack: LanguagePack = {
  id: "csharp",
  name: "C#",
  extensions: [".cs"],
  aliases: ["csharp", "cs", "c#"],
  comment: { line: "//", block: ["/*", "*/"] },
  formatter: ClangFormat.csharp.formatter,
  tools: [syntaxCheck("c-sharp"), ClangFormat.csharp.formatCheck]
}

export const CSharp = {
  pack,
  /** Registers the pack into the `LanguageRegistry`. */
  layer: LanguageRegistry.register(pack)
}
