/**
 * Applying the edits `EditParse` read: one after the other, each where `EditLocate` finds it,
 * re-indenting the replacement to the file's style. A location that is not unique is refused,
 * never guessed. A block that fails is reported with the closest region of the file, so the model
 * can be shown what the file really says.
 */
import { applyPatch, type StructuredPatch } from "diff"
import type { EditFailure } from "../services/GeneratorRegistry.ts"
import { locate, positions, type Region } from "./EditLocate.ts"
import { blockOf, type DiffEdit, type Edit, type SearchReplaceEdit } from "./EditParse.ts"

// An edit failure is the generator registry's (one definition); a region is where a block was looked for.
export type { EditFailure, Region }

export type Strategy = "exact" | "whitespace" | "fuzzy" | "patch"

export type EditOutcome =
  | {
      readonly _tag: "Applied"
      readonly edit: Edit
      readonly strategy: Strategy
      readonly startLine: number
      readonly endLine: number
    }
  | {
      readonly _tag: "Failed"
      readonly edit: Edit
      readonly reason: "not-found" | "ambiguous"
      /** Where the file comes closest to the block (for not-found), or the first candidate (for ambiguous). */
      readonly closest: Region | undefined
      readonly candidates: ReadonlyArray<Region>
    }

export interface AppliedEdits {
  readonly content: string
  readonly outcomes: ReadonlyArray<EditOutcome>
  readonly ok: boolean
}

export interface ApplyOptions {
  /** Minimum mean line similarity of a fuzzy match. */
  readonly fuzzyThreshold?: number
}

const blank = (line: string): boolean => line.trim() === ""

const indentOf = (line: string): string => line.slice(0, line.length - line.replace(/^[ \t]+/, "").length)

/** How far an indentation reaches, a tab counting as four columns. */
const widthOf = (indent: string): number => indent.replace(/\t/g, "    ").length

/** The smallest step from the shallowest of some indentation widths: what one level is written as. */
const stepOf = (widths: ReadonlyArray<number>): number => {
  const base = Math.min(...widths)
  return Math.min(...widths.filter((width) => width > base).map((width) => width - base))
}

/**
 * Moves the replacement to the file's indentation. Each SEARCH line says how the file writes one
 * of the model's indentations; a replacement line at that indentation takes the file's, and one
 * at another is placed by levels from the nearest, in the file's tabs or spaces and its step. The
 * model's levels count, not its columns: a model writing two spaces where the file writes four,
 * or dropping a level throughout, still lands each line on the file's level for it.
 */
const reindent = (
  replace: ReadonlyArray<string>,
  search: ReadonlyArray<string>,
  matched: ReadonlyArray<string>,
  file: ReadonlyArray<string>
): Array<string> => {
  const known = search.flatMap((line, at) => {
    // Stryker disable next-line ArrayDeclaration: an entry that is not a pair is at no width, so no line is placed from it
    if (blank(line)) return []
    // Stryker disable next-line StringLiteral: the matched lines are as many as the block's, so the default is never read
    const fileLine = matched[at] ?? ""
    return [{ model: widthOf(indentOf(line)), file: indentOf(fileLine) }]
  })
  const modelStep = stepOf(
    [...search, ...replace].filter((line) => !blank(line)).map((line) => widthOf(indentOf(line)))
  )
  const tabbed = file.filter((line) => line.startsWith("\t")).length
  const spaced = file.filter((line) => line.startsWith(" ")).length
  // A file with no indentation yet takes the model's step.
  const fileSpaces = stepOf(file.filter((line) => !blank(line)).map((line) => widthOf(indentOf(line))))
  const fileStep = () => (tabbed > spaced ? "\t" : " ".repeat(Number.isFinite(fileSpaces) ? fileSpaces : modelStep))
  const levels = (from: number, to: number) => Math.round(Math.abs(to - from) / modelStep)
  const indentFor = (width: number): string => {
    const same = known.find((pair) => pair.model === width)
    if (same !== undefined) return same.file
    const below = known.filter((pair) => pair.model < width)
    if (below.length > 0) {
      const nearest = below.reduce((a, b) => (b.model > a.model ? b : a))
      return nearest.file + fileStep().repeat(levels(nearest.model, width))
    }
    // Shallower than every line of the block: so many levels out from the shallowest.
    const shallowest = known.reduce((a, b) => (b.model < a.model ? b : a))
    return shallowest.file.slice(
      0,
      Math.max(0, shallowest.file.length - fileStep().length * levels(shallowest.model, width))
    )
  }
  return replace.map((line) => {
    if (blank(line)) return ""
    const indent = indentOf(line)
    return `${indentFor(widthOf(indent))}${line.slice(indent.length)}`
  })
}

