/**
 * The CLI's logger: Effect's default log line, with every control character in it written out
 * (`visible`). A log's message and annotations carry what a provider, a compiler or the
 * workspace said (an error body, a path), and the terminal must show those, not obey them;
 * Node's own formatting leaves a string argument raw and the bidirectional overrides even in objects.
 */
import { formatWithOptions, inspect } from "node:util"
import { Cause, Logger, References } from "effect"
import { visible } from "./TerminalText.ts"

const twoDigits = (value: number) => value.toString().padStart(2, "0")
/** `HH:MM:SS.mmm` in local time, as Effect's default logger writes it. */
const clock = (date: Date) =>
  `${twoDigits(date.getHours())}:${twoDigits(date.getMinutes())}:${twoDigits(date.getSeconds())}.${date.getMilliseconds().toString().padStart(3, "0")}`

/**
 * `part` on one line: a newline inside a message (a provider's error body) would print a line that
 * looks like a log line of its own, so it is written out as `\n`, a carriage return as `\r`.
 */
const oneLine = (part: unknown): string =>
  (typeof part === "string" ? part : inspect(part, { colors: false, breakLength: Number.POSITIVE_INFINITY }))
    .replaceAll("\n", "\\n")
    .replaceAll("\r", "\\r")

/** Writes each log line to stderr (stdout carries results), its control characters escaped. */
export const visibleLogger = Logger.make<unknown, void>(({ message, cause, date, fiber, logLevel }) => {
  const parts: Array<string> = (Array.isArray(message) ? message : [message]).map(oneLine)
  // The only newlines kept: those between the frames the logger's own `Cause.pretty` lays out.
  if (cause.reasons.length > 0) parts.push(Cause.pretty(cause))
  const annotations = fiber.getRef(References.CurrentLogAnnotations)
  if (Object.keys(annotations).length > 0) parts.push(oneLine(annotations))
  const line = formatWithOptions(
    { colors: false },
    `[${clock(date)}] ${logLevel.toUpperCase()} (#${fiber.id}):`,
    ...parts
  )
  process.stderr.write(`${visible(line)}\n`)
})

/** `visibleLogger` in place of the default one. */
export const visibleLoggerLayer = Logger.layer([visibleLogger])
