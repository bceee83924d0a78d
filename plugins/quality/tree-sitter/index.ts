/** Tree-sitter: lazy parsing in every shipped grammar, syntax checks and query-based rules. */
export { type Grammar, grammars } from "./Grammar.ts"
export type { Rule, RuleSet } from "./Rule.ts"
export * as RuleEngine from "./RuleEngine.ts"
export { firstSyntaxError, syntaxCheck } from "./SyntaxCheck.ts"
export { syntaxIssues } from "./SyntaxErrors.ts"
export * as TreeSitter from "./TreeSitter.ts"
