/**
 * The layout habits of existing code: how its lines are indented, which quotes its strings use,
 * whether its statements end with semicolons. Cheap line heuristics over a bounded prefix of
 * each file; a habit that is not clear is left unset rather than guessed.
 */
import type { FormatStyle } from "../domain/FormatStyle.ts"

/** Past this many lines a file says nothing more about its habits (and a format check pays for each). */
const linesRead = 400

const commentStart = /^(\/\/|\/\*|\*|#|--|;)/

/** Block comment continuations (` * text`) sit one column off the indentation: they are not evidence. */
const isCommentContinuation = (line: string): boolean => /^ +\*/.test(line)

const mostFrequent = <A>(counts: ReadonlyMap<A, number>): A | undefined => {
  let best: A | undefined
  let bestCount = 0
  let tied = false
  for (const [value, count] of counts) {
    if (count > bestCount) {
      best = value
      bestCount = count
      tied = false
    } else if (count === bestCount) tied = true
  }
  return tied ? undefined : best
}

const increment = <A>(counts: Map<A, number>, value: A) => counts.set(value, (counts.get(value) ?? 0) + 1)

const detectIndent = (lines: ReadonlyArray<string>): Pick<FormatStyle, "indent" | "indentSize"> => {
  let tabbed = 0
  let spaced = 0
  const steps = new Map<number, number>()
  let previous = 0
  for (const line of lines) {
    if (line.trim() === "" || isCommentContinuation(line)) continue
    if (line.startsWith("\t")) {
      tabbed++
      continue
    }
    const width = line.length - line.trimStart().length
    if (width > 0 && !line.startsWith(" ".repeat(width))) continue
    if (width > 0) spaced++
    // An indentation step is how far a line goes in past the line before it.
    if (width > previous && width - previous <= 8) increment(steps, width - previous)
    previous = width
  }
  if (tabbed === 0 && spaced === 0) return {}
  if (tabbed > spaced) return { indent: "tabs" }
  const indentSize = mostFrequent(steps)
  return indentSize === undefined ? { indent: "spaces" } : { indent: "spaces", indentSize }
}

const stringLiteral = /(["'])(?:\\.|(?!\1)[^\\\n])*\1/g
const tripleQuoted = /("""|''')[\s\S]*?\1/g

const detectQuotes = (code: string, lines: ReadonlyArray<string>): Pick<FormatStyle, "quotes"> => {
  let single = 0
  let double = 0
  for (const line of lines) {
    if (commentStart.test(line.trim())) continue
    for (const [literal, quote] of line.matchAll(stringLiteral)) {
      // "it's" is double-quoted whatever the habit; only a literal free of the other quote tells.
      const body = literal.slice(1, -1)
      if (quote === "'" && !body.includes('"')) single++
      if (quote === '"' && !body.includes("'")) double++
    }
  }
  if (code.length === 0 || single === double) return {}
  return { quotes: single > double ? "single" : "double" }
}

/** A line that ends a statement either way: not an opening, a closing, a continuation or a comment. */
const continues = /[{}([,:.=+\-*/|&?<>\\!]$/

const detectSemicolons = (lines: ReadonlyArray<string>): Pick<FormatStyle, "semicolons"> => {
  let ending = 0
  let bare = 0
  for (const line of lines) {
    const trimmed = line.trim()
    if (trimmed === "" || commentStart.test(trimmed) || trimmed.startsWith("@")) continue
    if (trimmed.endsWith(";")) ending++
    else if (!continues.test(trimmed)) bare++
  }
  const total = ending + bare
  if (total < 3) return {}
  const share = ending / total
  return share >= 0.7 ? { semicolons: true } : share <= 0.3 ? { semicolons: false } : {}
}

/** The habits of one file's code. */
export const detectStyle = (code: string): FormatStyle => {
  const head = code.split("\n", linesRead).join("\n").replace(tripleQuoted, "")
  const lines = head.split("\n")
  return { ...detectIndent(lines), ...detectQuotes(head, lines), ...detectSemicolons(lines) }
}

const majorityOf = <A>(values: ReadonlyArray<A | undefined>): A | undefined => {
  const counts = new Map<A, number>()
  for (const value of values) if (value !== undefined) increment(counts, value)
  return mostFrequent(counts)
}

/** Each habit that most of `styles` share; a tie leaves it unset. The width counts only among files indented as most are. */
export const majorityStyle = (styles: ReadonlyArray<FormatStyle>): FormatStyle => {
  const indent = majorityOf(styles.map((style) => style.indent))
  const indentSize =
    indent === "spaces"
      ? majorityOf(styles.filter((style) => style.indent === "spaces").map((style) => style.indentSize))
      : undefined
  const quotes = majorityOf(styles.map((style) => style.quotes))
  const semicolons = majorityOf(styles.map((style) => style.semicolons))
  return {
    ...(indent === undefined ? {} : { indent }),
    ...(indentSize === undefined ? {} : { indentSize }),
    ...(quotes === undefined ? {} : { quotes }),
    ...(semicolons === undefined ? {} : { semicolons })
  }
}
