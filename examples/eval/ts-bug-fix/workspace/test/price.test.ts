import { describe, expect, it } from "vitest"
import { applyDiscount } from "../src/price"

describe("applyDiscount", () => {
  it("takes 15% off", () => {
    expect(applyDiscount(1000, 15)).toBe(850)
  })
  it("rounds half a cent up", () => {
    expect(applyDiscount(999, 50)).toBe(500)
  })
})
