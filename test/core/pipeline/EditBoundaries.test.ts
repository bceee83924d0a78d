/**
 * Reading, locating and applying edits at their edges: the exact marker forms against their loose
 * look-alikes, unified-diff headers (prefixes, /dev/null, timestamps, miscounted hunks), the fuzzy
 * threshold and budget at their limits, and the exact words a failure is reported in.
 */
import { describe, expect, it } from "@effect/vitest"
import { apply, describeFailure, type EditOutcome, failureOf } from "../../../core/pipeline/EditApply.ts"
import { locate, positions, regionOf } from "../../../core/pipeline/EditLocate.ts"
import { blockOf, byPath, type Edit, parse } from "../../../core/pipeline/EditParse.ts"

const sr = (search: string, replace: string, path?: string): Edit => ({ _tag: "SearchReplace", path, search, replace })
const block = (search: string, replace: string) => `<<<<<<< SEARCH\n${search}\n=======\n${replace}\n>>>>>>> REPLACE`
const only = <A>(items: ReadonlyArray<A>): A => {
  expect(items).toHaveLength(1)
  const [item] = items
  if (item === undefined) throw new Error("no item")
  return item
}

describe("SEARCH/REPLACE markers", () => {
  it("reads the exact markers, with trailing blanks and at an indentation", () => {
    expect(parse(block("a", "b")).edits).toEqual([sr("a", "b", undefined)])
    expect(parse("<<<<<<< SEARCH \t\na\n======= \nb\n>>>>>>> REPLACE\t").edits).toEqual([sr("a", "b", undefined)])
    expect(parse("  <<<<<<< SEARCH\n  a\n  =======\n  b\n  >>>>>>> REPLACE").edits).toEqual([
      sr("  a", "  b", undefined)
    ])
  })

  it("refuses markers of the wrong length, naming what is wrong", () => {
    const eight = parse("<<<<<<<< SEARCH\na\n=======\nb\n>>>>>>> REPLACE")
    expect(eight.edits).toEqual([])
    expect(only(eight.malformed).problem).toBe(
      "its first and last lines must be exactly <<<<<<< SEARCH and >>>>>>> REPLACE (seven `<`, seven `>`)"
    )
    const shortEnd = parse("<<<<<<< SEARCH\na\n=======\nb\n>>>> REPLACE")
    expect(only(shortEnd.malformed).text).toBe("<<<<<<< SEARCH\na\n=======\nb\n>>>> REPLACE")
    const loose = parse("<<< SEARCH\na\n=======\nb\n>>>>>>> REPLACE\n\nafter")
    expect(only(loose.malformed).text).toBe("<<< SEARCH\na\n=======\nb\n>>>>>>> REPLACE")
  })

  it("takes only seven `=` at the SEARCH line's indentation as the divider", () => {
    for (const divider of ["======", "========", " ======="]) {
      const parsed = parse(`<<<<<<< SEARCH\na\n${divider}\nb\n>>>>>>> REPLACE`)
      expect(parsed.edits).toEqual([])
      expect(only(parsed.malformed)).toEqual({
        path: undefined,
        text: `<<<<<<< SEARCH\na\n${divider}\nb\n>>>>>>> REPLACE`,
        problem: "it has no ======= line (exactly seven `=`) between its SEARCH and REPLACE parts"
      })
    }
  })

  it("does not take a word that starts with SEARCH for the marker", () => {
    expect(parse("<<<<<<< SEARCHING\na\n=======\nb\n>>>>>>> REPLACE").edits).toEqual([])
    expect(parse("<<<<<<< SEARCHING\na\n=======\nb\n>>>>>>> REPLACE").malformed).toEqual([])
  })

  it("reports a block cut off before its divider or its end as truncated", () => {
    expect(parse("<<<<<<< SEARCH\na\nb").truncated).toBe(true)
    expect(parse("<<<<<<< SEARCH\na\n=======\nb").truncated).toBe(true)
    expect(parse(block("a", "b")).truncated).toBe(false)
  })

  it("reports a block whose REPLACE part runs into the next SEARCH, and reads the next one", () => {
    const parsed = parse(`<<<<<<< SEARCH\na\n=======\nb\n${block("c", "d")}`)
    expect(only(parsed.malformed)).toEqual({
      path: undefined,
      text: "<<<<<<< SEARCH\na\n=======\nb",
      problem: "it has no >>>>>>> REPLACE line before the next SEARCH"
    })
    expect(parsed.edits).toEqual([sr("c", "d", undefined)])
  })

  it("reports a SEARCH part that runs into the end marker, and goes on after it", () => {
    const parsed = parse(`<<<<<<< SEARCH\na\n>>>>>>> REPLACE\n${block("c", "d")}`)
    expect(only(parsed.malformed).text).toBe("<<<<<<< SEARCH\na\n>>>>>>> REPLACE")
    expect(parsed.edits).toEqual([sr("c", "d", undefined)])
    const intoNext = parse(`<<<<<<< SEARCH\na\n${block("c", "d")}`)
    expect(only(intoNext.malformed).text).toBe("<<<<<<< SEARCH\na")
    expect(intoNext.edits).toEqual([sr("c", "d", undefined)])
  })

  it("names each block's file by the path line or fence info before it", () => {
    const parsed = parse(`src/a.ts\n${block("a", "b")}\n\n\`\`\`ts src/b.ts\n${block("c", "d")}\n\`\`\``)
    expect(parsed.edits).toEqual([sr("a", "b", "src/a.ts"), sr("c", "d", "src/b.ts")])
    expect([...byPath(parsed.edits).keys()]).toEqual(["src/a.ts", "src/b.ts"])
    expect(byPath([sr("a", "b", "a.ts"), sr("c", "d", "a.ts"), sr("e", "f", "b.ts")]).get("a.ts")).toEqual([
      sr("a", "b", "a.ts"),
      sr("c", "d", "a.ts")
    ])
  })

  it("skips a fenced whole file, even one whose lines look like a path", () => {
    const parsed = parse(`\`\`\`ts\n// src/z.ts\nconst a = 1\n\`\`\`\n${block("a", "b")}`)
    expect(parsed.edits).toEqual([sr("a", "b", undefined)])
    // A fence closes only with the same character, as many or more, nothing after it.
    const tilde = parse(`~~~~ts\n\`\`\`\n~~~ x\nsrc/q.ts\n~~~~\n${block("a", "b")}`)
    expect(tilde.edits).toEqual([sr("a", "b", undefined)])
  })
})

