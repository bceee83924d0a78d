import { Result } from "effect"
import { describe, expect, it } from "vitest"
import { RenderedFile } from "../../../../core/domain/Template.ts"
import { answerFiles, maxChangeFiles } from "../../../../plugins/generators/ai/AnswerFiles.ts"

const target = (path: string) => new RenderedFile({ path, content: "" })
const block = (path: string, body = "export const x = 1") => `\`\`\`ts ${path}\n${body}\n\`\`\`\n`

/** The failure of an answer, as `tag: message`, or "ok". */
const outcome = (answer: string, targets = [target("src/a.ts")], existing = new Map<string, string>()) => {
  const result = answerFiles({ answer, targets, existing })
  return Result.isFailure(result) ? `${result.failure._tag}: ${result.failure.message}` : "ok"
}

describe("an answer's files are capped in number", () => {
  it(`${maxChangeFiles} files pass; one more fails the whole answer, naming the count`, () => {
    const files = (count: number) => Array.from({ length: count }, (_, i) => block(`src/gen/f${i}.ts`)).join("\n")
    expect(outcome(files(maxChangeFiles))).toBe("ok")
    const over = outcome(files(3000))
    expect(over).toContain("UnsafeAnswerError")
    expect(over).toContain(`3000 files, more than the ${maxChangeFiles} files one change may hold`)
  })
})

describe("an answer's paths that differ only in case", () => {
  it("from each other, from a target or from an existing file: the whole answer fails, naming both", () => {
    expect(outcome(`${block("src/a.ts")}\n${block("src/A.ts")}`)).toContain(
      '"src/A.ts": differs only in case from src/a.ts'
    )
    expect(outcome(block("SRC/a.ts"))).toContain('"SRC/a.ts": differs only in case from src/a.ts')
    expect(outcome(block("src/Old.ts"), [target("src/a.ts")], new Map([["src/old.ts", "x"]]))).toContain(
      "differs only in case from src/old.ts"
    )
    // The same path twice is one file, not a collision.
    expect(outcome(`${block("src/a.ts")}\n${block("./src/a.ts")}`)).toBe("ok")
  })
})
