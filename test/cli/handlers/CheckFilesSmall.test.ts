import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { afterAll, describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { checkFiles } from "../../../cli/handlers/CheckFiles.ts"

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tamma-check-small-"))
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }))

const write = (name: string, code: string) => {
  const file = path.join(dir, name)
  fs.writeFileSync(file, code)
  return file
}

// A few small files are checked on the calling thread; `shares: 1` asks for a worker thread.
describe("checkFiles over a few small files", () => {
  it.effect(
    "reports what a worker thread reports, failures included",
    () =>
      Effect.gen(function* () {
        const files = [
          write("secret.ts", 'export const token = "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"\n'),
          write("regex.ts", "export const words = /(a+)+$/\n"),
          write("notes.unknown", "x\n")
        ]
        const here = yield* checkFiles(files, { maxBytes: 1_048_576 })
        const inWorker = yield* checkFiles(files, { maxBytes: 1_048_576, shares: 1 })
        expect(here).toEqual(inWorker)
        expect(here.map((outcome) => outcome?.path ?? null)).toEqual([files[0], files[1], null])
        const tools = here.flatMap((outcome) =>
          outcome !== null && "issues" in outcome ? outcome.issues.map((issue) => issue.tool) : []
        )
        expect(tools).toContain("secretlint")

        // A folder named like a source file: found by its size, refused when it is read.
        const folder = path.join(dir, "folder.ts")
        fs.mkdirSync(folder)
        const failure = yield* Effect.flip(checkFiles([folder], { maxBytes: 1_048_576 }))
        expect(failure._tag).toBe("FileSystemError")
        expect(yield* Effect.flip(checkFiles([folder], { maxBytes: 1_048_576, shares: 1 }))).toEqual(failure)
      }),
    120_000
  )
})
