import { describe, expect, it } from "vitest"
import { invoiceTotal } from "../src/invoice"

describe("invoiceTotal", () => {
  it("adds the tax to the sum of the lines", () => {
    expect(
      invoiceTotal(
        [
          { cents: 250, quantity: 2 },
          { cents: 100, quantity: 1 }
        ],
        10
      )
    ).toBe(660)
  })
  it("is zero for no lines", () => {
    expect(invoiceTotal([], 20)).toBe(0)
  })
})
