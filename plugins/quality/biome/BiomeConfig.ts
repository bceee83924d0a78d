/**
 * The Biome configuration that the wrapper applies: Biome's recommended lint rules plus the
 * formatting style of generated code. The wasm workspace never reads a `biome.json`, so this is all
 * it sees.
 */
import type { Configuration } from "@biomejs/js-api/nodejs"

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
