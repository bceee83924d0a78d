/**
 * The doc comments a file lacks, as data for a `doc-comments` template: the file cut into its
 * code, unchanged, and a doc block before each exported symbol without one (inside the body,
 * after the signature, for a Python docstring). The text comes from the request's
 * `requirements.documentation` lines when they name the symbol (`slugify: turns a title into a
 * slug`, `slugify.title: the title to turn`), and from the symbol's name and parameters otherwise.
 */
import type { SourceSymbol } from "../../../core/domain/SourceSymbol.ts"

export interface DocParameter {
  readonly name: string
  readonly text: string
}

export interface Doc {
  /** The symbol's name (a Go comment starts with it). */
  readonly name: string
  readonly indent: string
  readonly summary: string
  /** The summary as it reads after the name, for languages whose comments start with it (Go). */
  readonly lead: string
  readonly params: ReadonlyArray<DocParameter>
  readonly returns: string
}

/** One piece of the file: code as it was, or a doc block to insert. */
export type Block =
  | { readonly code: string; readonly doc?: undefined }
  | { readonly doc: Doc; readonly code?: undefined }

const words = (name: string) =>
  name
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .split(/[^A-Za-z0-9]+/)
    .filter((w) => w !== "")
    .map((w) => w.toLowerCase())

const sentence = (text: string) => {
  const trimmed = text.trim()
  const capital = trimmed.charAt(0).toUpperCase() + trimmed.slice(1)
  return /[.!?]$/.test(capital) ? capital : `${capital}.`
}

/** Notes are looked up by name up to case and underscores: `word_count`, `WordCount` and `wordCount` are one. */
const noteKey = (name: string) => name.replaceAll("_", "").toLowerCase()

/** `requirements.documentation` lines of the forms `name: text` and `name.param: text`, by normalised name. */
export const documentationNotes = (lines: ReadonlyArray<string>): ReadonlyMap<string, string> => {
  const notes = new Map<string, string>()
  for (const line of lines) {
    const match = /^\s*[-*]?\s*`?([A-Za-z_][\w]*(?:\.[A-Za-z_]\w*)?)(?:\(\))?`?\s*(?::|—|–|\s-\s)\s*(.+)$/.exec(line)
    if (match?.[1] !== undefined && match[2] !== undefined) notes.set(noteKey(match[1]), match[2].trim())
  }
  return notes
}

/** The doc of one symbol, from the notes that name it or from its signature. */
export const docFor = (symbol: SourceSymbol, notes: ReadonlyMap<string, string>, indent: string): Doc => {
  const key = symbol.owner === undefined ? symbol.name : `${symbol.owner}.${symbol.name}`
  const note = notes.get(noteKey(key)) ?? notes.get(noteKey(symbol.name))
  // Types in backticks: rustdoc reads `Vec<String>` bare as an HTML tag.
  const params = symbol.params.map((p) => ({
    name: p.name,
    text:
      notes.get(noteKey(`${symbol.name}.${p.name}`)) ??
      `the ${words(p.name).join(" ")}${p.type === undefined ? "" : ` (\`${p.type}\`)`}`
  }))
  const takes = symbol.params.length === 0 ? "no arguments" : params.map((p) => `\`${p.name}\``).join(", ")
  const gives = symbol.returns === undefined ? "" : ` and returns \`${symbol.returns}\``
  const type = `the ${words(symbol.name).join(" ")} type`
  const summary = sentence(note ?? (symbol.kind === "class" ? type : `takes ${takes}${gives}`))
  const lead = sentence(note ?? (symbol.kind === "class" ? `is ${type}` : `takes ${takes}${gives}`))
  return {
    name: symbol.name,
    indent,
    summary,
    lead: lead.charAt(0).toLowerCase() + lead.slice(1),
    params: symbol.kind === "class" ? [] : params,
    returns: symbol.returns ?? ""
  }
}

/** A Python docstring goes inside the body: after the signature, at the body's indentation. */
const pythonBodyIndent = (lines: ReadonlyArray<string>, symbol: SourceSymbol): string => {
  for (let i = symbol.signatureEnd + 1; i < lines.length; i++) {
    const line = lines[i] ?? ""
    if (line.trim() !== "") return /^[ \t]*/.exec(line)?.[0] ?? ""
  }
  return `${symbol.indent}    `
}

/** Whether a Python `def`/`class` has its body on the signature's line (`def f(): return 1`): no room for a docstring. */
const inlineBody = (lines: ReadonlyArray<string>, symbol: SourceSymbol) => {
  const line = lines[symbol.signatureEnd] ?? ""
  return !/:\s*(#.*)?$/.test(line)
}

export interface DocPlan {
  readonly blocks: ReadonlyArray<Block>
  /** The symbols that get a doc, by name. */
  readonly documented: ReadonlyArray<string>
  readonly skipped: ReadonlyArray<string>
}

/** The file as blocks, with a doc before (or, in Python, inside) each symbol that lacks one. */
export const planDocs = (
  source: string,
  symbols: ReadonlyArray<SourceSymbol>,
  /** Docs are docstrings inside the body (Python), not comments above the declaration. */
  docstring: boolean,
  notes: ReadonlyMap<string, string>
): DocPlan => {
  const lines = source.split("\n")
  const inserts = new Map<number, Doc>()
  const documented: Array<string> = []
  const skipped: Array<string> = []
  for (const symbol of symbols) {
    if (symbol.documented) continue
    const name = symbol.owner === undefined ? symbol.name : `${symbol.owner}.${symbol.name}`
    if (docstring && inlineBody(lines, symbol)) {
      skipped.push(`${name}: its body is on the signature's line`)
      continue
    }
    // Before the declaration, or in Python after the signature's last line.
    const at = docstring ? symbol.signatureEnd + 1 : symbol.line
    inserts.set(at, docFor(symbol, notes, docstring ? pythonBodyIndent(lines, symbol) : symbol.indent))
    documented.push(name)
  }
  const blocks: Array<Block> = []
  let code: Array<string> = []
  lines.forEach((line, index) => {
    const doc = inserts.get(index)
    if (doc !== undefined) {
      if (code.length > 0) blocks.push({ code: `${code.join("\n")}\n` })
      code = []
      blocks.push({ doc })
    }
    code.push(line)
  })
  if (code.length > 0) blocks.push({ code: code.join("\n") })
  return { blocks, documented, skipped }
}
