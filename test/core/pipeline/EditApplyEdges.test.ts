/**
 * Applying edits at their edges: appending to a file with and without its final newline, blank
 * edge lines of a block and of its replacement counted one for one, a block that matches twice as
 * written, the file's own step and tabs for a level the block does not show, a diff's context
 * kept as the file has it, and the outcome and words reported for each.
 */
import { describe, expect, it } from "vitest"
import { apply, describeFailure, type EditOutcome, failureOf } from "../../../core/pipeline/EditApply.ts"
import { type Edit, parse } from "../../../core/pipeline/EditParse.ts"

const sr = (search: string, replace: string, path?: string): Edit => ({ _tag: "SearchReplace", path, search, replace })
const lines = (content: string, ...edits: ReadonlyArray<Edit>) => apply(content, edits).content.split("\n")
const single = (content: string, edit: Edit): EditOutcome => {
  const [outcome, ...others] = apply(content, [edit]).outcomes
  expect(others).toEqual([])
  if (outcome === undefined) throw new Error("no outcome")
  return outcome
}
const diff = (...hunk: ReadonlyArray<string>): Edit => {
  const [edit] = parse(["--- a/x.ts", "+++ b/x.ts", ...hunk].join("\n")).edits
  if (edit === undefined) throw new Error("no diff")
  return edit
}

describe("an empty SEARCH", () => {
  it("appends after the last line, keeping the file's final newline or its lack of one", () => {
    expect(apply("a\nb", [sr("", "x")]).content).toBe("a\nb\nx")
    expect(apply("a\nb\n", [sr("", "x\ny")]).content).toBe("a\nb\nx\ny\n")
    expect(single("a\nb", sr("", "x\ny"))).toMatchObject({ _tag: "Applied", startLine: 3, endLine: 4 })
  })

  it("writes a file of blank lines as a new one, and takes a SEARCH of blank lines for an empty one", () => {
    expect(apply("\n", [sr("", "x")]).content).toBe("x\n")
    // A SEARCH of blank lines only must not loop looking for its first or last line.
    expect(apply("a\n", [sr("\n  \n", "b")]).content).toBe("a\nb\n")
  })
})

describe("blank edge lines", () => {
  it("applies a block with blank edges matching as written, reporting the lines it covered", () => {
    expect(single("a\n\nb\n\nc\n", sr("\nb\n", ""))).toMatchObject({ startLine: 2, endLine: 4, strategy: "exact" })
  })

  it("refuses a block that matches as written in two places", () => {
    const result = apply("\nx\n\nx\n", [sr("\nx", "y")])
    expect(result.ok).toBe(false)
    expect(result.content).toBe("\nx\n\nx\n")
  })

  it("counts a line of spaces as blank at the block's edges", () => {
    // Trimmed, the block is the one line `b`, found ignoring its indentation.
    expect(lines("a\n  b\nc\n", sr("   \nb\n \t", "B"))).toEqual(["a", "  B", "c", ""])
  })

  it("drops as many blank edge lines from the replacement as the block lost, and no more", () => {
    // Each block is found ignoring indentation, so its blank edges did not match as written.
    const file = "a\n  b\nc\n"
    expect(lines(file, sr("\nb", "\n\nB"))).toEqual(["a", "", "  B", "c", ""])
    expect(lines(file, sr("b\n", "B\n\n"))).toEqual(["a", "  B", "", "c", ""])
    expect(lines(file, sr("\n\nb\n\n", "  \nB1\nB2\n  "))).toEqual(["a", "  B1", "  B2", "c", ""])
  })

  it("drops only blank lines from the replacement, never its text", () => {
    const file = "a\n  b\nc\n"
    expect(lines(file, sr("\n\nb", "B"))).toEqual(["a", "  B", "c", ""])
    expect(lines(file, sr("b\n\n", "B"))).toEqual(["a", "  B", "c", ""])
  })

  it("keeps the replacement's blank edge lines when the block had none", () => {
    expect(lines("a\n  b\nc\n", sr("b", "\nB\n"))).toEqual(["a", "", "  B", "", "c", ""])
    expect(lines("a\n  b\n  c\nd\n", sr("b\nc", "B\nC\n"))).toEqual(["a", "  B", "  C", "", "d", ""])
  })

  it("replaces a block found as written, after its blank edges were trimmed, exactly as the model wrote it", () => {
    const file = "def f():\n    s = 0\n    return s\n"
    const result = apply(file, [sr("\n    s = 0", "    s = 0\n      odd = 1")])
    expect(result.outcomes[0]).toMatchObject({ strategy: "exact" })
    expect(result.content).toBe("def f():\n    s = 0\n      odd = 1\n    return s\n")
  })
})

