/**
 * gofmt compiled to wasm (`@wasm-fmt/gofmt`): formatting and a format check for Go. The module
 * compiles its wasm when imported, so it is imported on first use.
 */
import { Effect } from "effect"
import { QualityToolError } from "../../../core/errors.ts"
import type { Formatter, QualityTool } from "../../../core/services/LanguageRegistry.ts"
import { formatCheck } from "../FormatCheck.ts"
import { causeOf, once } from "../Loading.ts"

/** The `tool` of gofmt's errors and findings. */
export const toolName = "gofmt"

const load = once(() => import("@wasm-fmt/gofmt"))

/**
 * The code as gofmt prints it; gofmt itself fails on code it cannot parse ("2:12: expected ')'").
 * It takes no style: Go is indented with tabs in every project, and gofmt has no options.
 */
const format = Effect.fn("Gofmt.format")(function* (code: string, path: string) {
  const toolError = (error: unknown) => new QualityToolError({ tool: toolName, path, cause: causeOf(error) })
  const gofmt = yield* Effect.tryPromise({ try: load, catch: toolError })
  return yield* Effect.try({ try: () => gofmt.format(code), catch: toolError })
})

const formatter: Formatter = { name: toolName, format }
const formatTool: QualityTool = formatCheck(formatter)

/** gofmt's operations and their plugs for a language pack. */
export const Gofmt = { format, formatter, formatCheck: formatTool }