describe("unified diffs", () => {
  const diffOf = (text: string) => {
    const edit = only(parse(text).edits)
    if (edit._tag !== "Diff") throw new Error("not a diff")
    return edit
  }

  it("names the file from the new name, without a/ b/ prefixes or timestamps", () => {
    expect(diffOf("--- a/src/a.ts\t2020-01-01\n+++ b/src/a.ts\t2020-01-01\n@@ -1 +1 @@\n-a\n+b").path).toBe("src/a.ts")
    expect(diffOf("--- /dev/null\n+++ b/src/new.ts\n@@ -0,0 +1 @@\n+x").path).toBe("src/new.ts")
    expect(diffOf("--- a/src/old.ts\n+++ /dev/null\n@@ -1 +0,0 @@\n-x").path).toBe("src/old.ts")
    expect(
      diffOf("diff --git a/x.ts b/x.ts\nindex 1..2 100644\n--- a/x.ts\n+++ b/x.ts\n@@ -1 +1 @@\n-a\n+b").path
    ).toBe("x.ts")
  })

  it("gives a bare hunk the file named before it", () => {
    const edit = diffOf("src/a.ts\n@@ -3 +3 @@\n-a\n+b")
    expect(edit.path).toBe("src/a.ts")
    expect(edit.patch.hunks[0]).toMatchObject({ oldStart: 3, oldLines: 1, newStart: 3, newLines: 1 })
  })

  it("recounts a hunk's lines, keeping its start lines", () => {
    const edit = diffOf("--- a/x\n+++ b/x\n@@ -12,9 +14,99 @@\n a\n-b\n+c\n+d\n e\n")
    expect(edit.patch.hunks[0]).toMatchObject({ oldStart: 12, oldLines: 3, newStart: 14, newLines: 4 })
    const noNumbers = diffOf("--- a/x\n+++ b/x\n@@ @@\n-a\n+b\n")
    expect(noNumbers.patch.hunks[0]).toMatchObject({ oldStart: 1, newStart: 1 })
  })

  it("takes an empty line inside a hunk as context, and one at its end as the end", () => {
    const edit = diffOf("--- a/x\n+++ b/x\n@@ -1,3 +1,3 @@\n a\n\n-b\n+c\n\nprose after")
    expect(edit.patch.hunks[0]?.lines).toEqual([" a", " ", "-b", "+c"])
  })

  it("reads two hunks and two files", () => {
    const parsed = parse(
      "--- a/x\n+++ b/x\n@@ -1 +1 @@\n-a\n+b\n@@ -5 +5 @@\n-c\n+d\n--- a/y\n+++ b/y\n@@ -1 +1 @@\n-e\n+f\n"
    )
    expect(parsed.edits.map((edit) => edit.path)).toEqual(["x", "y"])
    const first = parsed.edits[0]
    expect(first?._tag === "Diff" ? first.patch.hunks.length : 0).toBe(2)
  })

  it("writes a diff edit's block as its hunks", () => {
    const edit = diffOf("--- a/x\n+++ b/x\n@@ -1,3 +1,3 @@\n a\n-b\n+B\n c\n")
    expect(blockOf(edit)).toBe("@@ -1,3 +1,3 @@\n a\n-b\n+B\n c")
    expect(blockOf(sr("find me", "x"))).toBe("find me")
  })
})

