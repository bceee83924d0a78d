/**
 * What the packs' test-case writers share: telling an example's values apart, writing its
 * arguments as literals of the declared parameter types, and the word cases of test names.
 */
import type { SourceSymbol } from "../../core/domain/SourceSymbol.ts"
import type { Value } from "../../core/domain/TestCase.ts"

export const isRecord = (value: Value): value is { readonly [key: string]: Value } =>
  typeof value === "object" && value !== null && !Array.isArray(value)

export const isList = (value: Value): value is ReadonlyArray<Value> => Array.isArray(value)

/** The items when every one could be written; undefined otherwise. */
export const allDefined = (items: ReadonlyArray<string | undefined>): ReadonlyArray<string> | undefined =>
  items.every((item): item is string => item !== undefined) ? items : undefined

export const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`

/** Why a generic symbol gets no signature check: its type parameters cannot be named in one. */
export const genericNote = (symbol: SourceSymbol): string => `${symbol.name} is generic: no signature check`

/** An example's arguments as literals of the declared parameter types, or why one cannot be written. */
export const argumentsOf = (
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

/** `wordCount`, `WordCount` → `word_count`. */
export const snakeCase = (name: string) =>
  name
    .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
    .replace(/([A-Z]+)([A-Z][a-z])/g, "$1_$2")
    .toLowerCase()

/** `word_count`, `wordCount` → `WordCount`. */
export const pascalCase = (name: string) =>
  snakeCase(name).replace(/(^|_)([a-z0-9])/g, (_, __, c: string) => c.toUpperCase())
