/**
 * The TypeScript language pack: Biome formats, lints and checks formatting, ESLint runs
 * eslint-plugin-security, and the tree-sitter rules of `rules/typescript.ts` find security and
 * performance problems (`.tsx` parsed with the tsx grammar); generated tests mirror the source
 * tree under `test/`, in vitest, or in node:test when a workspace with a package.json does not
 * declare vitest.
 */
import type { LanguagePack } from "../../../core/services/LanguageRegistry.ts"
import { LanguageRegistry } from "../../../core/services/LanguageRegistry.ts"
import { Biome } from "../../quality/biome/Biome.ts"
import { Eslint } from "../../quality/eslint/Eslint.ts"
import * as RuleEngine from "../../quality/tree-sitter/RuleEngine.ts"
import { nodeTest, vitest } from "../../testing/frameworks/Frameworks.ts"
import { typeScriptAssertions } from "../javascript/Assertions.ts"
import { javaScriptSymbolReader } from "../javascript/Symbols.ts"
import { javaScriptTestLayout } from "../javascript/TestLayout.ts"
import { isJavaScriptTestPath } from "../javascript/TestPath.ts"
import { tscCheck } from "./CompileCheck.ts"
import { typescript } from "./SecurityRules.ts"

// JSX parses only in the tsx grammar; .ts, .mts and .cts use typescript, whose `<T>x` casts tsx rejects.
const rules = RuleEngine.byExtension(typescript, { ".tsx": "tsx" })

/** The pack with its quality tools from `biome` (the default configuration unless given). */
const make = (biome: Biome = Biome.standard): LanguagePack => ({
  id: "typescript",
  name: "TypeScript",
  extensions: [".ts", ".tsx", ".mts", ".cts"],
  aliases: ["ts", "typescript", "tsx"],
  comment: { line: "//", block: ["/*", "*/"] },
  formatter: biome.formatter,
  tools: [biome.linter, biome.formatCheck, Eslint, rules.tool],
  compileCheck: tscCheck,
  symbols: javaScriptSymbolReader,
  testLayout: javaScriptTestLayout("vitest"),
  documentation: { template: "typescript/doc-comments", docstring: false },
  testFrameworks: [vitest, nodeTest],
  isTestPath: isJavaScriptTestPath,
  assertionCheck: typeScriptAssertions
})

const pack = make()

export const TypeScript = {
  pack,
  make,
  /** Registers the default pack into the `LanguageRegistry`. */
  layer: LanguageRegistry.register(pack)
}
