import { describe, expect, it } from "@effect/vitest"
import { positionsFromLinesIn, positionsIn } from "../../../../plugins/quality/biome/SourcePosition.ts"

/** The UTF-8 byte offset of the first `needle` in `code`, as Biome would report it. */
const byteOffsetOf = (code: string, needle: string): number =>
  Buffer.byteLength(code.slice(0, code.indexOf(needle)), "utf8")

describe("positionsIn", () => {
  it("gives 1-based lines and columns for ASCII", () => {
    const at = positionsIn("ab\ncd\n")
    expect(at(0)).toEqual({ line: 1, column: 1 })
    expect(at(1)).toEqual({ line: 1, column: 2 })
    expect(at(3)).toEqual({ line: 2, column: 1 })
    expect(at(6)).toEqual({ line: 3, column: 1 })
  })

  it.each([
    ["2-byte", "é = 1\nlet x = é", "x"],
    ["3-byte", "€€€\n  €x", "x"],
    ["4-byte (a surrogate pair)", "😀\n😀😀 x", "x"],
    ["mixed", "déjà vu € 😀\nconst é😀 = x", "x"]
  ])("converts byte offsets after %s characters", (_, code, needle) => {
    const index = code.indexOf(needle)
    const lineStart = code.lastIndexOf("\n", index) + 1
    const line = code.slice(0, index).split("\n").length
    expect(positionsIn(code)(byteOffsetOf(code, needle))).toEqual({ line, column: index - lineStart + 1 })
  })

  it("keeps the carriage return of CRLF at the end of its line", () => {
    const code = "a\r\nb\r\nc"
    const at = positionsIn(code)
    expect(at(byteOffsetOf(code, "b"))).toEqual({ line: 2, column: 1 })
    expect(at(byteOffsetOf(code, "c"))).toEqual({ line: 3, column: 1 })
  })

  it("counts a lone surrogate as the 3 bytes of its replacement character", () => {
    const code = "\ud800x"
    expect(positionsIn(code)(3)).toEqual({ line: 1, column: 2 })
  })

  it("stops at the end of the code for an offset past it", () => {
    expect(positionsIn("ab")(99)).toEqual({ line: 1, column: 3 })
  })
})

describe("positionsFromLinesIn", () => {
  /** Our position of the first `needle` in `code`: lines at `\n`, columns in UTF-16 code units. */
  const ownPositionOf = (code: string, needle: string) => {
    const index = code.indexOf(needle)
    return { line: code.slice(0, index).split("\n").length, column: index - code.lastIndexOf("\n", index - 1) }
  }

  it.each([
    // [name, code, needle, the CLI's line and column of the needle (code points; lines at \n, \r\n, \r)]
    ["ASCII", "ab\ncd x", "x", 2, 4],
    ["an emoji (one code point, two code units)", "😀😀 x", "x", 1, 4],
    ["a family emoji and a combining mark", '"👨‍👩‍👧e\u0301" x', "x", 1, 11],
    ["CRLF", "a\r\n\t😀 x\r\n", "x", 2, 4],
    ["a lone CR, a line break to Biome only", "a = 1;\rb x", "x", 2, 3],
    ["U+2028, no line break to Biome", "a\u2028b x", "x", 1, 5]
  ])("converts the CLI's positions after %s", (_, code, needle, line, column) => {
    expect(positionsFromLinesIn(code)(line, column)).toEqual(ownPositionOf(code, needle))
  })

  it("takes a column past its line's end as that end, and a line past the file as its last", () => {
    const at = positionsFromLinesIn("ab\r\ncd")
    expect(at(1, 3)).toEqual({ line: 1, column: 3 })
    expect(at(1, 9)).toEqual({ line: 1, column: 3 })
    expect(at(2, 9)).toEqual({ line: 2, column: 3 })
    expect(at(7, 1)).toEqual({ line: 2, column: 1 })
  })
})
