import { describe, expect, it } from "vitest"
import {
  codeDifference,
  commentSyntaxOf,
  stripComments
} from "../../../plugins/generators/documentation/CommentStripping.ts"
import { Go } from "../../../plugins/languages/go/Go.ts"
import { Python } from "../../../plugins/languages/python/Python.ts"
import { Ruby } from "../../../plugins/languages/ruby/Ruby.ts"
import { TypeScript } from "../../../plugins/languages/typescript/TypeScript.ts"

describe("stripComments", () => {
  it("drops line and block comments but not comment markers inside strings (C family)", () => {
    const code = [
      "/** Adds. */",
      'export const url = "http://example.com" // the site',
      "const re = `/* not a comment */`",
      "/* gone */ const x = 1",
      "let c = '/'; // char",
      ""
    ].join("\n")
    expect(stripComments(code, "c")).toBe(
      [
        'export const url = "http://example.com"',
        "const re = `/* not a comment */`",
        " const x = 1",
        "let c = '/';"
      ].join("\n")
    )
  })

  it("reads Rust lifetimes as lifetimes, not as the start of a char literal", () => {
    const code = "/// Doc.\npub fn first<'a>(s: &'a str) -> &'a str { // note\n    &s[..1]\n}\n"
    expect(stripComments(code, "c")).toBe("pub fn first<'a>(s: &'a str) -> &'a str {\n    &s[..1]\n}")
  })

  it("drops Python comments and docstrings, keeps strings that are values", () => {
    const code = [
      '"""Module doc."""',
      "def f(x):",
      "    '''Doc",
      "    # not a comment, still the docstring",
      "    '''",
      '    y = "# kept"  # dropped',
      '    return r"""raw""" + y',
      ""
    ].join("\n")
    expect(stripComments(code, "python")).toBe(
      ["def f(x):", '    y = "# kept"', '    return r"""raw""" + y'].join("\n")
    )
  })
})

describe("codeDifference", () => {
  it("holds when only comments, docstrings and blank lines were added", () => {
    const before = "def add(a, b):\n    return a + b\n"
    const after =
      'def add(a, b):\n    """Add two numbers.\n\n    Args:\n        a: first\n    """\n\n    return a + b  # sum\n'
    expect(codeDifference(before, after, "python")).toBeUndefined()
    expect(codeDifference("const a = 1\n", "/** A. */\nconst a = 1\n", "c")).toBeUndefined()
  })

  it("names the first code line that changed", () => {
    expect(codeDifference("const a = 1\nconst b = 2\n", "// b\nconst a = 1\nconst b = 3\n", "c")).toEqual({
      line: 2,
      before: "const b = 2",
      after: "const b = 3"
    })
    expect(codeDifference("x = 1\n", "x = 1\ny = 2\n", "python")).toEqual({ line: 2, before: "", after: "y = 2" })
  })

  it("sees a change hidden in a comment-like string", () => {
    expect(codeDifference('s = "a # b"\n', 's = "a"\n', "python")?.line).toBe(1)
  })
})

describe("commentSyntaxOf", () => {
  it("reads a pack's comment tokens and doc placement", () => {
    expect(commentSyntaxOf(Python.pack)).toBe("python")
    expect(commentSyntaxOf(TypeScript.pack)).toBe("c")
    expect(commentSyntaxOf(Go.pack)).toBe("c")
    // `#` comments without docstrings: a syntax this check does not know, so it is not claimed.
    expect(commentSyntaxOf(Ruby.pack)).toBeUndefined()
  })
})
