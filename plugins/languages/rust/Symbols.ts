/**
 * Exported symbols of a Rust file, read line by line: top-level `pub fn`s, `pub struct`s and the
 * `pub fn`s of inherent `impl` blocks. `pub(crate)` items are not exported.
 */
import { Effect } from "effect"
import { type SourceSymbol, type SymbolParameter, sourceSymbol } from "../../../core/domain/SourceSymbol.ts"
import type { SymbolReader } from "../../../core/services/LanguageRegistry.ts"
import { closingBracket, lineAt, splitTopLevel } from "../SignatureScanning.ts"

const fnHead = /^(\s*)pub\s+(?:const\s+)?(?:async\s+)?(?:unsafe\s+)?(?:extern\s+"[^"]*"\s+)?fn\s+(\w+)/

/** `x: i64`, `mut v: Vec<T>`; the receiver (`&self`, `&mut self`, `self`) is returned apart. */
export const rustParameters = (list: string) => {
  let receiver: string | undefined
  const params: Array<SymbolParameter> = []
  for (const part of splitTopLevel(list, "char")) {
    const normalised = part.replace(/&'\w+\s+/, "&").replace(/^mut\s+/, "")
    if (/^(&\s*(mut\s+)?)?self$/.test(normalised) || /^self\s*:/.test(normalised)) {
      receiver = normalised.replace(/\s+/g, " ")
      continue
    }
    const colon = normalised.indexOf(":")
    params.push({
      name: normalised.slice(0, colon).trim(),
      type: normalised.slice(colon + 1).trim(),
      hasDefault: false,
      rest: false
    })
  }
  return { receiver, params }
}

/** The first line of the item at `line`: above its attributes. */
const itemStart = (lines: ReadonlyArray<string>, line: number): number => {
  let first = line
  while (first > 0 && /^\s*#\[/.test(lines[first - 1] ?? "")) first--
  return first
}

const documentedAt = (lines: ReadonlyArray<string>, line: number) => /^\s*(\/\/\/|#\[doc)/.test(lines[line - 1] ?? "")

const lineOffsets = (lines: ReadonlyArray<string>) => {
  const offsets: Array<number> = []
  let offset = 0
  for (const line of lines) {
    offsets.push(offset)
    offset += line.length + 1
  }
  return offsets
}

/** Inherent `impl Type { … }` blocks at the top level: their type and line range. */
const implBlocks = (text: string, lines: ReadonlyArray<string>, offsets: ReadonlyArray<number>) =>
  lines.flatMap((line, index) => {
    const match = /^impl(?:\s*<[^{]*?>)?\s+(\w+)(<[^{]*>)?\s*(?:where[^{]*)?\{/.exec(line)
    if (match === null || /\bfor\b/.test(line)) return []
    const close = closingBracket(text, (offsets[index] ?? 0) + line.lastIndexOf("{"), "char")
    return [{ owner: match[1] ?? "", generic: match[2] !== undefined, from: index, to: lineAt(text, close) }]
  })

/** The exported functions, structs and public inherent methods of a Rust file, in source order. */
export const rustSymbols = (text: string): ReadonlyArray<SourceSymbol> => {
  const lines = text.split("\n")
  const offsets = lineOffsets(lines)
  const impls = implBlocks(text, lines, offsets)
  const symbols: Array<SourceSymbol> = []
  lines.forEach((line, index) => {
    const struct = /^pub\s+struct\s+(\w+)(<)?/.exec(line)
    if (struct !== null) {
      const first = itemStart(lines, index)
      symbols.push(
        sourceSymbol({
          name: struct[1] ?? "",
          kind: "class",
          generic: struct[2] !== undefined,
          line: first,
          indent: "",
          documented: documentedAt(lines, first)
        })
      )
      return
    }
    const head = fnHead.exec(line)
    if (head === null) return
    const indent = head[1] ?? ""
    const impl = impls.find((block) => block.from < index && index < block.to)
    // Nested items (in a module, a function, a trait impl) are not this file's API.
    if (indent !== "" && impl === undefined) return
    let at = (offsets[index] ?? 0) + head[0].length
    while (/\s/.test(text.charAt(at))) at++
    let generic = impl?.generic ?? false
    if (text.charAt(at) === "<") {
      const close = closingBracket(text, at, "char")
      // Lifetimes alone do not stop a function from being named as a `fn` pointer.
      generic = generic || /(^|[<,]\s*)[A-Za-z]/.test(text.slice(at + 1, close).replaceAll(/'\w+/g, ""))
      at = close + 1
    }
    if (text.charAt(at) !== "(") return
    const close = closingBracket(text, at, "char")
    if (close < 0) return
    const rest = text.slice(close + 1)
    const end = /^[^{;]*?(?=\bwhere\b|\{|;)/.exec(rest)?.[0] ?? ""
    const returns = /^\s*->\s*([\s\S]+?)\s*$/.exec(end)?.[1]
    const { receiver, params } = rustParameters(text.slice(at + 1, close))
    const owner = impl?.owner
    const lifetimeFree = (type: string | undefined) => type?.replaceAll(/&'\w+\s*/g, "&")
    const first = itemStart(lines, index)
    symbols.push(
      sourceSymbol({
        name: head[2] ?? "",
        kind: owner === undefined ? "function" : "method",
        owner,
        receiver,
        isStatic: owner !== undefined && receiver === undefined,
        params: params.map((p) => ({ ...p, type: lifetimeFree(p.type)?.replaceAll(/\bSelf\b/g, owner ?? "Self") })),
        returns: lifetimeFree(returns)?.replaceAll(/\bSelf\b/g, owner ?? "Self"),
        generic: generic || /\bimpl\s/.test(text.slice(at, close + 1 + end.length)),
        line: first,
        signatureEnd: lineAt(text, close + 1 + end.length),
        indent,
        documented: documentedAt(lines, first)
      })
    )
  })
  return symbols
}

/** The library crate's name from Cargo.toml: `[lib] name`, else `[package] name`, as an identifier. */
export const crateName = (cargoToml: string): string | undefined => {
  const section = (name: string) => {
    const match = new RegExp(`^\\[${name}\\]\\s*$([\\s\\S]*?)(?=^\\[|(?![\\s\\S]))`, "m").exec(cargoToml)
    return match?.[1] === undefined ? undefined : /^\s*name\s*=\s*"([^"]+)"/m.exec(match[1])?.[1]
  }
  return (section("lib") ?? section("package"))?.replaceAll("-", "_")
}

/** The symbol reader of the pack. */
export const rustSymbolReader: SymbolReader = {
  reads: (path) => path.endsWith(".rs"),
  read: (source) => Effect.sync(() => rustSymbols(source))
}
