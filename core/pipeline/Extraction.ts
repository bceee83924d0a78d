/**
 * Getting files out of a model's answer: fenced blocks (``` or ~~~, with or without a language),
 * the file's path taken from the fence info, from a heading / bold / label line or a comment just
 * before the block, or from a `// file:` comment on its first line; several files per answer,
 * prose around them, CRLF. An unterminated fence means the answer was cut off: that is reported
 * (reason "truncated") so the caller can ask the model to continue. An answer with no fence at all
 * is taken whole when it looks like code. Blocks that are edits (SEARCH/REPLACE, unified diffs)
 * are left to `Edits`.
 */
import { Result } from "effect"
import { ExtractionError } from "../errors.ts"

export interface ExtractedFile {
  /** Workspace-relative path when the answer named one. */
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
  /** Fenced blocks that were edits, left for `Edits.parse`. */
  readonly editBlocks: number
}

const pathPattern =
  /(?:[\w@.+-]+\/)*[\w@+-][\w@.+-]*\.[A-Za-z0-9]{1,10}|(?:[\w@.+-]+\/)*(?:Makefile|Dockerfile|Gemfile|Rakefile|Procfile|LICENSE)\b/
const pathOnly = new RegExp(`^(?:${pathPattern.source})$`)

const fenceOpen = /^( {0,3})(`{3,}|~{3,})(.*)$/

/** Trims quotes, backticks, emphasis and a leading `./` around a path-like token. */
const cleanPath = (raw: string): string | undefined => {
  const token = raw
    .trim()
    .replace(/^[`'"*_[(]+|[`'"*_\]):,]+$/g, "")
    .replace(/^\.\//, "")
  if (token === "" || token.includes("://") || token.startsWith("/") || token.includes("..")) return undefined
  return pathOnly.test(token) ? token : undefined
}

/** A line that is nothing but a path (the aider convention before a SEARCH/REPLACE block). */
export const pathOnlyLine = (line: string): string | undefined => cleanPath(line.trim())

const firstPathIn = (text: string): string | undefined => {
  // Prefer a backticked or bold token: "Create `src/a.ts` with" names that token, not "with".
  const quoted = /[`*]{1,2}([^`*]+)[`*]{1,2}/g
  for (const match of text.matchAll(quoted)) {
    const path = cleanPath(match[1] ?? "")
    if (path !== undefined) return path
  }
  for (const token of text.split(/\s+/)) {
    const path = cleanPath(token)
    if (path !== undefined) return path
  }
  return undefined
}

const knownLanguages = new Set([
  "ts",
  "tsx",
  "typescript",
  "js",
  "jsx",
  "javascript",
  "mjs",
  "cjs",
  "json",
  "jsonc",
  "py",
  "python",
  "go",
  "rust",
  "rs",
  "java",
  "kotlin",
  "kt",
  "c",
  "cpp",
  "c++",
  "h",
  "hpp",
  "cs",
  "csharp",
  "rb",
  "ruby",
  "php",
  "swift",
  "scala",
  "sh",
  "bash",
  "shell",
  "zsh",
  "yaml",
  "yml",
  "toml",
  "ini",
  "md",
  "markdown",
  "html",
  "css",
  "scss",
  "sql",
  "xml",
  "dockerfile",
  "makefile",
  "text",
  "txt",
  "plaintext",
  "graphql",
  "vue",
  "svelte",
  "lua",
  "dart",
  "elixir",
  "r"
])

/** Language and path from a fence info string: `ts`, `ts src/a.ts`, `ts:src/a.ts`, `ts title="src/a.ts"`, `src/a.ts`. */
export const parseInfo = (
  info: string
): { readonly language: string | undefined; readonly path: string | undefined } => {
  const trimmed = info.trim()
  if (trimmed === "") return { language: undefined, path: undefined }
  const attribute = /\b(?:title|file|filename|path|name)\s*=\s*["']?([^"'\s}]+)/i.exec(trimmed)
  const [head = "", ...rest] = trimmed.split(/\s+/)
  const colon = /^([\w+#-]+):(.+)$/.exec(head)
  if (colon !== null && cleanPath(colon[2] ?? "") !== undefined) {
    return { language: colon[1]?.toLowerCase(), path: cleanPath(colon[2] ?? "") }
  }
  const headPath = cleanPath(head)
  if (headPath !== undefined && !knownLanguages.has(head.toLowerCase())) {
    return { language: undefined, path: headPath }
  }
  const language = head.replace(/[{}]/g, "").toLowerCase() || undefined
  const path = attribute !== null ? cleanPath(attribute[1] ?? "") : rest.map(cleanPath).find((p) => p !== undefined)
  return { language, path }
}

const commentMarker =
  /^\s*(?:\/\/|#|--|;|\/\*+|<!--|\{\/\*)\s*(?:(?:file(?:name)?|path)\s*:\s*)?(.+?)\s*(?:\*\/|-->|\*\/\})?\s*$/i

/** `// file: src/a.ts`, `# src/a.py`, `<!-- file: index.html -->`: the path, when the whole comment is one. */
const pathInComment = (line: string): string | undefined => {
  const match = commentMarker.exec(line)
  return match === null ? undefined : cleanPath(match[1] ?? "")
}

/** A path named by a line just before a block: heading, bold, label, backticked, or a file comment. */
export const pathInLeadLine = (line: string): string | undefined => {
  const text = line.trim()
  if (text === "" || text.length > 160) return undefined
  const heading = /^#{1,6}\s+(.*)$/.exec(text)
  if (heading !== null) return firstPathIn(heading[1] ?? "")
  const label =
    /^(?:[-*]\s+)?(?:\*\*)?(?:file|filename|path|create|update|new file|modified file)\s*:?\s*(?:\*\*)?\s*:?\s*(.+)$/i.exec(
      text
    )
  if (label !== null) {
    const path = firstPathIn(label[1] ?? "")
    if (path !== undefined) return path
  }
  const fromComment = pathInComment(text)
  if (fromComment !== undefined) return fromComment
  if (/^[*_`]/.test(text) || text.endsWith(":")) return firstPathIn(text)
  return undefined
}

const isEditBlock = (language: string | undefined, body: string): boolean =>
  language === "diff" || language === "patch" || /^<{5,9} SEARCH\s*$/m.test(body) || /^--- \S.*\n\+\+\+ \S/m.test(body)

const withNewline = (text: string): string => (text.endsWith("\n") ? text : `${text}\n`)

const codeLine =
  /^\s*(?:import |export |from \S+ import|const |let |var |function |class |interface |type |enum |def |async |await |return\b|if\s*\(|for\s*\(|while\s*\(|#include|#!|package |fn |pub |use |impl |struct |public |private |protected |@\w+|\/\/|\/\*|\*|[})\]];?$)|[;{}]\s*$|^\s{2,}\S/

/** Whether an unfenced answer is code rather than prose. */
export const looksLikeCode = (text: string): boolean => {
  const lines = text.split("\n").filter((line) => line.trim() !== "")
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
  while (index < lines.length) {
    const line = lines[index] ?? ""
    const open = fenceOpen.exec(line)
    if (open === null) {
      prose.push(line)
      index++
      continue
    }
    const fence = open[2] ?? "```"
    const info = open[3] ?? ""
    // A backtick fence's info may not contain a backtick: "```js` inline" is prose.
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
    while (end < lines.length && !closing.test(lines[end] ?? "")) body.push((lines[end++] ?? "").replace(indent, ""))
    if (end >= lines.length) return Result.fail(new ExtractionError({ reason: "truncated" }))
    blocks.push({ info, lines: body, before: prose.slice(Math.max(sinceBlock, prose.length - 3)) })
    prose.push("")
    sinceBlock = prose.length
    index = end + 1
  }

  if (blocks.length === 0) {
    const text = lines.join("\n").trim()
    if (text !== "" && looksLikeCode(text)) {
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
