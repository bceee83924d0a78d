/**
 * CSS: Prettier parses and formats it.
 */
import { type LanguagePack, LanguageRegistry } from "../../../core/services/LanguageRegistry.ts"
import { prettierCore } from "../../quality/prettier/PrettierCore.ts"

const prettier = prettierCore("css")

const pack: LanguagePack = {
  id: "css",
  name: "CSS",
  extensions: [".css"],
  aliases: ["css"],
  comment: { block: ["/*", "*/"] },
  formatter: prettier.formatter,
  tools: [prettier.syntax, prettier.formatCheck]
}

export const Css = { pack, layer: LanguageRegistry.register(pack) }
