import { describe, expect, it } from "vitest"
import { locate } from "../../../core/pipeline/EditLocate.ts"

describe("EditLocate", () => {
  const file = ["function a() {", "  return 1", "}", "", "function b() {", "  return 2", "}"]

  it("finds a block as written before trying anything looser", () => {
    expect(locate(file, ["  return 2", "}"], 0.9)).toEqual({
      _tag: "Found",
      match: { start: 5, end: 7, strategy: "exact" }
    })
  })

  it("finds a block whose indentation drifted", () => {
    expect(locate(file, ["return 1"], 0.9)).toEqual({
      _tag: "Found",
      match: { start: 1, end: 2, strategy: "whitespace" }
    })
  })

  it("refuses a block found in two places, naming both", () => {
    const located = locate(file, ["}"], 0.9)
    expect(located._tag === "Ambiguous" && located.candidates.map((c) => c.startLine)).toEqual([3, 7])
  })

  it("reports nothing found for a block the file does not hold", () => {
    expect(locate(file, ["class C {}"], 0.9)._tag).toBe("NotFound")
  })
})
