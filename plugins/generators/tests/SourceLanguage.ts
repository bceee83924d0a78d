/**
 * The language of a target file, by extension, and its exported symbols.
 */
import { Effect } from "effect"
import { goSymbols } from "./GoSymbols.ts"
import { pythonSymbols } from "./PythonSymbols.ts"
import { rustSymbols } from "./RustSymbols.ts"
import type { SourceSymbol } from "./SourceSymbols.ts"
import { loadTypeScript, typeScriptSymbols } from "./TypeScriptSymbols.ts"

export type SourceLanguage = "typescript" | "javascript" | "python" | "go" | "rust"

/** The language of `path` by its extension; undefined for one we do not read. */
export const sourceLanguageOf = (path: string): SourceLanguage | undefined => {
  if (/\.(ts|tsx|mts|cts)$/.test(path) && !/\.d\.[cm]?ts$/.test(path)) return "typescript"
  if (/\.(js|jsx|mjs|cjs)$/.test(path)) return "javascript"
  if (path.endsWith(".py")) return "python"
  if (path.endsWith(".go")) return "go"
  if (path.endsWith(".rs")) return "rust"
  return undefined
}

/** The exported symbols of a source file of `language`. */
export const symbolsOf = (language: SourceLanguage, text: string, path: string) => {
  switch (language) {
    case "typescript":
    case "javascript":
      return Effect.map(
        Effect.promise(() => loadTypeScript()),
        (ts): ReadonlyArray<SourceSymbol> => typeScriptSymbols(ts, text, path)
      )
    case "python":
      return Effect.succeed(pythonSymbols(text))
    case "go":
      return Effect.succeed(goSymbols(text))
    case "rust":
      return Effect.succeed(rustSymbols(text))
  }
}

const languageAliases: Readonly<Record<string, SourceLanguage>> = {
  typescript: "typescript",
  ts: "typescript",
  tsx: "typescript",
  javascript: "javascript",
  js: "javascript",
  node: "javascript",
  python: "python",
  py: "python",
  go: "go",
  golang: "go",
  rust: "rust",
  rs: "rust"
}

/** The template id of `ids` for a request's language name or alias. */
export const templateForLanguage = (
  ids: Readonly<Record<SourceLanguage, string>>,
  language: string
): string | undefined => {
  const key = languageAliases[language.toLowerCase()]
  return key === undefined ? undefined : ids[key]
}
