/**
 * YAML: Prettier parses and formats it. It is in almost every change (CI files, configs).
 */
import { type LanguagePack, LanguageRegistry } from "../../../core/services/LanguageRegistry.ts"
import { prettierCore } from "../../quality/prettier/PrettierCore.ts"

const prettier = prettierCore("yaml")

const pack: LanguagePack = {
  id: "yaml",
  name: "YAML",
  extensions: [".yaml", ".yml"],
  aliases: ["yaml", "yml"],
  comment: { line: "#" },
  formatter: prettier.formatter,
  tools: [prettier.syntax, prettier.formatCheck]
}

export const Yaml = { pack, layer: LanguageRegistry.register(pack) }
