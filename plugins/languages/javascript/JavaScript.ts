/**
 * The JavaScript language pack: Biome formats, lints and checks formatting, ESLint runs
 * eslint-plugin-security, and the tree-sitter rules of `rules/typescript.ts` (shared with
 * TypeScript) find security and performance problems; generated tests mirror the source tree
 * under `test/`, in node:test, or in vitest when the workspace declares it.
 */
import type { LanguagePack } from "../../../core/services/LanguageRegistry.ts"
import { LanguageRegistry } from "../../../core/services/LanguageRegistry.ts"
import { Biome } from "../../quality/biome/Biome.ts"
import { Eslint } from "../../quality/eslint/Eslint.ts"
import * as RuleEngine from "../../quality/tree-sitter/RuleEngine.ts"
import { nodeTest, vitest } from "../../testing/frameworks/Frameworks.ts"
import { typescript } from "../typescript/SecurityRules.ts"
import { javaScriptAssertions } from "./Assertions.ts"
import { nodeCheck } from "./CompileCheck.ts"
import { javaScriptSymbolReader } from "./Symbols.ts"
import { javaScriptTestLayout } from "./TestLayout.ts"
import { isJavaScriptTestPath } from "./TestPath.ts"

// The javascript grammar parses JSX too, so one grammar serves .js, .mjs, .cjs and .jsx.
const rules = RuleEngine.make(typescript, "javascript")

/** The pack with its quality tools from `biome` (the default configuration unless given). */
const make = (biome: Biome = Biome.standard): LanguagePack => ({
  id: "javascript",
  name: "JavaScript",
  extensions: [".js", ".mjs", ".cjs", ".jsx"],
  aliases: ["js", "javascript", "jsx", "node"],
  comment: { line: "//", block: ["/*", "*/"] },
  formatter: biome.formatter,
  tools: [biome.linter, biome.formatCheck, Eslint, rules.tool],
  compileCheck: nodeCheck,
  symbols: javaScriptSymbolReader,
  testLayout: javaScriptTestLayout("node:test"),
  documentation: { template: "typescript/doc-comments", docstring: false },
  testFrameworks: [vitest, nodeTest],
  isTestPath: isJavaScriptTestPath,
  assertionCheck: javaScriptAssertions
})

const pack = make()

export const JavaScript = {
  pack,
  make,
  /** Registers the default pack into the `LanguageRegistry`. */
  layer: LanguageRegistry.register(pack)
}
