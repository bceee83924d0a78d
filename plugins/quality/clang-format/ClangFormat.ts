/**
 * clang-format compiled to wasm (`@wasm-fmt/clang-format`): formatting and a format check for C,
 * C++ and C#, the language taken from the file's extension. clang-format prints whatever it is
 * given, parsed or not, so tree-sitter refuses code that does not parse first. The module
 * compiles its wasm when imported, so it is imported on first use.
 */
import { Effect } from "effect"
import type { FormatStyle } from "../../../core/domain/FormatStyle.ts"
import { QualityToolError } from "../../../core/errors.ts"
import type { Formatter, QualityTool } from "../../../core/services/LanguageRegistry.ts"
import { formatCheck } from "../FormatCheck.ts"
import { causeOf, once } from "../Loading.ts"
import { guard } from "../tree-sitter/FormatterGuard.ts"
import type { Grammar } from "../tree-sitter/Grammar.ts"

/** The `tool` of clang-format's errors and findings. */
export const toolName = "clang-format"

const load = once(() => import("@wasm-fmt/clang-format"))

/**
 * clang-format's `IndentWidth` and `UseTab` for `layout`, over `style`. A tab is one level, so
 * `TabWidth` follows `IndentWidth` when indenting with tabs (LLVM's 2 columns against 8-column
 * tabs would otherwise indent one level with spaces). Keys that a map `style` names itself win.
 */
export const styleWith = (style: string, layout: FormatStyle | undefined): string => {
  if (layout === undefined || (layout.indent === undefined && layout.indentSize === undefined)) return style
  const keys: Array<string> = []
  const tabs = layout.indent === "tabs"
  const width = layout.indentSize ?? (tabs ? 4 : undefined)
  if (width !== undefined) keys.push(`IndentWidth: ${width}`)
  if (tabs) keys.push(`TabWidth: ${width}`, "UseTab: ForIndentation")
  if (layout.indent === "spaces") keys.push("UseTab: Never")
  const trimmed = style.trim()
  if (!trimmed.startsWith("{")) return `{BasedOnStyle: ${trimmed}, ${keys.join(", ")}}`
  const named = keys.filter((key) => !new RegExp(`\\b${key.split(":")[0]}\\s*:`).test(trimmed))
  return named.length === 0
    ? trimmed
    : `{${[...named, trimmed.slice(1, -1).trim()].filter((part) => part !== "").join(", ")}}`
}

/**
 * A clang-format for code that `grammar` parses, in `style`: a predefined style (`LLVM`, `Google`,
 * `Microsoft` …) or a YAML/JSON map (`{BasedOnStyle: Google, IndentWidth: 4}`); no `.clang-format`
 * file is read. The output ends with a newline, as the other formatters' does.
 */
export const make = (grammar: Grammar, style: string) => {
  const format = Effect.fn("ClangFormat.format")(function* (code: string, path: string, layout?: FormatStyle) {
    const toolError = (error: unknown) => new QualityToolError({ tool: toolName, path, cause: causeOf(error) })
    const clang = yield* Effect.tryPromise({ try: load, catch: toolError })
    const applied = styleWith(style, layout)
    const formatted = yield* Effect.try({ try: () => clang.format(code, path, applied), catch: toolError })
    return formatted.endsWith("\n") ? formatted : `${formatted}\n`
  })
  const formatter: Formatter = guard(grammar, { name: toolName, format })
  const check: QualityTool = formatCheck(formatter)
  return { formatter, formatCheck: check }
}

/** C and C++ in the LLVM style (clang-format's own default). */
export const c = make("c", "LLVM")
export const cpp = make("cpp", "LLVM")
/** C# in the Microsoft style: braces on their own lines, four spaces. */
export const csharp = make("c-sharp", "Microsoft")
