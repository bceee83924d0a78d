/**
 * The Go language pack: tree-sitter checks syntax and runs the Go rules, gofmt formats and checks
 * formatting; tests are `<name>_test.go` beside the file (`go test`). No Go linter (go vet,
 * staticcheck) is published to npm as wasm, so the rules are the only lint.
 */
import type { LanguagePack } from "../../../core/services/LanguageRegistry.ts"
import { LanguageRegistry } from "../../../core/services/LanguageRegistry.ts"
import { Gofmt } from "../../quality/gofmt/Gofmt.ts"
import * as RuleEngine from "../../quality/tree-sitter/RuleEngine.ts"
import { syntaxCheck } from "../../quality/tree-sitter/SyntaxCheck.ts"
import { goTest } from "../../testing/frameworks/Frameworks.ts"
import { goAssertions } from "./Assertions.ts"
import { goVetCheck } from "./CompileCheck.ts"
import { go } from "./SecurityRules.ts"
import { goSymbolReader } from "./Symbols.ts"
import { goTestLayout } from "./TestLayout.ts"

/** `go test`'s files: `*_test.go`, beside the code they test. */
export const isGoTestPath = (path: string): boolean => path.endsWith("_test.go")

const rules = RuleEngine.make(go)

const pack: LanguagePack = {
  id: "go",
  name: "Go",
  extensions: [".go"],
  aliases: ["go", "golang"],
  comment: { line: "//", block: ["/*", "*/"] },
  formatter: Gofmt.formatter,
  tools: [syntaxCheck("go"), rules.tool, Gofmt.formatCheck],
  compileCheck: goVetCheck,
  symbols: goSymbolReader,
  testLayout: goTestLayout,
  documentation: { template: "go/doc-comments", docstring: false },
  testFrameworks: [goTest],
  isTestPath: isGoTestPath,
  assertionCheck: goAssertions
}

export const Go = {
  pack,
  /** Registers the pack into the `LanguageRegistry`. */
  layer: LanguageRegistry.register(pack)
}
