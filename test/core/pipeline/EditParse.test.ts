import { describe, expect, it } from "vitest"
import { EditApply } from "../../../core/pipeline/EditApply.ts"
import { EditParse } from "../../../core/pipeline/EditParse.ts"

describe("EditParse", () => {
  const file = "a\nb\nc\n"

  it("reports a truncated SEARCH block", () => {
    expect(EditParse.parse("src/a.ts\n<<<<<<< SEARCH\nb\n=======\nB\n").truncated).toBe(true)
  })

  it("groups edits by path", () => {
    const parsed = EditParse.parse(
      "a.ts\n<<<<<<< SEARCH\na\n=======\nA\n>>>>>>> REPLACE\nb.ts\n<<<<<<< SEARCH\nb\n=======\nB\n>>>>>>> REPLACE\n"
    )
    expect([...EditParse.byPath(parsed.edits).keys()]).toEqual(["a.ts", "b.ts"])
    expect(EditApply.apply(file, EditParse.byPath(parsed.edits).get("a.ts") ?? []).content).toBe("A\nb\nc\n")
  })
})
