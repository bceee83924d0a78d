/**
 * The PHP language pack: tree-sitter checks syntax, Prettier with `@prettier/plugin-php` formats
 * and checks formatting (PSR-12). PHP_CodeSniffer, PHPStan and Psalm need a PHP runtime, which
 * npm does not bring, and PHP has no tree-sitter rules yet.
 * Its files are scanned for secrets, as every language's are.
 */
import type { LanguagePack } from "../../../core/services/LanguageRegistry.ts"
import { LanguageRegistry } from "../../../core/services/LanguageRegistry.ts"
import { PrettierPhp } from "../../quality/prettier/PrettierPhp.ts"
import { syntaxCheck } from "../../quality/tree-sitter/SyntaxCheck.ts"

const pack: LanguagePack = {
  id: "php",
  name: "PHP",
  extensions: [".php"],
  aliases: ["php"],
  comment: { line: "//", block: ["/*", "*/"] },
  naming: { files: "pascal", functions: "camel", types: "pascal" },
  formatter: PrettierPhp.formatter,
  tools: [syntaxCheck("php"), PrettierPhp.formatCheck]
}

export const Php = {
  pack,
  /** Registers the pack into the `LanguageRegistry`. */
  layer: LanguageRegistry.register(pack)
}
