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
import { goVetCheck } from "./CompileCheck.ts"
import { go } from "./SecurityRules.ts"

/** `internal/users/store.go` → `internal/users/store_test.go`; a test file maps to itself. */
export const goTestPath = (sourcePath: string): string => {
  const path = sourcePath.replaceAll("\\", "/")
  return path.endsWith("_test.go") ? path : `${path.replace(/\.go$/, "")}_test.go`
}

const rules = RuleEngine.make(go)

const pack: LanguagePack = {
  id: "go",
  name: "Go",
  extensions: [".go"],
  aliases: ["go", "golang"],
  comment: { line: "//", block: ["/*", "*/"] },
  naming: { files: "snake", functions: "camel", types: "pascal" },
  tests: { framework: "go test", testPathFor: goTestPath },
  formatter: Gofmt.formatter,
  tools: [syntaxCheck("go"), rules.tool, Gofmt.formatCheck],
  compileCheck: goVetCheck
}

export const Go = {
  pack,
  /** Registers the pack into the `LanguageRegistry`. */
  layer: LanguageRegistry.register(pack)
}
