import * as fs from "node:fs/promises"
import * as nodePath from "node:path"
import { describe, expect, it } from "@effect/vitest"
import { Cause, Effect, Exit, Schema } from "effect"
import { FilesConfig } from "../../../core/domain/Config.ts"
import { FileManager } from "../../../core/services/FileManager.ts"
import { makeNodeBackend, NodeFiles } from "../../../plugins/files/node/NodeFiles.ts"
import { readFolders, readTree, tempFolder, writeTree } from "./TempFolder.ts"

class StepFailed extends Schema.TaggedError<StepFailed>()("StepFailed", {}) {}

const initial = { "README.md": "# project\n", "src/a.ts": "export const a = 1\n", "src/old.ts": "old\n" }

/** A temp workspace holding `files`, and a FileManager over it built from the public layer. */
const workspace = Effect.fnUntraced(function* (files: Readonly<Record<string, string>> = initial) {
  const root = yield* tempFolder()
  yield* writeTree(root, files)
  const manager = yield* Effect.gen(function* () {
    return yield* FileManager
  }).pipe(Effect.provide(NodeFiles.layer(root)))
  return { root, files: manager }
})

const tempLeftovers = (root: string) =>
  Effect.promise(async () =>
    (await fs.readdir(root, { recursive: true })).filter((name) => String(name).includes(".tamma-"))
  )

