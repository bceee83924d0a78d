/**
 * Reading files and their paths out of an answer, at the edges: each heuristic with the inputs
 * that tell it from a looser one (anchors, quantifiers, character classes), each ratio at its
 * threshold, and lead lines that start like a label but are a path.
 */
import { describe, expect, it } from "@effect/vitest"
import { Result } from "effect"
import { parseInfo, pathInComment, pathInLeadLine, pathOnlyLine } from "../../../core/pipeline/BlockPaths.ts"
import { extractFiles, looksLikeCode } from "../../../core/pipeline/Extraction.ts"

const extracted = (answer: string) => {
  const result = extractFiles(answer)
  if (Result.isFailure(result)) throw new Error(`extraction failed: ${result.failure.reason}`)
  return result.success
}
const failure = (answer: string) => {
  const result = extractFiles(answer)
  return Result.isFailure(result) ? result.failure.reason : "extracted"
}

describe("looksLikeCode, one line at a time", () => {
  it.each([
    [" import x from 'y'", true],
    ["from abc import x", true],
    ["if(x)", true],
    ["if (x)", true],
    ["for(x)", true],
    ["for (x)", true],
    ["while(x)", true],
    ["while (x)", true],
    ["@Component", true],
    [")", true],
    ["x;", true],
    ["x; ", true],
    ["  indented", true],
    ["say import this", false],
    [") + 1", false],
    ["a; b", false],
    ["hello there", false],
    ["a  b", false],
    ["@ x", false]
  ])("%j is code: %s", (line, code) => {
    expect(looksLikeCode(line)).toBe(code)
  })

  it("takes blank and whitespace-only lines for nothing", () => {
    expect(looksLikeCode("")).toBe(false)
    expect(looksLikeCode("\n   \n")).toBe(false)
    expect(looksLikeCode("const a = 1\n   \n   \n")).toBe(true)
  })

  it("needs 60% of the lines to be code: at the threshold and just below", () => {
    expect(looksLikeCode("const a = 1\nconst b = 2\nconst c = 3\nhello there\nfoo bar")).toBe(true)
    expect(looksLikeCode("const a = 1\nconst b = 2\nhello there\nfoo bar\nbaz qux")).toBe(false)
    expect(looksLikeCode("const a = 1\nhello there\nfoo bar\nbaz qux\nquux corge")).toBe(false)
    expect(looksLikeCode("hello world\nfoo bar")).toBe(false)
  })

  it("refuses code with more than 20% sentences of prose, and takes exactly 20%", () => {
    const code = "const a = 1\nconst b = 2\nconst c = 3\n"
    const sentence = "This is a sentence with many words."
    expect(looksLikeCode(`${code}${sentence}`)).toBe(false)
    expect(looksLikeCode(`${code}const d = 4\n${sentence}`)).toBe(true)
  })

  it.each([
    ["a sentence must start with a capital", "so This is a sentence with many words.", true],
    ["and end with a stop", "This is a sentence with many words. more", true],
    ["and have more than five words", "This is five words here.", true],
    ["five words, leading space", " This is five words here.", true],
    ["counting words, not spaces", "This is  a  test.", true],
    ["a short one is no prose", "This is short.", true],
    ["a sentence with a leading space is still one", " This is a sentence with many words.", false]
  ])("a prose line: %s", (_, line, code) => {
    expect(looksLikeCode(`const a = 1\nconst b = 2\nconst c = 3\n${line}`)).toBe(code)
  })
})

