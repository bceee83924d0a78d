/**
 * Prettier's own parsers (YAML, Markdown, CSS): a formatter that fails on text it cannot parse,
 * a syntax tool built on that failure, and a format check. Prettier loads on first use.
 */
import { Effect } from "effect"
import type { FormatStyle } from "../../../core/domain/FormatStyle.ts"
import { QualityIssue } from "../../../core/domain/Quality.ts"
import { QualityToolError } from "../../../core/errors.ts"
import type { Formatter, QualityTool } from "../../../core/services/LanguageRegistry.ts"
import { formatCheck } from "../FormatCheck.ts"
import { causeOf } from "../Loading.ts"
import { type PrettierStyle, prettierStyle } from "./PrettierStyle.ts"

type Prettier = typeof import("prettier")
let loading: Promise<Prettier> | undefined
const prettier = () => {
  loading ??= import("prettier")
  return loading
}

interface ParseFailure {
  readonly message: string
  readonly loc?: { readonly start?: { readonly line?: number; readonly column?: number } }
}

// YAML forbids tabs in indentation, so its layout takes only the width.
const styleFor = (parser: string, style: FormatStyle | undefined): PrettierStyle => {
  const { useTabs: _tabs, ...rest } = prettierStyle(style)
  return parser === "yaml" ? rest : prettierStyle(style)
}

const firstLine = (error: unknown) => causeOf(error).split("\n")[0] ?? ""

/** Formatter, syntax check and format check for one of Prettier's built-in parsers. */
export const prettierCore = (parser: "yaml" | "markdown" | "css") => {
  const name = `prettier-${parser}`
  const formatter: Formatter = {
    name,
    format: (code, path, style) =>
      Effect.tryPromise({
        try: async () => (await prettier()).format(code, { parser, filepath: path, ...styleFor(parser, style) }),
        catch: (error) => new QualityToolError({ tool: name, path, cause: firstLine(error) })
      })
  }
  const syntax: QualityTool = {
    name: `${name}-syntax`,
    check: (code, path) =>
      Effect.tryPromise({
        try: async () => {
          try {
            await (await prettier()).format(code, { parser, filepath: path })
            return []
          } catch (error) {
            const failure = error as ParseFailure
            return [
              new QualityIssue({
                severity: "error",
                category: "syntax",
                rule: `${name}/parse`,
                message: firstLine(error),
                line: failure.loc?.start?.line ?? 1,
                column: failure.loc?.start?.column ?? 1,
                tool: name
              })
            ]
          }
        },
        catch: (error) => new QualityToolError({ tool: name, path, cause: firstLine(error) })
      })
  }
  return { formatter, syntax, formatCheck: formatCheck(formatter) }
}
