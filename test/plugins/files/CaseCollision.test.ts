import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { FileManager } from "../../../core/services/FileManager.ts"
import { NodeFiles } from "../../../plugins/files/node/NodeFiles.ts"
import { tempFolder, writeTree } from "./TempFolder.ts"

/** A FileManager over a temp workspace holding `src/invoice.ts`. */
const workspace = Effect.fnUntraced(function* () {
  const root = yield* tempFolder()
  yield* writeTree(root, { "src/invoice.ts": "export const a = 1\n" })
  return yield* Effect.gen(function* () {
    return yield* FileManager
  }).pipe(Effect.provide(NodeFiles.layer(root)))
})

describe("a new path that differs only in case from one on disk", () => {
  it.effect("is refused when staged (a file or a folder on the way); the same name is a modification", () =>
    Effect.gen(function* () {
      const files = yield* workspace()
      for (const [path, other] of [
        ["src/Invoice.ts", "src/invoice.ts"],
        ["SRC/new.ts", "src"]
      ] as const) {
        const error = yield* Effect.flip(files.write(path, "export const b = 2\n"))
        expect(error._tag).toBe("UnsafePathError")
        expect(error.message).toContain(`case-collision (differs only in case from ${other})`)
      }
      expect(yield* files.write("src/invoice.ts", "export const a = 2\n")).toBe("src/invoice.ts")
      expect(yield* files.write("src/new.ts", "export const c = 3\n")).toBe("src/new.ts")
    })
  )
})
