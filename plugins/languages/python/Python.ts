/**
 * The Python language pack: tree-sitter checks syntax and runs the Python rules, Ruff lints,
 * formats and checks formatting; tests are pytest files under `tests/`.
 */
import type { LanguagePack } from "../../../core/services/LanguageRegistry.ts"
import { LanguageRegistry } from "../../../core/services/LanguageRegistry.ts"
import { Ruff } from "../../quality/ruff/Ruff.ts"
import * as RuleEngine from "../../quality/tree-sitter/RuleEngine.ts"
import { syntaxCheck } from "../../quality/tree-sitter/SyntaxCheck.ts"
import { pyCompileCheck } from "./CompileCheck.ts"
import { python } from "./SecurityRules.ts"

/** `src/pkg/users.py` → `tests/test_users.py`; a test file maps to itself. */
export const pytestPath = (sourcePath: string): string => {
  const path = sourcePath.replaceAll("\\", "/")
  const base = path.slice(path.lastIndexOf("/") + 1)
  const stem = base.replace(/\.pyi?$/, "")
  if (/^test_|_test$/.test(stem) || stem === "conftest") return path
  return `tests/test_${stem}.py`
}

const rules = RuleEngine.make(python)

/** The pack with the Ruff given (the default settings unless given). */
const make = (ruff: typeof Ruff.standard = Ruff.standard): LanguagePack => ({
  id: "python",
  name: "Python",
  extensions: [".py", ".pyi"],
  aliases: ["py", "python", "python3"],
  comment: { line: "#" },
  naming: { files: "snake", functions: "snake", types: "pascal" },
  tests: { framework: "pytest", testPathFor: pytestPath },
  formatter: ruff.formatter,
  tools: [syntaxCheck("python"), rules.tool, ruff.linter, ruff.formatCheck],
  compileCheck: pyCompileCheck
})

const pack = make()

export const Python = {
  pack,
  make,
  /** Registers the default pack into the `LanguageRegistry`. */
  layer: LanguageRegistry.register(pack)
}
