/**
 * Reading an answer's edits where a looser reading would go wrong: each marker and fence pattern
 * against the line that tells it from its unanchored or relaxed form, where a fence ends, where a
 * diff ends, what a diff header names, and which line reading resumes at after each kind of block.
 */
import { describe, expect, it } from "vitest"
import { blockOf, type DiffEdit, type Edit, parse } from "../../../core/pipeline/EditParse.ts"

const block = (search: string, replace: string) => `<<<<<<< SEARCH\n${search}\n=======\n${replace}\n>>>>>>> REPLACE`
const sr = (search: string, replace: string, path?: string): Edit => ({ _tag: "SearchReplace", path, search, replace })
const paths = (text: string) => parse(text).edits.map((edit) => edit.path)
const diffs = (text: string): ReadonlyArray<DiffEdit> =>
  parse(text).edits.flatMap((edit) => (edit._tag === "Diff" ? [edit] : []))
const hunkLines = (text: string) => diffs(text).map((edit) => edit.patch.hunks.map((hunk) => hunk.lines))
const exactly = "its first and last lines must be exactly <<<<<<< SEARCH and >>>>>>> REPLACE (seven `<`, seven `>`)"

describe("the SEARCH and REPLACE markers", () => {
  it("refuses a SEARCH line with words after the marker, and one with no space before SEARCH", () => {
    for (const start of ["<<<<<<< SEARCH below", "<<<<<<<SEARCH"]) {
      const parsed = parse(`${start}\na\n=======\nb\n>>>>>>> REPLACE`)
      expect(parsed.edits).toEqual([])
      expect(parsed.malformed.map((m) => m.problem)).toEqual([exactly])
    }
  })

  it("refuses an end line of eight `>`, or with words after REPLACE", () => {
    for (const end of [">>>>>>>> REPLACE", ">>>>>>> REPLACE now"]) {
      const parsed = parse(`<<<<<<< SEARCH\na\n=======\nb\n${end}`)
      expect(parsed.edits).toEqual([])
      expect(parsed.malformed).toEqual([
        { path: undefined, text: `<<<<<<< SEARCH\na\n=======\nb\n${end}`, problem: exactly }
      ])
    }
  })

  it("reads an end line with no space before REPLACE as the end, and refuses it", () => {
    const parsed = parse("<<<<<<< SEARCH\na\n=======\nb\n>>>>>>>REPLACE\nmore")
    expect(parsed.truncated).toBe(false)
    expect(parsed.malformed.map((m) => m.text)).toEqual(["<<<<<<< SEARCH\na\n=======\nb\n>>>>>>>REPLACE"])
  })

  it("takes markers only at the start of a line: in prose or in a block's text they are text", () => {
    expect(parse("x <<<<<<< SEARCH\na\n=======\nb\n>>>>>>> REPLACE")).toEqual({
      edits: [],
      truncated: false,
      malformed: []
    })
    expect(parse(block("a", "b >>>>>>> REPLACE\nc")).edits).toEqual([sr("a", "b >>>>>>> REPLACE\nc")])
  })

  it("reads an answer with old Mac line endings", () => {
    expect(parse("<<<<<<< SEARCH\ra\r=======\rb\r>>>>>>> REPLACE\r").edits).toEqual([sr("a", "b")])
  })

  it("goes on reading after a block at the line after its end, not the line before", () => {
    // The REPLACE part ends with a path-like line: read again, it would name the next block's file.
    expect(paths(`${block("a", "src/q.ts")}\n${block("c", "d")}`)).toEqual([undefined, undefined])
    expect(paths(`<<<<<<<< SEARCH\na\n=======\nsrc/q.ts\n>>>>>>> REPLACE\n${block("c", "d")}`)).toEqual([undefined])
    expect(paths(`<<<<<<< SEARCH\nsrc/q.ts\n>>>>>>> REPLACE\n${block("c", "d")}`)).toEqual([undefined])
  })
})

