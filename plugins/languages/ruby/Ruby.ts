/**
 * The Ruby language pack: tree-sitter checks syntax. RuboCop, Standard and the Prettier Ruby
 * plugin all run on a Ruby runtime, which npm does not bring: there is no formatter and no
 * linter, and Ruby has no tree-sitter rules yet.
 * Its files are scanned for secrets, as every language's are.
 */
import type { LanguagePack } from "../../../core/services/LanguageRegistry.ts"
import { LanguageRegistry } from "../../../core/services/LanguageRegistry.ts"
import { syntaxCheck } from "../../quality/tree-sitter/SyntaxCheck.ts"

const pack: LanguagePack = {
  id: "ruby",
  name: "Ruby",
  extensions: [".rb", ".rake", ".gemspec", ".ru"],
  aliases: ["ruby", "rb"],
  comment: { line: "#", block: ["=begin", "=end"] },
  naming: { files: "snake", functions: "snake", types: "pascal" },
  tools: [syntaxCheck("ruby")]
}

export const Ruby = {
  pack,
  /** Registers the pack into the `LanguageRegistry`. */
  layer: LanguageRegistry.register(pack)
}
