/**
 * Formatting a change without reformatting the file around it. A file that its formatter would
 * rewrite whole (another indentation, hand-aligned code) keeps every line the change did not
 * touch byte for byte; only the lines the change wrote take the formatter's layout.
 */
import { diffArrays } from "diff"
import { Effect } from "effect"

/** What `formatChange` needs: the file before the change (`undefined`: a new file), after it, and its formatter. */
export interface ChangeToFormat<E> {
  readonly before: string | undefined
  readonly after: string
  readonly format: (code: string) => Effect.Effect<string, E>
}

/** A run of lines of `from` that `to` replaces: `removed` from index `start`, `added` in their place. */
interface Hunk {
  readonly start: number
  readonly removed: ReadonlyArray<string>
  readonly added: ReadonlyArray<string>
}

/** Lines with their line ends, so that joining them gives the text back exactly. */
const linesOf = (text: string): Array<string> => (text === "" ? [] : text.split(/(?<=\n)/))

/**
 * The hunks that turn `from` into `to`. With `looseMatch`, lines that it calls the same are
 * aligned as pairs, and a pair whose text differs is a hunk of one line: a formatter mostly
 * changes whitespace, and aligning on the tokens keeps its line-for-line edits apart.
 */
const hunksOf = (
  from: Array<string>,
  to: Array<string>,
  looseMatch?: (a: string, b: string) => boolean
): ReadonlyArray<Hunk> => {
  const hunks: Array<Hunk> = []
  let index = 0
  let target = 0
  let open: { start: number; removed: Array<string>; added: Array<string> } | undefined
  const changes = looseMatch === undefined ? diffArrays(from, to) : diffArrays(from, to, { comparator: looseMatch })
  for (const change of changes) {
    if (change.added) {
      open ??= { start: index, removed: [], added: [] }
      open.added.push(...change.value)
      target += change.value.length
    } else if (change.removed) {
      open ??= { start: index, removed: [], added: [] }
      open.removed.push(...change.value)
      index += change.value.length
    } else {
      if (open !== undefined) hunks.push(open)
      open = undefined
      for (let offset = 0; offset < change.value.length; offset++) {
        const old = from[index + offset] ?? ""
        const printed = to[target + offset] ?? ""
        if (old !== printed) hunks.push({ start: index + offset, removed: [old], added: [printed] })
      }
      index += change.value.length
      target += change.value.length
    }
  }
  if (open !== undefined) hunks.push(open)
  return hunks
}

/** The same tokens, whatever the whitespace around and between them. */
const sameTokens = (a: string, b: string): boolean => a.replace(/\s+/g, "") === b.replace(/\s+/g, "")

/** Which lines of `after` the change wrote, and between which lines it deleted some (gap `i` is before line `i`). */
interface Touched {
  readonly lines: ReadonlyArray<boolean>
  readonly gaps: ReadonlySet<number>
}

const touchedBy = (before: Array<string>, after: Array<string>): Touched => {
  const lines = after.map(() => false)
  const gaps = new Set<number>()
  let shift = 0
  for (const hunk of hunksOf(before, after)) {
    const start = hunk.start + shift
    for (let line = start; line < start + hunk.added.length; line++) lines[line] = true
    if (hunk.added.length === 0) gaps.add(start)
    shift += hunk.added.length - hunk.removed.length
  }
  return { lines, gaps }
}

/**
 * The formatter's hunks (`after` → formatted) that stay within what the change touched: a hunk
 * rewriting only touched lines; a hunk inserting lines next to them (the blank line before a new
 * method); with `lineByLine`, a hunk rewriting as many lines as it replaces takes its lines where
 * they were touched and keeps the others.
 */
const mergeTouched = (after: Array<string>, formatted: Array<string>, touched: Touched, lineByLine: boolean) => {
  const result: Array<string> = []
  let next = 0
  for (const hunk of hunksOf(after, formatted, sameTokens)) {
    result.push(...after.slice(next, hunk.start))
    const end = hunk.start + hunk.removed.length
    const span = touched.lines.slice(hunk.start, end)
    if (hunk.removed.length === 0) {
      const adjacent =
        touched.gaps.has(hunk.start) || touched.lines[hunk.start - 1] === true || touched.lines[hunk.start] === true
      if (adjacent) result.push(...hunk.added)
    } else if (span.every(Boolean)) {
      result.push(...hunk.added)
    } else if (lineByLine && span.some(Boolean) && hunk.added.length === hunk.removed.length) {
      hunk.removed.forEach((line, offset) => {
        result.push(span[offset] === true ? (hunk.added[offset] ?? line) : line)
      })
    } else {
      result.push(...hunk.removed)
    }
    next = end
  }
  result.push(...after.slice(next))
  return result.join("")
}

const toLf = (text: string): string => text.replaceAll("\r\n", "\n")

/** Every line of `text` ends with `\r\n`. */
const usesCrlf = (text: string): boolean => text.includes("\r\n") && !text.replaceAll("\r\n", "").includes("\n")

/** `formatChange` for text whose lines end with `\n`. */
const formatLf = Effect.fnUntraced(function* <E>(change: ChangeToFormat<E>) {
  const formatted = yield* change.format(change.after)
  if (change.before === undefined || formatted === change.after) return formatted
  const before = change.before
  const alreadyFormatted = yield* change.format(before).pipe(
    Effect.map((text) => text === before),
    // A file the formatter cannot read is not formatted; its untouched lines stay as they are.
    Effect.orElseSucceed(() => false)
  )
  if (alreadyFormatted) return formatted

  const afterLines = linesOf(change.after)
  const formattedLines = linesOf(formatted)
  const touched = touchedBy(linesOf(before), afterLines)
  const readsAsAfter = (candidate: string) =>
    change.format(candidate).pipe(
      Effect.map((text) => text === formatted),
      Effect.orElseSucceed(() => false)
    )
  for (const lineByLine of [true, false]) {
    const merged = mergeTouched(afterLines, formattedLines, touched, lineByLine)
    if (merged === change.after) return merged
    if (yield* readsAsAfter(merged)) return merged
  }
  return change.after
})

/**
 * `after` formatted, without reformatting what the change did not touch: a new file, or a file
 * already formatted as the formatter formats it, is formatted whole; in any other file only the
 * lines the change wrote are. A partial merge is kept only if the formatter reads it as it reads
 * `after` (same formatted text): otherwise, say, a re-indented Python line could have moved into
 * another block; then the change is returned as written. Fails only where `format(after)` fails.
 */
export const formatChange = Effect.fn("FormatChange.formatChange")(function* <E>(change: ChangeToFormat<E>) {
  // Formatters print `\n`: a file whose every line ends with `\r\n` is merged in `\n`, and all its
  // lines, the change's too, end with `\r\n` again.
  const before = change.before
  if (before !== undefined && usesCrlf(before)) {
    const merged = yield* formatLf({
      before: toLf(before),
      after: toLf(change.after),
      format: (code) => change.format(code).pipe(Effect.map(toLf))
    })
    return merged.replaceAll("\n", "\r\n")
  }
  return yield* formatLf(change)
})
