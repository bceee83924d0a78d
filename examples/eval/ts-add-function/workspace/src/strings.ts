/** Text helpers. */

/** Upper-cases the first character of a text. */
export function capitalize(text: string): string {
  return text.length === 0 ? text : text[0].toUpperCase() + text.slice(1)
}
