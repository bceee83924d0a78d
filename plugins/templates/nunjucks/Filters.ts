/**
 * The filters templates may use: case conversions, pluralise, indent, comment, json.
 */

const words = (input: unknown): ReadonlyArray<string> =>
  String(input ?? "")
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .replace(/([A-Z]+)([A-Z][a-z])/g, "$1 $2")
    .split(/[^A-Za-z0-9]+/)
    .filter((word) => word.length > 0)
    .map((word) => word.toLowerCase())

const capitalise = (word: string): string => word.charAt(0).toUpperCase() + word.slice(1)

export const camel = (input: unknown): string =>
  words(input)
    .map((word, index) => (index === 0 ? word : capitalise(word)))
    .join("")
export const pascal = (input: unknown): string => words(input).map(capitalise).join("")
export const kebab = (input: unknown): string => words(input).join("-")
export const snake = (input: unknown): string => words(input).join("_")
export const constant = (input: unknown): string => snake(input).toUpperCase()

const irregular: Record<string, string> = { person: "people", child: "children", man: "men", woman: "women" }

/** English plural of the last word. */
export const pluralise = (input: unknown): string => {
  const text = String(input ?? "")
  const match = /([A-Za-z]+)$/.exec(text)
  if (match === null || match[1] === undefined) return text
  const word = match[1]
  const lower = word.toLowerCase()
  const head = text.slice(0, text.length - word.length)
  const known = irregular[lower]
  if (known !== undefined) return head + (word[0] === word[0]?.toUpperCase() ? capitalise(known) : known)
  if (/[^aeiou]y$/i.test(word)) return `${head}${word.slice(0, -1)}ies`
  if (/(s|x|z|ch|sh)$/i.test(word)) return `${head}${word}es`
  return `${head}${word}s`
}

/**
 * Indents every line but the first by `width` spaces, or by the string `width` (a tab for Go);
 * the first line too when `first` is true.
 */
export const indent = (input: unknown, width: number | string = 2, first = false): string => {
  const pad = typeof width === "string" ? width : " ".repeat(width)
  return String(input ?? "")
    .split("\n")
    .map((line, index) => ((index > 0 || first) && line.length > 0 ? pad + line : line))
    .join("\n")
}

const lineComment: Record<string, string> = {
  typescript: "//",
  javascript: "//",
  go: "//",
  rust: "//",
  java: "//",
  c: "//",
  cpp: "//",
  csharp: "//",
  php: "//",
  python: "#",
  ruby: "#",
  shell: "#",
  yaml: "#",
  toml: "#",
  sql: "--",
  lua: "--"
}

/** Turns text into line comments of `language` (`//` when unknown). */
export const comment = (input: unknown, language = "typescript"): string => {
  const marker = lineComment[language] ?? "//"
  return String(input ?? "")
    .split("\n")
    .map((line) => (line.length === 0 ? marker : `${marker} ${line}`))
    .join("\n")
}

export const json = (input: unknown, spaces = 2): string => JSON.stringify(input, null, spaces)

/** Name → filter, as registered on the environment. */
export const filters: Readonly<Record<string, (...args: ReadonlyArray<never>) => string>> = {
  camel,
  pascal,
  kebab,
  snake,
  constant,
  pluralise,
  pluralize: pluralise,
  indent,
  comment,
  json
}

/** Nunjucks built-in filters that only transform values (no attribute access, no code). */
export const safeBuiltinFilters: ReadonlySet<string> = new Set([
  "default",
  "d",
  "join",
  "length",
  "lower",
  "upper",
  "first",
  "last",
  "trim",
  "replace",
  "sort",
  "reverse",
  "capitalize",
  "title",
  "safe",
  "list",
  "int",
  "float",
  "abs",
  "round",
  "wordcount",
  "truncate",
  "center",
  "string",
  "dictsort",
  "batch"
])
