/**
 * The fix hint of a native finding whose report has no advice text: the rule's own summary, the
 * first paragraph of `biome explain <rule>` ("Require the use of `===` and `!==`."), from the same
 * binary that found it. The JSON report leaves out the log advices the wasm build gives (for
 * `noExplicitAny`, "any disables many type checking rules…"); the summary says what the rule wants
 * instead, and is computed once per rule and process. A finding's issue goes into the check cache
 * whole, hint included, so a cached file asks for nothing.
 */

/** `lint/<group>/<rule>` or `assist/<group>/<action>`: the categories `explain` knows, by last part. */
const explainable = /^(?:lint|assist)\/[A-Za-z0-9]+\/([A-Za-z0-9]+)$/

/**
 * The summary in `output` of `biome explain`, when it explains `category`: the lines of the first
 * paragraph under "Description", joined. `undefined` for anything else (an error, another rule).
 */
export const summaryIn = (output: string, category: string): string | undefined => {
  const lines = output.split("\n").map((line) => line.trim())
  if (!lines.includes(`- Diagnostic category: ${category}`)) return undefined
  const description = lines.indexOf("Description")
  if (description < 0) return undefined
  const paragraph: Array<string> = []
  for (const line of lines.slice(description + 1)) {
    if (line === "" && paragraph.length > 0) break
    if (line !== "") paragraph.push(line)
  }
  return paragraph.length === 0 ? undefined : paragraph.join(" ")
}

/** Summaries known or being asked for, by category; a failed run is forgotten, to be asked again. */
const summaries = new Map<string, Promise<string | undefined>>()

/**
 * The summary of `category`'s rule, `explain` running `biome explain <name>` and giving its stdout
 * (or `undefined` when it failed). `undefined` for a category that is not a rule's (`parse`,
 * `suppressions/unused`). Never fails.
 */
export const ruleSummary = (
  category: string,
  explain: (name: string) => Promise<string | undefined>
): Promise<string | undefined> => {
  const name = explainable.exec(category)?.[1]
  if (name === undefined) return Promise.resolve(undefined)
  const known = summaries.get(category)
  if (known !== undefined) return known
  const asked = explain(name)
    .then((output) => (output === undefined ? undefined : summaryIn(output, category)))
    .catch(() => undefined)
    .then((summary) => {
      if (summary === undefined) summaries.delete(category)
      return summary
    })
  summaries.set(category, asked)
  return asked
}
