/**
 * The Biome configuration that the wrapper applies: Biome's recommended lint rules plus the
 * formatting style of generated code. The wasm workspace never reads a `biome.json`, so this is all
 * it sees.
 */
import type { Configuration } from "@biomejs/js-api/nodejs"
import type { FormatStyle } from "../../../core/domain/FormatStyle.ts"

/** The formatting choices a user is most likely to change. */
export interface BiomeStyle {
  readonly indentWidth: number
  readonly lineWidth: number
  readonly quoteStyle: "double" | "single"
  readonly semicolons: "always" | "asNeeded"
}

/** 2 spaces, 100 columns, double quotes, semicolons only where needed. */
export const defaultStyle: BiomeStyle = {
  indentWidth: 2,
  lineWidth: 100,
  quoteStyle: "double",
  semicolons: "asNeeded"
}

/** A full Biome configuration for `style` (merged over `defaultStyle`) with the recommended rules. */
export const configuration = (style: Partial<BiomeStyle> = {}): Configuration => {
  const { indentWidth, lineWidth, quoteStyle, semicolons } = { ...defaultStyle, ...style }
  return {
    formatter: { enabled: true, indentStyle: "space", indentWidth, lineWidth },
    javascript: { formatter: { quoteStyle, semicolons } },
    linter: { enabled: true, rules: { preset: "recommended" } }
  }
}

type FormatterSection = { indentStyle?: "tab" | "space"; indentWidth?: number }

// A language's own indentation beats the global one in Biome, so the style goes into it as well.
const indented = <S extends FormatterSection>(section: S | undefined, indent: FormatterSection): S | undefined =>
  section === undefined ? undefined : { ...section, ...indent }

/**
 * Whether `configuration` already lays code out in `style` (Biome's defaults: tabs, width 2, double
 * quotes, semicolons always). A language section with its own indentation is never taken as agreeing.
 */
const agrees = (configuration: Configuration, style: FormatStyle): boolean => {
  const global = configuration.formatter
  const js = configuration.javascript?.formatter
  const own = (section: FormatterSection | undefined) =>
    section?.indentStyle !== undefined || section?.indentWidth !== undefined
  if (own(js) || own(configuration.json?.formatter) || own(configuration.css?.formatter)) return false
  const indentStyle = global?.indentStyle ?? "tab"
  return (
    (style.indent === undefined || (style.indent === "tabs" ? "tab" : "space") === indentStyle) &&
    (style.indentSize === undefined || style.indentSize === (global?.indentWidth ?? 2)) &&
    (style.quotes === undefined || style.quotes === (js?.quoteStyle ?? "double")) &&
    (style.semicolons === undefined || (style.semicolons ? "always" : "asNeeded") === (js?.semicolons ?? "always"))
  )
}

/**
 * `configuration` laid out in the project's `style`: indentation everywhere, quotes and semicolons
 * for JS/TS. The very same configuration when it agrees already, so that it keeps its workspace.
 */
export const withStyle = (configuration: Configuration, style: FormatStyle): Configuration => {
  if (agrees(configuration, style)) return configuration
  const indent: FormatterSection = {
    ...(style.indent === undefined ? {} : { indentStyle: style.indent === "tabs" ? "tab" : "space" }),
    ...(style.indentSize === undefined ? {} : { indentWidth: style.indentSize })
  }
  const javascript = configuration.javascript ?? {}
  return {
    ...configuration,
    formatter: { ...configuration.formatter, ...indent },
    javascript: {
      ...javascript,
      formatter: {
        ...indented(javascript.formatter, indent),
        ...(style.quotes === undefined ? {} : { quoteStyle: style.quotes }),
        ...(style.semicolons === undefined ? {} : { semicolons: style.semicolons ? "always" : "asNeeded" })
      }
    },
    ...(configuration.json === undefined
      ? {}
      : { json: { ...configuration.json, formatter: indented(configuration.json.formatter, indent) } }),
    ...(configuration.css === undefined
      ? {}
      : { css: { ...configuration.css, formatter: indented(configuration.css.formatter, indent) } })
  }
}