describe("fences", () => {
  it("closes a fence only with its own character, as many marks, and nothing after them", () => {
    // Each time the line that does not close the fence is followed by a path line: read, it would name the block's file.
    expect(paths(`\`\`\`\nsrc/b.ts\n~~~\nsrc/c.ts\n\`\`\`\n${block("a", "b")}`)).toEqual([undefined])
    expect(paths(`\`\`\`\`\n\`\`\`\nsrc/c.ts\n\`\`\`\`\n${block("a", "b")}`)).toEqual([undefined])
    expect(paths(`\`\`\`\n\`\`\`ts\nsrc/c.ts\n\`\`\`\n${block("a", "b")}`)).toEqual([undefined])
    expect(paths(`\`\`\`\nx \`\`\`\nsrc/c.ts\n\`\`\`\n${block("a", "b")}`)).toEqual([undefined])
  })

  it("closes a fence with trailing blanks after its marks", () => {
    expect(paths(`\`\`\`\nsrc/a.ts\n\`\`\` \nsrc/c.ts\n\`\`\`\n${block("a", "b")}`)).toEqual(["src/c.ts"])
  })

  it("does not take the opening line for its own close", () => {
    expect(paths(`\`\`\`\nsrc/z.ts\n\`\`\`\n${block("a", "b")}`)).toEqual([undefined])
  })

  it("enters a fence whose language is diff or patch, reading the paths in it", () => {
    for (const language of ["diff", "patch"]) {
      expect(paths(`\`\`\`${language}\nsrc/a.ts\n\`\`\`\n${block("a", "b")}`)).toEqual(["src/a.ts"])
    }
  })

  it("enters a fence without a language that holds a diff header or a bare hunk", () => {
    expect(paths(`\`\`\`\nsrc/a.ts\ndiff --git a/x.ts b/x.ts\nrename from x.ts\n\`\`\`\n${block("a", "b")}`)).toEqual([
      "src/a.ts"
    ])
    expect(paths(`\`\`\`\nsrc/a.ts\n--- a/x.ts\n+++ b/x.ts\n\`\`\`\n${block("a", "b")}`)).toEqual(["src/a.ts"])
    expect(hunkLines("```\n@@ -1 +1 @@\n-a\n+b\n```")).toEqual([[["-a", "+b"]]])
  })

  it("skips a fence of code whose lines only look like diff lines", () => {
    // A `---` line not followed by `+++` is a rule in Markdown, not a diff header.
    expect(paths(`\`\`\`\n--- notes\nsrc/a.ts\n\`\`\`\n${block("a", "b")}`)).toEqual([undefined])
    expect(paths(`\`\`\`\nsrc/a.ts\nnot --- \n+++ b\n\`\`\`\n${block("a", "b")}`)).toEqual([undefined])
  })

  it("leaves an edit fence at its closing line, and reads on after it", () => {
    const answer = [
      "```diff",
      "--- a/x.ts",
      "+++ b/x.ts",
      "@@ -1 +1 @@",
      "-a",
      "+b",
      "```",
      "src/c.ts",
      "```ts",
      "const z = 1",
      "```",
      block("c", "d")
    ].join("\n")
    expect(paths(answer)).toEqual(["x.ts", "src/c.ts"])
  })

  it("ends a diff at a fence indented by up to three spaces", () => {
    expect(hunkLines("```diff\n--- a/x\n+++ b/x\n@@ -1 +1 @@\n-a\n+b\n   ```\nafter")).toEqual([[["-a", "+b"]]])
  })

  it("does not loop on a fence of code left open after an edit", () => {
    expect(parse(`src/a.ts\n${block("a", "b")}\n\`\`\`ts\nconst x = 1`).edits).toEqual([sr("a", "b", "src/a.ts")])
  })
})