/** The lines without their blank first and last ones, and how many of each there were. */
const trimBlankEdges = (lines: ReadonlyArray<string>): { lines: Array<string>; head: number; tail: number } => {
  // For lines all blank, `first` is -1 and the slice is empty: the block is empty, and its edges are not read.
  const first = lines.findIndex((line) => !blank(line))
  const last = lines.findLastIndex((line) => !blank(line))
  return { lines: lines.slice(first, last + 1), head: first, tail: lines.length - 1 - last }
}

const applySearchReplace = (
  file: ReadonlyArray<string>,
  edit: SearchReplaceEdit,
  threshold: number,
  /** For each REPLACE line that only repeats a SEARCH line (a diff's context), that line's index. */
  context?: ReadonlyArray<number | undefined>
): { readonly lines: Array<string>; readonly outcome: EditOutcome } => {
  const replaceLines = edit.replace === "" ? [] : edit.replace.split("\n")
  // An empty or blank SEARCH trims to no lines.
  const raw = edit.search.split("\n")
  const searchTrim = trimBlankEdges(raw)
  if (searchTrim.lines.length === 0) {
    // An empty SEARCH creates the file, or appends to it: after its last line, before the newline that ends it.
    const newline = file.at(-1) === "" ? [""] : []
    const before = file.every((l) => l === "") ? [] : file.slice(0, file.length - newline.length)
    return {
      lines: [...before, ...replaceLines, ...newline],
      outcome: {
        _tag: "Applied",
        edit,
        strategy: "exact",
        startLine: before.length + 1,
        endLine: before.length + replaceLines.length
      }
    }
  }
  // Blank edge lines are part of the block when they match as written (deleting a paragraph). Without
  // blank edges this is the exact match `locate` would find first.
  const [only, ...others] = positions(file, raw, (a, b) => a === b)
  if (only !== undefined && others.length === 0) {
    return {
      lines: [...file.slice(0, only), ...replaceLines, ...file.slice(only + raw.length)],
      outcome: { _tag: "Applied", edit, strategy: "exact", startLine: only + 1, endLine: only + raw.length }
    }
  }
  // Drop from the replacement as many blank edge lines as were dropped from the search, at most.
  const leadWindow = replaceLines.slice(0, searchTrim.head)
  const firstText = leadWindow.findIndex((line) => !blank(line))
  const lead = firstText < 0 ? leadWindow.length : firstText
  const rest = replaceLines.slice(lead)
  const tailWindow = rest.slice(rest.length - searchTrim.tail)
  const replace = rest.slice(
    0,
    rest.length - (tailWindow.length - 1 - tailWindow.findLastIndex((line) => !blank(line)))
  )
  const located = locate(file, searchTrim.lines, threshold)
  switch (located._tag) {
    case "Ambiguous":
      return {
        lines: [...file],
        outcome: {
          _tag: "Failed",
          edit,
          reason: "ambiguous",
          closest: located.candidates[0],
          candidates: located.candidates
        }
      }
    case "NotFound":
      return {
        lines: [...file],
        outcome: { _tag: "Failed", edit, reason: "not-found", closest: located.closest, candidates: [] }
      }
    case "Found": {
      const { start, end, strategy } = located.match
      const matched = file.slice(start, end)
      // A context line stays as the file has it: the model's drifted copy of it is not a change.
      const replacement =
        strategy === "exact"
          ? replace
          : reindent(replace, searchTrim.lines, matched, file).map((line, i) => {
              const at = context?.[lead + i]
              return at === undefined ? line : (matched[at - searchTrim.head] ?? line)
            })
      return {
        lines: [...file.slice(0, start), ...replacement, ...file.slice(end)],
        outcome: { _tag: "Applied", edit, strategy, startLine: start + 1, endLine: end }
      }
    }
  }
}

/**
 * A hunk as the SEARCH/REPLACE it amounts to: old side (context + removed) → new side (context +
 * added), with, for each new-side line that is context, its index on the old side.
 */
const hunkAsSearchReplace = (
  edit: DiffEdit,
  hunk: StructuredPatch["hunks"][number]
): { readonly edit: SearchReplaceEdit; readonly context: ReadonlyArray<number | undefined> } => {
  const body = hunk.lines.filter((l) => !l.startsWith("\\"))
  const search: Array<string> = []
  const replace: Array<string> = []
  const context: Array<number | undefined> = []
  for (const line of body) {
    const text = line.slice(1)
    if (line.startsWith("-")) search.push(text)
    else if (line.startsWith("+")) {
      replace.push(text)
      context.push(undefined)
    } else {
      context.push(search.length)
      search.push(text)
      replace.push(text)
    }
  }
  return {
    edit: {
      // Stryker disable next-line StringLiteral: the block is applied as a SEARCH/REPLACE directly; its tag is never read
      _tag: "SearchReplace",
      path: edit.path,
      search: search.join("\n"),
      replace: replace.join("\n")
    },
    context
  }
}