describe("indentation the block does not show", () => {
  it("takes the file's step for a level deeper than any line of the block, not the model's", () => {
    // The file steps by four; the block, found ignoring indentation, by two.
    const file = "if a:\n    if b:\n        go()\n"
    expect(lines(file, sr("if b:\n  go()", "if b:\n  go()\n  if c:\n    stop()"))).toEqual([
      "if a:",
      "    if b:",
      "        go()",
      "        if c:",
      "            stop()",
      ""
    ])
  })

  it("writes a new level in tabs in a file indented with tabs, and in spaces in one with a stray tab", () => {
    const tabbed = "function f() {\n\tif (a) {\n\t\tgo()\n\t}\n}\n"
    expect(
      lines(tabbed, sr("  if (a) {\n    go()", "  if (a) {\n    go()\n    if (b) {\n      stop()\n    }"))
    ).toEqual(["function f() {", "\tif (a) {", "\t\tgo()", "\t\tif (b) {", "\t\t\tstop()", "\t\t}", "\t}", "}", ""])
    const mostlySpaces = "function f() {\n  if (a) {\n    go()\n  }\n\tx()\n  y()\n}\n"
    expect(lines(mostlySpaces, sr(" if (a) {\n  go()", " if (a) {\n  go()\n   deeper()"))).toEqual([
      "function f() {",
      "  if (a) {",
      "    go()",
      "      deeper()",
      "  }",
      "\tx()",
      "  y()",
      "}",
      ""
    ])
  })

  it("does not take a line of stray spaces in the file for its step", () => {
    const file = "if a:\n    go()\n  \nif b:\n    stop()\n"
    expect(lines(file, sr("if b:\n  stop()", "if b:\n  stop()\n  if c:\n    end()"))).toEqual([
      "if a:",
      "    go()",
      "  ",
      "if b:",
      "    stop()",
      "    if c:",
      "        end()",
      ""
    ])
  })

  it("reads a blank line of the block as no level, and writes a blank line of the replacement empty", () => {
    // The model's blank line carries four spaces; the file's is empty. Neither says where four columns go.
    const file = "class A {\n    run() {\n\n        go()\n    }\n}\n"
    expect(lines(file, sr("run() {\n    \n    go()\n}", "run() {\n    \n    go()\n    stop()\n}"))).toEqual([
      "class A {",
      "    run() {",
      "",
      "        go()",
      "        stop()",
      "    }",
      "}",
      ""
    ])
  })

  it("does not count the replacement's blank lines in the model's step", () => {
    const file = "class A {\n    run() {\n        go()\n    }\n}\n"
    expect(lines(file, sr("run() {\n    go()\n}", "run() {\n    go()\n \n        deeper()\n}"))).toEqual([
      "class A {",
      "    run() {",
      "        go()",
      "",
      "            deeper()",
      "    }",
      "}",
      ""
    ])
  })

  it("places a new level from the nearest shallower line of the block, not the first", () => {
    // The file indents its continuation line by five: the new line goes one step in from there.
    const file = "def g():\n    pass\nif a:\n     b = 1\n"
    expect(lines(file, sr("if a:\n  b = 1", "if a:\n  b = 1\n    c = 2"))).toEqual([
      "def g():",
      "    pass",
      "if a:",
      "     b = 1",
      "         c = 2",
      ""
    ])
  })

  it("places a new level from the block's first line at the nearest shallower width", () => {
    // Found ignoring indentation, the block's two lines at the model's two columns sit at five and four in the file.
    const file = "if a:\n     b = 1\n    c = 1\nx = 3\n"
    expect(lines(file, sr("if a:\n  b = 1\n  c = 1\nx = 3", "if a:\n  b = 1\n  c = 1\n    d = 2\nx = 3"))).toEqual([
      "if a:",
      "     b = 1",
      "     c = 1",
      "         d = 2",
      "x = 3",
      ""
    ])
  })

  it("moves a line shallower than the whole block out from the block's first shallowest line", () => {
    const file = "f(\n          x()\n    y()\n      z()\n          w()\n)\n"
    expect(lines(file, sr("    x()\n  y()\n  z()\n    w()", "    x()\n  y()\n  z()\n    w()\nv()"))).toEqual([
      "f(",
      "          x()",
      "    y()",
      "    z()",
      "          w()",
      "v()",
      ")",
      ""
    ])
  })

  it("moves a line shallower than the whole block out by levels from its shallowest line", () => {
    // The block shows only the inner levels; the added lines close them.
    const file = "function f() {\n  if (a) {\n    if (b) {\n      go()\n    }\n  }\n}\n"
    // One level out, then two: the model's step is four columns, the file's two.
    const closing = "        if (b) {\n            go()\n        }\n    done()\nlast()"
    expect(lines(file, sr("        if (b) {\n            go()\n        }", closing))).toEqual([
      "function f() {",
      "  if (a) {",
      "    if (b) {",
      "      go()",
      "    }",
      "  done()",
      "last()",
      "  }",
      "}",
      ""
    ])
    expect(lines(file, sr("    go()\n  }", "    go()\n  }\nlog()"))).toEqual([
      "function f() {",
      "  if (a) {",
      "    if (b) {",
      "      go()",
      "    }",
      "  log()",
      "  }",
      "}",
      ""
    ])
  })
})

