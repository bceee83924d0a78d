import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { afterAll, describe, expect, layer } from "@effect/vitest"
import { Effect } from "effect"
import { checkFiles } from "../../../cli/handlers/CheckFiles.ts"
import { qualityLayer } from "../../../presets/NodeQuality.ts"

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tamma-check-files-"))
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }))

/** 30 TypeScript files, one with a secret and one with an unsafe regex, and a file no pack handles. */
const files = (() => {
  const out: Array<string> = []
  for (let i = 0; i < 30; i++) {
    const file = path.join(dir, `m${String(i).padStart(2, "0")}.ts`)
    const code =
      i === 7
        ? 'export const token = "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"\n'
        : i === 12
          ? "export const words = /(a+)+$/\n"
          : `export const v${i} = ${i}\n`
    fs.writeFileSync(file, code)
    out.push(file)
  }
  const other = path.join(dir, "notes.unknown")
  fs.writeFileSync(other, "x\n")
  return [...out.slice(0, 15), other, ...out.slice(15)]
})()

describe("checkFiles", () => {
  layer(qualityLayer)("over a long list", (it) => {
    it.effect("reports the same, in order, in one worker thread and spread over three", () =>
      Effect.gen(function* () {
        const here = yield* checkFiles(files, { maxBytes: 1_048_576, shares: 1 })
        const spread = yield* checkFiles(files, { maxBytes: 1_048_576, shares: 3 })
        expect(spread).toEqual(here)
        expect(here.map((report) => report?.path ?? null)).toEqual(
          files.map((file) => (file.endsWith(".unknown") ? null : file))
        )
        const rules = here.flatMap((report) =>
          report !== null && "issues" in report ? report.issues.map((issue) => issue.rule) : []
        )
        expect(rules).toEqual(expect.arrayContaining(["secretlint/github", "security/detect-unsafe-regex"]))
      })
    )
  })
})
