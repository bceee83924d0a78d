/**
 * Exported symbols of a Python module, read line by line: top-level `def` and `class`, and the
 * public methods of those classes. Private names (`_x`) are not exported; `__all__` wins when the
 * module declares it.
 */
import { Effect } from "effect"
import { type SourceSymbol, type SymbolParameter, sourceSymbol } from "../../../core/domain/SourceSymbol.ts"
import type { SymbolReader } from "../../../core/services/LanguageRegistry.ts"
import { closingBracket, lineAt, splitTopLevel } from "../SignatureScanning.ts"

const indentOf = (line: string) => /^[ \t]*/.exec(line)?.[0] ?? ""
const isBlank = (line: string) => line.trim() === "" || line.trimStart().startsWith("#")

const parameterOf = (part: string): SymbolParameter | undefined => {
  if (part === "*" || part === "/") return undefined
  const rest = part.startsWith("*")
  const bare = part.replace(/^\*{1,2}/, "")
  const [head = "", defaultValue] = splitAt(bare, "=")
  const [name = "", type] = splitAt(head, ":")
  return { name: name.trim(), type: type?.trim(), hasDefault: defaultValue !== undefined, rest }
}

/** Splits at the first top-level `separator` (outside brackets and strings). */
const splitAt = (text: string, separator: string): readonly [string, string | undefined] => {
  let depth = 0
  let quote: string | undefined
  for (let i = 0; i < text.length; i++) {
    const c = text.charAt(i)
    if (quote !== undefined) {
      if (c === "\\") i++
      else if (c === quote) quote = undefined
    } else if (c === '"' || c === "'") quote = c
    else if ("([{".includes(c)) depth++
    else if (")]}".includes(c)) depth--
    else if (c === separator && depth === 0 && text.charAt(i + 1) !== "=") return [text.slice(0, i), text.slice(i + 1)]
  }
  return [text, undefined]
}