describe("where a diff starts and ends", () => {
  it("starts a diff only at `---` followed by `+++`, `diff --git` or a hunk header", () => {
    // `--- notes` alone is prose: the hunk after it is read on its own.
    expect(hunkLines("--- notes\n@@ -1 +1 @@\n-a\n+b")).toEqual([[["-a", "+b"]]])
    // A path line followed by a `+++` line stays a path line.
    const named = diffs("src/a.ts\n+++ b/x.ts\n@@ -1 +1 @@\n-a\n+b")
    expect(named.map((edit) => edit.path)).toEqual(["src/a.ts"])
    // `diff --git` names the file even without `---`/`+++` lines.
    expect(paths("src/a.ts\ndiff --git a/x.ts b/x.ts\n@@ -1 +1 @@\n-a\n+b")).toEqual(["x.ts"])
  })

  it("ends a diff at a line of prose, so a path line and a block after it are read", () => {
    expect(paths(`--- a/x.ts\n+++ b/x.ts\n@@ -1 +1 @@\n-a\n+b\nsrc/c.ts\n${block("c", "d")}`)).toEqual([
      "x.ts",
      "src/c.ts"
    ])
  })

  it("ends a diff at a blank line followed by another blank one", () => {
    expect(hunkLines("@@ -1 +1 @@\n-a\n+b\n\n\n- item\n- other")).toEqual([[["-a", "+b"]]])
  })

  it("ends a hunk at the next hunk header, even one with a section name, and drops its trailing blank lines", () => {
    const answer = "--- a/x.py\n+++ b/x.py\n@@ -1,9 +1,9 @@ def f():\n-a\n+b\n\n@@ -5,9 +5,9 @@ def g():\n-c\n+d"
    const [edit] = diffs(answer)
    expect(edit?.patch.hunks.map((hunk) => [hunk.oldStart, hunk.oldLines, hunk.newLines, hunk.lines])).toEqual([
      [1, 1, 1, ["-a", "+b"]],
      [5, 1, 1, ["-c", "+d"]]
    ])
  })

  it("ends a file's hunk at the next file's `diff --git` line", () => {
    const answer = "--- a/x\n+++ b/x\n@@ -1 +1 @@\n-a\n+b\n\ndiff --git a/y b/y\n--- a/y\n+++ b/y\n@@ -1 +1 @@\n-c\n+d"
    expect(diffs(answer).map((edit) => [edit.path, edit.patch.hunks.map((hunk) => hunk.lines)])).toEqual([
      ["x", [["-a", "+b"]]],
      ["y", [["-c", "+d"]]]
    ])
  })

  it("reads the start lines only from a hunk header as written", () => {
    const start = (header: string) => diffs(`${header}\n-a\n+b`)[0]?.patch.hunks[0]?.oldStart
    expect(start("@@ -5,12 +5,12 @@")).toBe(5)
    // Not a header jsdiff would read: the numbers further on are not taken for its start.
    expect(start("@@ @@ -3 +4 @@")).toBe(1)
  })

  it("drops a diff jsdiff cannot read, and a diff with no hunk", () => {
    expect(parse("--- a/x\n+++ b/x\n+++ b/x\n@@ -1 +1 @@\n-a\n+b").edits).toEqual([])
    expect(parse("diff --git a/x.ts b/x.ts\ndeleted file mode 100644\nindex 1..0").edits).toEqual([])
  })
})

describe("the file a diff names", () => {
  it("strips only a leading a/ or b/, and blanks around the name", () => {
    expect(paths("--- a/src/data/x.ts\n+++ b/src/data/x.ts\n@@ -1 +1 @@\n-a\n+b")).toEqual(["src/data/x.ts"])
    expect(paths("--- src/data/x.ts\n+++ src/data/x.ts\n@@ -1 +1 @@\n-a\n+b")).toEqual(["src/data/x.ts"])
    expect(paths("--- a/x.ts  \t2020-01-01\n+++ b/x.ts  \t2020-01-01\n@@ -1 +1 @@\n-a\n+b")).toEqual(["x.ts"])
  })

  it("falls back to the file named before the diff when its headers name none", () => {
    expect(paths("src/a.ts\n--- \n+++ \n@@ -1 +1 @@\n-a\n+b")).toEqual(["src/a.ts"])
    expect(paths("src/a.ts\n--- /dev/null\n+++ /dev/null\n@@ -1 +1 @@\n-a\n+b")).toEqual(["src/a.ts"])
    expect(paths("src/a.ts\n@@ -1 +1 @@\n-a\n+b")).toEqual(["src/a.ts"])
  })
})

describe("a diff edit's block", () => {
  it("writes each hunk on its own lines", () => {
    const [edit] = diffs("--- a/x\n+++ b/x\n@@ -1 +1 @@\n-a\n+b\n@@ -5 +5 @@\n-c\n+d")
    expect(edit === undefined ? "" : blockOf(edit)).toBe("@@ -1,1 +1,1 @@\n-a\n+b\n@@ -5,1 +5,1 @@\n-c\n+d")
  })
})
