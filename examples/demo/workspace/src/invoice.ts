/**
 * Invoice arithmetic in integer cents.
 */
export function invoiceTotal(
  lines: ReadonlyArray<{ readonly cents: number; readonly quantity: number }>,
  taxPercent: number
): number {
  let subtotal = 0
  for (const line of lines) {
    subtotal += line.cents * line.quantity
  }
  return subtotal + Math.round((subtotal * taxPercent) / 100)
}
