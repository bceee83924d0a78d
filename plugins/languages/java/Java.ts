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
import { javacCheck } from "./CompileCheck.ts"
import { java } from "./SecurityRules.ts"

/** `src/main/java/com/acme/Order.java` → `src/test/java/com/acme/OrderTest.java`; a test class maps to itself. */
export const junitPath = (sourcePath: string): string => {
  const path = sourcePath.replaceAll("\\", "/")
  if (/Tests?\.java$/.test(path)) return path
  const test = path.replace(/\.java$/, "Test.java")
  if (test.includes("src/main/java/")) return test.replace("src/main/java/", "src/test/java/")
  return `src/test/java/${test.replace(/^src\//, "")}`
}

const rules = RuleEngine.make(java)

const pack: LanguagePack = {
  id: "java",
  name: "Java",
  extensions: [".java"],
  aliases: ["java"],
  comment: { line: "//", block: ["/*", "*/"] },
  naming: { files: "pascal", functions: "camel", types: "pascal" },
  tests: { framework: "junit5", testPathFor: junitPath },
  formatter: PrettierJava.formatter,
  tools: [syntaxCheck("java"), rules.tool, PrettierJava.formatCheck],
  compileCheck: javacCheck
}

export const Java = {
  pack,
  /** Registers the pack into the `LanguageRegistry`. */
  layer: LanguageRegistry.register(pack)
}
