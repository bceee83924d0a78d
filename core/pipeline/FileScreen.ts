/**
 * The screen every file passes before a tool sees it: a file over the size limit, or with a NUL
 * byte (binary where text is expected), is skipped with its reason. Formatters, parsers and
 * linters take time and memory that grow faster than a file's size, and a binary file gives them
 * only bogus findings, so this runs first — on a model's answer and on files read from disk alike.
 */
import { Schema } from "effect"

export const ScreenReason = Schema.Literals(["too-large", "binary"])
export type ScreenReason = typeof ScreenReason.Type

/** A file the screen kept from the tools, and why. */
export class SkippedFile extends Schema.Class<SkippedFile>("@tamma/codegen/SkippedFile")({
  path: Schema.String,
  reason: ScreenReason,
  detail: Schema.String
}) {}

/** The UTF-8 size of a text, counted without encoding it (a huge answer is not copied to be refused). */
const utf8Length = (text: string): number => {
  let bytes = 0
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i)
    if (unit < 0x80) bytes += 1
    else if (unit < 0x800) bytes += 2
    else if (unit >= 0xd800 && unit < 0xdc00 && i + 1 < text.length) {
      // A surrogate pair is one code point of four bytes; a lone surrogate encodes as U+FFFD, three.
      const next = text.charCodeAt(i + 1)
      if (next >= 0xdc00 && next < 0xe000) {
        bytes += 4
        i++
      } else bytes += 3
    } else bytes += 3
  }
  return bytes
}

const byteLength = (content: string | Uint8Array): number =>
  typeof content === "string" ? utf8Length(content) : content.byteLength

const hasNul = (content: string | Uint8Array): boolean =>
  typeof content === "string" ? content.includes("\u0000") : content.indexOf(0) !== -1

/** Refuses a file by its size alone, before it is read: `size` in bytes, as `stat` gives it. */
export const screenSize = (options: {
  readonly path: string
  readonly size: number
  readonly maxBytes: number
}): SkippedFile | undefined =>
  options.size > options.maxBytes
    ? new SkippedFile({
        path: options.path,
        reason: "too-large",
        detail: `${options.size} bytes > ${options.maxBytes} bytes`
      })
    : undefined

/**
 * `undefined` when the tools may see the file; otherwise why not. `content` as text (its UTF-8
 * size counts) or as the bytes read from disk.
 */
export const screenFile = (options: {
  readonly path: string
  readonly content: string | Uint8Array
  readonly maxBytes: number
}): SkippedFile | undefined => {
  // The size first: it is cheap for bytes, and a NUL scan of a huge text is not needed to refuse it.
  const bySize = screenSize({ path: options.path, size: byteLength(options.content), maxBytes: options.maxBytes })
  if (bySize !== undefined) return bySize
  if (hasNul(options.content)) {
    return new SkippedFile({ path: options.path, reason: "binary", detail: "contains a NUL byte" })
  }
  return undefined
}
