import * as fs from "node:fs"
import * as nodePath from "node:path"
import { Result } from "effect"
import { describe, expect, it } from "vitest"
import { RenderedFile } from "../../../../core/domain/Template.ts"
import { badInputTags } from "../../../../core/errors.ts"
import { type AnswerInput, answerFiles } from "../../../../plugins/generators/ai/AnswerFiles.ts"

const root = nodePath.join(import.meta.dirname, "../../../fixtures/ai/edits")
const cases = fs.readdirSync(root).sort()
const read = (name: string, file: string) => fs.readFileSync(nodePath.join(root, name, file), "utf8")
const has = (name: string, file: string) => fs.existsSync(nodePath.join(root, name, file))

interface Expected {
  readonly path: string | null
  readonly outcomes: ReadonlyArray<string>
  readonly changed: boolean
  readonly refused?: boolean
  readonly closest?: ReadonlyArray<string>
}

const target = (path: string, content = "") => new RenderedFile({ path, content })

const run = (input: AnswerInput) => {
  const result = answerFiles(input)
  if (Result.isFailure(result)) throw new Error(`expected files, got ${result.failure._tag}: ${result.failure.message}`)
  return result.success
}

const user = read("01-sr-exact", "before.txt")

describe("answerFiles over the edits corpus", () => {
  it.each(cases)("%s", (name) => {
    const expected: Expected = JSON.parse(read(name, "expected.json"))
    const answer = read(name, "answer.md")
    if (expected.refused === true) {
      // The only file of the change exists: a hostile path must not be re-attributed to it.
      const result = answerFiles({
        answer,
        targets: [target("src/user.ts")],
        existing: new Map([["src/user.ts", read(name, "before.txt")]])
      })
      expect(Result.isFailure(result) && result.failure._tag === "UnsafeAnswerError" && result.failure.path).toBe(
        expected.path
      )
      return
    }
    // An unnamed answer is about the only target; a case without before.txt is about a new file.
    const path = expected.path ?? "src/user.ts"
    const existing = new Map(has(name, "before.txt") ? [[path, read(name, "before.txt")]] : [])
    const result = run({ answer, targets: [target(path)], existing })
    const failed = expected.outcomes.filter((o) => o === "not-found" || o === "ambiguous").length
    expect(result.failures.map((f) => f.path)).toEqual(Array.from({ length: failed }, () => path))
    expect(result.files.map((f) => [f.path, f.content])).toEqual(
      expected.changed ? [[path, read(name, "after.txt")]] : []
    )
    for (const failure of result.failures) {
      expect(failure.block).not.toBe("")
      expect(failure.message).toContain(path)
    }
    if (expected.closest !== undefined) {
      expect(result.failures.map((f) => f.closest?.split(":")[0] ?? "")).toEqual(expected.closest)
    }
  })
})

