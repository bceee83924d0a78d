/**
 * The fix hint of a native finding whose report has no advice text: the rule's own summary, the
 * first paragraph of `biome explain <rule>` ("Require the use of `===` and `!==`."), from the same
 * binary that found it. The JSON report leaves out the log advices the wasm build gives (for
 * `noExplicitAny`, "any disables many type checking rules…"); the summary says what the rule wants
 * instead. The summaries are generated once into RuleSummaries.ts (a test fails when they drift
 * from the binary's): asking the binary at run time cost a process per rule.
 */
import { ruleSummaries } from "./RuleSummaries.ts"

/**
 * The summary in `output` of `biome explain`, when it explains `category`: the lines of the first
 * paragraph under "Description", joined. `undefined` for anything else (an error, another rule).
 */
export const summaryIn = (output: string, category: string): string | undefined => {
  const lines = output.split("\n")
  if (!lines.includes(`- Diagnostic category: ${category}`)) return undefined
  const description = lines.indexOf("Description")
  if (description < 0) return undefined
  // The text is indented by a space; a heading ("Examples") is not, and may follow it directly.
  const paragraph: Array<string> = []
  for (const line of lines.slice(description + 1)) {
    if (line.trim() === "" ? paragraph.length > 0 : !line.startsWith(" ")) break
    if (line.trim() !== "") paragraph.push(line.trim())
  }
  return paragraph.length === 0 ? undefined : paragraph.join(" ")
}

/** The summary of `category`'s rule; `undefined` for what is not a rule (`parse`, `suppressions/unused`). */
export const ruleSummary = (category: string): string | undefined =>
  Object.hasOwn(ruleSummaries, category) ? ruleSummaries[category] : undefined
