/**
 * Builds plugins/quality/biome/RuleSummaries.ts from Biome's own texts: every lint rule and assist
 * the wasm build's types name (its `Category` union, same version as the native binary), each with
 * the first paragraph of the native binary's `biome explain`. RuleSummaries.test.ts fails when the
 * file and the binary disagree; `node_modules/.bin/node test/plugins/quality/biome/RuleSummariesSource.ts`
 * writes it anew.
 */
import { execFile } from "node:child_process"
import * as fs from "node:fs"
import { createRequire } from "node:module"
import * as path from "node:path"
import { promisify } from "node:util"
import { nativeBinary } from "../../../../plugins/quality/biome/NativeVerdict.ts"
import { summaryIn } from "../../../../plugins/quality/biome/RuleSummary.ts"

const require = createRequire(import.meta.url)
const project = path.resolve(import.meta.dirname, "../../../..")
export const generatedFile = path.join(project, "plugins/quality/biome/RuleSummaries.ts")

/** The rule and assist categories of the wasm build's `Category` type. */
export const categories = (): ReadonlyArray<string> => {
  const types = fs.readFileSync(require.resolve("@biomejs/wasm-nodejs/biome_wasm.d.ts"), "utf8")
  const start = types.indexOf("type Category =")
  const union = types.slice(start, types.indexOf(";", start))
  return [...new Set(union.match(/"(?:lint|assist)\/[A-Za-z0-9]+\/[A-Za-z0-9]+"/g) ?? [])]
    .map((quoted) => quoted.slice(1, -1))
    .sort()
}

/**
 * Each category's summary as the binary explains it, a few runs at a time. A category the binary
 * does not know, or explains under another group (the types keep a few retired ones:
 * `noColorInvalidHex`, `lint/nursery/noUnwantedPolyfillio`), has none.
 */
export const explainAll = async (binary: string): Promise<ReadonlyArray<readonly [string, string]>> => {
  const run = promisify(execFile)
  const all = categories()
  const summaries: Array<readonly [string, string]> = []
  for (let index = 0; index < all.length; index += 8) {
    const batch = all.slice(index, index + 8)
    const answers = await Promise.all(
      batch.map(async (category) => {
        const name = category.split("/")[2] ?? ""
        const stdout = await run(binary, ["explain", name], { encoding: "utf8" }).then(
          (answer) => answer.stdout,
          (error: { readonly stderr?: string }) => {
            if (error.stderr?.includes(`Unrecognized option ${name}.`) === true) return ""
            throw error
          }
        )
        // A retired category whose rule lives on under another group explains that one instead.
        const summary = summaryIn(stdout, category)
        return summary === undefined ? [] : [[category, summary] as const]
      })
    )
    summaries.push(...answers.flat())
  }
  return summaries
}

/** The module's text for `summaries`. */
export const moduleText = (version: string, summaries: ReadonlyArray<readonly [string, string]>): string =>
  [
    "/**",
    ` * Generated from Biome ${version} (test/plugins/quality/biome/RuleSummariesSource.ts), do not edit: the`,
    " * first paragraph of `biome explain` for each lint rule and assist, by category. RuleSummary.ts",
    " * gives it as the fix hint of a native finding whose report has no advice text.",
    " */",
    "export const ruleSummaries: Readonly<Record<string, string>> = {",
    ...summaries.map(([category, summary], index) =>
      [
        `  ${JSON.stringify(category)}:`,
        `    ${JSON.stringify(summary)}${index === summaries.length - 1 ? "" : ","}`
      ].join("\n")
    ),
    "}",
    ""
  ].join("\n")

export const version = (): string => require("@biomejs/wasm-nodejs/package.json").version

if (import.meta.main) {
  const binary = nativeBinary()
  if (binary === undefined) throw new Error("no native Biome binary on this platform")
  fs.writeFileSync(generatedFile, moduleText(version(), await explainAll(binary)))
}
