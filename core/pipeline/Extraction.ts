/**
 * Getting files out of a model's answer: fenced blocks (``` or ~~~, with or without a language),
 * the file's path as `BlockPaths` reads it (fence info, a path line before the block, a comment on
 * its first line); several files per answer, prose around them, CRLF. An unterminated fence means
 * the answer was cut off: that is reported (reason "truncated") so the caller can ask the model to
 * continue. An answer with no fence at all is taken whole when it looks like code, unless it holds
 * SEARCH/REPLACE blocks or a diff. Edits, fenced or bare, are left to `Edits`.
 */
import { Result } from "effect"
import { ExtractionError } from "../errors.ts"
import { parseInfo, pathInComment, pathInLeadLine } from "./BlockPaths.ts"

export interface ExtractedFile {
  /** The path the answer named, as written: not checked yet, it may lie outside the workspace. */
  readonly path: string | undefined
  /** The fence's language tag, lower-cased. */
  readonly language: string | undefined
  /** The code, LF line endings, ending with a newline. */
  readonly content: string
}

export interface ExtractedAnswer {
  readonly files: ReadonlyArray<ExtractedFile>
  /** The text outside the code blocks, trimmed. */
  readonly prose: string
  /** Blocks that were edits (fenced, or bare in an answer without fences), left for `EditParse.parse`. */
  readonly editBlocks: number
}

