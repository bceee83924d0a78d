/**
 * String helpers.
 */
export function capitalize(word: string): string {
  return word.length === 0 ? word : word[0].toUpperCase() + word.slice(1)
}

export function reverseWords(text: string): string {
  return text.split(" ").reverse().join(" ")
}