describe("a diff applied hunk by hunk", () => {
  it("keeps each context line as the file has it, after a blank context line the file does not have", () => {
    // The file's lines have trailing spaces the hunk lost: found ignoring them, the context stays as the file has it.
    const file = "x\n  a  \n  c  \n"
    expect(lines(file, diff("@@ -1,3 +1,4 @@", " ", " a", "+b", " c"))).toEqual(["x", "  a  ", "  b", "  c  ", ""])
  })

  it("reads past a `\\ No newline at end of file` line", () => {
    const edit = diff(
      "@@ -1,2 +1,2 @@",
      "   a",
      "-  b",
      "\\ No newline at end of file",
      "+  B",
      "\\ No newline at end of file"
    )
    expect(apply("a\nb", [edit]).content).toBe("a\nB")
  })

  it("reports a diff with no hunks as applied to line 1, changing nothing", () => {
    const edit: Edit = {
      _tag: "Diff",
      path: "x.ts",
      patch: { oldFileName: "a/x.ts", newFileName: "b/x.ts", oldHeader: "", newHeader: "", hunks: [] }
    }
    const result = apply("a\n", [edit])
    expect(result.content).toBe("a\n")
    expect(result.outcomes[0]).toMatchObject({ _tag: "Applied", strategy: "patch", startLine: 1, endLine: 1 })
  })
})

describe("outcomes and their words", () => {
  it("is not ok when one edit of several fails", () => {
    const result = apply("a\nb\n", [sr("a", "A"), sr("zzz", "y")])
    expect(result.ok).toBe(false)
    expect(result.content).toBe("A\nb\n")
  })

  it("reports a block not found with no candidates", () => {
    expect(single("a\nb\nc\n", sr("zzz", "y"))).toMatchObject({ _tag: "Failed", reason: "not-found", candidates: [] })
  })

  it("describes a block longer than the file, which has no closest region", () => {
    const outcome = single("a\n", sr("x\ny\nz", "q", "a.ts"))
    expect(outcome).toMatchObject({ _tag: "Failed", reason: "not-found", closest: undefined })
    expect(describeFailure(outcome)).toBe("The SEARCH block in a.ts does not match the file.")
    expect(failureOf(outcome, "src/a.ts")).toEqual({
      path: "src/a.ts",
      block: "x\ny\nz",
      message: "The SEARCH block in src/a.ts does not match the file."
    })
  })
})