describe("extractFiles", () => {
  it("opens a fence only at the start of a line", () => {
    const answer = "The ``` marks open a block.\n\n```ts\nconst a = 1\n```\n"
    expect(extracted(answer).files).toEqual([{ path: undefined, language: "ts", content: "const a = 1\n" }])
  })

  it("takes a SEARCH marker at a line's start, indented or not, spaced or not, as an edit", () => {
    expect(extracted("```\n  <<<<<<< SEARCH\na\n=======\nb\n>>>>>>> REPLACE\n```").editBlocks).toBe(1)
    expect(extracted("```\n<<<<<<<SEARCH\na\n=======\nb\n>>>>>>> REPLACE\n```").editBlocks).toBe(1)
    const quoted = extracted('```ts\nconst s = "<<<<<<< SEARCH"\n```')
    expect(quoted.editBlocks).toBe(0)
    expect(quoted.files[0]?.content).toBe('const s = "<<<<<<< SEARCH"\n')
  })

  it("counts bare SEARCH markers at a line's start only", () => {
    expect(extracted("  <<<<<<< SEARCH\na\n=======\nb\n>>>>>>> REPLACE")).toEqual({
      files: [],
      prose: "",
      editBlocks: 1
    })
    expect(extracted("<<<<<<<SEARCH\na\n=======\nb\n>>>>>>> REPLACE").editBlocks).toBe(1)
    expect(extracted("const s = '<<<<<<< SEARCH';\nconst t = 1;").editBlocks).toBe(0)
  })

  it("takes a bare diff by its file headers or its hunk header, whole numbers and counts", () => {
    expect(extracted("--- a.ts\n+++ b.ts\n-a\n+b").editBlocks).toBe(1)
    expect(extracted("@@ -12,34 +56,78 @@\n-a\n+b").editBlocks).toBe(1)
    expect(extracted("@@ -12 +56 @@\n-a\n+b").editBlocks).toBe(1)
    // Not at a line's start, they are not a diff.
    expect(failure("a = 1 --- b\n+++ c")).toBe("no code")
    expect(extracted("const a = 1; // @@ -1 +1 @@").files).toHaveLength(1)
  })

  it("takes a fenced block as edits by its language or by its file headers", () => {
    expect(extracted("```diff\n-a\n+b\n```")).toEqual({ files: [], prose: "", editBlocks: 1 })
    expect(extracted("```patch\n-a\n+b\n```").editBlocks).toBe(1)
    expect(extracted("```\n--- a.ts\n+++ b.ts\n-a\n+b\n```").editBlocks).toBe(1)
    expect(extracted("```diff\n-a\n```\n\n```patch\n+b\n```").editBlocks).toBe(2)
    const notDiff = extracted("```\nx --- a\n+++ b\n```")
    expect(notDiff.editBlocks).toBe(0)
    expect(notDiff.files[0]?.content).toBe("x --- a\n+++ b\n")
  })

  it("ends a file with exactly one newline", () => {
    expect(extracted("```\na\n\n```").files[0]?.content).toBe("a\n")
    expect(extracted("```\na\n```").files[0]?.content).toBe("a\n")
  })

  it("reads old Mac line endings too", () => {
    expect(extracted("```ts\rconst a = 1\r```").files).toEqual([
      { path: undefined, language: "ts", content: "const a = 1\n" }
    ])
  })

  it("takes a backtick fence whose info holds a backtick as prose, not a tilde fence", () => {
    expect(extracted("```js` x\nconst a = 1\n```ts\nb\n```").prose).toBe("```js` x\nconst a = 1")
    expect(extracted("```js` x\nconst a = 1\n```ts\nb\n```").files).toEqual([
      { path: undefined, language: "ts", content: "b\n" }
    ])
    expect(extracted("~~~js`\nconst a = 1\n~~~").files[0]?.content).toBe("const a = 1\n")
  })

  it("names an unfenced file by the comment on its first line, blank lines before it aside", () => {
    expect(extracted("\n\n// file: src/a.ts\nconst a = 1;\n")).toEqual({
      files: [{ path: "src/a.ts", language: undefined, content: "const a = 1;\n" }],
      prose: "",
      editBlocks: 0
    })
  })

  it("drops a first-line comment that names the fence's own path, and keeps one naming another", () => {
    expect(extracted("```ts src/a.ts\n// src/a.ts\nx\n```").files[0]).toEqual({
      path: "src/a.ts",
      language: "ts",
      content: "x\n"
    })
    expect(extracted("```ts src/a.ts\n// src/b.ts\nconst a = 1\n```").files[0]).toEqual({
      path: "src/a.ts",
      language: "ts",
      content: "// src/b.ts\nconst a = 1\n"
    })
  })

  it("looks past whitespace-only lines for the path line before a block", () => {
    expect(extracted("src/a.ts\n   \n```\nx\n```").files[0]?.path).toBe("src/a.ts")
  })
})

describe("paths on a line of their own", () => {
  it.each([
    ["C:/x.ts", "C:/x.ts"],
    ["C:\\x.ts", "C:\\x.ts"],
    ["a.b", "a.b"],
    ["a.1b", "a.1b"],
    ["a.b1", "a.b1"],
    ["**src/a.ts**", "src/a.ts"],
    ["src/", "src/"],
    ["/src", "/src"],
    ["src/Makefile", "src/Makefile"],
    ["Makefile", "Makefile"]
  ])("%j names %j", (line, path) => {
    expect(pathOnlyLine(line)).toBe(path)
  })

  it.each(["a.b+c", "Makefilex", "xMakefile", "a b.ts", "C://x.ts", "README", "ab", "https://x.io/a.ts"])(
    "%j names no path",
    (line) => {
      expect(pathOnlyLine(line)).toBeUndefined()
    }
  )
})

