/**
 * The JSON language pack: Biome formats it, reports what does not parse (and its few JSON rules,
 * such as duplicate keys), and checks formatting. `.jsonc` is JSON with comments, which Biome knows.
 */
import type { LanguagePack } from "../../../core/services/LanguageRegistry.ts"
import { LanguageRegistry } from "../../../core/services/LanguageRegistry.ts"
import { Biome } from "../../quality/biome/Biome.ts"

/** The pack with its quality tools from `biome` (the default configuration unless given). */
const make = (biome: Biome = Biome.standard): LanguagePack => ({
  id: "json",
  name: "JSON",
  extensions: [".json", ".jsonc"],
  aliases: ["json", "jsonc"],
  // Plain JSON has no comments; a `.jsonc` file takes JavaScript's.
  comment: {},
  // JSON has neither functions nor types; its keys are conventionally camelCase (package.json, tsconfig.json).
  formatter: biome.formatter,
  tools: [biome.linter, biome.formatCheck]
})

const pack = make()

export const Json = {
  pack,
  make,
  /** Registers the default pack into the `LanguageRegistry`. */
  layer: LanguageRegistry.register(pack)
}