describe("locating a block", () => {
  const file = ["function a() {", "  return 1", "}", "", "function b() {", "  return 2", "}"]

  it("finds every position of a block, the last one at the end of the file", () => {
    expect(positions(file, ["}"], (x, y) => x === y)).toEqual([2, 6])
    expect(positions(file, ["function b() {", "  return 2", "}"], (x, y) => x === y)).toEqual([4])
    expect(positions(["a"], ["a", "b"], (x, y) => x === y)).toEqual([])
  })

  it("rounds a region's similarity to three places and counts its lines from 1", () => {
    expect(regionOf(file, 4, 3, 0.98765)).toEqual({
      startLine: 5,
      endLine: 7,
      text: "function b() {\n  return 2\n}",
      similarity: 0.988
    })
  })

  it("prefers an exact match, then one ignoring indentation", () => {
    expect(locate(file, ["  return 2"], 0.9)).toEqual({
      _tag: "Found",
      match: { start: 5, end: 6, strategy: "exact" }
    })
    expect(locate(file, ["return 2   "], 0.9)).toEqual({
      _tag: "Found",
      match: { start: 5, end: 6, strategy: "whitespace" }
    })
    expect(locate(file, ["}"], 0.9)._tag).toBe("Ambiguous")
  })

  it("accepts a fuzzy match at the threshold and not below it", () => {
    const lines = ["const total = computeTotal(items)", "other()"]
    // One character more than the line's 33, the names kept: similarity 1 - 1/34.
    const search = ["const total = computeTotal(items);"]
    const similarity = 1 - 1 / 34
    expect(locate(lines, search, similarity)).toEqual({ _tag: "Found", match: { start: 0, end: 1, strategy: "fuzzy" } })
    const below = locate(lines, search, similarity + 1e-9)
    expect(below._tag).toBe("NotFound")
    expect(below._tag === "NotFound" ? below.closest : undefined).toEqual({
      startLine: 1,
      endLine: 1,
      text: "const total = computeTotal(items)",
      similarity: 0.971
    })
  })

  it("refuses a close match that renames the block's first or last named line", () => {
    const lines = ["async remove(id) {", "  await db.delete(id)", "}"]
    expect(locate(lines, ["async delete(id) {", "  await db.delete(id)", "}"], 0.5)._tag).toBe("NotFound")
    expect(locate(lines, ["async remove(id) {", "  await db.delete(id)", "}"], 0.5)._tag).toBe("Found")
  })

  it("takes overlapping close windows as one place, and windows apart as two", () => {
    const repeated = ["x = compute(1)", "x = compute(1)", "y = 2", "z = 3"]
    expect(locate(repeated, ["x = compute(2)", "x = compute(1)"], 0.8)).toMatchObject({ _tag: "Found" })
    const apart = ["x = compute(1)", "y = 2", "x = compute(1)"]
    const twice = locate(apart, ["x = compute(9)"], 0.8)
    expect(twice._tag).toBe("Ambiguous")
    expect(twice._tag === "Ambiguous" ? twice.candidates.map((c) => c.startLine) : []).toEqual([1, 3])
  })

  it("does not fuzzy-match a block longer than the file, nor past the comparison budget", () => {
    expect(locate(["a"], ["a2", "b"], 0.1)).toEqual({ _tag: "NotFound", closest: undefined })
    const big = Array.from({ length: 2001 }, (_, i) => `line ${i}`)
    const search = Array.from({ length: 2000 }, (_, i) => `line ${i};`)
    expect(locate(big, search, 0.1)).toEqual({ _tag: "NotFound", closest: undefined })
    // At the budget exactly (2000 × 2000 comparisons), it still looks.
    expect(locate(big.slice(0, 2000), search, 0.1)._tag).toBe("Found")
  })
})

