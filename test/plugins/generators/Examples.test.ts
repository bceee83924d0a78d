import { describe, expect, it } from "vitest"
import { examplesFor, examplesIn, parseExamples } from "../../../plugins/generators/tests/Examples.ts"
import { parseValue } from "../../../plugins/generators/tests/ValueSyntax.ts"

describe("parseValue", () => {
  it("reads JSON and the looser literals issues use", () => {
    expect(parseValue("{\"a\": [1, -2.5e1, true], b: 'x', c: None,}")?.value).toEqual({
      a: [1, -25, true],
      b: "x",
      c: null
    })
    expect(parseValue('"tab\\there \\u00e9"')?.value).toBe("tab\there é")
    expect(parseValue("False")?.value).toBe(false)
    expect(parseValue("nil")?.value).toBeNull()
    expect(parseValue("title")).toBeUndefined()
    expect(parseValue("[1, 2")).toBeUndefined()
  })
})

describe("examplesIn", () => {
  it.each([
    ['slugify("Hello, World!") is "hello-world"', "slugify", ["Hello, World!"], "hello-world"],
    ["add(2, 3) returns 5", "add", [2, 3], 5],
    ["add(2, 3) == 5", "add", [2, 3], 5],
    ["add(2, 3) -> 5", "add", [2, 3], 5],
    ["add(2, 3) → 5", "add", [2, 3], 5],
    ["`pick({a: 1}, ['a'])` should return `{\"a\": 1}`", "pick", [{ a: 1 }, ["a"]], { a: 1 }],
    ["- calc.Max([1, 9, 3]) equals 9", "Max", [[1, 9, 3]], 9],
    ["isEmpty('') is True", "isEmpty", [""], true]
  ])("%s", (line, symbol, args, expected) => {
    expect(examplesIn(line)).toEqual([{ symbol, args, expected, text: expect.any(String) }])
  })

  it("finds several examples in a line and none in prose about a call", () => {
    expect(examplesIn("add(1, 1) is 2 and add(2, 2) is 4").map((e) => e.expected)).toEqual([2, 4])
    expect(examplesIn("Implement slugify(title) so that it returns a slug")).toEqual([])
    expect(examplesIn("call add(2, 3) then log it")).toEqual([])
  })

  it("keeps the text for titles and messages", () => {
    expect(examplesIn('Given `slugify("A b")` is `"a-b"`.')[0]?.text).toBe('slugify("A b") is "a-b"')
  })
})

describe("examplesFor", () => {
  it("matches the symbol exactly, else up to case and underscores", () => {
    const examples = parseExamples(["word_count('a b') returns 2", "Add(1, 2) is 3", "add(1, 1) is 2"])
    expect(examplesFor(examples, "wordCount").map((e) => e.expected)).toEqual([2])
    expect(examplesFor(examples, "add").map((e) => e.expected)).toEqual([2])
    expect(examplesFor(examples, "Add").map((e) => e.expected)).toEqual([3])
    expect(parseExamples(["add(1, 1) is 2", "add(1, 1) == 2"])).toHaveLength(1)
  })
})
