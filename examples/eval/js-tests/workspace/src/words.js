/** Word helpers. */

/** Counts the whitespace-separated words of a text. */
export function countWords(text) {
  const trimmed = text.trim()
  return trimmed === "" ? 0 : trimmed.split(/\s+/).length
}

/** Reverses the order of the words of a text. */
export function reverseWords(text) {
  return text.trim().split(/\s+/).reverse().join(" ")
}
