/**
 * A section of a Markdown README, added at the end or replaced in place: from its heading to the
 * next heading of the same or a higher level.
 */
import { Schema } from "effect"

/** `parameters.readme`: the section's title and its body. */
export const ReadmeRequest = Schema.Struct({
  title: Schema.NonEmptyString,
  body: Schema.Union([Schema.String, Schema.Array(Schema.String)]),
  /** Heading level, 2 (`##`) unless given. */
  level: Schema.optional(Schema.Int.check(Schema.isBetween({ minimum: 1, maximum: 6 })))
})
export type ReadmeRequest = typeof ReadmeRequest.Type

const headingOf = (line: string) => /^(#{1,6})\s+(.*?)\s*#*\s*$/.exec(line)

/** `readme` with the section set to `section`'s body. */
export const withSection = (readme: string, section: ReadmeRequest): string => {
  const level = section.level ?? 2
  const body = typeof section.body === "string" ? section.body : section.body.join("\n")
  const block = [`${"#".repeat(level)} ${section.title}`, "", ...body.trimEnd().split("\n")]
  const lines = readme.split("\n")
  // Headings inside fenced code blocks are not headings.
  let fenced = false
  const start = lines.findIndex((line) => {
    if (/^\s*(```|~~~)/.test(line)) fenced = !fenced
    const heading = fenced ? null : headingOf(line)
    return heading !== null && heading[2]?.toLowerCase() === section.title.toLowerCase()
  })
  if (start < 0) {
    const trimmed = readme.trimEnd()
    return `${trimmed === "" ? "" : `${trimmed}\n\n`}${block.join("\n")}\n`
  }
  const startLevel = headingOf(lines[start] ?? "")?.[1]?.length ?? level
  let end = lines.length
  fenced = false
  for (let i = start + 1; i < lines.length; i++) {
    const line = lines[i] ?? ""
    if (/^\s*(```|~~~)/.test(line)) fenced = !fenced
    const heading = fenced ? null : headingOf(line)
    if (heading !== null && (heading[1]?.length ?? 7) <= startLevel) {
      end = i
      break
    }
  }
  const replaced = [`${"#".repeat(startLevel)} ${section.title}`, ...block.slice(1)]
  const rest = lines.slice(end)
  return [...lines.slice(0, start), ...replaced, ...(rest.length > 0 ? ["", ...rest] : [""])].join("\n")
}