const strength: Record<Strategy, number> = { exact: 0, patch: 0, whitespace: 1, fuzzy: 2 }

const applyDiff = (
  file: ReadonlyArray<string>,
  edit: DiffEdit,
  threshold: number
): { readonly lines: Array<string>; readonly outcome: EditOutcome } => {
  // jsdiff exactly, or not at all: its fuzz factor lets a hunk land on a similar function elsewhere.
  const patched = applyPatch(file.join("\n"), edit.patch)
  if (patched !== false) {
    const first = edit.patch.hunks[0]
    const last = edit.patch.hunks[edit.patch.hunks.length - 1]
    return {
      lines: patched.split("\n"),
      outcome: {
        _tag: "Applied",
        edit,
        strategy: "patch",
        startLine: first?.newStart ?? 1,
        endLine: last === undefined ? 1 : last.newStart + Math.max(0, last.newLines - 1)
      }
    }
  }
  // Hunk by hunk, our matcher forgives indentation and small drift, under the same rules as SEARCH.
  let lines = [...file]
  let weakest: Strategy = "exact"
  let startLine = Number.POSITIVE_INFINITY
  let endLine = 0
  for (const hunk of edit.patch.hunks) {
    const asBlock = hunkAsSearchReplace(edit, hunk)
    const result = applySearchReplace(lines, asBlock.edit, threshold, asBlock.context)
    if (result.outcome._tag === "Failed") return { lines: [...file], outcome: { ...result.outcome, edit } }
    lines = result.lines
    if (strength[result.outcome.strategy] > strength[weakest]) weakest = result.outcome.strategy
    startLine = Math.min(startLine, result.outcome.startLine)
    endLine = Math.max(endLine, result.outcome.endLine)
  }
  return { lines, outcome: { _tag: "Applied", edit, strategy: weakest, startLine, endLine } }
}

/** Applies `edits` in order to `content`; a failed edit leaves the content as it was and is reported. */
export const apply = (content: string, edits: ReadonlyArray<Edit>, options: ApplyOptions = {}): AppliedEdits => {
  const threshold = options.fuzzyThreshold ?? 0.9
  const crlf = content.includes("\r\n")
  let lines = content.replace(/\r\n/g, "\n").split("\n")
  const outcomes: Array<EditOutcome> = []
  for (const edit of edits) {
    const result =
      edit._tag === "SearchReplace" ? applySearchReplace(lines, edit, threshold) : applyDiff(lines, edit, threshold)
    lines = result.lines
    outcomes.push(result.outcome)
  }
  const joined = lines.join("\n")
  return {
    content: crlf ? joined.replace(/\n/g, "\r\n") : joined,
    outcomes,
    ok: outcomes.every((outcome) => outcome._tag === "Applied")
  }
}

type FailedOutcome = Extract<EditOutcome, { readonly _tag: "Failed" }>

const describe = (outcome: FailedOutcome, path: string | undefined): string => {
  const what = outcome.edit._tag === "SearchReplace" ? "SEARCH block" : "diff hunk"
  const where = path === undefined ? "" : ` in ${path}`
  if (outcome.reason === "ambiguous") {
    const lines = outcome.candidates.map((c) => `lines ${c.startLine}-${c.endLine}`).join(", ")
    return `The ${what}${where} matches more than one place (${lines}); include more surrounding lines so it is unique.`
  }
  const closest =
    outcome.closest === undefined
      ? ""
      : `\nThe closest lines (${outcome.closest.startLine}-${outcome.closest.endLine}, similarity ${outcome.closest.similarity}) are:\n${outcome.closest.text}`
  return `The ${what}${where} does not match the file.${closest}`
}

/** What to tell the model about a failed edit: the block, and what the file says where it comes closest. */
export const describeFailure = (
  outcome: EditOutcome,
  path: string | undefined = outcome.edit.path
): string | undefined => (outcome._tag === "Applied" ? undefined : describe(outcome, path))

/** A failed outcome as an `EditFailure` for the file at `path`; `undefined` for an applied one. */
export const failureOf = (outcome: EditOutcome, path: string): EditFailure | undefined => {
  if (outcome._tag === "Applied") return undefined
  const message = describe(outcome, path)
  const closest = outcome.reason === "not-found" ? outcome.closest : undefined
  return {
    path,
    block: blockOf(outcome.edit),
    ...(closest === undefined ? {} : { closest: `${closest.startLine}-${closest.endLine}: ${closest.text}` }),
    message
  }
}

/** The namespace-like API. */
export const EditApply = { apply, describeFailure, failureOf } as const
