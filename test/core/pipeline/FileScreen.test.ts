import { describe, expect, it } from "vitest"
import { screenFile, screenSize } from "../../../core/pipeline/FileScreen.ts"

describe("screenFile", () => {
  it("lets an ordinary text through, up to the limit exactly", () => {
    expect(screenFile({ path: "a.ts", content: "export const a = 1\n", maxBytes: 1024 })).toBeUndefined()
    expect(screenFile({ path: "a.ts", content: "x".repeat(100), maxBytes: 100 })).toBeUndefined()
    expect(screenFile({ path: "a.ts", content: new Uint8Array(100).fill(65), maxBytes: 100 })).toBeUndefined()
  })

  it("counts a text's UTF-8 bytes, not its characters", () => {
    // "é" is two bytes, "😀" (a surrogate pair) four: 50 × 2 + 25 × 4 = 200 bytes in 100 code units.
    const text = "é".repeat(50) + "😀".repeat(25)
    expect(Buffer.byteLength(text, "utf8")).toBe(200)
    expect(screenFile({ path: "a.md", content: text, maxBytes: 200 })).toBeUndefined()
    expect(screenFile({ path: "a.md", content: text, maxBytes: 199 })).toMatchObject({
      reason: "too-large",
      detail: "200 bytes > 199 bytes"
    })
  })

  it("refuses a file over the limit, as text or bytes", () => {
    expect(screenFile({ path: "big.ts", content: "x".repeat(101), maxBytes: 100 })).toMatchObject({
      path: "big.ts",
      reason: "too-large"
    })
    expect(screenFile({ path: "big.bin", content: new Uint8Array(101), maxBytes: 100 })?.reason).toBe("too-large")
  })

  it("refuses a file with a NUL byte as binary", () => {
    expect(screenFile({ path: "a.ts", content: "const a = 1\u0000", maxBytes: 100 })).toMatchObject({
      reason: "binary",
      detail: "contains a NUL byte"
    })
    const bytes = new TextEncoder().encode("export const a = 1\n")
    const withNul = new Uint8Array([...bytes, 0, 1, 2])
    expect(screenFile({ path: "a.js", content: withNul, maxBytes: 100 })?.reason).toBe("binary")
  })
})

describe("screenSize", () => {
  it("refuses by size before a file is read", () => {
    expect(screenSize({ path: "a", size: 10, maxBytes: 10 })).toBeUndefined()
    expect(screenSize({ path: "a", size: 11, maxBytes: 10 })).toMatchObject({ reason: "too-large" })
  })
})
