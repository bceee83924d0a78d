/**
 * Reading the edits a model proposes to existing files: SEARCH/REPLACE blocks (with the file's
 * path on a line before them) and unified diffs. `EditParse.parse(text)` finds them, in order, and
 * reports blocks cut off or written wrong; `EditLocate` finds where they go, `EditApply` applies them.
 */
import { parsePatch, type StructuredPatch } from "diff"
import { parseInfo, pathInLeadLine } from "./BlockPaths.ts"

export interface SearchReplaceEdit {
  readonly _tag: "SearchReplace"
  /** The path the answer named, as written: not checked yet, it may lie outside the workspace. */
  readonly path: string | undefined
  readonly search: string
  readonly replace: string
}

export interface DiffEdit {
  readonly _tag: "Diff"
  /** The path the answer named, as written: not checked yet, it may lie outside the workspace. */
  readonly path: string | undefined
  readonly patch: StructuredPatch
}

export type Edit = SearchReplaceEdit | DiffEdit

/** A SEARCH/REPLACE block that cannot be read: its divider or its end is missing. */
export interface MalformedBlock {
  readonly path: string | undefined
  /** The block as written, from its SEARCH line. */
  readonly text: string
  /** What is wrong with it, for the model. */
  readonly problem: string
}

export interface ParsedEdits {
  readonly edits: ReadonlyArray<Edit>
  /** A SEARCH/REPLACE block was cut off: the answer was truncated. */
  readonly truncated: boolean
  readonly malformed: ReadonlyArray<MalformedBlock>
}

