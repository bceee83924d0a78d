/**
 * The tests of a target, as data for a `test-from-source` template: one test per exported
 * symbol. A function with examples in the request gets one assertion per example; a symbol
 * without one gets a signature test that still checks something real (that it is exported and
 * takes the parameters it declares), never a placeholder.
 */

import type { SourceSymbol, SymbolParameter } from "../../../core/domain/SourceSymbol.ts"
import { type Example, examplesFor } from "./Examples.ts"
import { goExpected, goLiteral, jsLiteral, pythonLiteral, rustExpected, rustLiteral, rustString } from "./Literals.ts"
import type { Value } from "./ValueSyntax.ts"

/** One assertion from one example. */
export interface ExampleCheck {
  /** The call of the function under test, as code. */
  readonly invocation: string
  readonly expected: string
  /** The example as the issue wrote it. */
  readonly label: string
  /** Go: the call also returns an error that must be nil. */
  readonly fallible: boolean
  /** The failure message as a string literal of the language (a format string in Go and Rust). */
  readonly message: string
  /** Go: the format string reporting an unexpected error. */
  readonly failure: string
}

/** A check that `target` exists with its declared parameters. */
export interface SignatureCheck {
  readonly target: string
  /** JavaScript `length`; Go `NumIn()` (receiver included). */
  readonly arity: number
  /** Python: the parameter names `inspect.signature` lists, as a list literal. */
  readonly names: string
  /** Rust: the `fn` pointer type the item coerces to. */
  readonly pointer: string
}

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

const snake = (name: string) =>
  name
    .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
    .replace(/([A-Z]+)([A-Z][a-z])/g, "$1_$2")
    .toLowerCase()
const pascal = (name: string) => snake(name).replace(/(^|_)([a-z0-9])/g, (_, __, c: string) => c.toUpperCase())

