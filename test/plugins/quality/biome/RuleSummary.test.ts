import { execFileSync } from "node:child_process"
import { describe, expect, it } from "@effect/vitest"
import { nativeBinary } from "../../../../plugins/quality/biome/NativeVerdict.ts"
import { ruleSummaries } from "../../../../plugins/quality/biome/RuleSummaries.ts"
import { ruleSummary, summaryIn } from "../../../../plugins/quality/biome/RuleSummary.ts"
import { explainAll, version } from "./RuleSummariesSource.ts"

const binary = nativeBinary()
const explain = (name: string) => execFileSync(binary ?? "", ["explain", name], { encoding: "utf8" })

describe("RuleSummary", () => {
  it.skipIf(binary === undefined)("reads the first paragraph of the binary's explanation of the rule", () => {
    expect(summaryIn(explain("noDoubleEquals"), "lint/suspicious/noDoubleEquals")).toBe(
      "Require the use of `===` and `!==`."
    )
    // A paragraph over several lines is one line; a heading right after it is not part of it.
    expect(summaryIn(explain("noMisleadingReturnType"), "lint/nursery/noMisleadingReturnType")).toBe(
      "Detect return type annotations that are misleadingly wider than what the implementation actually returns."
    )
    expect(summaryIn(explain("noEmptyPattern"), "lint/correctness/noEmptyPattern")).toBe(
      "Disallows empty destructuring patterns."
    )
    // An explanation of another rule, or none at all, is no summary.
    expect(summaryIn(explain("noDebugger"), "lint/suspicious/noDoubleEquals")).toBeUndefined()
    expect(summaryIn("", "lint/suspicious/noDoubleEquals")).toBeUndefined()
  })

  it.skipIf(binary === undefined)(
    "holds every rule's summary exactly as the binary explains it",
    async () => {
      expect(version()).toBe("2.5.14")
      const fromBinary = Object.fromEntries(await explainAll(binary ?? ""))
      // Regenerate with `node_modules/.bin/node test/plugins/quality/biome/RuleSummariesSource.ts`.
      expect(ruleSummaries).toEqual(fromBinary)
      expect(Object.keys(fromBinary).length).toBeGreaterThan(400)
    },
    120_000
  )

  it("has a summary for each rule, and none for what is not a rule", () => {
    expect(ruleSummary("lint/suspicious/noExplicitAny")).toBe("Disallow the `any` type usage.")
    expect(ruleSummary("assist/source/organizeImports")).toBe(
      "Sorts imports and exports in your JavaScript and TypeScript files."
    )
    expect(ruleSummary("parse")).toBeUndefined()
    expect(ruleSummary("suppressions/unused")).toBeUndefined()
    expect(ruleSummary("toString")).toBeUndefined()
  })
})
