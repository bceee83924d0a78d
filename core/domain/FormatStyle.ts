/**
 * The layout a formatter must keep: the project's indentation, quotes and semicolons. Every field
 * is optional; a formatter uses its own default for what is unset and ignores what its language
 * does not have (Go is always tabs, Java has no choice of quotes).
 */
import { Option, Schema } from "effect"

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

const decodeStyle = Schema.decodeUnknownOption(FormatStyle)
const decodeField = {
  indent: Schema.decodeUnknownOption(FormatStyle.fields.indent),
  indentSize: Schema.decodeUnknownOption(FormatStyle.fields.indentSize),
  quotes: Schema.decodeUnknownOption(FormatStyle.fields.quotes),
  semicolons: Schema.decodeUnknownOption(FormatStyle.fields.semicolons)
}

/**
 * `style` with only its valid fields: a width of 0 or 10⁹, or a quote kind no formatter knows,
 * is dropped rather than handed to a formatter (a huge `tabWidth` would be a memory hazard).
 */
export const validStyle = (style: unknown): FormatStyle => {
  const whole = decodeStyle(style)
  if (whole._tag === "Some") return whole.value
  if (typeof style !== "object" || style === null) return {}
  const fieldOf = (name: string): unknown => (name in style ? Reflect.get(style, name) : undefined)
  return mergeStyles({
    indent: Option.getOrUndefined(decodeField.indent(fieldOf("indent"))),
    indentSize: Option.getOrUndefined(decodeField.indentSize(fieldOf("indentSize"))),
    quotes: Option.getOrUndefined(decodeField.quotes(fieldOf("quotes"))),
    semicolons: Option.getOrUndefined(decodeField.semicolons(fieldOf("semicolons")))
  })
}
