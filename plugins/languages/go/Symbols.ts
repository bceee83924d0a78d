/**
 * Exported symbols of a Go file, read line by line: top-level `func`s and methods whose names
 * start with an upper-case letter, and exported struct types.
 */
import { Effect } from "effect"
import { type SourceSymbol, type SymbolParameter, sourceSymbol } from "../../../core/domain/SourceSymbol.ts"
import type { SymbolReader } from "../../../core/services/LanguageRegistry.ts"
import { closingBracket, lineAt, splitTopLevel } from "../SignatureScanning.ts"

const isExported = (name: string) => /^[A-Z]/.test(name)

/** `a, b int, c ...string` → a: int, b: int, c: string (rest); unnamed parameters get `p0`, `p1`. */
export const goParameters = (list: string): ReadonlyArray<SymbolParameter> => {
  const parts = splitTopLevel(list)
  const named = parts.some((part) => /^\w+\s+\S/.test(part))
  const out: Array<SymbolParameter> = []
  let pending: Array<string> = []
  parts.forEach((part, index) => {
    if (!named) {
      out.push({ name: `p${index}`, type: part, hasDefault: false, rest: part.startsWith("...") })
      return
    }
    const match = /^(\w+)\s+([\s\S]+)$/.exec(part)
    if (match === null) {
      pending.push(part)
      return
    }
    const type = (match[2] ?? "").trim()
    for (const name of [...pending, match[1] ?? ""]) {
      out.push({ name, type: type.replace(/^\.\.\./, ""), hasDefault: false, rest: type.startsWith("...") })
    }
    pending = []
  })
  return out
}

/** `int`, `(int, error)`, `(n int, err error)` → the result types. */
export const goResults = (text: string): ReadonlyArray<string> => {
  const trimmed = text.trim()
  if (trimmed === "") return []
  if (!trimmed.startsWith("(")) return [trimmed]
  return goParameters(trimmed.slice(1, -1)).map((p) => p.type ?? "")
}

/** The index of the `{` that opens the body, skipping `interface{}` and `struct{}` in result types. */
const bodyOpen = (text: string, from: number): number => {
  for (let i = from; i < text.length; i++) {
    const c = text.charAt(i)
    if (c === "(" || c === "[") i = closingBracket(text, i)
    else if (c === "{") {
      if (/(interface|struct)\s*$/.test(text.slice(from, i))) i = closingBracket(text, i)
      else return i
    }
    if (i < 0) return -1
  }
  return -1
}

const documentedAt = (lines: ReadonlyArray<string>, line: number) => (lines[line - 1] ?? "").startsWith("//")

/** The package clause's name. */
export const goPackage = (text: string): string | undefined => /^package\s+(\w+)/m.exec(text)?.[1]

/** The exported functions, methods and struct types of a Go file, in source order. */
export const goSymbols = (text: string): ReadonlyArray<SourceSymbol> => {
  const lines = text.split("\n")
  const symbols: Array<SourceSymbol> = []
  let offset = 0
  lines.forEach((line, index) => {
    const start = offset
    offset += line.length + 1
    const struct = /^type\s+(\w+)(\[[^\]]*\])?\s+struct\b/.exec(line)
    if (struct !== null && isExported(struct[1] ?? "")) {
      symbols.push(
        sourceSymbol({
          name: struct[1] ?? "",
          kind: "class",
          generic: struct[2] !== undefined,
          line: index,
          indent: "",
          documented: documentedAt(lines, index)
        })
      )
      return
    }
    if (!line.startsWith("func")) return
    let at = start + 4
    const skip = () => {
      while (/\s/.test(text.charAt(at))) at++
    }
    skip()
    let receiver: string | undefined
    if (text.charAt(at) === "(") {
      const close = closingBracket(text, at)
      receiver = text
        .slice(at + 1, close)
        .trim()
        .split(/\s+/)
        .pop()
      at = close + 1
      skip()
    }
    const name = /^\w+/.exec(text.slice(at))?.[0]
    if (name === undefined) return
    at += name.length
    let generic = false
    if (text.charAt(at) === "[") {
      generic = true
      at = closingBracket(text, at) + 1
    }
    if (text.charAt(at) !== "(") return
    const close = closingBracket(text, at)
    const body = bodyOpen(text, close + 1)
    if (close < 0 || body < 0) return
    const owner = receiver?.replace(/^\*/, "").replace(/\[.*$/, "")
    if (!isExported(name) || (owner !== undefined && !isExported(owner))) return
    const results = goResults(text.slice(close + 1, body))
    symbols.push(
      sourceSymbol({
        name,
        kind: owner === undefined ? "function" : "method",
        owner,
        receiver,
        params: goParameters(text.slice(at + 1, close)),
        returns: results.length === 0 ? undefined : results.length === 1 ? results[0] : `(${results.join(", ")})`,
        generic: generic || (receiver?.includes("[") ?? false),
        line: index,
        signatureEnd: lineAt(text, body),
        indent: "",
        documented: documentedAt(lines, index)
      })
    )
  })
  return symbols
}

/** The symbol reader of the pack. */
export const goSymbolReader: SymbolReader = {
  reads: (path) => path.endsWith(".go"),
  read: (source) => Effect.sync(() => goSymbols(source))
}
