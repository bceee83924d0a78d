/**
 * How Go's tests are written: `Test<Name><Kind>` functions, composite literals of the declared
 * types (a value the type cannot hold is left out), a nil error checked for a fallible call, and a
 * signature check on `reflect`'s `NumIn()`.
 */
import type { TestCaseWriter, Value } from "../../../core/domain/TestCase.ts"
import { allDefined, argumentsOf, genericNote, isList, isRecord, pascalCase, plural } from "../TestCaseSyntax.ts"

const goScalars = new Set(["int", "int8", "int16", "int32", "int64", "uint", "uint8", "uint16", "uint32", "uint64"])
const _goFloats = new Set(["float32", "float64"])

/** A Go expression of `type`; untyped constants where Go converts them, composite literals for slices and maps. */
export const goLiteral = (value: Value, type: string | undefined): string | undefined => {
  const t = type?.trim()
  if (value === null)
    return t === undefined || /^(\*|\[\]|map\[|func|chan|any$|error$|interface)/.test(t) ? "nil" : undefined
  if (t?.startsWith("[]")) {
    if (!isList(value)) return undefined
    const items = allDefined(value.map((item) => goLiteral(item, t.slice(2))))
    return items === undefined ? undefined : `${t}{${items.join(", ")}}`
  }
  if (t?.startsWith("map[")) {
    const close = t.indexOf("]")
    const keyType = t.slice(4, close)
    if (!isRecord(value) || keyType !== "string") return undefined
    const items = allDefined(
      Object.entries(value).map(([key, item]) => goValue(JSON.stringify(key), goLiteral(item, t.slice(close + 1))))
    )
    return items === undefined ? undefined : `${t}{${items.join(", ")}}`
  }
  if (isList(value) || isRecord(value)) return undefined
  if (typeof value === "number") {
    if (t !== undefined && goScalars.has(t) && !Number.isInteger(value)) return undefined
    if (t === "string" || t === "bool") return undefined
    return String(value)
  }
  if (typeof value === "string")
    return t === undefined || t === "string" || t === "any" ? JSON.stringify(value) : undefined
  return t === undefined || t === "bool" || t === "any" ? String(value) : undefined
}

const goValue = (key: string, value: string | undefined) => (value === undefined ? undefined : `${key}: ${value}`)

/** The expected value of a Go check, typed so that `reflect.DeepEqual` compares like with like. */
export const goExpected = (value: Value, type: string | undefined): string | undefined => {
  const literal = goLiteral(value, type)
  if (literal === undefined || type === undefined) return literal
  // `want := nil` does not compile: nil needs the type it stands for.
  if (literal === "nil") return /^(\*|func|chan)/.test(type) ? `(${type})(nil)` : `${type}(nil)`
  const natural =
    typeof value === "number"
      ? Number.isInteger(value) && !String(value).includes(".")
        ? "int"
        : "float64"
      : typeof value === "string"
        ? "string"
        : typeof value === "boolean"
          ? "bool"
          : undefined
  // An untyped constant defaults to int/float64/string/bool: convert it when the result is another type.
  return natural === undefined || natural === type || value === null ? literal : `${type}(${literal})`
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

/** The test-case writer of Go. */
export const goTestCases: TestCaseWriter = {
  example: (symbol, example) => {
    const results = goResultTypes(symbol.returns)
    const fallible = results.length === 2 && results[1] === "error"
    if (results.length !== 1 && !fallible) return `${symbol.name} returns ${plural(results.length, "value")}`
    const args = argumentsOf(symbol, example.args, goLiteral)
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
    if (symbol.generic) return genericNote(symbol)
    const receiver = symbol.receiver
    const target =
      receiver === undefined
        ? symbol.name
        : receiver.startsWith("*")
          ? `(${receiver}).${symbol.name}`
          : `${receiver}.${symbol.name}`
    return { target, arity: symbol.params.length + (receiver === undefined ? 0 : 1), names: "", pointer: "" }
  },
  testName: (symbol, kind) => `Test${pascalCase(symbol)}${kind === "examples" ? "Examples" : "Signature"}`,
  classCheck: "type",
  // Go's test functions share one namespace per package.
  declaredTests: (text) => new Set([...text.matchAll(/^func\s+(Test\w*)\s*\(/gm)].map((m) => m[1] ?? ""))
}
