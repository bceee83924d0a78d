/**
 * Java through `prettier-plugin-java` on Prettier 3's standalone build (no config file lookup).
 * The plugin parses with its own tree-sitter grammar; the first call takes about a second.
 */
import { formatCheck } from "../FormatCheck.ts"
import * as Prettier from "./Prettier.ts"

const formatter = Prettier.make({
  name: "prettier-java",
  grammar: "java",
  load: async () => {
    const [prettier, plugin] = await Promise.all([import("prettier/standalone"), import("prettier-plugin-java")])
    return (code, style) =>
      prettier.format(code, { parser: "java", plugins: [plugin.default], printWidth: 100, ...style })
  }
})

/** The Java formatter and its format check. */
export const PrettierJava = { formatter, formatCheck: formatCheck(formatter) }
