/**
 * The project's layout as Prettier's options spell it. Prettier's plugins read the same options
 * (prettier-plugin-java, -rust and -php indent with `tabWidth`/`useTabs`; PHP takes `singleQuote`).
 */
import type { Options } from "prettier"
import type { FormatStyle } from "../../../core/domain/FormatStyle.ts"

/** The options of Prettier that a `FormatStyle` sets. */
export type PrettierStyle = Pick<Options, "useTabs" | "tabWidth" | "singleQuote" | "semi">

/** Prettier's options for `style`; what `style` leaves unset is left to Prettier's defaults. */
export const prettierStyle = (style: FormatStyle | undefined): PrettierStyle => ({
  ...(style?.indent === undefined ? {} : { useTabs: style.indent === "tabs" }),
  ...(style?.indentSize === undefined ? {} : { tabWidth: style.indentSize }),
  ...(style?.quotes === undefined ? {} : { singleQuote: style.quotes === "single" }),
  ...(style?.semicolons === undefined ? {} : { semi: style.semicolons })
})
