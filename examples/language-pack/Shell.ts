/**
 * A language pack written from scratch, outside the project's own packs: shell scripts. It says
 * what the language is (extensions, aliases, comment token), which files are its tests (bats
 * files and anything under a test folder), and brings two quality tools built on tree-sitter's
 * bash grammar. It has no formatter, no symbol reader and no test framework: each is optional,
 * and what a pack leaves out the pipeline simply does not do for its files.
 */
import { type LanguagePack, LanguageRegistry } from "../../core/services/LanguageRegistry.ts"
import { shellRules, shellSyntax } from "./ShellRules.ts"

const pack: LanguagePack = {
  id: "shell",
  name: "Shell",
  extensions: [".sh", ".bash"],
  aliases: ["sh", "bash", "shell"],
  comment: { line: "#" },
  tools: [shellSyntax, shellRules],
  isTestPath: (path) => path.endsWith(".bats") || /(^|\/)tests?\/[^/]*\.(sh|bash)$/.test(path)
}

export const Shell = {
  pack,
  /** Registers the pack into the `LanguageRegistry`: the one line a wiring adds. */
  layer: LanguageRegistry.register(pack)
}
