/** Cart totals in cents. */

/** The total of the lines, before tax. */
export function subtotal(lines) {
  let sum = 0
  for (const line of lines) {
    sum = sum + line.cents * line.quantity
  }
  return sum
}

/** The total of the lines with the tax added, rounded to whole cents. */
export function total(lines, taxPercent) {
  let sum = 0
  for (const line of lines) {
    sum = sum + line.cents * line.quantity
  }
  return sum + Math.round((sum * taxPercent) / 100)
}