/** A JavaScript function's `length`: the parameters before the first default or rest one. */
export const javaScriptArity = (params: ReadonlyArray<SymbolParameter>): number => {
  const index = params.findIndex((p) => p.hasDefault || p.rest)
  return index < 0 ? params.length : index
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`

interface LanguageRules {
  /** The call and expected value of an example, or why it cannot be written. */
  readonly example: (symbol: SourceSymbol, example: Example) => ExampleCheck | string
  /** The signature check of a function or method, or why there is none. */
  readonly signature: (symbol: SourceSymbol) => SignatureCheck | string
  readonly testName: (symbol: string, kind: "examples" | "signature") => string
  /** A class is checked as a value with its constructor (TS/JS, Python), or as a type that exists (Go, Rust). */
  readonly classCheck: "value" | "type"
  /** Test names a hand-written file beside the target already declares, when they share a namespace (Go). */
  readonly declaredTests?: (text: string) => ReadonlySet<string>
  /** The imports are written sorted, as the language's formatter lays them out (rustfmt sorts a `use` list). */
  readonly sortedImports?: boolean
}

const argsOf = (
  symbol: SourceSymbol,
  args: ReadonlyArray<Value>,
  literal: (value: Value, type: string | undefined) => string | undefined
): ReadonlyArray<string> | string => {
  const last = symbol.params.at(-1)
  const out: Array<string> = []
  for (const [index, arg] of args.entries()) {
    const param = symbol.params[index] ?? (last?.rest === true ? last : undefined)
    if (param === undefined) return `${symbol.name} takes ${plural(symbol.params.length, "parameter")}`
    const text = literal(arg, param.type)
    if (text === undefined) return `${JSON.stringify(arg)} cannot be written as ${param.type ?? "a literal"}`
    out.push(text)
  }
  return out
}

const noSignature = (symbol: SourceSymbol): string => `${symbol.name} is generic: no signature check`

const typescript: LanguageRules = {
  example: (symbol, example) => {
    const call = `${symbol.name}(${example.args.map(jsLiteral).join(", ")})`
    const awaited = symbol.returns?.startsWith("Promise") === true
    return {
      invocation: awaited ? `await ${call}` : call,
      expected: jsLiteral(example.expected),
      label: example.text,
      fallible: false,
      message: JSON.stringify(example.text),
      failure: ""
    }
  },
  signature: (symbol) => ({
    target:
      symbol.kind === "method" && symbol.owner !== undefined
        ? symbol.isStatic
          ? `${symbol.owner}.${symbol.name}`
          : `${symbol.owner}.prototype.${symbol.name}`
        : symbol.name,
    arity: javaScriptArity(symbol.params),
    names: "",
    pointer: ""
  }),
  testName: (symbol) => symbol,
  classCheck: "value"
}

const python: LanguageRules = {
  example: (symbol, example) => ({
    invocation: `${symbol.name}(${example.args.map(pythonLiteral).join(", ")})`,
    expected: pythonLiteral(example.expected),
    label: example.text,
    fallible: false,
    message: "",
    failure: ""
  }),
  signature: (symbol) => {
    const receiver = symbol.receiver !== undefined && !symbol.isStatic ? [symbol.receiver] : []
    return {
      target: symbol.owner === undefined ? symbol.name : `${symbol.owner}.${symbol.name}`,
      arity: symbol.params.length,
      names: pythonLiteral([...receiver, ...symbol.params.map((p) => p.name)]),
      pointer: ""
    }
  },
  testName: (symbol, kind) => `test_${snake(symbol)}_${kind}`,
  classCheck: "value"
}

const goResultTypes = (returns: string | undefined): ReadonlyArray<string> =>
  returns === undefined
    ? []
    : returns.startsWith("(")
      ? returns
          .slice(1, -1)
          .split(",")
          .map((t) => t.trim())
      : [returns]

const go: LanguageRules = {
  example: (symbol, example) => {
    const results = goResultTypes(symbol.returns)
    const fallible = results.length === 2 && results[1] === "error"
    if (results.length !== 1 && !fallible) return `${symbol.name} returns ${plural(results.length, "value")}`
    const args = argsOf(symbol, example.args, goLiteral)
    if (typeof args === "string") return args
    const expected = goExpected(example.expected, results[0])
    if (expected === undefined) return `${JSON.stringify(example.expected)} cannot be written as ${results[0]}`
    const call = `${symbol.name}(${args.join(", ")})`
    // The call is written into a format string: a literal % must be doubled.
    const shown = call.replaceAll("%", "%%")
    return {
      invocation: call,
      expected,
      label: example.text,
      fallible,
      message: JSON.stringify(`${shown} = %v, want %v`),
      failure: JSON.stringify(`${shown}: %v`)
    }
  },
  signature: (symbol) => {
    if (symbol.generic) return noSignature(symbol)
    const receiver = symbol.receiver
    const target =
      receiver === undefined
        ? symbol.name
        : receiver.startsWith("*")
          ? `(${receiver}).${symbol.name}`
          : `${receiver}.${symbol.name}`
    return { target, arity: symbol.params.length + (receiver === undefined ? 0 : 1), names: "", pointer: "" }
  },
  testName: (symbol, kind) => `Test${pascal(symbol)}${kind === "examples" ? "Examples" : "Signature"}`,
  classCheck: "type",
  // Go's test functions share one namespace per package.
  declaredTests: (text) => new Set([...text.matchAll(/^func\s+(Test\w*)\s*\(/gm)].map((m) => m[1] ?? ""))
}

const rustResult = (returns: string | undefined) => /^Result<\s*([\s\S]+?)\s*,[^,]+>$/.exec(returns ?? "")?.[1]

const rust: LanguageRules = {
  example: (symbol, example) => {
    if (symbol.returns === undefined) return `${symbol.name} returns nothing`
    const args = argsOf(symbol, example.args, rustLiteral)
    if (typeof args === "string") return args
    const ok = rustResult(symbol.returns)
    const expected = rustExpected(example.expected, ok ?? symbol.returns)
    if (expected === undefined)
      return `${JSON.stringify(example.expected)} cannot be written as ${ok ?? symbol.returns}`
    const call = `${symbol.name}(${args.join(", ")})`
    return {
      invocation: ok === undefined ? call : `${call}.unwrap()`,
      expected,
      label: example.text,
      fallible: false,
      // assert_eq!'s message is a format string: braces are doubled.
      message: rustString(example.text.replaceAll("{", "{{").replaceAll("}", "}}")),
      failure: ""
    }
  },
  signature: (symbol) => {
    if (symbol.generic) return noSignature(symbol)
    const owner = symbol.owner ?? ""
    const receiver =
      symbol.receiver === undefined ? [] : [symbol.receiver.replace(/self$/, owner).replace(/^&mut /, "&mut ")]
    const types = [...receiver, ...symbol.params.map((p) => p.type ?? "_")]
    return {
      target: symbol.owner === undefined ? symbol.name : `${symbol.owner}::${symbol.name}`,
      arity: types.length,
      names: "",
      pointer: `fn(${types.join(", ")})${symbol.returns === undefined ? "" : ` -> ${symbol.returns}`}`
    }
  },
  testName: (symbol, kind) => `${snake(symbol)}_${kind}`,
  classCheck: "type",
  sortedImports: true
}

/** How tests are written, by language pack id. */
const rulesByLanguage: Readonly<Record<string, LanguageRules>> = {
  typescript,
  javascript: typescript,
  python,
  go,
  rust
}

/** The tests of `symbols` (optionally only those named in `only`), with `examples` from the request. */
export const planTests = (
  language: string,
  symbols: ReadonlyArray<SourceSymbol>,
  examples: ReadonlyArray<Example>,
  only: ReadonlyArray<string> | undefined,
  /** The hand-written test file at the layout's path, whose test names are taken. */
  existing?: string
): TestPlan => {
  const rules = rulesByLanguage[language]
  if (rules === undefined) return { tests: [], imports: [], notes: [`no way to write ${language} tests`] }
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
