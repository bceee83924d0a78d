import * as fs from "node:fs"
import * as path from "node:path"
import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { UnsafePathError } from "../../../core/errors.ts"
import { FileManager } from "../../../core/services/FileManager.ts"
import { NodeFiles } from "../../../plugins/files/node/NodeFiles.ts"
import { locate, verdict } from "../../../plugins/files/node/RealLocation.ts"
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

describe("an existing path asked for under another case (a case-insensitive file system)", () => {
  // No case-insensitive file system can be mounted here (no casefold, no vfat): the file is on
  // disk under the asked name, so it resolves as it would there, and the folder listing says
  // what such a file system keeps, the name it was first written under.
  const listingAsStored = (stored: Readonly<Record<string, string>>) => (folder: string) =>
    fs.readdirSync(folder).map((entry) => stored[entry] ?? entry)

  it.effect("is refused as a case collision: writing it would add a second name to git's index", () =>
    Effect.gen(function* () {
      const root = yield* tempFolder()
      yield* writeTree(root, { "src/Foo.ts": "export const a = 1\n" })
      const realRoot = fs.realpathSync(root)
      for (const [asked, stored, twin] of [
        ["src/Foo.ts", { "Foo.ts": "foo.ts" }, "src/foo.ts"],
        ["src/Foo.ts", { src: "SRC" }, "SRC"]
      ] as const) {
        const located = yield* Effect.promise(() => locate(root, asked, listingAsStored(stored)))
        const error = yield* Effect.promise(() => verdict(realRoot, asked, located))
        expect(error).toBeInstanceOf(UnsafePathError)
        expect(String(error instanceof UnsafePathError ? error.message : error)).toContain(
          `case-collision (differs only in case from ${twin})`
        )
      }
      // Stored under the asked name: a modification, not a collision.
      const same = yield* Effect.promise(() => locate(root, "src/Foo.ts", listingAsStored({})))
      expect(yield* Effect.promise(() => verdict(realRoot, "src/Foo.ts", same))).toBe(
        path.join(realRoot, "src", "Foo.ts")
      )
    })
  )
})