/** `__all__ = ["a", "b"]`, when the module declares it. */
const declaredExports = (text: string): ReadonlySet<string> | undefined => {
  const match = /^__all__\s*(?::[^=\n]*)?=\s*[[(]/m.exec(text)
  if (match === null) return undefined
  const open = match.index + match[0].length - 1
  const close = closingBracket(text, open)
  if (close < 0) return undefined
  return new Set([...text.slice(open, close).matchAll(/["']([\w]+)["']/g)].map((m) => m[1] ?? ""))
}

interface Signature {
  readonly params: ReadonlyArray<SymbolParameter>
  readonly returns: string | undefined
  readonly generic: boolean
  readonly end: number
}

/** The signature of the `def` at `offset` in `text`: parameters, result, and the line of its closing `:`. */
const signatureAt = (text: string, offset: number): Signature | undefined => {
  const head = /^(?:async\s+)?def\s+\w+\s*/.exec(text.slice(offset))
  if (head === null) return undefined
  let open = offset + head[0].length
  let generic = false
  if (text.charAt(open) === "[") {
    generic = true
    open = closingBracket(text, open) + 1
  }
  if (text.charAt(open) !== "(") return undefined
  const close = closingBracket(text, open)
  if (close < 0) return undefined
  let depth = 0
  for (let i = close + 1; i < text.length; i++) {
    const c = text.charAt(i)
    if ("([{".includes(c)) depth++
    else if (")]}".includes(c)) depth--
    else if (c === ":" && depth === 0) {
      const arrow = /^\s*->\s*([\s\S]*)$/.exec(text.slice(close + 1, i))
      return {
        params: splitTopLevel(text.slice(open + 1, close).replaceAll(/#.*$/gm, "")).flatMap((part) => {
          const parameter = parameterOf(part)
          return parameter === undefined ? [] : [parameter]
        }),
        returns: arrow?.[1]?.trim(),
        generic,
        end: lineAt(text, i)
      }
    }
  }
  return undefined
}

/** Decorators above `line` at the same indentation: their names, and the first decorator line. */
const decoratorsAbove = (lines: ReadonlyArray<string>, line: number, indent: string) => {
  let first = line
  const names: Array<string> = []
  while (first > 0 && (lines[first - 1] ?? "").startsWith(`${indent}@`)) {
    first--
    names.push((lines[first] ?? "").trim().slice(1).split(/[(\s]/)[0] ?? "")
  }
  return { first, names }
}

/** Whether the first statement after `end` (the body of a def or class) is a string: a docstring. */
const hasDocstring = (lines: ReadonlyArray<string>, end: number): boolean => {
  const signature = lines[end] ?? ""
  const afterColon = signature.slice(signature.lastIndexOf(":") + 1).trim()
  if (afterColon !== "" && !afterColon.startsWith("#")) return /^[rRuUbB]?["']/.test(afterColon)
  for (let i = end + 1; i < lines.length; i++) {
    const line = lines[i] ?? ""
    if (isBlank(line)) continue
    return /^[rRuU]?("""|'''|"|')/.test(line.trimStart())
  }
  return false
}

const lineOffsets = (lines: ReadonlyArray<string>) => {
  const offsets: Array<number> = []
  let offset = 0
  for (const line of lines) {
    offsets.push(offset)
    offset += line.length + 1
  }
  return offsets
}

/** Lines inside triple-quoted strings, which are not code. */
const inStrings = (lines: ReadonlyArray<string>): ReadonlySet<number> => {
  const inside = new Set<number>()
  let open: string | undefined
  lines.forEach((line, index) => {
    if (open !== undefined) inside.add(index)
    for (const match of line.matchAll(/"""|'''/g)) {
      if (open === undefined) open = match[0]
      else if (open === match[0]) open = undefined
    }
  })
  return inside
}

/** The exported functions, classes and public methods of a Python module, in source order. */
export const pythonSymbols = (text: string): ReadonlyArray<SourceSymbol> => {
  const lines = text.split("\n")
  const offsets = lineOffsets(lines)
  const strings = inStrings(lines)
  const declared = declaredExports(text)
  const exported = (name: string) => (declared === undefined ? !name.startsWith("_") : declared.has(name))
  const symbols: Array<SourceSymbol> = []

  const defAt = (index: number, indent: string, owner: string | undefined): SourceSymbol | undefined => {
    const line = lines[index] ?? ""
    const match = /^(?:async\s+)?def\s+(\w+)/.exec(line.slice(indent.length))
    const signature = signatureAt(text, (offsets[index] ?? 0) + indent.length)
    if (match === null || signature === undefined) return undefined
    const decorators = decoratorsAbove(lines, index, indent)
    // A property is an attribute, not a method one calls.
    if (decorators.names.some((d) => d === "property" || /\.(setter|getter|deleter)$/.test(d))) return undefined
    const isStatic = decorators.names.includes("staticmethod") || decorators.names.includes("classmethod")
    const takesReceiver = owner !== undefined && !decorators.names.includes("staticmethod")
    const receiver = takesReceiver ? signature.params[0] : undefined
    const rest = takesReceiver ? signature.params.slice(1) : signature.params
    return sourceSymbol({
      name: match[1] ?? "",
      kind: owner === undefined ? "function" : "method",
      owner,
      params: rest,
      returns: signature.returns,
      generic: signature.generic,
      receiver: decorators.names.includes("classmethod") ? "cls" : receiver?.name,
      isStatic,
      line: decorators.first,
      signatureEnd: signature.end,
      indent,
      documented: hasDocstring(lines, signature.end)
    })
  }

  for (let index = 0; index < lines.length; index++) {
    const line = lines[index] ?? ""
    if (strings.has(index) || line.startsWith(" ") || line.startsWith("\t")) continue
    if (/^(async\s+)?def\s/.test(line)) {
      const symbol = defAt(index, "", undefined)
      if (symbol !== undefined && exported(symbol.name)) symbols.push(symbol)
      continue
    }
    const klass = /^class\s+(\w+)\s*(\[[^\]]*\])?\s*[(:]/.exec(line)
    if (klass === null) continue
    const name = klass[1] ?? ""
    const open = line.indexOf("(")
    const headerEnd =
      open >= 0 && open < line.indexOf(":") ? lineAt(text, closingBracket(text, (offsets[index] ?? 0) + open)) : index
    let body = headerEnd + 1
    while (body < lines.length && isBlank(lines[body] ?? "")) body++
    const bodyIndent = indentOf(lines[body] ?? "")
    const methods: Array<SourceSymbol> = []
    let init: SourceSymbol | undefined
    for (let member = body; member < lines.length; member++) {
      const text = lines[member] ?? ""
      if (!strings.has(member) && !isBlank(text) && indentOf(text).length === 0) break
      if (bodyIndent === "" || !text.startsWith(bodyIndent) || /^\s/.test(text.charAt(bodyIndent.length))) continue
      if (strings.has(member) || !/^(async\s+)?def\s/.test(text.slice(bodyIndent.length))) continue
      const method = defAt(member, bodyIndent, name)
      if (method === undefined) continue
      if (method.name === "__init__") init = method
      else if (!method.name.startsWith("_")) methods.push(method)
    }
    if (!exported(name)) continue
    const decorators = decoratorsAbove(lines, index, "")
    symbols.push(
      sourceSymbol({
        name,
        kind: "class",
        params: init?.params ?? [],
        generic: klass[2] !== undefined,
        line: decorators.first,
        signatureEnd: headerEnd,
        indent: "",
        documented: hasDocstring(lines, headerEnd)
      }),
      ...methods
    )
  }
  return symbols
}

/** The symbol reader of the pack (not a `.pyi` stub: it has no code). */
export const pythonSymbolReader: SymbolReader = {
  reads: (path) => path.endsWith(".py"),
  read: (source) => Effect.sync(() => pythonSymbols(source))
}
