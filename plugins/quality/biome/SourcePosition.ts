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

/**
 * A converter from the native CLI's positions to ours. The CLI's JSON report gives 1-based lines
 * and columns counted in Unicode code points, with lines broken at `\n`, `\r\n` and a lone `\r`
 * (measured on 2.5.14: an emoji or a combining mark is one column, a tab one, U+2028 no break);
 * ours break at `\n` only and count UTF-16 code units. A position past its line's end is taken as
 * that end, and a line past the file's end as the end of the file.
 */
export const positionsFromLinesIn = (code: string): ((line: number, column: number) => SourcePosition) => {
  // Code-unit offsets where Biome's lines start, and where our lines (after each `\n`) start.
  const biomeLines: Array<number> = [0]
  const ownLines: Array<number> = [0]
  for (let unit = 0; unit < code.length; unit++) {
    const char = code.charCodeAt(unit)
    if (char === 0x0a) {
      biomeLines.push(unit + 1)
      ownLines.push(unit + 1)
    } else if (char === 0x0d && code.charCodeAt(unit + 1) !== 0x0a) biomeLines.push(unit + 1)
  }
  const lastAtOrBefore = (starts: ReadonlyArray<number>, offset: number): number => {
    let low = 0
    let high = starts.length - 1
    while (low < high) {
      const middle = (low + high + 1) >> 1
      if ((starts[middle] ?? 0) <= offset) low = middle
      else high = middle - 1
    }
    return low
  }

  return (line, column) => {
    const index = Math.min(Math.max(line, 1), biomeLines.length) - 1
    let unit = biomeLines[index] ?? 0
    // The line's end: before its break, or the end of the file.
    const next = biomeLines[index + 1]
    const crlf =
      next !== undefined && next - 2 >= unit && code.charCodeAt(next - 1) === 0x0a && code.charCodeAt(next - 2) === 0x0d
    const end = next === undefined ? code.length : crlf ? next - 2 : next - 1
    for (let counted = 1; counted < column && unit < end; counted++) {
      unit += (code.codePointAt(unit) ?? 0) > 0xffff ? 2 : 1
    }
    const own = lastAtOrBefore(ownLines, unit)
    return { line: own + 1, column: unit - (ownLines[own] ?? 0) + 1 }
  }
}
