/**
 * The tests of a target, as data for a `test-from-source` template: one test per exported
 * symbol. A function with examples in the request gets one assertion per example; a symbol
 * without one gets a signature test that still checks something real (that it is exported and
 * takes the parameters it declares), never a placeholder. How each check is written is the
 * language pack's `testCases`.
 */
import type { SourceSymbol } from "../../../core/domain/SourceSymbol.ts"
import type { Example, ExampleCheck, SignatureCheck, TestCaseWriter } from "../../../core/domain/TestCase.ts"
import { examplesFor } from "./Examples.ts"

/** One test of the file. */
export interface TestEntry {
  readonly symbol: string
  /** The test function's name (Python, Go, Rust). */
  readonly name: string
  /** The test's title (vitest, node:test). */
  readonly title: string
  readonly async: boolean
  readonly examples: ReadonlyArray<ExampleCheck>
  readonly signatures: ReadonlyArray<SignatureCheck>
  /** Struct types whose existence is checked (Go, Rust). */
  readonly types: ReadonlyArray<string>
}

export interface TestPlan {
  readonly tests: ReadonlyArray<TestEntry>
  /** Names the test file imports (TS/JS, Python, Rust). */
  readonly imports: ReadonlyArray<string>
  /** Why some examples or symbols were left out. */
  readonly notes: ReadonlyArray<string>
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`

/** The tests of `symbols` (optionally only those named in `only`), with `examples` from the request. */
export const planTests = (
  rules: TestCaseWriter,
  symbols: ReadonlyArray<SourceSymbol>,
  examples: ReadonlyArray<Example>,
  only: ReadonlyArray<string> | undefined,
  /** The hand-written test file at the layout's path, whose test names are taken. */
  existing?: string
): TestPlan => {
  const taken = existing === undefined ? new Set<string>() : (rules.declaredTests?.(existing) ?? new Set<string>())
  const notes: Array<string> = []
  const wanted = (name: string) => only === undefined || only.length === 0 || only.includes(name)
  const unique = (name: string) => (taken.has(name) ? `${name}Generated` : name)
  const classes = new Set(symbols.filter((s) => s.kind === "class").map((s) => s.name))
  const tests: Array<TestEntry> = []
  const imports: Array<string> = []
  for (const symbol of symbols) {
    if (symbol.kind === "method" && symbol.owner !== undefined && classes.has(symbol.owner)) continue
    const key = symbol.kind === "method" && symbol.owner !== undefined ? `${symbol.owner}.${symbol.name}` : symbol.name
    if (!wanted(symbol.name) && !wanted(key) && !(symbol.owner !== undefined && wanted(symbol.owner))) continue
    const importName = symbol.kind === "method" ? symbol.owner : symbol.name
    if (importName !== undefined && !imports.includes(importName)) imports.push(importName)
    if (symbol.kind === "function") {
      const checks = examplesFor(examples, symbol.name).flatMap((example) => {
        const check = rules.example(symbol, example)
        if (typeof check === "string") notes.push(`${example.text}: left out, ${check}`)
        return typeof check === "string" ? [] : [check]
      })
      if (checks.length > 0) {
        tests.push({
          symbol: symbol.name,
          name: unique(rules.testName(symbol.name, "examples")),
          title: `${symbol.name} gives the results of the issue's examples`,
          async: checks.some((c) => c.invocation.startsWith("await ")),
          examples: checks,
          signatures: [],
          types: []
        })
        continue
      }
    }
    const members =
      symbol.kind === "class" ? symbols.filter((s) => s.kind === "method" && s.owner === symbol.name) : [symbol]
    const signatures = (
      symbol.kind === "class" && rules.classCheck === "value" ? [symbol, ...members] : members
    ).flatMap((member) => {
      const check = rules.signature(member)
      if (typeof check === "string") notes.push(check)
      return typeof check === "string" ? [] : [check]
    })
    const types = symbol.kind === "class" && rules.classCheck === "type" && !symbol.generic ? [symbol.name] : []
    if (signatures.length === 0 && types.length === 0) {
      notes.push(`${key}: no test (no example in the request and no checkable signature)`)
      continue
    }
    const what =
      symbol.kind === "class"
        ? "is exported with its constructor and methods"
        : `is exported and takes ${plural(symbol.params.length, "parameter")}`
    tests.push({
      symbol: symbol.name,
      name: unique(rules.testName(key.replace(".", "_"), "signature")),
      title: `${key} ${what}`,
      async: false,
      examples: [],
      signatures,
      types
    })
  }
  return { tests, imports: rules.sortedImports === true ? imports.sort() : imports, notes }
}
