/**
 * How a model's answer names the file of a code block or an edit: a path on a line of its own
 * (bare, backticked, bold, quoted, as a heading, `path:`, `File: path`, a list item), in the
 * fence's info (`ts src/a.ts`, `ts:src/a.ts`, `title="src/a.ts"`), or in a comment on the
 * block's first line. Paths are returned as written, unsafe ones included (`../x`, `/etc/x`,
 * `~/.ssh/x`, `.git/x`): whether a path may be written is decided by the caller, and a hostile
 * path must be seen as a path, never mistaken for prose and the block given to another file.
 */

// A path token: no spaces; word characters, dots, `@+~-`, slashes of either kind, a drive letter.
const pathCharacters = /^(?:[A-Za-z]:)?[\w@.+~/\\-]+$/
// The last segment has an extension containing a letter: `a.ts`, `.gitignore`, not `1.2.3`.
const extension = /(?:^|[/\\])[^/\\]*\.[A-Za-z0-9_-]*[A-Za-z][A-Za-z0-9_-]*$/
const extensionless = /(?:^|[/\\])(?:Makefile|Dockerfile|Containerfile|Gemfile|Rakefile|Procfile|Jenkinsfile|LICENSE)$/

/** Trims quotes, backticks, emphasis, brackets, a trailing colon and a leading `./` around a token. */
const undecorate = (raw: string): string =>
  raw
    .trim()
    .replace(/^[`'"*_[({]+|[`'"*_\])},:;]+$/g, "")
    .replace(/^\.\/(?=.)/, "")

// An empty token fails `pathCharacters` (one character at least).
const shaped = (token: string): boolean =>
  !token.includes("://") && pathCharacters.test(token) && /[A-Za-z]/.test(token)

/** A token that is a path when it stands alone: it has an extension, a known name, or a slash. */
const asPath = (raw: string): string | undefined => {
  const token = undecorate(raw)
  if (!shaped(token)) return undefined
  return extension.test(token) || extensionless.test(token) || /\w[/\\]|[/\\]\w/.test(token) ? token : undefined
}

// Extensions of files a change may hold: in a sentence, `Effect.gen` or `console.log` is code, not a file.
const fileExtensions = new Set(
  (
    "ts tsx mts cts js jsx mjs cjs json jsonc json5 md mdx txt py pyi go rs java kt kts c h cc cpp cxx hpp hh cs " +
    "rb php swift scala sh bash zsh fish ps1 bat cmd yaml yml toml ini cfg conf env html htm css scss sass less " +
    "sql xml svg graphql gql proto vue svelte astro lua dart ex exs erl hs ml clj r jl zig tf hcl gradle " +
    "properties lock csv tsv rst adoc tex mk njk hbs ejs ipynb"
  ).split(" ")
)

/**
 * A token inside a sentence: a path with a slash and an extension (so "and/or" stays prose), a
 * marked (backticked, bold, quoted) path with a slash, or a file name with a known extension.
 */
const asPathInProse = (raw: string, marked: boolean): string | undefined => {
  const token = asPath(raw)
  // Stryker disable next-line ConditionalExpression: undefined has no slash, no extension and no known name either
  if (token === undefined) return undefined
  if (/[/\\]/.test(token)) return marked || extension.test(token) ? token : undefined
  const ext = /\.([^.]+)$/.exec(token.toLowerCase())?.[1]
  // Stryker disable next-line ConditionalExpression: the set holds no undefined
  const known = /^\.[a-z]/.test(token) || extensionless.test(token) || (ext !== undefined && fileExtensions.has(ext))
  return known ? token : undefined
}

/** The path a text names: the whole text, else a quoted or bold token, else a token with an extension. */
const firstPathIn = (text: string): string | undefined => {
  const whole = asPath(text)
  if (whole !== undefined) return whole
  // Prefer a marked token: "Create `src/a.ts` with" names that token.
  for (const match of text.matchAll(/`([^`]+)`|\*\*([^*]+)\*\*|"([^"\s]+)"|'([^'\s]+)'/g)) {
    // Stryker disable next-line StringLiteral: one of the four groups always matched
    const path = asPathInProse(match[1] ?? match[2] ?? match[3] ?? match[4] ?? "", true)
    if (path !== undefined) return path
  }
  for (const token of text.split(/\s+/)) {
    const path = asPathInProse(token, false)
    if (path !== undefined) return path
  }
  return undefined
}

// The languages whose name also reads as a file name (`Makefile`): a fence info of just that
// name is the language. Other language names (`ts`, `python`) never look like a path.
const languagesNamedLikeFiles = new Set(["dockerfile", "makefile"])

/** Language and path from a fence info string: `ts`, `ts src/a.ts`, `ts:src/a.ts`, `ts title="src/a.ts"`, `src/a.ts`. */
export const parseInfo = (
  info: string
): { readonly language: string | undefined; readonly path: string | undefined } => {
  const trimmed = info.trim()
  // Stryker disable next-line ConditionalExpression,StringLiteral: an empty info splits into one empty head, which names nothing either
  if (trimmed === "") return { language: undefined, path: undefined }
  const attribute = /\b(?:title|file|filename|filepath|path|name)\s*=\s*["']?([^"'\s}]+)/i.exec(trimmed)
  // Stryker disable next-line StringLiteral: split always gives a first element
  const [head = "", ...rest] = trimmed.split(/\s+/)
  const colon = /^([\w+#-]+):(.+)$/.exec(head)
  // Stryker disable next-line StringLiteral: the group always matched
  const colonPath = colon === null ? undefined : asPath(colon[2] ?? "")
  // Stryker disable next-line OptionalChaining: a path after the colon means the colon matched, with its group
  if (colonPath !== undefined) return { language: colon?.[1]?.toLowerCase(), path: colonPath }
  const headPath = asPath(head)
  if (headPath !== undefined && !languagesNamedLikeFiles.has(head.toLowerCase()))
    return { language: undefined, path: headPath }
  const language = head.replace(/[{}]/g, "").toLowerCase() || undefined
  // Stryker disable next-line StringLiteral: the group always matched
  const path = attribute !== null ? asPath(attribute[1] ?? "") : rest.map(asPath).find((p) => p !== undefined)
  return { language, path }
}

const commentMarker =
  /^\s*(?:\/\/|#|--|;|\/\*+|<!--|\{\/\*)\s*(?:(?:file(?:name)?|path)\s*:\s*)?(.+?)\s*(?:\*\/|-->|\*\/\})?\s*$/i

/** `// file: src/a.ts`, `# src/a.py`, `-- a.sql`, `/* a.c *\/`, `<!-- index.html -->`: the path, when the whole comment is one. */
export const pathInComment = (line: string): string | undefined => {
  const match = commentMarker.exec(line)
  // Stryker disable next-line StringLiteral: the group always matched
  return match === null ? undefined : asPath(match[1] ?? "")
}

/** A line that is nothing but a path, perhaps decorated (the aider convention before a SEARCH/REPLACE block). */
export const pathOnlyLine = (line: string): string | undefined => asPath(line)

// The keyword must end where a path cannot go on: `update.py` and `files/a.ts` are paths, not labels.
const label =
  /^(?:\*\*)?(?:file|filename|path|create|update|new file|modified file)(?=[\s:*])\s*:?\s*(?:\*\*)?\s*:?\s*(.+)$/i

/** A path named by a line just before a block: a path line, heading, list item, label, comment, or a sentence ending in `:`. */
export const pathInLeadLine = (line: string): string | undefined => {
  // The marker's `\s+` takes the spaces after it; an empty text names no path by any rule below.
  const text = line.trim().replace(/^(?:[-*+]|\d{1,3}[.)])\s+/, "")
  if (text.length > 160) return undefined
  const heading = /^#{1,6}\s+(.*)$/.exec(text)
  // Stryker disable next-line StringLiteral: the group always matched
  if (heading !== null) return firstPathIn(heading[1] ?? "")
  const labelled = label.exec(text)
  if (labelled !== null) {
    // Stryker disable next-line StringLiteral: the group always matched
    const path = firstPathIn(labelled[1] ?? "")
    if (path !== undefined) return path
  }
  // `src/a.ts (new file)`, `src/a.ts - the helper`: a path, then a remark about it.
  const remarked = /^(\S+)\s+(?:\([^)]*\)|[-–—]\s.*)\s*:?$/.exec(text)
  // Stryker disable next-line StringLiteral: the group always matched
  const whole = asPath(text) ?? pathInComment(text) ?? (remarked === null ? undefined : asPath(remarked[1] ?? ""))
  if (whole !== undefined) return whole
  if (/^[*_`'"]/.test(text) || text.endsWith(":")) return firstPathIn(text)
  return undefined
}
