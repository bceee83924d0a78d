/**
 * The syntax check of a grammar as a quality tool: parse, then report ERROR and MISSING nodes.
 */
import { Effect } from "effect"
import type { QualityTool } from "../../../core/services/LanguageRegistry.ts"
import type { Grammar } from "./Grammar.ts"
import { syntaxIssues } from "./SyntaxErrors.ts"
import { toolName, withTree } from "./TreeSitter.ts"

/** A quality tool reporting the syntax errors of code parsed as `grammar`. */
export const syntaxCheck = (grammar: Grammar): QualityTool => ({
  name: toolName,
  check: Effect.fn("TreeSitter.syntaxCheck")(function* (code: string, path: string) {
    return yield* withTree(code, grammar, path, (tree) => Effect.sync(() => syntaxIssues(tree, toolName)))
  })
})

/** The first syntax error of `code` as text, or undefined when it parses; formatters use it to refuse bad input. */
export const firstSyntaxError = Effect.fn("TreeSitter.firstSyntaxError")(function* (
  code: string,
  grammar: Grammar,
  path: string
) {
  const [first] = yield* withTree(code, grammar, path, (tree) => Effect.sync(() => syntaxIssues(tree, toolName)))
  return first === undefined ? undefined : `syntax error at ${first.line}:${first.column}: ${first.message}`
})
