/**
 * JSON-ish literals as issues write them: JSON plus single-quoted strings, bare object keys,
 * trailing commas, and the Python/Go spellings of true, false and null.
 */

import type { Value } from "../../../core/domain/TestCase.ts"

export type { Value }

/** A parsed value and the index just after it. */
export interface Parsed<A> {
  readonly value: A
  readonly end: number
}

const words: ReadonlyMap<string, Value> = new Map<string, Value>([
  ["true", true],
  ["True", true],
  ["false", false],
  ["False", false],
  ["null", null],
  ["None", null],
  ["nil", null]
])

const escapes: Readonly<Record<string, string>> = { n: "\n", t: "\t", r: "\r", b: "\b", f: "\f", "0": "\0" }

const skipSpace = (text: string, at: number): number => {
  let i = at
  while (i < text.length && /\s/.test(text.charAt(i))) i++
  return i
}

const parseString = (text: string, at: number): Parsed<string> | undefined => {
  const quote = text.charAt(at)
  let out = ""
  let i = at + 1
  while (i < text.length) {
    const c = text.charAt(i)
    if (c === quote) return { value: out, end: i + 1 }
    if (c === "\\") {
      const next = text.charAt(i + 1)
      if (next === "u" && /^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) {
        out += String.fromCharCode(Number.parseInt(text.slice(i + 2, i + 6), 16))
        i += 6
        continue
      }
      out += escapes[next] ?? next
      i += 2
      continue
    }
    out += c
    i++
  }
  return undefined
}

const parseNumber = (text: string, at: number): Parsed<number> | undefined => {
  const match = /^-?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?/.exec(text.slice(at))
  if (match === null) return undefined
  const value = Number(match[0])
  return Number.isFinite(value) ? { value, end: at + match[0].length } : undefined
}

/** Items separated by commas up to `close`; a trailing comma is allowed. */
const parseItems = <A>(
  text: string,
  at: number,
  close: string,
  item: (at: number) => Parsed<A> | undefined
): Parsed<ReadonlyArray<A>> | undefined => {
  const items: Array<A> = []
  let i = skipSpace(text, at)
  while (i < text.length) {
    if (text.charAt(i) === close) return { value: items, end: i + 1 }
    const parsed = item(i)
    if (parsed === undefined) return undefined
    items.push(parsed.value)
    i = skipSpace(text, parsed.end)
    if (text.charAt(i) === ",") i = skipSpace(text, i + 1)
    else if (text.charAt(i) !== close) return undefined
  }
  return undefined
}

const parseEntry = (text: string, at: number): Parsed<readonly [string, Value]> | undefined => {
  const c = text.charAt(at)
  const key =
    c === '"' || c === "'"
      ? parseString(text, at)
      : (() => {
          const match = /^[A-Za-z_$][\w$]*/.exec(text.slice(at))
          return match === null ? undefined : { value: match[0], end: at + match[0].length }
        })()
  if (key === undefined) return undefined
  const colon = skipSpace(text, key.end)
  if (text.charAt(colon) !== ":") return undefined
  const value = parseValue(text, skipSpace(text, colon + 1))
  return value === undefined ? undefined : { value: [key.value, value.value], end: value.end }
}

/** The value that starts at `at` (after spaces), or undefined when there is none. */
export const parseValue = (text: string, at = 0): Parsed<Value> | undefined => {
  const i = skipSpace(text, at)
  const c = text.charAt(i)
  if (c === '"' || c === "'") return parseString(text, i)
  if (c === "[") return parseItems(text, i + 1, "]", (j) => parseValue(text, j))
  if (c === "{") {
    const entries = parseItems(text, i + 1, "}", (j) => parseEntry(text, j))
    return entries === undefined ? undefined : { value: Object.fromEntries(entries.value), end: entries.end }
  }
  const word = /^[A-Za-z]+/.exec(text.slice(i))
  if (word !== null) {
    const value = words.get(word[0])
    return value === undefined ? undefined : { value, end: i + word[0].length }
  }
  return parseNumber(text, i)
}

/** Comma-separated values up to a closing `)`: the arguments of a call. */
export const parseArguments = (text: string, at: number): Parsed<ReadonlyArray<Value>> | undefined =>
  parseItems(text, at, ")", (j) => parseValue(text, j))
