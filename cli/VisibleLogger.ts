/**
 * The CLI's logger: Effect's default log line, with every control character in it written out
 * (`visible`). A log's message and annotations carry what a provider, a compiler or the
 * workspace said (an error body, a path), and the terminal must show those, not obey them;
 * Node's own formatting leaves a string argument raw and the bidirectional overrides even in objects.
 */
import { formatWithOptions } from "node:util"
import { Cause, Logger, References } from "effect"
import { visible } from "./TerminalText.ts"

const twoDigits = (value: number) => value.toString().padStart(2, "0")
/** `HH:MM:SS.mmm` in local time, as Effect's default logger writes it. */
const clock = (date: Date) =>
  `${twoDigits(date.getHours())}:${twoDigits(date.getMinutes())}:${twoDigits(date.getSeconds())}.${date.getMilliseconds().toString().padStart(3, "0")}`

/** Writes each log line to stderr (stdout carries results), its control characters escaped. */
export const visibleLogger = Logger.make<unknown, void>(({ message, cause, date, fiber, logLevel }) => {
  const parts: Array<unknown> = Array.isArray(message) ? [...message] : [message]
  if (cause.reasons.length > 0) parts.push(Cause.pretty(cause))
  const annotations = fiber.getRef(References.CurrentLogAnnotations)
  if (Object.keys(annotations).length > 0) parts.push(annotations)
  const line = formatWithOptions(
    { colors: false },
    `[${clock(date)}] ${logLevel.toUpperCase()} (#${fiber.id}):`,
    ...parts
  )
  process.stderr.write(`${visible(line)}\n`)
})

/** `visibleLogger` in place of the default one. */
export const visibleLoggerLayer = Logger.layer([visibleLogger])
