import { describe, expect, it } from "@effect/vitest"
import { Cause, Effect, Exit, Schema } from "effect"
import { FileManager } from "../../../core/services/FileManager.ts"
import { MemoryFiles, MemoryWorkspace } from "../../../plugins/files/memory/MemoryWorkspace.ts"

class StepFailed extends Schema.TaggedError<StepFailed>()("StepFailed", {}) {}

const initial = { "README.md": "# project\n", "src/a.ts": "export const a = 1\n", "src/old.ts": "old\n" }

const testLayer = MemoryFiles.layer(initial)

describe("MemoryWorkspace", () => {
  it.effect("stages writes and deletions without touching the tree", () =>
    Effect.gen(function* () {
      const files = yield* FileManager
      const memory = yield* MemoryWorkspace
      yield* files.write("src/a.ts", "export const a = 2\n")
      yield* files.remove("src/old.ts")
      expect(yield* files.read("src/a.ts")).toBe("export const a = 2\n")
      expect(yield* files.read("src/old.ts")).toBeUndefined()
      expect(yield* memory.snapshot).toEqual(initial)
    }).pipe(Effect.provide(testLayer))
  )

  it.effect("applies a transaction on success, deletions included", () =>
    Effect.gen(function* () {
      const files = yield* FileManager
      const memory = yield* MemoryWorkspace
      yield* files.transaction(
        Effect.gen(function* () {
          yield* files.write("src/a.ts", "export const a = 2\n")
          yield* files.write("src/new/b.ts", "export const b = 1\n")
          yield* files.remove("src/old.ts")
        })
      )
      expect(yield* memory.snapshot).toEqual({
        "README.md": "# project\n",
        "src/a.ts": "export const a = 2\n",
        "src/new/b.ts": "export const b = 1\n"
      })
    }).pipe(Effect.provide(testLayer))
  )

  it.effect("discards the staged set on a typed failure and on a defect", () =>
    Effect.gen(function* () {
      const files = yield* FileManager
      const memory = yield* MemoryWorkspace
      const typed = yield* files
        .transaction(files.write("src/a.ts", "changed\n").pipe(Effect.andThen(Effect.fail(new StepFailed()))))
        .pipe(Effect.flip)
      expect(typed._tag).toBe("StepFailed")
      const exit = yield* files
        .transaction(files.write("src/c.ts", "new\n").pipe(Effect.andThen(Effect.die("boom"))))
        .pipe(Effect.exit)
      expect(Exit.isFailure(exit) && Cause.hasDies(exit.cause)).toBe(true)
      expect(yield* memory.snapshot).toEqual(initial)
      expect(yield* files.changes).toEqual([])
    }).pipe(Effect.provide(testLayer))
  )

  it.effect("reverts applied files when a later step of the transaction fails", () =>
    Effect.gen(function* () {
      const files = yield* FileManager
      const memory = yield* MemoryWorkspace
      const error = yield* files
        .transaction(
          Effect.gen(function* () {
            yield* files.write("src/a.ts", "changed\n")
            yield* files.remove("src/old.ts")
            yield* files.apply
            expect((yield* memory.snapshot)["src/a.ts"]).toBe("changed\n")
            return yield* new StepFailed()
          })
        )
        .pipe(Effect.flip)
      expect(error._tag).toBe("StepFailed")
      expect(yield* memory.snapshot).toEqual(initial)
    }).pipe(Effect.provide(testLayer))
  )

  it.effect("leaves the tree identical when a write fails midway through the apply", () =>
    Effect.gen(function* () {
      const files = yield* FileManager
      const memory = yield* MemoryWorkspace
      yield* memory.failOnWrite(3)
      const error = yield* files
        .transaction(
          Effect.gen(function* () {
            yield* files.write("src/a.ts", "changed\n")
            yield* files.write("src/b.ts", "new\n")
            yield* files.remove("src/old.ts")
            yield* files.write("src/z.ts", "last\n")
          })
        )
        .pipe(Effect.flip)
      expect(error._tag === "FileSystemError" && error.cause).toBe("injected failure")
      expect(yield* memory.snapshot).toEqual(initial)
      // The failure is injected once: the same transaction goes through afterwards.
      yield* files.transaction(files.write("src/b.ts", "new\n"))
      expect((yield* memory.snapshot)["src/b.ts"]).toBe("new\n")
    }).pipe(Effect.provide(testLayer))
  )

  it.effect("refuses to apply when a file changed behind the FileManager's back", () =>
    Effect.gen(function* () {
      const files = yield* FileManager
      const memory = yield* MemoryWorkspace
      const error = yield* files
        .transaction(
          Effect.gen(function* () {
            yield* files.write("src/new.ts", "new\n")
            yield* files.write("src/a.ts", "mine\n")
            yield* memory.set("src/a.ts", "theirs\n")
          })
        )
        .pipe(Effect.flip)
      expect(error._tag === "FileConflictError" && error.path).toBe("src/a.ts")
      expect(yield* memory.snapshot).toEqual({ ...initial, "src/a.ts": "theirs\n" })
    }).pipe(Effect.provide(testLayer))
  )

  it.effect("applies the path rules and treats folders like the disk does", () =>
    Effect.gen(function* () {
      const files = yield* FileManager
      const reserved = yield* files.write(".git/config", "x").pipe(Effect.flip)
      const outside = yield* files.write("../outside.ts", "x").pipe(Effect.flip)
      const folder = yield* files.write("src", "x").pipe(Effect.flip)
      const underFile = yield* files.write("README.md/x.ts", "x").pipe(Effect.flip)
      expect(reserved._tag === "UnsafePathError" && reserved.rule).toBe("reserved")
      expect(outside._tag === "UnsafePathError" && outside.rule).toBe("outside-workspace")
      expect(folder._tag === "UnsafePathError" && folder.rule).toBe("special-file")
      expect(underFile._tag).toBe("FileSystemError")
    }).pipe(Effect.provide(testLayer))
  )
})
