import { execFileSync } from "node:child_process"
import { describe, expect, it } from "@effect/vitest"
import { nativeBinary } from "../../../../plugins/quality/biome/NativeVerdict.ts"
import { ruleSummary, summaryIn } from "../../../../plugins/quality/biome/RuleSummary.ts"

const binary = nativeBinary()
const explain = (name: string) => execFileSync(binary ?? "", ["explain", name], { encoding: "utf8" })

describe("RuleSummary", () => {
  it.skipIf(binary === undefined)("reads the first paragraph of the binary's explanation of the rule", () => {
    expect(summaryIn(explain("noDoubleEquals"), "lint/suspicious/noDoubleEquals")).toBe(
      "Require the use of `===` and `!==`."
    )
    // A paragraph over several lines is one line.
    expect(summaryIn(explain("organizeImports"), "assist/source/organizeImports")).toBe(
      "Sorts imports and exports in your JavaScript and TypeScript files."
    )
    // An explanation of another rule, or none at all, is no summary.
    expect(summaryIn(explain("noDebugger"), "lint/suspicious/noDoubleEquals")).toBeUndefined()
    expect(summaryIn("", "lint/suspicious/noDoubleEquals")).toBeUndefined()
  })

  it.skipIf(binary === undefined)("asks once per rule, and again after a failure", async () => {
    const asked: Array<string> = []
    const counting = async (name: string) => {
      asked.push(name)
      return explain(name)
    }
    const category = "lint/complexity/noArguments"
    const [first, second] = await Promise.all([ruleSummary(category, counting), ruleSummary(category, counting)])
    expect(first).toBe("Disallow the use of `arguments`.")
    expect(second).toBe(first)
    expect(await ruleSummary(category, counting)).toBe(first)
    expect(asked).toEqual(["noArguments"])

    const failing = "lint/style/useTemplate"
    expect(await ruleSummary(failing, async () => undefined)).toBeUndefined()
    expect(await ruleSummary(failing, async () => Promise.reject(new Error("killed")))).toBeUndefined()
    expect(await ruleSummary(failing, counting)).toBe("Prefer template literals over string concatenation.")
  })

  it("has no summary for what is not a rule", async () => {
    const never = async () => Promise.reject(new Error("not asked"))
    expect(await ruleSummary("parse", never)).toBeUndefined()
    expect(await ruleSummary("suppressions/unused", never)).toBeUndefined()
  })
})
