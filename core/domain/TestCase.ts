/**
 * What the tests generator writes, as data for a `test-from-source` template, and how a language
 * pack writes it: the call of an example in the language's syntax, the check of a signature, the
 * name of a test. The generator plans the tests; the pack knows the language.
 */
import type { SourceSymbol } from "./SourceSymbol.ts"

/** A value an example can name: what JSON can say. */
export type Value = null | boolean | number | string | ReadonlyArray<Value> | { readonly [key: string]: Value }

/** One example from the request: the function named, its arguments and its expected result. */
export interface Example {
  /** The name as written, without any `pkg.` or `Type.` prefix. */
  readonly symbol: string
  readonly args: ReadonlyArray<Value>
  readonly expected: Value
  /** The text of the example, for test titles and messages. */
  readonly text: string
}

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

/** How a language writes its tests; a check it cannot write is a string saying why. */
export interface TestCaseWriter {
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
