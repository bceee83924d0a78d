import { describe, expect, it } from "vitest"
import { subtotal, total } from "../src/cart.js"

const lines = [
  { cents: 250, quantity: 2 },
  { cents: 100, quantity: 1 }
]

describe("cart", () => {
  it("sums the lines", () => {
    expect(subtotal(lines)).toBe(600)
  })
  it("adds the tax, rounded", () => {
    expect(total(lines, 10)).toBe(660)
    expect(total([], 20)).toBe(0)
  })
})
