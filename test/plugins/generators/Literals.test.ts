import { describe, expect, it } from "vitest"
import { sourceSymbol } from "../../../core/domain/SourceSymbol.ts"
import { parseExamples } from "../../../plugins/generators/tests/Examples.ts"
import {
  goExpected,
  goLiteral,
  jsLiteral,
  pythonLiteral,
  rustExpected,
  rustLiteral
} from "../../../plugins/generators/tests/Literals.ts"
import { javaScriptArity, planTests } from "../../../plugins/generators/tests/TestCases.ts"

describe("literals", () => {
  it("writes JavaScript and Python literals", () => {
    expect(jsLiteral({ a: [1, "x"], "b-c": null, d: {} })).toBe('{ a: [1, "x"], "b-c": null, d: {} }')
    expect(pythonLiteral({ a: [true, false, null] })).toBe('{"a": [True, False, None]}')
  })

  it("writes Go literals of the declared type, or nothing when the type cannot hold the value", () => {
    expect(goLiteral(["a", "b"], "[]string")).toBe('[]string{"a", "b"}')
    expect(goLiteral({ a: 1 }, "map[string]int")).toBe('map[string]int{"a": 1}')
    expect(goLiteral(1.5, "int")).toBeUndefined()
    expect(goLiteral("x", "int")).toBeUndefined()
    expect(goExpected(5, "int64")).toBe("int64(5)")
    expect(goExpected(5, "int")).toBe("5")
    expect(goExpected(null, "error")).toBe("error(nil)")
    expect(goExpected(null, "[]int")).toBe("[]int(nil)")
    expect(goExpected(null, "*Tally")).toBe("(*Tally)(nil)")
  })

  it("writes Rust literals of the declared type", () => {
    expect(rustLiteral(2, "f64")).toBe("2.0")
    expect(rustLiteral(-1, "usize")).toBeUndefined()
    expect(rustLiteral("a\u0001", "&str")).toBe('"a\\u{1}"')
    expect(rustLiteral("a", "String")).toBe('String::from("a")')
    expect(rustLiteral([1, 2], "&[i32]")).toBe("&[1, 2]")
    expect(rustLiteral(null, "Option<i32>")).toBe("None")
    expect(rustLiteral(3, "Option<i32>")).toBe("Some(3)")
    expect(rustExpected(["a"], "Vec<String>")).toBe('vec!["a"]')
    expect(rustExpected("a", "String")).toBe('"a"')
  })
})

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

  it("counts a JavaScript function's length as the runtime does", () => {
    expect(
      javaScriptArity([
        { name: "a", type: undefined, hasDefault: false, rest: false },
        { name: "b", type: undefined, hasDefault: true, rest: false }
      ])
    ).toBe(1)
  })

  it("turns examples into assertions and notes the ones a type cannot hold", () => {
    const plan = planTests(
      "go",
      [fn("Add", ["a:int", "b:int"], "int")],
      parseExamples(["Add(2, 3) is 5", "Add(1.5, 1) is 2"]),
      undefined
    )
    expect(plan.tests).toHaveLength(1)
    expect(plan.tests[0]?.examples.map((e) => [e.invocation, e.expected])).toEqual([["Add(2, 3)", "5"]])
    expect(plan.notes).toEqual(["Add(1.5, 1) is 2: left out, 1.5 cannot be written as int"])
  })

  it("gives a symbol without examples a signature check, never an empty test", () => {
    const plan = planTests("python", [fn("slugify", ["title:str"], "str")], [], undefined)
    expect(plan.tests[0]?.name).toBe("test_slugify_signature")
    expect(plan.tests[0]?.signatures).toEqual([{ target: "slugify", arity: 1, names: '["title"]', pointer: "" }])
  })

  it("renames a test whose name a hand-written test already uses", () => {
    const plan = planTests(
      "go",
      [fn("Add", ["a:int"], "int")],
      [],
      undefined,
      "func TestAddSignature(t *testing.T) {}\n"
    )
    expect(plan.tests[0]?.name).toBe("TestAddSignatureGenerated")
  })
})
