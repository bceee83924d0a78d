/**
 * Biome reports spans as UTF-8 byte offsets; issues need 1-based lines and columns. Columns count
 * UTF-16 code units, as JavaScript strings, editors (LSP) and ESLint do.
 */

/** A 1-based line and column. */
export interface SourcePosition {
  readonly line: number
  readonly column: number
}

/** UTF-8 length of a code point; a lone surrogate is encoded as U+FFFD (3 bytes). */
const utf8Length = (codePoint: number): number =>
  codePoint < 0x80 ? 1 : codePoint < 0x800 ? 2 : codePoint < 0x10000 ? 3 : 4

/**
 * A converter from UTF-8 byte offsets in `code` to positions. Line starts are indexed once, so
 * converting many diagnostics of one file stays linear in its size.
 */
export const positionsIn = (code: string): ((byteOffset: number) => SourcePosition) => {
  // Byte and code-unit offsets of each line's first character.
  const lineBytes: Array<number> = [0]
  const lineUnits: Array<number> = [0]
  let bytes = 0
  for (let unit = 0; unit < code.length; ) {
    const codePoint = code.codePointAt(unit) ?? 0
    const units = codePoint > 0xffff ? 2 : 1
    bytes += utf8Length(codePoint)
    unit += units
    if (codePoint === 0x0a) {
      lineBytes.push(bytes)
      lineUnits.push(unit)
    }
  }

  return (byteOffset) => {
    // The last line that starts at or before the offset.
    let low = 0
    let high = lineBytes.length - 1
    while (low < high) {
      const middle = (low + high + 1) >> 1
      if ((lineBytes[middle] ?? 0) <= byteOffset) low = middle
      else high = middle - 1
    }
    let byte = lineBytes[low] ?? 0
    let unit = lineUnits[low] ?? 0
    while (byte < byteOffset && unit < code.length) {
      const codePoint = code.codePointAt(unit) ?? 0
      byte += utf8Length(codePoint)
      unit += codePoint > 0xffff ? 2 : 1
    }
    return { line: low + 1, column: unit - (lineUnits[low] ?? 0) + 1 }
  }
}
