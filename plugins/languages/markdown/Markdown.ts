/**
 * Markdown: Prettier parses and formats it (READMEs, docs of every change).
 */
import { type LanguagePack, LanguageRegistry } from "../../../core/services/LanguageRegistry.ts"
import { prettierCore } from "../../quality/prettier/PrettierCore.ts"

const prettier = prettierCore("markdown")

const pack: LanguagePack = {
  id: "markdown",
  name: "Markdown",
  extensions: [".md", ".markdown"],
  aliases: ["markdown", "md"],
  comment: { block: ["<!--", "-->"] },
  formatter: prettier.formatter,
  tools: [prettier.syntax, prettier.formatCheck]
}

export const Markdown = { pack, layer: LanguageRegistry.register(pack) }
