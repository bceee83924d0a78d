/**
 * Example values as source literals of each language. Go and Rust need the declared type to
 * write a literal that compiles (`[]int{1, 2}`, `vec![1, 2]`, `2.0` for an `f64`); a value the
 * type cannot hold is `undefined`, and the example is left out rather than written wrong.
 */
import type { Value } from "./ValueSyntax.ts"

const isRecord = (value: Value): value is { readonly [key: string]: Value } =>
  typeof value === "object" && value !== null && !Array.isArray(value)
const isList = (value: Value): value is ReadonlyArray<Value> => Array.isArray(value)

const all = (items: ReadonlyArray<string | undefined>): ReadonlyArray<string> | undefined =>
  items.every((item): item is string => item !== undefined) ? items : undefined

/** A JavaScript/TypeScript literal in Biome's style: `{ a: 1, "b-c": [2, 3] }`. */
export const jsLiteral = (value: Value): string => {
  if (isList(value)) return `[${value.map(jsLiteral).join(", ")}]`
  if (isRecord(value)) {
    const entries = Object.entries(value).map(
      ([key, item]) => `${/^[A-Za-z_$][\w$]*$/.test(key) ? key : JSON.stringify(key)}: ${jsLiteral(item)}`
    )
    return entries.length === 0 ? "{}" : `{ ${entries.join(", ")} }`
  }
  return JSON.stringify(value)
}

/** A Python literal: `True`, `None`, `{"a": [1, 2]}`. */
export const pythonLiteral = (value: Value): string => {
  if (value === null) return "None"
  if (value === true) return "True"
  if (value === false) return "False"
  if (isList(value)) return `[${value.map(pythonLiteral).join(", ")}]`
  if (isRecord(value)) {
    return `{${Object.entries(value)
      .map(([key, item]) => `${JSON.stringify(key)}: ${pythonLiteral(item)}`)
      .join(", ")}}`
  }
  return JSON.stringify(value)
}

const goScalars = new Set(["int", "int8", "int16", "int32", "int64", "uint", "uint8", "uint16", "uint32", "uint64"])
const _goFloats = new Set(["float32", "float64"])

/** A Go expression of `type`; untyped constants where Go converts them, composite literals for slices and maps. */
export const goLiteral = (value: Value, type: string | undefined): string | undefined => {
  const t = type?.trim()
  if (value === null)
    return t === undefined || /^(\*|\[\]|map\[|func|chan|any$|error$|interface)/.test(t) ? "nil" : undefined
  if (t?.startsWith("[]")) {
    if (!isList(value)) return undefined
    const items = all(value.map((item) => goLiteral(item, t.slice(2))))
    return items === undefined ? undefined : `${t}{${items.join(", ")}}`
  }
  if (t?.startsWith("map[")) {
    const close = t.indexOf("]")
    const keyType = t.slice(4, close)
    if (!isRecord(value) || keyType !== "string") return undefined
    const items = all(
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
      const items = all(value.map((item) => rustLiteral(item, undefined)))
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
    const items = all(value.map((item) => rustLiteral(item, itemType)))
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
