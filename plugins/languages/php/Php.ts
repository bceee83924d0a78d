/**
 * The PHP language pack: tree-sitter checks syntax and runs the PHP rules, Prettier with
 * `@prettier/plugin-php` formats and checks formatting (PSR-12). PHP_CodeSniffer, PHPStan and
 * Psalm need a PHP runtime, which npm does not bring: the rules stand in for their security checks.
 * Its files are scanned for secrets, as every language's are.
 */
import type { LanguagePack } from "../../../core/services/LanguageRegistry.ts"
import { LanguageRegistry } from "../../../core/services/LanguageRegistry.ts"
import { PrettierPhp } from "../../quality/prettier/PrettierPhp.ts"
import * as RuleEngine from "../../quality/tree-sitter/RuleEngine.ts"
import { syntaxCheck } from "../../quality/tree-sitter/SyntaxCheck.ts"
import { php } from "./SecurityRules.ts"

const rules = RuleEngine.make(php)

const pack: LanguagePack = {
  id: "php",
  name: "PHP",
  extensions: [".php"],
  aliases: ["php"],
  comment: { line: "//", block: ["/*", "*/"] },
  formatter: PrettierPhp.formatter,
  tools: [syntaxCheck("php"), rules.tool, PrettierPhp.formatCheck]
}

export const Php = {
  pack,
  /** Registers the pack into the `LanguageRegistry`. */
  layer: LanguageRegistry.register(pack)
}
