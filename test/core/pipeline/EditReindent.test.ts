/**
 * A block found ignoring indentation lands at the file's indentation, level by level: the lines
 * it adds as well as those it keeps, for a unified diff as for a SEARCH/REPLACE block.
 */
import { describe, expect, it } from "vitest"
import { apply, describeFailure } from "../../../core/pipeline/EditApply.ts"
import { parse } from "../../../core/pipeline/EditParse.ts"

const diff = (path: string, ...hunk: ReadonlyArray<string>) =>
  ["```diff", `--- a/${path}`, `+++ b/${path}`, ...hunk, "```", ""].join("\n")
const block = (path: string, search: ReadonlyArray<string>, replace: ReadonlyArray<string>) =>
  [path, "<<<<<<< SEARCH", ...search, "=======", ...replace, ">>>>>>> REPLACE", ""].join("\n")
const applied = (file: ReadonlyArray<string>, answer: string) => {
  const result = apply(file.join("\n"), parse(answer).edits)
  return { content: result.content.split("\n"), outcomes: result.outcomes }
}
const strategies = (outcomes: ReturnType<typeof applied>["outcomes"]) =>
  outcomes.map((o) => (o._tag === "Applied" ? o.strategy : o.reason))

const python = ["class Cart:", "    def total(self):", "        s = 0", "        return s", ""]

describe("a unified diff indented differently from the file", () => {
  it("puts the added Python lines at the file's level when the model drops one level", () => {
    const result = applied(
      python,
      diff(
        "cart.py",
        "@@ -2,3 +2,5 @@",
        " def total(self):",
        "     s = 0",
        "+    for item in self.items:",
        "+        s += item",
        "     return s"
      )
    )
    expect(strategies(result.outcomes)).toEqual(["whitespace"])
    expect(result.content).toEqual([
      "class Cart:",
      "    def total(self):",
      "        s = 0",
      "        for item in self.items:",
      "            s += item",
      "        return s",
      ""
    ])
  })

  it("puts them there when the model adds a level", () => {
    const result = applied(
      python,
      diff("cart.py", "@@ -3,2 +3,3 @@", "             s = 0", "+            s += 1", "             return s")
    )
    expect(result.content).toEqual([
      "class Cart:",
      "    def total(self):",
      "        s = 0",
      "        s += 1",
      "        return s",
      ""
    ])
  })

  it("reads the model's levels, not its columns, when its step is two spaces and the file's four", () => {
    // The first line is at the same column in both, so only the levels below it tell the two apart.
    const result = applied(
      python,
      diff(
        "cart.py",
        "@@ -1,4 +1,5 @@",
        " class Cart:",
        "   def total(self):",
        "     s = 0",
        "+    s += 1",
        "     return s"
      )
    )
    expect(result.content).toEqual([
      "class Cart:",
      "    def total(self):",
      "        s = 0",
      "        s += 1",
      "        return s",
      ""
    ])
  })

  it("keeps TypeScript context lines as the file has them and moves a nested added block by levels", () => {
    const ts = ["export class Cart {", "  total(): number {", "    let s = 0", "    return s", "  }", "}", ""]
    const result = applied(
      ts,
      diff(
        "cart.ts",
        "@@ -2,4 +2,7 @@",
        "     total(): number {",
        "         let s = 0",
        "+        for (const item of this.items) {",
        "+            s += item.price",
        "+        }",
        "         return s",
        "     }"
      )
    )
    expect(strategies(result.outcomes)).toEqual(["whitespace"])
    expect(result.content).toEqual([
      "export class Cart {",
      "  total(): number {",
      "    let s = 0",
      "    for (const item of this.items) {",
      "      s += item.price",
      "    }",
      "    return s",
      "  }",
      "}",
      ""
    ])
  })

  it("closes a block an added line opened at the level of the nearest line above it", () => {
    const ts = ["function f() {", "  if (a) {", "    go()", "  }", "}", ""]
    // The hunk holds only the body: the added closing brace is one level above any line it shows.
    const result = applied(
      ts,
      diff("f.ts", "@@ -3,1 +3,4 @@", "         go()", "+        if (b) {", "+            stop()", "+        }")
    )
    expect(result.content).toEqual([
      "function f() {",
      "  if (a) {",
      "    go()",
      "    if (b) {",
      "      stop()",
      "    }",
      "  }",
      "}",
      ""
    ])
    const outdented = applied(ts, diff("f.ts", "@@ -3,1 +3,2 @@", "         go()", "+    done()"))
    expect(outdented.content).toEqual(["function f() {", "  if (a) {", "    go()", "  done()", "  }", "}", ""])
  })

  it("writes the added lines in the file's tabs when the model writes spaces, and in its spaces when the model writes tabs", () => {
    const tabbed = ["function f() {", "\tif (a) {", "\t\treturn 1", "\t}", "}", ""]
    const spaces = applied(
      tabbed,
      diff("f.ts", "@@ -1,3 +1,4 @@", " function f() {", "     if (a) {", "+        log()", "         return 1")
    )
    expect(spaces.content).toEqual(["function f() {", "\tif (a) {", "\t\tlog()", "\t\treturn 1", "\t}", "}", ""])
    const spaced = ["function f() {", "  if (a) {", "    return 1", "  }", "}", ""]
    const tabs = applied(
      spaced,
      diff("f.ts", "@@ -1,3 +1,4 @@", " function f() {", " \tif (a) {", "+\t\tlog()", " \t\treturn 1")
    )
    expect(tabs.content).toEqual(["function f() {", "  if (a) {", "    log()", "    return 1", "  }", "}", ""])
  })

  it("still fails, changing nothing, when its context matches nowhere", () => {
    const answer = diff("cart.py", "@@ -2,2 +2,3 @@", " def subtotal(self, tax):", "+    s = 1", "     return tax * 2")
    const result = apply(python.join("\n"), parse(answer).edits)
    expect(result.ok).toBe(false)
    expect(result.content).toBe(python.join("\n"))
    const [outcome] = result.outcomes
    expect(outcome?._tag === "Failed" ? outcome.reason : "applied").toBe("not-found")
    expect(outcome === undefined ? "" : describeFailure(outcome)).toMatch(
      /^The diff hunk in cart\.py does not match the file\.\nThe closest lines/
    )
  })
})

describe("a SEARCH/REPLACE block indented differently from the file", () => {
  it("lands each replacement line on the file's level for it", () => {
    const result = applied(
      python,
      block(
        "cart.py",
        ["def total(self):", "  s = 0", "  return s"],
        ["def total(self):", "  s = 0", "  s += 1", "  return s"]
      )
    )
    expect(result.content).toEqual([
      "class Cart:",
      "    def total(self):",
      "        s = 0",
      "        s += 1",
      "        return s",
      ""
    ])
  })

  it("indents by the model's step in a file that has no indentation yet, in spaces", () => {
    const result = applied(
      ["x = 1", "y = 2", ""],
      block("m.py", [" x = 1", " y = 2"], [" x = 1", " if x:", "     y = 2"])
    )
    expect(strategies(result.outcomes)).toEqual(["whitespace"])
    expect(result.content).toEqual(["x = 1", "if x:", "    y = 2", ""])
  })

  it("leaves a block found as written exactly as the model wrote it", () => {
    const result = applied(python, block("cart.py", ["        s = 0"], ["        s = 0", "          odd = 1"]))
    expect(strategies(result.outcomes)).toEqual(["exact"])
    expect(result.content[3]).toBe("          odd = 1")
  })
})
