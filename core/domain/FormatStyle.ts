/**
 * The layout a formatter must keep: the project's indentation, quotes and semicolons. Every field
 * is optional; a formatter uses its own default for what is unset and ignores what its language
 * does not have (Go is always tabs, Java has no choice of quotes).
 */
import { Schema } from "effect"

/** Columns per indentation level; beyond 16 is no project's style, and a huge width would be a hazard. */
export const IndentSize = Schema.Int.check(Schema.isBetween({ minimum: 1, maximum: 16 }))

/** The project's layout as formatters take it. */
export const FormatStyle = Schema.Struct({
  indent: Schema.optional(Schema.Literals(["spaces", "tabs"])),
  indentSize: Schema.optional(IndentSize),
  quotes: Schema.optional(Schema.Literals(["single", "double"])),
  semicolons: Schema.optional(Schema.Boolean)
})
export type FormatStyle = typeof FormatStyle.Type

const fields = ["indent", "indentSize", "quotes", "semicolons"] as const

const firstSet = <K extends keyof FormatStyle>(
  styles: ReadonlyArray<FormatStyle | undefined>,
  field: K
): FormatStyle[K] | undefined => styles.find((style) => style?.[field] !== undefined)?.[field]

/** Each field from the first style that sets it: `mergeStyles(conventions, editorConfig, detected)`. */
export const mergeStyles = (...styles: ReadonlyArray<FormatStyle | undefined>): FormatStyle => {
  const indent = firstSet(styles, "indent")
  const indentSize = firstSet(styles, "indentSize")
  const quotes = firstSet(styles, "quotes")
  const semicolons = firstSet(styles, "semicolons")
  // Unset fields stay absent rather than `undefined`, so that styles compare and print cleanly.
  return {
    ...(indent === undefined ? {} : { indent }),
    ...(indentSize === undefined ? {} : { indentSize }),
    ...(quotes === undefined ? {} : { quotes }),
    ...(semicolons === undefined ? {} : { semicolons })
  }
}

/** Whether `style` sets nothing, so that a formatter can keep its default configuration. */
export const isDefaultStyle = (style: FormatStyle | undefined): boolean =>
  style === undefined || fields.every((field) => style[field] === undefined)
