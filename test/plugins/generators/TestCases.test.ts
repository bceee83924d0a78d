import { describe, expect, it } from "vitest"
import { sourceSymbol } from "../../../core/domain/SourceSymbol.ts"
import { parseExamples } from "../../../plugins/generators/tests/Examples.ts"
import { planTests } from "../../../plugins/generators/tests/TestCases.ts"
import { goTestCases } from "../../../plugins/languages/go/TestCases.ts"
import { pythonTestCases } from "../../../plugins/languages/python/TestCases.ts"

describe("planTests", () => {
  const fn = (name: string, params: ReadonlyArray<string>, returns?: string) =>
    sourceSymbol({
      name,
      kind: "function",
      line: 0,
      indent: "",
      documented: false,
      returns,
      params: params.map((p) => {
        const [n = "", type] = p.split(":")
        return { name: n, type, hasDefault: false, rest: false }
      })
    })

  it("turns examples into assertions and notes the ones a type cannot hold", () => {
    const plan = planTests(
      goTestCases,
      [fn("Add", ["a:int", "b:int"], "int")],
      parseExamples(["Add(2, 3) is 5", "Add(1.5, 1) is 2"]),
      undefined
    )
    expect(plan.tests).toHaveLength(1)
    expect(plan.tests[0]?.examples.map((e) => [e.invocation, e.expected])).toEqual([["Add(2, 3)", "5"]])
    expect(plan.notes).toEqual(["Add(1.5, 1) is 2: left out, 1.5 cannot be written as int"])
  })

  it("gives a symbol without examples a signature check, never an empty test", () => {
    const plan = planTests(pythonTestCases, [fn("slugify", ["title:str"], "str")], [], undefined)
    expect(plan.tests[0]?.name).toBe("test_slugify_signature")
    expect(plan.tests[0]?.signatures).toEqual([{ target: "slugify", arity: 1, names: '["title"]', pointer: "" }])
  })

  it("renames a test whose name a hand-written test already uses", () => {
    const plan = planTests(
      goTestCases,
      [fn("Add", ["a:int"], "int")],
      [],
      undefined,
      "func TestAddSignature(t *testing.T) {}\n"
    )
    expect(plan.tests[0]?.name).toBe("TestAddSignatureGenerated")
  })
})