describe("fence info", () => {
  it("reads a language, a path, both, or neither", () => {
    expect(parseInfo("")).toStrictEqual({ language: undefined, path: undefined })
    expect(parseInfo("ts")).toEqual({ language: "ts", path: undefined })
    expect(parseInfo(" ts")).toEqual({ language: "ts", path: undefined })
    expect(parseInfo("{ts}")).toEqual({ language: "ts", path: undefined })
    expect(parseInfo("Makefile")).toEqual({ language: "makefile", path: undefined })
    expect(parseInfo("Dockerfile")).toEqual({ language: "dockerfile", path: undefined })
    expect(parseInfo("src/a.ts")).toEqual({ language: undefined, path: "src/a.ts" })
    expect(parseInfo("ts foo src/a.ts")).toEqual({ language: "ts", path: "src/a.ts" })
    expect(parseInfo("TS:src/a.ts")).toEqual({ language: "ts", path: "src/a.ts" })
  })

  it("takes the colon form only as a whole head", () => {
    expect(parseInfo("{ts:src/a.ts")).toEqual({ language: "ts:src/a.ts", path: undefined })
    expect(parseInfo("ts:notapath")).toEqual({ language: "ts:notapath", path: undefined })
  })

  it("prefers a title attribute, spaced or not, over a later path", () => {
    expect(parseInfo("ts other/b.ts title = src/a.ts")).toEqual({ language: "ts", path: "src/a.ts" })
    expect(parseInfo('ts other/b.ts title="src/a.ts"')).toEqual({ language: "ts", path: "src/a.ts" })
  })
})

describe("paths in comments", () => {
  it.each([
    ["  // src/a.ts", "src/a.ts"],
    ["//src/a.ts", "src/a.ts"],
    ["/** src/a.ts */", "src/a.ts"],
    ["// file : src/a.ts", "src/a.ts"],
    ["// file:src/a.ts", "src/a.ts"],
    ["// file:  src/a.ts", "src/a.ts"]
  ])("%j names %j", (line, path) => {
    expect(pathInComment(line)).toBe(path)
  })

  it("needs the comment at the start of the line", () => {
    expect(pathInComment("x // src/a.ts")).toBeUndefined()
  })
})

describe("lead lines", () => {
  it.each([
    ["update.py", "update.py"],
    ["file.ts", "file.ts"],
    ["files/a.ts", "files/a.ts"],
    ["create_user.py", "create_user.py"],
    ["path/to/x.ts", "path/to/x.ts"],
    ["File: src/a.ts", "src/a.ts"],
    ["**File:** src/a.ts", "src/a.ts"],
    ["Update ` src/lib `:", "src/lib"],
    ["Update `src/lib`:", "src/lib"],
    ["Create **src/lib** now:", "src/lib"],
    ['Create "src/lib" now:', "src/lib"],
    ["Create 'src/lib' now:", "src/lib"],
    ["Then edit foo.ts:", "foo.ts"],
    ["Then edit my.config.ts:", "my.config.ts"],
    ["Then edit the Makefile:", "Makefile"],
    ["Then edit .gitignore:", ".gitignore"],
    ["Then see src/a.zzz:", "src/a.zzz"],
    ["Save it as app.yaml:", "app.yaml"],
    ["Save it as query.sql:", "query.sql"],
    ["Save it as data.csv:", "data.csv"],
    ["  - src/a.ts", "src/a.ts"],
    ["12. src/a.ts", "src/a.ts"],
    ["# Create `src/lib` here", "src/lib"],
    ["src/a.ts  (new)", "src/a.ts"],
    ["src/a.ts (see `b.ts`) :", "src/a.ts"],
    ["`src/lib` is new", "src/lib"]
  ])("%j names %j", (line, path) => {
    expect(pathInLeadLine(line)).toBe(path)
  })

  it.each([
    "my file src/a.ts",
    "x # src/a.ts",
    "see src/a.ts (new)",
    "src/a.ts (new) and more",
    "Here is some text with a.ts",
    "the `src/lib` folder",
    "Then edit src/lib:"
  ])("%j names no path", (line) => {
    expect(pathInLeadLine(line)).toBeUndefined()
  })

  it("reads a line of up to 160 characters and no longer", () => {
    const at = `${"x".repeat(151)} src/a.ts`
    expect(at.length).toBe(160)
    expect(pathInLeadLine(`${at}:`.slice(1))).toBe("src/a.ts")
    expect(pathInLeadLine(`${at}:`)).toBeUndefined()
  })
})
