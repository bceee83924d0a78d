/**
 * The Java language pack: tree-sitter checks syntax and runs the Java rules, Prettier with
 * `prettier-plugin-java` formats and checks formatting; tests are JUnit 5 classes under
 * `src/test/java`. No Java linter (Checkstyle, PMD, SpotBugs) runs without a JVM, so the rules
 * are the only lint.
 */
import type { LanguagePack } from "../../../core/services/LanguageRegistry.ts"
import { LanguageRegistry } from "../../../core/services/LanguageRegistry.ts"
import { PrettierJava } from "../../quality/prettier/PrettierJava.ts"
import * as RuleEngine from "../../quality/tree-sitter/RuleEngine.ts"
import { syntaxCheck } from "../../quality/tree-sitter/SyntaxCheck.ts"
import { junit5 } from "../../testing/frameworks/JUnit.ts"
import { inTestFolder } from "../TestFolders.ts"
import { javaAssertions } from "./Assertions.ts"
import { javacCheck } from "./CompileCheck.ts"
import { java } from "./SecurityRules.ts"

/** JUnit's test classes: `*Test.java`, and everything under a test folder (`src/test/java`). */
export const isJavaTestPath = (path: string): boolean => inTestFolder(path) || /Test\.java$/.test(path)

const rules = RuleEngine.make(java)

const pack: LanguagePack = {
  id: "java",
  name: "Java",
  extensions: [".java"],
  aliases: ["java"],
  comment: { line: "//", block: ["/*", "*/"] },
  formatter: PrettierJava.formatter,
  tools: [syntaxCheck("java"), rules.tool, PrettierJava.formatCheck],
  compileCheck: javacCheck,
  testFrameworks: [junit5],
  isTestPath: isJavaTestPath,
  assertionCheck: javaAssertions
}

export const Java = {
  pack,
  /** Registers the pack into the `LanguageRegistry`. */
  layer: LanguageRegistry.register(pack)
}