describe("answerFiles", () => {
  const existing = new Map([["src/user.ts", user]])
  const importEdit =
    '<<<<<<< SEARCH\nimport { Effect } from "effect"\n=======\nimport { Effect, Schema } from "effect"\n>>>>>>> REPLACE\n'
  const withSchema = user.replace('import { Effect } from "effect"', 'import { Effect, Schema } from "effect"')

  it("applies a bare SEARCH/REPLACE block as an edit, never as the file's content", () => {
    const answer = `src/user.ts\n${read("02-sr-exact-no-fence", "answer.md")}`
    const result = run({ answer, targets: [target("src/user.ts")], existing })
    expect(result.files.map((f) => f.content)).toEqual([read("02-sr-exact-no-fence", "after.txt")])
    expect(result.files[0]?.content).not.toContain("SEARCH")
  })

  it("gives unnamed edits and whole files to the only target, even one that does not exist yet", () => {
    expect(run({ answer: importEdit, targets: [target("src/user.ts")], existing }).files[0]?.content).toBe(withSchema)
    const created = run({
      answer: "<<<<<<< SEARCH\n=======\nexport const n = 1\n>>>>>>> REPLACE\n",
      targets: [target("src/n.ts", "// skeleton\n")],
      existing: new Map()
    })
    expect(created.files.map((f) => [f.path, f.content])).toEqual([["src/n.ts", "export const n = 1\n"]])
    const whole = run({
      answer: "```ts\nexport const n = 2\n```\n",
      targets: [target("src/n.ts")],
      existing: new Map()
    })
    expect(whole.files.map((f) => [f.path, f.content])).toEqual([["src/n.ts", "export const n = 2\n"]])
  })

  it("does not guess which of several targets an unnamed block is for", () => {
    const targets = [target("src/user.ts"), target("src/other.ts")]
    const untouched = (files: ReadonlyArray<RenderedFile>) => files.filter((f) => f.path === "src/user.ts")
    const result = run({ answer: importEdit, targets, existing })
    expect(untouched(result.files)).toEqual([])
    expect(result.failures).toEqual([
      {
        path: "",
        block: 'import { Effect } from "effect"',
        message: expect.stringContaining("src/user.ts, src/other.ts")
      }
    ])
    const whole = run({ answer: "```ts\nexport const n = 2\n```\n", targets, existing })
    expect(whole.files.map((f) => f.content)).not.toContain("export const n = 2\n")
    expect(whole.notes).toContain("ignored a code block with no file path")
  })

  it("creates a named file that does not exist from an empty SEARCH, and refuses other edits of it", () => {
    const answer =
      "src/new.ts\n<<<<<<< SEARCH\n=======\nexport const a = 1\n>>>>>>> REPLACE\n\nsrc/ghost.ts\n<<<<<<< SEARCH\nconst x = 1\n=======\nconst x = 2\n>>>>>>> REPLACE\n"
    const result = run({ answer, targets: [], existing })
    expect(result.files.map((f) => [f.path, f.content])).toEqual([["src/new.ts", "export const a = 1\n"]])
    expect(result.failures).toEqual([
      { path: "src/ghost.ts", block: "const x = 1", message: expect.stringContaining("names no file I can find") }
    ])
  })

  it("reports a refused fuzzy match with the closest region of the file", () => {
    const answer = read("31-sr-fuzzy-similar-function-refused", "answer.md")
    const before = read("31-sr-fuzzy-similar-function-refused", "before.txt")
    const result = run({ answer, targets: [target("src/dates.ts")], existing: new Map([["src/dates.ts", before]]) })
    expect(result.files).toEqual([])
    const [failure] = result.failures
    expect(failure?.path).toBe("src/dates.ts")
    expect(failure?.block).toContain("export function formatTime(d: Date): string {")
    expect(failure?.closest).toBe(`1-6: ${before.split("\n").slice(0, 6).join("\n")}`)
    expect(failure?.message).toContain("does not match the file")
  })

  it.each([
    ["../x.ts", "outside-workspace"],
    ["/etc/passwd", "absolute"],
    ["~/.ssh/authorized_keys", "home"],
    [".git/config", "reserved"],
    [".tamma/runs/r.json", "reserved"],
    ["src/../../x.ts", "outside-workspace"],
    ["..\\evil.ts", "backslash"],
    ["C:\\Windows\\win.ini", "absolute"]
  ])("refuses an answer naming %s, whatever the block", (path, rule) => {
    for (const answer of [
      `${path}\n${importEdit}`,
      `\`\`\`ts ${path}\nexport const a = 1\n\`\`\`\n`,
      `--- a/${path}\n+++ b/${path}\n@@ -1 +1 @@\n-import { Effect } from "effect"\n+import { Effect, Schema } from "effect"\n`
    ]) {
      const result = answerFiles({ answer, targets: [target("src/user.ts")], existing })
      expect(Result.isFailure(result) && result.failure._tag).toBe("UnsafeAnswerError")
      expect(Result.isFailure(result) && result.failure.message).toContain(rule)
    }
    // A hostile answer fails the run (exit 1); it is not the user's bad input (exit 2).
    expect(badInputTags).not.toContain("UnsafeAnswerError")
  })

  it("normalises a safe path the answer wrote loosely", () => {
    const result = run({ answer: `./src/./user.ts\n${importEdit}`, targets: [], existing })
    expect(result.files.map((f) => [f.path, f.content])).toEqual([["src/user.ts", withSchema]])
  })

  it("reports a block without a divider instead of waiting for the rest of the answer", () => {
    const answer =
      "src/user.ts\n<<<<<<< SEARCH\n  async remove(id: string) {\n=====\n  async delete(id: string) {\n>>>>>>> REPLACE\n"
    const result = run({ answer, targets: [target("src/user.ts")], existing })
    expect(result.files).toEqual([])
    expect(result.failures).toEqual([
      { path: "src/user.ts", block: expect.stringContaining("=====\n"), message: expect.stringContaining("=======") }
    ])
  })

  it("reports miscounted markers, fenced or bare, and never writes them into the file", () => {
    for (const answer of [
      'src/user.ts\n```ts\n<<<<<<<< SEARCH\nimport { Effect } from "effect"\n=======\nimport { Effect, Schema } from "effect"\n>>>>>>>> REPLACE\n```\n',
      'src/user.ts\n<<<<< SEARCH\nimport { Effect } from "effect"\n=======\nimport { Effect, Schema } from "effect"\n>>>>> REPLACE\n'
    ]) {
      const result = run({ answer, targets: [target("src/user.ts")], existing })
      expect(result.files).toEqual([])
      expect(result.failures).toEqual([
        { path: "src/user.ts", block: expect.stringContaining("SEARCH"), message: expect.stringContaining("exactly") }
      ])
    }
  })

  it("fails with the reasons the caller acts on: no code, and truncated", () => {
    const prose = answerFiles({ answer: "This file needs no change.", targets: [target("src/user.ts")], existing })
    expect(Result.isFailure(prose) && prose.failure._tag === "ExtractionError" && prose.failure.reason).toBe("no code")
    const cut = answerFiles({
      answer: 'src/user.ts\n<<<<<<< SEARCH\nimport { Effect } from "effect"\n=======\n',
      targets: [target("src/user.ts")],
      existing
    })
    expect(Result.isFailure(cut) && cut.failure._tag === "ExtractionError" && cut.failure.reason).toBe("truncated")
  })
})
