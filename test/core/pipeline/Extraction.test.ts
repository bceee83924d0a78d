import * as fs from "node:fs"
import * as nodePath from "node:path"
import { Result } from "effect"
import { describe, expect, it } from "vitest"
import { extractFiles, looksLikeCode } from "../../../core/pipeline/Extraction.ts"

const root = nodePath.join(import.meta.dirname, "../../fixtures/ai/extraction")
const cases = fs.readdirSync(root).sort()

interface Expected {
  readonly files?: ReadonlyArray<{ path: string | null; language: string | null; content: string }>
  readonly error?: string
}

describe("Extraction corpus", () => {
  it("has a real corpus", () => expect(cases.length).toBeGreaterThanOrEqual(35))

  it.each(cases)("%s", (name) => {
    const answer = fs.readFileSync(nodePath.join(root, name, "answer.md"), "utf8")
    const expected: Expected = JSON.parse(fs.readFileSync(nodePath.join(root, name, "expected.json"), "utf8"))
    const result = extractFiles(answer)
    if (expected.error !== undefined) {
      expect(Result.isFailure(result) ? result.failure.reason : "extracted").toBe(expected.error)
      return
    }
    if (Result.isFailure(result)) return expect.fail(`expected files, got ${result.failure.reason}`)
    expect(
      result.success.files.map((f) => ({ path: f.path ?? null, language: f.language ?? null, content: f.content }))
    ).toEqual(expected.files)
  })
})

describe("Extraction", () => {
  it("keeps the prose around the code", () => {
    const result = extractFiles("Intro text.\n\n```ts\nconst a = 1\n```\n\nOutro text.\n")
    expect(Result.isSuccess(result) && result.success.prose).toBe("Intro text.\n\nOutro text.")
  })

  it("tells code from prose", () => {
    expect(looksLikeCode("const a = 1\nexport { a }\n")).toBe(true)
    expect(
      looksLikeCode("This is a sentence that explains what the change does.\nAnother sentence follows here.")
    ).toBe(false)
  })
})
