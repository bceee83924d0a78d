/**
 * The Ruby language pack: tree-sitter checks syntax and runs the Ruby rules. RuboCop, Standard
 * and the Prettier Ruby plugin all run on a Ruby runtime, which npm does not bring: there is no
 * formatter and no linter, and the rules stand in for Brakeman's security checks.
 * Its files are scanned for secrets, as every language's are.
 */
import type { LanguagePack } from "../../../core/services/LanguageRegistry.ts"
import { LanguageRegistry } from "../../../core/services/LanguageRegistry.ts"
import * as RuleEngine from "../../quality/tree-sitter/RuleEngine.ts"
import { syntaxCheck } from "../../quality/tree-sitter/SyntaxCheck.ts"
import { ruby } from "./SecurityRules.ts"

const rules = RuleEngine.make(ruby)

const pack: LanguagePack = {
  id: "ruby",
  name: "Ruby",
  extensions: [".rb", ".rake", ".gemspec", ".ru"],
  aliases: ["ruby", "rb"],
  comment: { line: "#", block: ["=begin", "=end"] },
  tools: [syntaxCheck("ruby"), rules.tool]
}

export const Ruby = {
  pack,
  /** Registers the pack into the `LanguageRegistry`. */
  layer: LanguageRegistry.register(pack)
}
