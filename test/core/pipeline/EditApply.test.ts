import * as fs from "node:fs"
import * as nodePath from "node:path"
import { describe, expect, it } from "vitest"
import { EditApply } from "../../../core/pipeline/EditApply.ts"
import { EditParse } from "../../../core/pipeline/EditParse.ts"

const root = nodePath.join(import.meta.dirname, "../../fixtures/ai/edits")
const cases = fs.readdirSync(root).sort()

interface Expected {
  /** The path every edit of the answer names (`null`: none). */
  readonly path: string | null
  readonly outcomes: ReadonlyArray<string>
  readonly changed: boolean
  /** The path is outside the workspace or reserved: it must be read as a path, and the answer refused. */
  readonly refused?: boolean
  /** For each failed outcome, in order, the closest region reported (`startLine-endLine`). */
  readonly closest?: ReadonlyArray<string>
}

const read = (name: string, file: string) => fs.readFileSync(nodePath.join(root, name, file), "utf8")
/** A case without before.txt is about a file that does not exist yet. */
const readBefore = (name: string) =>
  fs.existsSync(nodePath.join(root, name, "before.txt")) ? read(name, "before.txt") : ""

describe("EditApply corpus", () => {
  it("has a real corpus", () => expect(cases.length).toBeGreaterThanOrEqual(25))

  it.each(cases)("%s", (name) => {
    const before = readBefore(name)
    const expected: Expected = JSON.parse(read(name, "expected.json"))
    const parsed = EditParse.parse(read(name, "answer.md"))
    expect(parsed.truncated).toBe(false)
    expect(parsed.malformed).toEqual([])
    expect(parsed.edits.length).toBeGreaterThan(0)
    expect(parsed.edits.map((edit) => edit.path ?? null)).toEqual(parsed.edits.map(() => expected.path))
    // An unsafe path is the answerFiles corpus's to refuse; here it only has to be read as a path.
    if (expected.refused === true) return
    const result = EditApply.apply(before, parsed.edits)
    expect(result.outcomes.map((o) => (o._tag === "Applied" ? o.strategy : o.reason))).toEqual(expected.outcomes)
    expect(result.content).toBe(expected.changed ? read(name, "after.txt") : before)
    const failed = result.outcomes.flatMap((o) => (o._tag === "Failed" ? [o] : []))
    for (const outcome of failed) {
      if (outcome.reason === "not-found" && outcome.closest !== undefined) {
        // The report points into the file, so the model can be shown what is really there.
        expect(before.replace(/\r\n/g, "\n")).toContain(outcome.closest.text)
      }
    }
    if (expected.closest !== undefined) {
      expect(failed.map((o) => (o.closest === undefined ? "" : `${o.closest.startLine}-${o.closest.endLine}`))).toEqual(
        expected.closest
      )
    }
  })
})

describe("EditApply", () => {
  it("reports ambiguity with every candidate and describes failures for the model", () => {
    const result = EditApply.apply(
      "x\ny\nx\ny\n",
      EditParse.parse("<<<<<<< SEARCH\nx\ny\n=======\nz\n>>>>>>> REPLACE\n").edits
    )
    const [outcome] = result.outcomes
    expect(outcome?._tag === "Failed" && outcome.candidates.map((c) => c.startLine)).toEqual([1, 3])
    expect(outcome === undefined ? "" : EditApply.describeFailure(outcome)).toContain("lines 1-2, lines 3-4")
  })

  it("describes the closest region of a block that does not match", () => {
    const content = "function total(items) {\n  let sum = 0\n  for (const i of items) sum += i.price\n  return sum\n}\n"
    const search = "function total(list) {\n  let s = 1\n  for (const x of list) s *= x.cost\n  return s\n}\n"
    const result = EditApply.apply(content, [{ _tag: "SearchReplace", path: "a.js", search, replace: "" }])
    const [outcome] = result.outcomes
    expect(outcome?._tag).toBe("Failed")
    expect(outcome === undefined ? "" : EditApply.describeFailure(outcome)).toContain("closest lines (1-5")
  })

  it("creates a file from an empty SEARCH", () => {
    expect(
      EditApply.apply("", [{ _tag: "SearchReplace", path: "n.ts", search: "", replace: "export {}" }]).content
    ).toBe("export {}\n")
  })
})
