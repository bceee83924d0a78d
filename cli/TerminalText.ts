/**
 * Text from a model or a workspace file, made safe to print. A terminal obeys control sequences in
 * what it prints: an OSC sequence retitles the window, `ESC [2J` clears the screen, a carriage
 * return overwrites a line. Untrusted text goes through `visible` (or `jsonText`) before it is
 * printed, so a reviewer sees exactly what was written.
 */

/** C0 controls but tab and newline, DEL, C1 controls, and the bidirectional overrides (Trojan Source). */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
const unsafe = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g

const escapeOf = (char: string): string => {
  const code = char.charCodeAt(0)
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, "0")}` : `\\u${code.toString(16).padStart(4, "0")}`
}

/** `text` with every control character but tab and newline written out: ESC becomes the four characters `\x1b`. */
export const visible = (text: string): string => text.replace(unsafe, escapeOf)

/** JSON escapes C0 itself; DEL, C1 and the bidi overrides stay raw in `JSON.stringify`, so they are escaped too. */
const rawInJson = /[\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g

/**
 * `value` as indented JSON that a terminal prints as it is: the same document (`JSON.parse` gives
 * the same value back) with every control character as a `\u` escape.
 */
export const jsonText = (value: unknown): string =>
  JSON.stringify(value, null, 2).replace(rawInJson, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, "0")}`)
