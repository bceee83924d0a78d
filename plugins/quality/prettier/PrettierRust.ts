/**
 * Rust through `prettier-plugin-rust`. The plugin builds Prettier 2 documents and depends on
 * Prettier 2, which Prettier 3 rejects ("Unexpected doc.type 'concat'"), so it runs on the
 * Prettier that the plugin itself resolves: its own Prettier 2 as installed, or the project's
 * Prettier 3 if `overrides` point the plugin at it.
 */
import { createRequire } from "node:module"
import { pathToFileURL } from "node:url"
import { formatCheck } from "../FormatCheck.ts"
import * as Prettier from "./Prettier.ts"

interface PrettierModule {
  readonly format: (code: string, options: object) => string | Promise<string>
}

const hasFormat = (value: unknown): value is PrettierModule =>
  typeof value === "object" && value !== null && "format" in value && typeof value.format === "function"

/** Prettier 2's standalone build is CommonJS: its API is the namespace's `default`. */
const prettierOf = (namespace: unknown): PrettierModule => {
  if (typeof namespace === "object" && namespace !== null && "default" in namespace && hasFormat(namespace.default)) {
    return namespace.default
  }
  if (hasFormat(namespace)) return namespace
  throw new Error("the Prettier that prettier-plugin-rust resolves has no format function")
}

const formatter = Prettier.make({
  name: "prettier-rust",
  grammar: "rust",
  load: async () => {
    const pluginPath = createRequire(import.meta.url).resolve("prettier-plugin-rust")
    const standalone = createRequire(pluginPath).resolve("prettier/standalone")
    const [prettier, plugin] = await Promise.all([
      import(pathToFileURL(standalone).href),
      import("prettier-plugin-rust")
    ])
    const { format } = prettierOf(prettier)
    return async (code, style) => format(code, { parser: "jinx-rust", plugins: [plugin.default], ...style })
  }
})

/** The Rust formatter and its format check. */
export const PrettierRust = { formatter, formatCheck: formatCheck(formatter) }
