/**
 * Scanning declarations as text, for the languages whose symbols are read line by line (Python,
 * Go, Rust): parameter lists split on their top-level commas, the bracket that closes another,
 * the line of an index. Strings are skipped, so a comma or bracket inside one does not count.
 */

/**
 * How a single quote reads: a string delimiter (JavaScript, Python, Go runes are short enough), or
 * in Rust a char literal when it closes right away and a lifetime (`'a`) otherwise.
 */
export type SingleQuote = "string" | "char"

const rustChar = /^'(?:\\[^']{1,10}|[^\\'])'/

/** The index just past the string or char literal that starts at `at`, or `at + 1` for a lone lifetime tick. */
const skipQuoted = (text: string, at: number, singleQuote: SingleQuote): number => {
  const quote = text.charAt(at)
  if (quote === "'" && singleQuote === "char") {
    const match = rustChar.exec(text.slice(at))
    return match === null ? at + 1 : at + match[0].length
  }
  for (let i = at + 1; i < text.length; i++) {
    const c = text.charAt(i)
    if (c === "\\") i++
    else if (c === quote) return i + 1
  }
  return text.length
}

const isQuote = (c: string) => c === '"' || c === "'" || c === "`"
const openers = "([{<"
const closers = ")]}>"
/** `->` and `=>` are arrows, not closing angle brackets. */
const isArrow = (text: string, i: number) => text.charAt(i) === ">" && /[-=]/.test(text.charAt(i - 1))

/** Splits `text` on top-level commas, ignoring those inside brackets and strings. */
export const splitTopLevel = (text: string, singleQuote: SingleQuote = "string"): ReadonlyArray<string> => {
  const parts: Array<string> = []
  let depth = 0
  let from = 0
  for (let i = 0; i < text.length; ) {
    const c = text.charAt(i)
    if (isQuote(c)) {
      i = skipQuoted(text, i, singleQuote)
      continue
    }
    if (openers.includes(c)) depth++
    else if (closers.includes(c) && !isArrow(text, i)) depth--
    else if (c === "," && depth === 0) {
      parts.push(text.slice(from, i).trim())
      from = i + 1
    }
    i++
  }
  const last = text.slice(from).trim()
  if (last !== "") parts.push(last)
  return parts
}

/** The index of the bracket that closes the one at `open`, skipping strings; -1 when it never closes. */
export const closingBracket = (text: string, open: number, singleQuote: SingleQuote = "string"): number => {
  const opener = text.charAt(open)
  const closer = closers.charAt(openers.indexOf(opener))
  if (closer === "") return -1
  let depth = 0
  for (let i = open; i < text.length; ) {
    const c = text.charAt(i)
    if (isQuote(c) && !(c === "'" && opener === "<")) {
      i = skipQuoted(text, i, opener === "<" ? "char" : singleQuote)
      continue
    }
    if (c === opener) depth++
    else if (c === closer && !isArrow(text, i)) {
      depth--
      if (depth === 0) return i
    }
    i++
  }
  return -1
}

/** The 0-based line of a character index. */
export const lineAt = (text: string, index: number): number => {
  let line = 0
  for (let i = 0; i < index && i < text.length; i++) if (text.charCodeAt(i) === 10) line++
  return line
}
