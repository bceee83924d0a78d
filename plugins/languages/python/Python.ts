/**
 * The Python language pack: tree-sitter checks syntax and runs the Python rules, Ruff lints,
 * formats and checks formatting; tests are pytest files under `tests/`.
 */
import type { LanguagePack } from "../../../core/services/LanguageRegistry.ts"
import { LanguageRegistry } from "../../../core/services/LanguageRegistry.ts"
import { Ruff } from "../../quality/ruff/Ruff.ts"
import * as RuleEngine from "../../quality/tree-sitter/RuleEngine.ts"
import { syntaxCheck } from "../../quality/tree-sitter/SyntaxCheck.ts"
import { pytest } from "../../testing/frameworks/Frameworks.ts"
import { inTestFolder } from "../TestFolders.ts"
import { pythonAssertions } from "./Assertions.ts"
import { pyCompileCheck } from "./CompileCheck.ts"
import { python } from "./SecurityRules.ts"
import { pythonSymbolReader } from "./Symbols.ts"
import { pythonTestLayout } from "./TestLayout.ts"

/** pytest's files: `test_*.py` and `*_test.py`, and everything under a test folder. */
export const isPythonTestPath = (path: string): boolean =>
  inTestFolder(path) || /(^|\/)test_[^/]*\.py$|_test\.py$/.test(path)

const rules = RuleEngine.make(python)

/** The pack with the Ruff given (the default settings unless given). */
const make = (ruff: typeof Ruff.standard = Ruff.standard): LanguagePack => ({
  id: "python",
  name: "Python",
  extensions: [".py", ".pyi"],
  aliases: ["py", "python", "python3"],
  comment: { line: "#" },
  formatter: ruff.formatter,
  tools: [syntaxCheck("python"), rules.tool, ruff.linter, ruff.formatCheck],
  compileCheck: pyCompileCheck,
  symbols: pythonSymbolReader,
  testLayout: pythonTestLayout,
  documentation: { template: "python/doc-comments", docstring: true },
  testFrameworks: [pytest],
  isTestPath: isPythonTestPath,
  assertionCheck: pythonAssertions
})

const pack = make()

export const Python = {
  pack,
  make,
  /** Registers the default pack into the `LanguageRegistry`. */
  layer: LanguageRegistry.register(pack)
}
