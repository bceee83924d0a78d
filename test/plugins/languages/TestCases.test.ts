import { describe, expect, it } from "vitest"
import { goExpected, goLiteral } from "../../../plugins/languages/go/TestCases.ts"
import { javaScriptArity, jsLiteral } from "../../../plugins/languages/javascript/TestCases.ts"
import { pythonLiteral } from "../../../plugins/languages/python/TestCases.ts"
import { rustExpected, rustLiteral } from "../../../plugins/languages/rust/TestCases.ts"

describe("the packs' test-case writers", () => {
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

  it("counts a JavaScript function's length as the runtime does", () => {
    expect(
      javaScriptArity([
        { name: "a", type: undefined, hasDefault: false, rest: false },
        { name: "b", type: undefined, hasDefault: true, rest: false }
      ])
    ).toBe(1)
  })
})
