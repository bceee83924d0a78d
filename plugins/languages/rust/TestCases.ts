/**
 * How Rust's tests are written: `<name>_<kind>` functions in an integration test, literals of the
 * declared types (`vec![…]`, `String::from(…)`, `2.0` for an `f64`), `.unwrap()` on a `Result`,
 * and a signature check by coercing the item to its `fn` pointer type.
 */
import type { TestCaseWriter, Value } from "../../../core/domain/TestCase.ts"
import { allDefined, argumentsOf, genericNote, isList, isRecord, snakeCase } from "../TestCaseSyntax.ts"

/** A Rust string literal (Rust spells unicode escapes `\\u{…}`, unlike JSON). */
export const rustString = (text: string): string =>
  `"${[...text]
    .map((c) => {
      const code = c.codePointAt(0) ?? 0
      if (c === '"' || c === "\\") return `\\${c}`
      if (c === "\n") return "\\n"
      if (c === "\t") return "\\t"
      if (c === "\r") return "\\r"
      return code < 0x20 || code === 0x7f ? `\\u{${code.toString(16)}}` : c
    })
    .join("")}"`

const rustIntegers = /^(i8|i16|i32|i64|i128|isize|u8|u16|u32|u64|u128|usize)$/
const generic = (type: string, outer: string): string | undefined =>
  type.startsWith(`${outer}<`) && type.endsWith(">") ? type.slice(outer.length + 1, -1).trim() : undefined

/** A Rust expression of `type`: `vec![…]`, `&[…]`, `String::from(…)`, `Some(…)`, `2.0` for floats. */
export const rustLiteral = (value: Value, type: string | undefined): string | undefined => {
  const t = type?.replace(/\s+/g, " ").trim()
  const option = t === undefined ? undefined : generic(t, "Option")
  if (option !== undefined) return value === null ? "None" : wrap("Some", rustLiteral(value, option))
  if (value === null) return undefined
  if (t === undefined) {
    if (isList(value)) {
      const items = allDefined(value.map((item) => rustLiteral(item, undefined)))
      return items === undefined ? undefined : `vec![${items.join(", ")}]`
    }
    if (isRecord(value)) return undefined
    return typeof value === "string" ? rustString(value) : String(value)
  }
  const vec = generic(t, "Vec")
  const slice = /^&(?:mut )?\[(.+)\]$/.exec(t)?.[1]
  const vecRef = /^&(?:mut )?Vec<(.+)>$/.exec(t)?.[1]
  const itemType = vec ?? slice ?? vecRef
  if (itemType !== undefined) {
    if (!isList(value)) return undefined
    const items = allDefined(value.map((item) => rustLiteral(item, itemType)))
    if (items === undefined) return undefined
    const list = items.join(", ")
    return vec !== undefined ? `vec![${list}]` : slice !== undefined ? `&[${list}]` : `&vec![${list}]`
  }
  if (isList(value) || isRecord(value)) return undefined
  if (typeof value === "string") {
    if (t === "&str" || t === "&'static str") return rustString(value)
    if (t === "String") return `String::from(${rustString(value)})`
    if (t === "char" && [...value].length === 1) return `'${value === "'" || value === "\\" ? `\\${value}` : value}'`
    return undefined
  }
  if (typeof value === "boolean") return t === "bool" ? String(value) : undefined
  if (rustIntegers.test(t))
    return Number.isInteger(value) && (value >= 0 || t.startsWith("i")) ? String(value) : undefined
  if (t === "f32" || t === "f64") return Number.isInteger(value) ? `${value}.0` : String(value)
  return undefined
}

const wrap = (name: string, inner: string | undefined) => (inner === undefined ? undefined : `${name}(${inner})`)

/**
 * The expected value of a Rust check. `String` results compare with string slices and
 * `Vec<String>` with `vec!["…"]`, so they are written as slices.
 */
export const rustExpected = (value: Value, type: string | undefined): string | undefined => {
  const t = type?.replace(/\s+/g, " ").trim()
  if (t === "String") return typeof value === "string" ? rustString(value) : undefined
  if (t === "Vec<String>") return rustLiteral(value, "Vec<&str>")
  return rustLiteral(value, t)
}
const rustResult = (returns: string | undefined) => /^Result<\s*([\s\S]+?)\s*,[^,]+>$/.exec(returns ?? "")?.[1]

/** The test-case writer of Rust. */
export const rustTestCases: TestCaseWriter = {
  example: (symbol, example) => {
    if (symbol.returns === undefined) return `${symbol.name} returns nothing`
    const args = argumentsOf(symbol, example.args, rustLiteral)
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
    if (symbol.generic) return genericNote(symbol)
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
  testName: (symbol, kind) => `${snakeCase(symbol)}_${kind}`,
  classCheck: "type",
  sortedImports: true
}