const fenceOpen = /^( {0,3})(`{3,}|~{3,})(.*)$/

// The line that opens a SEARCH/REPLACE block, even miscounted (`EditParse.parse` reports those), and a
// unified diff's start: a block holding one is edits, never a whole file.
const searchMarker = /^[ \t]*<{3,}\s*SEARCH\b/m
const searchMarkers = /^[ \t]*<{3,}\s*SEARCH\b/gm
const diffStart = /^--- \S.*\n\+\+\+ \S|^@@ -\d+(?:,\d+)? \+\d+(?:,\d+)? @@/m

const isEditBlock = (language: string | undefined, body: string): boolean =>
  language === "diff" || language === "patch" || searchMarker.test(body) || /^--- \S.*\n\+\+\+ \S/m.test(body)

const withNewline = (text: string): string => (text.endsWith("\n") ? text : `${text}\n`)

const codeLine =
  /^\s*(?:import |export |from \S+ import|const |let |var |function |class |interface |type |enum |def |async |await |return\b|if\s*\(|for\s*\(|while\s*\(|#include|#!|package |fn |pub |use |impl |struct |public |private |protected |@\w+|\/\/|\/\*|\*|[})\]];?$)|[;{}]\s*$|^\s{2,}\S/

/** Whether an unfenced answer is code rather than prose. */
export const looksLikeCode = (text: string): boolean => {
  const lines = text.split("\n").filter((line) => line.trim() !== "")
  // Stryker disable next-line ConditionalExpression: without lines the ratio below is NaN, which passes no threshold
  if (lines.length === 0) return false
  const code = lines.filter((line) => codeLine.test(line)).length
  const prose = lines.filter((line) => /^[A-Z][^;{}=]*[.!?]$/.test(line.trim()) && line.trim().split(/\s+/).length > 5)
  return code / lines.length >= 0.6 && prose.length <= lines.length * 0.2
}

interface Block {
  readonly info: string
  readonly lines: ReadonlyArray<string>
  readonly before: ReadonlyArray<string>
}

/** Files of an answer; fails with reason "truncated" on an unterminated fence and "no code" when there is none. */
export const extractFiles = (answer: string): Result.Result<ExtractedAnswer, ExtractionError> => {
  const lines = answer.replace(/\r\n?/g, "\n").split("\n")
  const blocks: Array<Block> = []
  const prose: Array<string> = []
  let index = 0
  // Where the prose since the previous block starts: a lead line never reaches across a block.
  let sinceBlock = 0
  // Stryker disable next-line EqualityOperator: one more round reads an empty line into the prose, which is trimmed
  while (index < lines.length) {
    // Stryker disable next-line StringLiteral: index is within the lines here
    const line = lines[index] ?? ""
    const open = fenceOpen.exec(line)
    if (open === null) {
      prose.push(line)
      index++
      continue
    }
    // Stryker disable next-line StringLiteral: the group always matched
    const fence = open[2] ?? "```"
    // Stryker disable next-line StringLiteral: the group always matched
    const info = open[3] ?? ""
    // A backtick fence's info may not contain a backtick: "```js` inline" is prose.
    // Stryker disable next-line MethodExpression: a fence is made of one character, so its start is its end
    if (fence.startsWith("`") && info.includes("`")) {
      prose.push(line)
      index++
      continue
    }
    const closing = new RegExp(`^ {0,3}${fence[0] === "`" ? "`" : "~"}{${fence.length},}\\s*$`)
    const body: Array<string> = []
    let end = index + 1
    // Content lines lose up to the fence's own indentation (a fence inside a list item).
    const indent = new RegExp(`^ {0,${(open[1] ?? "").length}}`)
    // Stryker disable next-line EqualityOperator: past the end reads an empty line that closes nothing, and the block is truncated either way
    while (end < lines.length && !closing.test(lines[end] ?? "")) body.push((lines[end++] ?? "").replace(indent, ""))
    if (end >= lines.length) return Result.fail(new ExtractionError({ reason: "truncated" }))
    blocks.push({ info, lines: body, before: prose.slice(Math.max(sinceBlock, prose.length - 3)) })
    prose.push("")
    sinceBlock = prose.length
    index = end + 1
  }

  if (blocks.length === 0) {
    const text = lines.join("\n").trim()
    // Bare SEARCH/REPLACE blocks and diffs are edits, left to `EditParse.parse`: never a whole file.
    const bareEdits = (text.match(searchMarkers)?.length ?? 0) + (diffStart.test(text) ? 1 : 0)
    if (bareEdits > 0) return Result.succeed({ files: [], prose: "", editBlocks: bareEdits })
    if (looksLikeCode(text)) {
      const first = text.split("\n")[0] ?? ""
      const path = pathInComment(first)
      const content = path === undefined ? text : text.split("\n").slice(1).join("\n")
      return Result.succeed({
        files: [{ path, language: undefined, content: withNewline(content) }],
        prose: "",
        editBlocks: 0
      })
    }
    return Result.fail(new ExtractionError({ reason: "no code" }))
  }

  const byPath = new Map<string, ExtractedFile>()
  const unnamed: Array<ExtractedFile> = []
  let editBlocks = 0
  for (const block of blocks) {
    const info = parseInfo(block.info)
    const body = block.lines.join("\n")
    if (isEditBlock(info.language, body)) {
      editBlocks++
      continue
    }
    let path = info.path
    let content = block.lines
    const firstLine = content[0]
    // Stryker disable next-line ConditionalExpression: pathInComment reads undefined as the text "undefined", which names no path
    const commentPath = firstLine === undefined ? undefined : pathInComment(firstLine)
    if (commentPath !== undefined && (path === undefined || path === commentPath)) {
      path = commentPath
      // The comment only names the file; it is not part of it.
      content = content.slice(1)
    }
    if (path === undefined) {
      const lead = [...block.before].reverse().find((line) => line.trim() !== "")
      path = lead === undefined ? undefined : pathInLeadLine(lead)
    }
    const file: ExtractedFile = { path, language: info.language, content: withNewline(content.join("\n")) }
    if (path === undefined) unnamed.push(file)
    else byPath.set(path, file) // a later block for the same path is the model's correction
  }
  return Result.succeed({
    files: [...byPath.values(), ...unnamed],
    prose: prose
      .join("\n")
      .replace(/\n{3,}/g, "\n\n")
      .trim(),
    editBlocks
  })
}

/** The namespace-like API. */
export const Extraction = { extractFiles, looksLikeCode } as const
