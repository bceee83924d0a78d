/**
 * Whether a comparison eslint-plugin-security's timing rule flags reveals nothing of the secret:
 * one of its own operands is `undefined`, `null` or a `typeof` expression. The finding's range
 * (ESLint's line/column to endLine/endColumn) is cut out of the file, so that a `typeof` elsewhere
 * on the line does not hide a real leak; the plugin reports the `if` whose test is the comparison.
 */

/** A finding's node range as ESLint reports it: 1-based lines and columns, the end exclusive. */
export interface FindingRange {
  readonly line?: number | undefined
  readonly column?: number | undefined
  readonly endLine?: number | undefined
  readonly endColumn?: number | undefined
}

/** The offset of a 1-based line and column in `text`. */
const offsetOf = (lines: ReadonlyArray<string>, line: number, column: number): number =>
  lines.slice(0, line - 1).reduce((sum, text) => sum + text.length + 1, 0) + column - 1

/** The text from the `(` at `open` to its matching `)`, both left out; strings are skipped. */
const insideParens = (text: string, open: number): string | undefined => {
  let depth = 0
  for (let i = open; i < text.length; i++) {
    const char = text[i] ?? ""
    if (char === '"' || char === "'" || char === "`") i = stringEnd(text, i)
    else if (char === "(") depth++
    else if (char === ")" && --depth === 0) return text.slice(open + 1, i)
  }
  return undefined
}

/** The index of the quote that closes the string opened at `start`. */
const stringEnd = (text: string, start: number): number => {
  for (let i = start + 1; i < text.length; i++) {
    if (text[i] === "\\") i++
    else if (text[i] === text[start]) return i
  }
  return text.length
}

/** The two operands of `expression` if it is one equality comparison at its top level. */
const operandsOf = (expression: string): readonly [string, string] | undefined => {
  let depth = 0
  let last: { readonly at: number; readonly length: number } | undefined
  for (let i = 0; i < expression.length; i++) {
    const char = expression[i] ?? ""
    if (char === '"' || char === "'" || char === "`") i = stringEnd(expression, i)
    else if ("([{".includes(char)) depth++
    else if (")]}".includes(char)) depth--
    else if (depth > 0) continue
    // `a && b === c` or a ternary is not one comparison: its parts are not the flagged operands.
    else if (/^(&&|\|\||\?)/.test(expression.slice(i))) return undefined
    else {
      const operator = /^[!=]==?/.exec(expression.slice(i))?.[0]
      if (operator !== undefined) {
        last = { at: i, length: operator.length }
        i += operator.length - 1
      }
    }
  }
  return last === undefined
    ? undefined
    : [expression.slice(0, last.at).trim(), expression.slice(last.at + last.length).trim()]
}

const revealsNothing = /^(undefined|null)$|^typeof\b/

/** Whether the comparison flagged at `range` of `text` compares with undefined, null or a typeof. */
export const leaksNothing = (text: string, range: FindingRange): boolean => {
  const lines = text.split("\n")
  const line = range.line ?? 1
  const start = offsetOf(lines, line, range.column ?? 1)
  const end =
    range.endLine === undefined || range.endColumn === undefined
      ? offsetOf(lines, line, (lines[line - 1]?.length ?? 0) + 1)
      : offsetOf(lines, range.endLine, range.endColumn)
  const node = text.slice(start, end)
  const test = /^if\s*\(/.test(node) ? insideParens(node, node.indexOf("(")) : node
  const operands = test === undefined ? undefined : operandsOf(test)
  return operands?.some((operand) => revealsNothing.test(operand)) === true
}