const searchStart = /^([ \t]*)<{7} SEARCH[ \t]*$/
const divider = /^={7}[ \t]*$/
const replaceEnd = /^[ \t]*>{7} REPLACE[ \t]*$/
// What a model may write for the markers: read as a block's bounds, then refused unless exact.
const looseStart = /^([ \t]*)<{3,}\s*SEARCH\b/
const looseEnd = /^[ \t]*>{3,}\s*REPLACE\b/
// A line holds no line break, so the rest of it is everything after the marks.
const fence = /^ {0,3}(`{3,}|~{3,})(.*)/
const diffBody =
  /^(?:[ +\-\\]|@@|diff --git |index |new file mode|deleted file mode|similarity index|rename |old mode|new mode)/

/** The line at `at`; past the end, an empty one. */
// Stryker disable next-line StringLiteral: every caller compares the line with a marker, a fence or a diff prefix, which no text without one matches
const lineAt = (lines: ReadonlyArray<string>, at: number): string => lines[at] ?? ""

/** Whether `line` closes a fence opened with `marks`: the same character, at least as many, nothing after. */
const closes = (marks: string, line: string): boolean => {
  const match = fence.exec(line)
  if (match === null) return false
  // Stryker disable next-line StringLiteral: both groups take part in every match, so the defaults are never read
  const [, close = "", after = ""] = match
  return close[0] === marks[0] && close.length >= marks.length && after.trim() === ""
}

/** Whether a fenced block holds edits rather than a whole file. */
const holdsEdits = (body: ReadonlyArray<string>, language: string | undefined): boolean =>
  language === "diff" ||
  language === "patch" ||
  body.some(
    (line, at) =>
      looseStart.test(line) ||
      line.startsWith("diff --git ") ||
      line.startsWith("@@ ") ||
      (line.startsWith("--- ") && lineAt(body, at + 1).startsWith("+++ "))
  )

/** Whether a diff goes on at line `at`: a diff line, or a blank one with the diff going on after it. */
const diffGoesOn = (lines: ReadonlyArray<string>, at: number): boolean => {
  const line = lineAt(lines, at)
  if (fence.test(line)) return false
  // Stryker disable next-line ArithmeticOperator: the line before a blank one goes on the diff, so the mutant keeps one blank line at its end, and the recount drops it
  return diffBody.test(line === "" ? lineAt(lines, at + 1) : line)
}

const stripDiffPrefix = (name: string | undefined): string | undefined => {
  if (name === undefined) return undefined
  // jsdiff has cut the timestamp after a tab; spaces before it are not part of the name.
  const clean = name.trim()
  if (clean === "/dev/null" || clean === "") return undefined
  return clean.replace(/^[ab]\//, "")
}

/** Rewrites hunk headers with counts taken from the hunk bodies: models rarely count right. */
const normalizeDiff = (lines: ReadonlyArray<string>): string => {
  // Stryker disable next-line ArrayDeclaration: jsdiff skips text before a patch's first header, as it does in an answer
  const out: Array<string> = []
  let index = 0
  while (index < lines.length) {
    const line = lineAt(lines, index)
    if (!line.startsWith("@@")) {
      out.push(line)
      index++
      continue
    }
    const numbers = /^@@ -(\d+)(?:,\d+)? \+(\d+)(?:,\d+)? @@/.exec(line)
    const body: Array<string> = []
    index++
    while (index < lines.length) {
      const next = lineAt(lines, index)
      if (next.startsWith("@@") || next.startsWith("--- ") || next.startsWith("diff --git ")) break
      // An empty line in a hunk is an empty context line whose leading space was lost.
      body.push(next === "" ? " " : next)
      index++
    }
    while (body[body.length - 1] === " ") body.pop()
    const oldCount = body.filter((l) => l.startsWith(" ") || l.startsWith("-")).length
    const newCount = body.filter((l) => l.startsWith(" ") || l.startsWith("+")).length
    const oldStart = numbers === null ? 1 : Number(numbers[1])
    const newStart = numbers === null ? 1 : Number(numbers[2])
    out.push(`@@ -${oldStart},${oldCount} +${newStart},${newCount} @@`, ...body)
  }
  return `${out.join("\n")}\n`
}

const parseDiff = (lines: ReadonlyArray<string>, fallbackPath: string | undefined): ReadonlyArray<DiffEdit> => {
  let patches: Array<StructuredPatch>
  try {
    patches = parsePatch(normalizeDiff(lines))
  } catch {
    return []
  }
  return patches
    .filter((patch) => patch.hunks.length > 0)
    .map((patch) => {
      // A bare hunk names no file: it edits the one named before it.
      const path = stripDiffPrefix(patch.newFileName) ?? stripDiffPrefix(patch.oldFileName) ?? fallbackPath
      return { _tag: "Diff", path, patch }
    })
}

/** Every SEARCH/REPLACE block and unified diff in `text`, in order. */
export const parse = (text: string): ParsedEdits => {
  const lines = text.replace(/\r\n?/g, "\n").split("\n")
  const edits: Array<Edit> = []
  const malformed: Array<MalformedBlock> = []
  let path: string | undefined
  let truncated = false
  // The marks of the fence the current line is inside, if any.
  let inFence: string | undefined
  let index = 0
  while (index < lines.length) {
    const line = lineAt(lines, index)
    const open = fence.exec(line)
    if (open !== null) {
      if (inFence !== undefined && closes(inFence, line)) {
        inFence = undefined
        index++
        continue
      }
      // Stryker disable next-line StringLiteral: both groups take part in every match, so the defaults are never read
      const [, marks = "```", rest = ""] = open
      const info = parseInfo(rest)
      if (info.path !== undefined) path = info.path
      const end = lines.findIndex((next, at) => at > index && closes(marks, next))
      // A block of code is a whole file, for `Extraction`: a comment or a line in it names nothing here.
      if (end > index && !holdsEdits(lines.slice(index + 1, end), info.language)) {
        index = end + 1
        continue
      }
      inFence = marks
      index++
      continue
    }
    const marker = looseStart.exec(line)
    if (marker !== null) {
      // The divider is exactly seven `=` at the SEARCH line's indentation: `=====` and `=========`
      // are Markdown and reStructuredText headings, and an indented `=======` is body text.
      // Stryker disable next-line StringLiteral: the indentation group takes part in every match
      const indent = marker[1] ?? ""
      const isDivider = (l: string) => l.startsWith(indent) && divider.test(l.slice(indent.length))
      const isBoundary = (l: string) => looseEnd.test(l) || looseStart.test(l)
      const search: Array<string> = []
      const replace: Array<string> = []
      let at = index + 1
      while (at < lines.length && !isDivider(lineAt(lines, at)) && !isBoundary(lineAt(lines, at))) {
        search.push(lineAt(lines, at++))
      }
      if (at >= lines.length) {
        truncated = true
        break
      }
      if (!isDivider(lineAt(lines, at))) {
        const ends = looseEnd.test(lineAt(lines, at))
        malformed.push({
          path,
          text: lines.slice(index, ends ? at + 1 : at).join("\n"),
          problem: "it has no ======= line (exactly seven `=`) between its SEARCH and REPLACE parts"
        })
        index = ends ? at + 1 : at
        continue
      }
      at++
      while (at < lines.length && !isBoundary(lineAt(lines, at))) replace.push(lineAt(lines, at++))
      if (at >= lines.length) {
        truncated = true
        break
      }
      if (!looseEnd.test(lineAt(lines, at))) {
        malformed.push({
          path,
          text: lines.slice(index, at).join("\n"),
          problem: "it has no >>>>>>> REPLACE line before the next SEARCH"
        })
        index = at
        continue
      }
      if (!searchStart.test(line) || !replaceEnd.test(lineAt(lines, at))) {
        malformed.push({
          path,
          text: lines.slice(index, at + 1).join("\n"),
          problem: "its first and last lines must be exactly <<<<<<< SEARCH and >>>>>>> REPLACE (seven `<`, seven `>`)"
        })
        index = at + 1
        continue
      }
      edits.push({ _tag: "SearchReplace", path, search: search.join("\n"), replace: replace.join("\n") })
      index = at + 1
      continue
    }
    const isDiff =
      (line.startsWith("--- ") && lineAt(lines, index + 1).startsWith("+++ ")) ||
      line.startsWith("diff --git ") ||
      line.startsWith("@@ ")
    if (isDiff) {
      let at = index
      while (diffGoesOn(lines, at)) at++
      edits.push(...parseDiff(lines.slice(index, at), path))
      index = at
      continue
    }
    const named = pathInLeadLine(line)
    if (named !== undefined) path = named
    index++
  }
  return { edits, truncated, malformed }
}

/** The edits grouped by the file they name (`undefined`: no path given). */
export const byPath = (edits: ReadonlyArray<Edit>): ReadonlyMap<string | undefined, ReadonlyArray<Edit>> => {
  const groups = new Map<string | undefined, Array<Edit>>()
  for (const edit of edits) groups.set(edit.path, [...(groups.get(edit.path) ?? []), edit])
  return groups
}

/** The text of an edit as the model wrote it: the SEARCH part, or the hunks of a diff. */
export const blockOf = (edit: Edit): string =>
  edit._tag === "SearchReplace"
    ? edit.search
    : edit.patch.hunks
        .map((hunk) =>
          [`@@ -${hunk.oldStart},${hunk.oldLines} +${hunk.newStart},${hunk.newLines} @@`, ...hunk.lines].join("\n")
        )
        .join("\n")

/** The namespace-like API. */
export const EditParse = { parse, byPath, blockOf } as const
