import { describe, expect, it } from "vitest"
import { capitalize } from "../src/strings"

describe("capitalize", () => {
  it("upper-cases the first character", () => {
    expect(capitalize("hello")).toBe("Hello")
  })
})