describe("NodeFiles", () => {
  it.effect("stages writes and deletions without touching the disk", () =>
    Effect.gen(function* () {
      const { root, files } = yield* workspace()
      yield* files.write("src/a.ts", "export const a = 2\n")
      yield* files.write("src/new/b.ts", "export const b = 1\n")
      yield* files.remove("src/old.ts")
      expect(yield* files.read("src/a.ts")).toBe("export const a = 2\n")
      expect(yield* files.read("src/old.ts")).toBeUndefined()
      expect((yield* files.changes).map((change) => change.path)).toEqual(["src/a.ts", "src/new/b.ts", "src/old.ts"])
      expect(yield* readTree(root)).toEqual(initial)
      expect(yield* readFolders(root)).toEqual(["src"])
    })
  )

  it.effect("applies a transaction on success, atomically and without leftovers", () =>
    Effect.gen(function* () {
      const { root, files } = yield* workspace()
      const result = yield* files.transaction(
        Effect.gen(function* () {
          yield* files.write("src/a.ts", "export const a = 2\n")
          yield* files.write("src/new/deep/b.ts", "export const b = 1\n")
          yield* files.remove("src/old.ts")
          return "done"
        })
      )
      expect(result).toBe("done")
      expect(yield* readTree(root)).toEqual({
        "README.md": "# project\n",
        "src/a.ts": "export const a = 2\n",
        "src/new/deep/b.ts": "export const b = 1\n"
      })
      expect(yield* tempLeftovers(root)).toEqual([])
      expect(yield* files.changes).toEqual([])
    })
  )

  it.effect("keeps the mode of a file it replaces", () =>
    Effect.gen(function* () {
      const { root, files } = yield* workspace({ "run.sh": "#!/bin/sh\n" })
      yield* Effect.promise(() => fs.chmod(nodePath.join(root, "run.sh"), 0o755))
      yield* files.transaction(files.write("run.sh", "#!/bin/sh\necho hi\n"))
      const stats = yield* Effect.promise(() => fs.stat(nodePath.join(root, "run.sh")))
      expect(stats.mode & 0o777).toBe(0o755)
    })
  )

  it.effect("discards the staged set on a typed failure", () =>
    Effect.gen(function* () {
      const { root, files } = yield* workspace()
      const error = yield* files
        .transaction(
          Effect.gen(function* () {
            yield* files.write("src/a.ts", "changed\n")
            yield* files.write("src/c.ts", "new\n")
            return yield* new StepFailed()
          })
        )
        .pipe(Effect.flip)
      expect(error._tag).toBe("StepFailed")
      expect(yield* readTree(root)).toEqual(initial)
      expect(yield* files.changes).toEqual([])
    })
  )

  it.effect("discards the staged set on a defect", () =>
    Effect.gen(function* () {
      const { root, files } = yield* workspace()
      const exit = yield* files
        .transaction(files.write("src/a.ts", "changed\n").pipe(Effect.andThen(Effect.die("boom"))))
        .pipe(Effect.exit)
      expect(Exit.isFailure(exit) && Cause.hasDies(exit.cause)).toBe(true)
      expect(yield* readTree(root)).toEqual(initial)
      expect(yield* files.changes).toEqual([])
    })
  )

  it.effect("reverts applied files when a later step of the transaction fails", () =>
    Effect.gen(function* () {
      const { root, files } = yield* workspace()
      const error = yield* files
        .transaction(
          Effect.gen(function* () {
            yield* files.write("src/a.ts", "changed\n")
            yield* files.write("fresh/nested/c.ts", "new\n")
            yield* files.remove("src/old.ts")
            yield* files.apply
            // Applied for real at this point: the commit step that follows is what fails.
            expect((yield* readTree(root))["fresh/nested/c.ts"]).toBe("new\n")
            return yield* new StepFailed()
          })
        )
        .pipe(Effect.flip)
      expect(error._tag).toBe("StepFailed")
      expect(yield* readTree(root)).toEqual(initial)
      expect(yield* readFolders(root)).toEqual(["src"])
    })
  )

  it.effect("restores what it wrote when a write fails midway through the apply", () =>
    Effect.gen(function* () {
      const { root, files } = yield* workspace()
      // `clash` as a file and as a folder: one of the two writes must fail, after others succeeded.
      const error = yield* files
        .transaction(
          Effect.gen(function* () {
            yield* files.write("src/a.ts", "changed\n")
            yield* files.write("made/up/d.ts", "new\n")
            yield* files.remove("src/old.ts")
            yield* files.write("clash", "file\n")
            yield* files.write("clash/inner.ts", "inner\n")
          })
        )
        .pipe(Effect.flip)
      expect(error._tag).toBe("FileSystemError")
      expect(yield* readTree(root)).toEqual(initial)
      expect(yield* readFolders(root)).toEqual(["src"])
      expect(yield* tempLeftovers(root)).toEqual([])
    })
  )

  it.effect("refuses to apply when a file changed on disk after it was staged", () =>
    Effect.gen(function* () {
      const { root, files } = yield* workspace()
      const error = yield* files
        .transaction(
          Effect.gen(function* () {
            yield* files.write("src/new.ts", "new\n")
            yield* files.write("src/a.ts", "mine\n")
            // Another process (an editor, the user) saves the file while the run is working.
            yield* writeTree(root, { "src/a.ts": "theirs\n" })
          })
        )
        .pipe(Effect.flip)
      expect(error._tag).toBe("FileConflictError")
      expect(error._tag === "FileConflictError" && error.path).toBe("src/a.ts")
      expect(yield* readTree(root)).toEqual({ ...initial, "src/a.ts": "theirs\n" })
    })
  )

  it.effect("refuses a path that reaches outside the workspace through a symlinked folder", () =>
    Effect.gen(function* () {
      const { root, files } = yield* workspace()
      const outside = yield* tempFolder("tamma-outside-")
      yield* writeTree(outside, { "secret.txt": "secret\n" })
      yield* Effect.promise(() => fs.symlink(outside, nodePath.join(root, "linked")))
      const refusedWrite = yield* files.write("linked/x.ts", "pwned\n").pipe(Effect.flip)
      const refusedRead = yield* files.read("linked/secret.txt").pipe(Effect.flip)
      expect(refusedWrite._tag === "UnsafePathError" && refusedWrite.rule).toBe("symlink-escape")
      expect(refusedRead._tag === "UnsafePathError" && refusedRead.rule).toBe("symlink-escape")
      expect(yield* readTree(outside)).toEqual({ "secret.txt": "secret\n" })
    })
  )

  it.effect("refuses at apply time a symlink that appeared after staging", () =>
    Effect.gen(function* () {
      const { root, files } = yield* workspace()
      const outside = yield* tempFolder("tamma-outside-")
      const error = yield* files
        .transaction(
          Effect.gen(function* () {
            yield* files.write("src/a.ts", "changed\n")
            yield* files.write("late/x.ts", "pwned\n")
            yield* Effect.promise(() => fs.symlink(outside, nodePath.join(root, "late")))
          })
        )
        .pipe(Effect.flip)
      expect(error._tag === "UnsafePathError" && error.rule).toBe("symlink-escape")
      expect(yield* readTree(outside)).toEqual({})
      expect((yield* readTree(root))["src/a.ts"]).toBe(initial["src/a.ts"])
    })
  )

  it.effect("refuses a symlink into .git and entries that are not regular files", () =>
    Effect.gen(function* () {
      const { root, files } = yield* workspace()
      yield* Effect.promise(() => fs.mkdir(nodePath.join(root, ".git")))
      yield* Effect.promise(() => fs.symlink(nodePath.join(root, ".git"), nodePath.join(root, "sneaky")))
      const reserved = yield* files.write("sneaky/config", "x\n").pipe(Effect.flip)
      const folder = yield* files.write("src", "x\n").pipe(Effect.flip)
      expect(reserved._tag === "UnsafePathError" && reserved.rule).toBe("reserved")
      expect(folder._tag === "UnsafePathError" && folder.rule).toBe("special-file")
    })
  )

  it.effect("refuses a symlink that stays inside the workspace unless the config follows links", () =>
    Effect.gen(function* () {
      const { root, files } = yield* workspace()
      yield* Effect.promise(() => fs.symlink("a.ts", nodePath.join(root, "src/alias.ts")))
      const refused = yield* files.write("src/alias.ts", "via alias\n").pipe(Effect.flip)
      expect(refused._tag === "UnsafePathError" && refused.rule).toBe("symlink")
      expect(yield* files.changes).toEqual([])
    })
  )

  it.effect("follows a symlink that stays inside the workspace when the config allows it", () =>
    Effect.gen(function* () {
      const root = yield* tempFolder()
      yield* writeTree(root, initial)
      const files = yield* Effect.gen(function* () {
        return yield* FileManager
      }).pipe(Effect.provide(NodeFiles.layer(root, Schema.decodeUnknownSync(FilesConfig)({ followSymlinks: true }))))
      yield* Effect.promise(() => fs.symlink("a.ts", nodePath.join(root, "src/alias.ts")))
      expect(yield* files.read("src/alias.ts")).toBe(initial["src/a.ts"])
      // Staged under the link's target, so the diff, the journal and the commit name the real file.
      const staged = yield* files.transaction(files.write("src/alias.ts", "via alias\n"))
      expect(staged).toBe("src/a.ts")
      expect((yield* Effect.promise(() => fs.lstat(nodePath.join(root, "src/alias.ts")))).isSymbolicLink()).toBe(true)
      expect((yield* readTree(root))["src/a.ts"]).toBe("via alias\n")
    })
  )

  it.effect("refuses a second name of one file in a run, and removing through a link, when following links", () =>
    Effect.gen(function* () {
      const root = yield* tempFolder()
      yield* writeTree(root, initial)
      const files = yield* Effect.gen(function* () {
        return yield* FileManager
      }).pipe(Effect.provide(NodeFiles.layer(root, Schema.decodeUnknownSync(FilesConfig)({ followSymlinks: true }))))
      yield* Effect.promise(() => fs.symlink("a.ts", nodePath.join(root, "src/alias.ts")))
      const error = yield* files
        .transaction(
          Effect.gen(function* () {
            yield* files.write("src/alias.ts", "via alias\n")
            yield* files.write("src/a.ts", "direct\n")
          })
        )
        .pipe(Effect.flip)
      expect(error._tag === "UnsafePathError" && error.rule).toBe("symlink")
      expect(error.message).toContain("the same file as src/alias.ts")
      const removal = yield* files.transaction(files.remove("src/alias.ts")).pipe(Effect.flip)
      expect(removal._tag === "UnsafePathError" && removal.rule).toBe("symlink")
      expect(yield* readTree(root)).toEqual(initial)
      expect((yield* Effect.promise(() => fs.lstat(nodePath.join(root, "src/alias.ts")))).isSymbolicLink()).toBe(true)
    })
  )

  it.effect("a symlinked folder inside the workspace is refused, or followed to the real folder when allowed", () =>
    Effect.gen(function* () {
      const { root, files } = yield* workspace()
      yield* Effect.promise(() => fs.symlink("src", nodePath.join(root, "alias")))
      const refused = yield* files.write("alias/new.ts", "x\n").pipe(Effect.flip)
      expect(refused._tag === "UnsafePathError" && refused.rule).toBe("symlink")
      expect(refused.message).toContain("alias is a symlink")
      const following = yield* Effect.gen(function* () {
        return yield* FileManager
      }).pipe(Effect.provide(NodeFiles.layer(root, Schema.decodeUnknownSync(FilesConfig)({ followSymlinks: true }))))
      expect(yield* following.transaction(following.write("alias/new.ts", "x\n"))).toBe("src/new.ts")
      expect((yield* readTree(root))["src/new.ts"]).toBe("x\n")
    })
  )

  it.effect("refuses at apply time a file that became a symlink inside the workspace after staging", () =>
    Effect.gen(function* () {
      const { root, files } = yield* workspace()
      const error = yield* files
        .transaction(
          Effect.gen(function* () {
            yield* files.write("src/new.ts", "new\n")
            yield* files.write("src/a.ts", "changed\n")
            yield* Effect.promise(async () => {
              await fs.rm(nodePath.join(root, "src/a.ts"))
              await fs.writeFile(nodePath.join(root, "src/real.ts"), initial["src/a.ts"])
              await fs.symlink("real.ts", nodePath.join(root, "src/a.ts"))
            })
          })
        )
        .pipe(Effect.flip)
      expect(error._tag === "UnsafePathError" && error.rule).toBe("symlink")
      expect((yield* readTree(root))["src/real.ts"]).toBe(initial["src/a.ts"])
      expect((yield* readTree(root))["src/new.ts"]).toBeUndefined()
    })
  )

  it.effect("deletes a file and reverts the deletion with the backend's revertAll", () =>
    Effect.gen(function* () {
      const root = yield* tempFolder()
      yield* writeTree(root, initial)
      const backend = yield* makeNodeBackend(root)
      const changes = [
        { path: "src/old.ts", before: "old\n", after: undefined },
        { path: "gen/out.ts", before: undefined, after: "out\n" }
      ]
      yield* backend.applyAll(changes)
      expect(yield* readTree(root)).toEqual({
        "README.md": "# project\n",
        "gen/out.ts": "out\n",
        "src/a.ts": "export const a = 1\n"
      })
      yield* backend.revertAll(changes, { origin: "own-run" })
      expect(yield* readTree(root)).toEqual(initial)
      expect(yield* readFolders(root)).toEqual(["src"])
    })
  )

  it.effect("undoes its own failed run even when a later step changed a file the run wrote", () =>
    Effect.gen(function* () {
      const { root, files } = yield* workspace()
      const error = yield* files
        .transaction(
          Effect.gen(function* () {
            yield* files.write("src/a.ts", "export const a = 2  \n")
            yield* files.apply
            // What a pre-commit hook that fixes whitespace, then exits non-zero, leaves behind.
            yield* Effect.promise(() => fs.writeFile(nodePath.join(root, "src/a.ts"), "export const a = 2\n"))
            return yield* new StepFailed()
          })
        )
        .pipe(Effect.flip)
      expect(error._tag).toBe("StepFailed")
      expect(yield* readTree(root)).toEqual(initial)
      // The undo succeeded, so no journal is left for `recover` to refuse.
      const journals = yield* Effect.promise(() => fs.readdir(nodePath.join(root, ".tamma", "journal")).catch(() => []))
      expect(journals).toEqual([])
    })
  )

  it.effect("restores a file that holds neither state only for its own run, never for a journal found on disk", () =>
    Effect.gen(function* () {
      const root = yield* tempFolder()
      yield* writeTree(root, initial)
      const backend = yield* makeNodeBackend(root)
      const changes = [{ path: "src/a.ts", before: "export const a = 1\n", after: "export const a = 2\n" }]
      yield* writeTree(root, { "src/a.ts": "edited since\n" })
      const refused = yield* backend.revertAll(changes, { origin: "found-journal" }).pipe(Effect.flip)
      expect(refused.cause).toContain("neither")
      expect((yield* readTree(root))["src/a.ts"]).toBe("edited since\n")
      yield* backend.revertAll(changes, { origin: "own-run" })
      expect(yield* readTree(root)).toEqual(initial)
    })
  )

  it.effect("reads only UTF-8 text from regular files", () =>
    Effect.gen(function* () {
      const root = yield* tempFolder()
      yield* Effect.promise(() => fs.writeFile(nodePath.join(root, "image.bin"), Buffer.from([0xff, 0xfe, 0x00, 0x81])))
      yield* Effect.promise(() => fs.writeFile(nodePath.join(root, "bom.txt"), "\uFEFFtext"))
      const backend = yield* makeNodeBackend(root)
      expect((yield* backend.read("image.bin").pipe(Effect.flip))._tag).toBe("FileSystemError")
      expect(yield* backend.read("bom.txt")).toBe("\uFEFFtext")
      expect(yield* backend.read("missing/file.ts")).toBeUndefined()
    })
  )

  it.effect("fails to open a workspace that does not exist", () =>
    Effect.gen(function* () {
      const root = yield* tempFolder()
      const error = yield* makeNodeBackend(nodePath.join(root, "nope")).pipe(Effect.flip)
      expect(error._tag).toBe("FileSystemError")
    })
  )
})
