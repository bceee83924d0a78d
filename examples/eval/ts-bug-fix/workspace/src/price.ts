/** Price arithmetic in integer cents. */

/** Applies a percentage discount to a price in cents, rounding half up to whole cents. */
export function applyDiscount(cents: number, percent: number): number {
  return Math.floor((cents * (100 - percent)) / 100)
}
