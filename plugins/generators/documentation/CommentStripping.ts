/**
 * Code with its comments and docstrings taken out, so that a documentation change can be
 * checked to touch nothing else: the stripped code before and after must be the same.
 * Strings are read as strings (a `//` inside one is not a comment); Python string statements
 * (docstrings) and JavaScript/Go/Rust comments are dropped; blank lines and trailing spaces do
 * not count.
 */

import type { LanguagePack } from "../../../core/services/LanguageRegistry.ts"

export type CommentSyntax = "c" | "python"

/**
 * The comment syntax of a pack, from its comment tokens: `#` with docstrings reads as Python,
 * `//` and `/* *\/` as the C family; undefined for one this cannot check.
 */
export const commentSyntaxOf = (pack: Pick<LanguagePack, "comment" | "documentation">): CommentSyntax | undefined =>
  pack.documentation?.docstring === true && pack.comment.line === "#" && pack.comment.block === undefined
    ? "python"
    : pack.comment.line === "//" && pack.comment.block?.[0] === "/*" && pack.comment.block[1] === "*/"
      ? "c"
      : undefined

/** The index just after the string literal starting at `at` (its opening quote or triple quote). */
const stringEnd = (code: string, at: number, syntax: CommentSyntax): number => {
  const quote = code.charAt(at)
  const triple = syntax === "python" && code.startsWith(quote.repeat(3), at) ? quote.repeat(3) : undefined
  let i = at + (triple?.length ?? 1)
  while (i < code.length) {
    const c = code.charAt(i)
    if (c === "\\" && quote !== "`") i += 2
    else if (triple !== undefined && code.startsWith(triple, i)) return i + 3
    else if (triple === undefined && c === quote) return i + 1
    else if (triple === undefined && c === "\n" && quote !== "`") return i
    else i++
  }
  return code.length
}

/** Whether the quote at `at` opens a string here (in Rust, `'a` is a lifetime unless it closes right away). */
const opensString = (code: string, at: number, syntax: CommentSyntax): boolean => {
  const c = code.charAt(at)
  if (c === '"' || c === "`") return true
  if (c !== "'") return false
  if (syntax === "python") return true
  // A char literal ('x', '\n', '\u{1F600}') closes within a few characters; a lifetime does not.
  return /^'(?:\\[^']{1,10}|[^\\'])'/.test(code.slice(at))
}

/** Python: the string at `at` is a statement of its own (first on its line, nothing after it). */
const isStringStatement = (code: string, at: number, end: number): boolean => {
  const lineStart = code.lastIndexOf("\n", at - 1) + 1
  const before = code.slice(lineStart, at)
  if (!/^\s*[rRuU]?$/.test(before)) return false
  const lineEnd = code.indexOf("\n", end)
  const after = code.slice(end, lineEnd < 0 ? code.length : lineEnd)
  return /^\s*(#.*)?$/.test(after)
}

/** The code without comments and docstrings, without blank lines and trailing spaces. */
export const stripComments = (code: string, syntax: CommentSyntax): string => {
  let out = ""
  let i = 0
  while (i < code.length) {
    const c = code.charAt(i)
    if (syntax === "c" && code.startsWith("//", i)) {
      const end = code.indexOf("\n", i)
      i = end < 0 ? code.length : end
    } else if (syntax === "c" && code.startsWith("/*", i)) {
      const end = code.indexOf("*/", i + 2)
      i = end < 0 ? code.length : end + 2
    } else if (syntax === "python" && c === "#") {
      const end = code.indexOf("\n", i)
      i = end < 0 ? code.length : end
    } else if (opensString(code, i, syntax)) {
      const end = stringEnd(code, i, syntax)
      if (syntax === "python" && isStringStatement(code, i, end)) {
        // A string prefix (r, u) written before the docstring goes with it.
        out = out.replace(/[rRuU]$/, "")
      } else out += code.slice(i, end)
      i = end
    } else {
      out += c
      i++
    }
  }
  return out
    .split("\n")
    .map((line) => line.trimEnd())
    .filter((line) => line.trim() !== "")
    .join("\n")
}

/** Where two versions of a file differ once comments are stripped: the first differing code line, or undefined. */
export const codeDifference = (
  before: string,
  after: string,
  syntax: CommentSyntax
): { readonly line: number; readonly before: string; readonly after: string } | undefined => {
  const a = stripComments(before, syntax).split("\n")
  const b = stripComments(after, syntax).split("\n")
  for (let line = 0; line < Math.max(a.length, b.length); line++) {
    if (a[line] !== b[line]) return { line: line + 1, before: a[line] ?? "", after: b[line] ?? "" }
  }
  return undefined
}