describe("applying edits", () => {
  it("replaces exactly where the block is and reports its lines", () => {
    const result = apply("a\nb\nc\nd\n", [sr("b\nc", "B\nC")])
    expect(result.content).toBe("a\nB\nC\nd\n")
    expect(result.ok).toBe(true)
    expect(result.outcomes[0]).toMatchObject({ _tag: "Applied", strategy: "exact", startLine: 2, endLine: 3 })
  })

  it("keeps CRLF line endings", () => {
    expect(apply("a\r\nb\r\n", [sr("b", "B")]).content).toBe("a\r\nB\r\n")
  })

  it("creates a file from an empty SEARCH, and appends to one that has content", () => {
    expect(apply("", [sr("", "x\ny")]).content).toBe("x\ny\n")
    const appended = apply("a\n", [sr("", "b")])
    expect(appended.content).toBe("a\nb\n")
    expect(appended.outcomes[0]).toMatchObject({ startLine: 2, endLine: 2 })
  })

  it("deletes a paragraph whose blank edge lines match as written", () => {
    expect(apply("a\n\nb\n\nc\n", [sr("\nb\n", "")]).content).toBe("a\nc\n")
  })

  it("drops blank edge lines of the replacement with those of the search when they do not match", () => {
    const result = apply("a\nb\nc\n", [sr("\n\nb\n\n", "\n\nB\n\n")])
    expect(result.content).toBe("a\nB\nc\n")
  })

  it("moves a replacement found ignoring indentation to the file's indentation for each level, in its spaces or tabs", () => {
    // The model's one level of two spaces is the file's one level of four.
    expect(
      apply("class A {\n    run() {\n        go()\n    }\n}\n", [sr("run() {\n  go()\n}", "run() {\n  stop()\n}")])
        .content
    ).toBe("class A {\n    run() {\n        stop()\n    }\n}\n")
    expect(
      apply("class A {\n\trun() {\n\t\tgo()\n\t}\n}\n", [sr("  run() {\n    go()\n  }", "  run() {\n    stop()\n  }")])
        .content
    ).toBe("class A {\n\trun() {\n\t\tstop()\n\t}\n}\n")
  })

  it("leaves the content as it was for a failed edit, and says why in the model's words", () => {
    const missing = apply("a\nb\n", [sr("zzz", "y", "a.ts")])
    expect(missing.ok).toBe(false)
    expect(missing.content).toBe("a\nb\n")
    const outcome = only(missing.outcomes)
    expect(describeFailure(outcome)).toBe(
      "The SEARCH block in a.ts does not match the file.\nThe closest lines (1-1, similarity 0) are:\na"
    )
    expect(failureOf(outcome, "src/a.ts")).toEqual({
      path: "src/a.ts",
      block: "zzz",
      closest: "1-1: a",
      message: "The SEARCH block in src/a.ts does not match the file.\nThe closest lines (1-1, similarity 0) are:\na"
    })
    const twice = only(apply("x\ny\nx\n", [sr("x", "z", "a.ts")]).outcomes)
    expect(describeFailure(twice)).toBe(
      "The SEARCH block in a.ts matches more than one place (lines 1-1, lines 3-3); include more surrounding lines so it is unique."
    )
    expect(describeFailure(only(apply("x\ny\nx\n", [sr("x", "z")]).outcomes))).toMatch(/^The SEARCH block matches/)
    expect(failureOf(twice, "b.ts")).toEqual({
      path: "b.ts",
      block: "x",
      message:
        "The SEARCH block in b.ts matches more than one place (lines 1-1, lines 3-3); include more surrounding lines so it is unique."
    })
    const applied: EditOutcome = only(apply("x\n", [sr("x", "y")]).outcomes)
    expect(describeFailure(applied)).toBeUndefined()
    expect(failureOf(applied, "a.ts")).toBeUndefined()
  })

  it("applies a diff exactly with jsdiff, reporting the lines of its first and last hunks", () => {
    const edits = parse("--- a/x\n+++ b/x\n@@ -1,3 +1,3 @@\n a\n-b\n+B\n c\n@@ -6,2 +6,3 @@\n f\n+F\n g\n").edits
    const result = apply("a\nb\nc\nd\ne\nf\ng\n", edits)
    expect(result.content).toBe("a\nB\nc\nd\ne\nf\nF\ng\n")
    expect(only(result.outcomes)).toMatchObject({ strategy: "patch", startLine: 1, endLine: 8 })
  })

  it("applies a diff that does not fit exactly hunk by hunk, reporting the weakest match", () => {
    // The first hunk's lines are indented by one space too many; the second's start is past the end.
    const edits = parse("--- a/x\n+++ b/x\n@@ -1,2 +1,1 @@\n  a\n-  b\n@@ -9,2 +9,2 @@\n d\n-e\n+E\n").edits
    const result = apply("a\nb\nc\nd\ne\n", edits)
    // A context line stays as the file has it.
    expect(result.content).toBe("a\nc\nd\nE\n")
    expect(only(result.outcomes)).toMatchObject({ _tag: "Applied", strategy: "whitespace", startLine: 1, endLine: 4 })
    const failed = apply("a\nb\n", parse("--- a/x\n+++ b/x\n@@ -1 +1 @@\n-zzz\n+y\n").edits)
    expect(failed.content).toBe("a\nb\n")
    expect(describeFailure(only(failed.outcomes))).toMatch(/^The diff hunk in x does not match the file\./)
  })
})
