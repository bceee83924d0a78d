/**
 * PHP through `@prettier/plugin-php` on Prettier 3's standalone build (no config file lookup):
 * PSR-12 layout, four spaces.
 */
import type { Plugin } from "prettier"
import { formatCheck } from "../FormatCheck.ts"
import * as Prettier from "./Prettier.ts"

const formatter = Prettier.make({
  name: "prettier-php",
  grammar: "php",
  load: async () => {
    const [prettier, standalone] = await Promise.all([
      import("prettier/standalone"),
      import("@prettier/plugin-php/standalone")
    ])
    // The package's types declare an ES default export; its standalone build is CommonJS, whose
    // `module.exports` (the default import here) is the plugin itself.
    const plugin = standalone.default as unknown as Plugin
    return (code, style) => prettier.format(code, { parser: "php", plugins: [plugin], printWidth: 100, ...style })
  }
})

/** The PHP formatter and its format check. */
export const PrettierPhp = { formatter, formatCheck: formatCheck(formatter) }
