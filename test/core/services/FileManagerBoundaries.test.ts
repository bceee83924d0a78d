/**
 * FileManager through its public service: every refusal at write, remove and read time, the
 * staging rules (a file written back to what it held is no change), symlinks under both settings,
 * the recheck at apply time, and what the journal holds after each way an apply can end.
 */
import { describe, expect, it } from "@effect/vitest"
import { Effect, Exit } from "effect"
import { defaultFilesConfig, FilesConfig } from "../../../core/domain/Config.ts"
import { BranchNote, CommitNote, hashContent } from "../../../core/domain/RunRecord.ts"
import { UnsafePathError } from "../../../core/errors.ts"
import { FileManager, type RealPath } from "../../../core/services/FileManager.ts"
import { type MemoryBackend, makeMemoryWorkspace } from "../../../plugins/files/memory/MemoryWorkspace.ts"
import { withSpanNames } from "../support/SpanNames.ts"

const initial = { "src/a.ts": "a\n", "src/b.ts": "b\n", "src/target.ts": "target\n", ".env": "SECRET=1\n" }

const config = (overrides: Partial<ConstructorParameters<typeof FilesConfig>[0]> = {}) =>
  new FilesConfig({ ...defaultFilesConfig, ...overrides })

// Links the memory tree cannot hold: link path → the workspace path it resolves to.
const links: Readonly<Record<string, string>> = {
  "src/link.ts": "src/target.ts",
  "src/secret.ts": ".env",
  "lib/dir/x.ts": "src/x.ts"
}
const linkOf = (path: string) => (path === "lib/dir/x.ts" ? "lib/dir" : Object.hasOwn(links, path) ? path : undefined)

const withLinks = (backend: MemoryBackend): MemoryBackend => ({
  ...backend,
  checkReal: (path) => {
    const target = links[path]
    const real: RealPath = { path: target ?? path, link: target === undefined ? undefined : linkOf(path) }
    return target === undefined ? backend.checkReal(path) : Effect.succeed(real)
  }
})

const setup = (files: FilesConfig = config(), seed: Readonly<Record<string, string>> = initial) =>
  Effect.gen(function* () {
    const backend = withLinks(yield* makeMemoryWorkspace(seed))
    const manager = yield* FileManager.make(backend, files)
    return { backend, manager }
  })

describe("FileManager refusals", () => {
  it.effect("refuses content over the size limit at write time, staging nothing", () =>
    Effect.gen(function* () {
      const { manager } = yield* setup(config({ maxFileBytes: 3 }))
      expect(yield* manager.write("src/new.ts", "abc")).toBe("src/new.ts")
      const error = yield* Effect.flip(manager.write("src/big.ts", "abcd"))
      expect(error).toMatchObject({ _tag: "UnsafePathError", path: "src/big.ts", rule: "too-large" })
      expect((yield* manager.changes).map((change) => change.path)).toEqual(["src/new.ts"])
    })
  )

  it.effect("refuses binary content at write time", () =>
    Effect.gen(function* () {
      const { manager } = yield* setup()
      const error = yield* Effect.flip(manager.write("src/a.ts", "a\u0000b"))
      expect(error).toMatchObject({ _tag: "UnsafePathError", rule: "binary-content" })
      expect(yield* manager.changes).toEqual([])
      expect(yield* manager.read("src/a.ts")).toBe("a\n")
    })
  )

  it.effect("refuses to write, remove or read an unsafe path", () =>
    Effect.gen(function* () {
      const { manager } = yield* setup()
      expect(yield* Effect.flip(manager.write("../x.ts", "x"))).toMatchObject({ rule: "outside-workspace" })
      expect(yield* Effect.flip(manager.remove("../x.ts"))).toMatchObject({ rule: "outside-workspace" })
      expect(yield* Effect.flip(manager.remove(".env"))).toMatchObject({ rule: "denied" })
      expect(yield* Effect.flip(manager.read("/etc/passwd"))).toMatchObject({ rule: "absolute" })
      expect(yield* manager.changes).toEqual([])
    })
  )
})

describe("FileManager staging", () => {
  it.effect("drops a change when the file is written back to what it held", () =>
    Effect.gen(function* () {
      const { manager } = yield* setup()
      yield* manager.write("src/a.ts", "changed\n")
      expect(yield* manager.changes).toEqual([{ path: "src/a.ts", before: "a\n", after: "changed\n" }])
      yield* manager.write("src/a.ts", "a\n")
      expect(yield* manager.changes).toEqual([])
      // A new file removed again was never there.
      yield* manager.write("src/new.ts", "new\n")
      yield* manager.remove("src/new.ts")
      expect(yield* manager.changes).toEqual([])
    })
  )

  it.effect("keeps what the file held when first seen, through several writes", () =>
    Effect.gen(function* () {
      const { backend, manager } = yield* setup()
      yield* manager.write("src/a.ts", "one\n")
      yield* backend.set("src/a.ts", "someone else\n")
      yield* manager.write("src/a.ts", "two\n")
      expect(yield* manager.changes).toEqual([{ path: "src/a.ts", before: "a\n", after: "two\n" }])
      expect(yield* manager.read("src/a.ts")).toBe("two\n")
    })
  )

  it.effect("stages under the normalised path and lists changes sorted by path", () =>
    Effect.gen(function* () {
      const { manager } = yield* setup()
      expect(yield* manager.write("./src//c.ts", "c\n")).toBe("src/c.ts")
      yield* manager.remove("src/b.ts")
      yield* manager.write("src/a.ts", "A\n")
      expect((yield* manager.changes).map((change) => change.path)).toEqual(["src/a.ts", "src/b.ts", "src/c.ts"])
      expect(yield* manager.read("src/./c.ts")).toBe("c\n")
      expect(yield* manager.read("src/b.ts")).toBeUndefined()
    })
  )
})

describe("FileManager symlinks", () => {
  it.effect("refuses a path through a link unless links may be followed, naming the link", () =>
    Effect.gen(function* () {
      const { manager } = yield* setup()
      const error = yield* Effect.flip(manager.write("lib/dir/x.ts", "x\n"))
      expect(error).toMatchObject({
        rule: "symlink",
        path: "lib/dir/x.ts",
        detail: "lib/dir is a symlink; files.followSymlinks allows writing through links inside the workspace"
      })
    })
  )

  it.effect("follows a link inside the workspace to its target, and stages the target", () =>
    Effect.gen(function* () {
      const { manager } = yield* setup(config({ followSymlinks: true }))
      expect(yield* manager.write("src/link.ts", "through\n")).toBe("src/target.ts")
      expect(yield* manager.changes).toEqual([{ path: "src/target.ts", before: "target\n", after: "through\n" }])
      expect(yield* manager.read("src/link.ts")).toBe("through\n")
    })
  )

  it.effect("holds a link's target to every rule the path passed", () =>
    Effect.gen(function* () {
      const { manager } = yield* setup(config({ followSymlinks: true }))
      const error = yield* Effect.flip(manager.write("src/secret.ts", "x"))
      expect(error).toMatchObject({
        path: "src/secret.ts",
        rule: "denied",
        detail: "through symlink src/secret.ts to .env: matches .env*"
      })
    })
  )

  it.effect("refuses a second name of a file already written in the run, until the staging is discarded", () =>
    Effect.gen(function* () {
      const { manager } = yield* setup(config({ followSymlinks: true }))
      yield* manager.write("src/target.ts", "direct\n")
      // The same name again is fine.
      yield* manager.write("src/target.ts", "direct again\n")
      const error = yield* Effect.flip(manager.write("src/link.ts", "via link\n"))
      expect(error).toMatchObject({ rule: "symlink", detail: "the same file as src/target.ts" })
      yield* manager.discard
      expect(yield* manager.changes).toEqual([])
      expect(yield* manager.write("src/link.ts", "via link\n")).toBe("src/target.ts")
    })
  )

  it.effect("refuses to remove through a link, which would leave it dangling", () =>
    Effect.gen(function* () {
      const { manager } = yield* setup(config({ followSymlinks: true }))
      const error = yield* Effect.flip(manager.remove("src/link.ts"))
      expect(error).toMatchObject({ rule: "symlink", detail: "src/link.ts is a symlink" })
      expect(yield* manager.changes).toEqual([])
    })
  )
})

describe("FileManager apply", () => {
  it.effect("refuses the whole apply when a staged file changed since, naming both hashes", () =>
    Effect.gen(function* () {
      const { backend, manager } = yield* setup()
      yield* manager.write("src/a.ts", "mine\n")
      yield* manager.write("src/b.ts", "mine too\n")
      yield* backend.set("src/a.ts", "theirs\n")
      const error = yield* Effect.flip(Effect.scoped(manager.apply))
      expect(error).toMatchObject({
        _tag: "FileConflictError",
        path: "src/a.ts",
        detail: `expected ${hashContent("a\n").slice(0, 12)}, found ${hashContent("theirs\n").slice(0, 12)}`
      })
      expect((yield* backend.snapshot)["src/b.ts"]).toBe("b\n")
      expect(yield* backend.journal.openIds).toEqual([])
    })
  )

  it.effect("applies nothing and opens no journal when nothing is staged", () =>
    Effect.gen(function* () {
      const { backend, manager } = yield* setup()
      const run = yield* Effect.scoped(manager.applyRun({ runId: "run-empty", summary: "nothing" }))
      expect(run).toEqual({ runId: "run-empty", changes: [] })
      expect(yield* backend.journal.runs).toEqual([])
    })
  )

  it.effect("on success writes the record with the run's notes, closes the journal and clears the staging", () =>
    Effect.gen(function* () {
      const { backend, manager } = yield* setup()
      yield* manager.write("src/a.ts", "after\n")
      yield* manager.write("src/new/c.ts", "c\n")
      const run = yield* Effect.scoped(
        Effect.gen(function* () {
          const applied = yield* manager.applyRun({ runId: "run-1", summary: "two files" })
          expect(yield* backend.journal.openIds).toEqual(["run-1"])
          yield* manager.note(
            "run-1",
            new BranchNote({ branch: "tamma/x", previousBranch: "main", previousHead: "h0" })
          )
          yield* manager.note("run-1", new CommitNote({ sha: "c1" }))
          // A note for a run that is not open is dropped.
          yield* manager.note("run-other", new CommitNote({ sha: "c2" }))
          return applied
        })
      )
      expect(run.runId).toBe("run-1")
      expect(yield* backend.journal.openIds).toEqual([])
      const [record] = yield* backend.journal.runs
      expect(record).toMatchObject({ runId: "run-1", summary: "two files", branch: "tamma/x", commit: "c1" })
      expect(record?.files.map((file) => file.path)).toEqual(["src/a.ts", "src/new/c.ts"])
      expect(yield* manager.changes).toEqual([])
      expect((yield* backend.snapshot)["src/new/c.ts"]).toBe("c\n")
      // The staging is fresh: the file written through one name may be written again.
      expect(yield* manager.write("src/a.ts", "again\n")).toBe("src/a.ts")
    })
  )

  it.effect("without a summary or run id, names the run itself and records an empty summary", () =>
    Effect.gen(function* () {
      const { backend, manager } = yield* setup()
      yield* manager.write("src/a.ts", "after\n")
      const changes = yield* Effect.scoped(manager.apply)
      expect(changes).toEqual([{ path: "src/a.ts", before: "a\n", after: "after\n" }])
      const [record] = yield* backend.journal.runs
      expect(record?.summary).toBe("")
      expect(record?.runId.length).toBeGreaterThan(0)
    })
  )

  it.effect("when the scope fails after the apply, puts the files back and leaves neither journal nor record", () =>
    Effect.gen(function* () {
      const { backend, manager } = yield* setup()
      yield* manager.write("src/a.ts", "after\n")
      yield* manager.remove("src/b.ts")
      const exit = yield* Effect.exit(
        Effect.scoped(Effect.andThen(manager.applyRun({ runId: "run-2" }), Effect.fail("commit failed")))
      )
      expect(Exit.isFailure(exit)).toBe(true)
      expect(yield* backend.snapshot).toEqual(initial)
      expect(yield* backend.journal.openIds).toEqual([])
      expect(yield* backend.journal.runs).toEqual([])
    })
  )

  it.effect("when a write fails midway, leaves the workspace as it was and closes the journal without a record", () =>
    Effect.gen(function* () {
      const { backend, manager } = yield* setup()
      yield* manager.write("src/a.ts", "after\n")
      yield* manager.write("src/b.ts", "after\n")
      yield* backend.failOnWrite(2)
      const error = yield* Effect.flip(Effect.scoped(manager.applyRun({ runId: "run-3" })))
      expect(error).toMatchObject({ _tag: "FileSystemError", operation: "write" })
      expect(yield* backend.snapshot).toEqual(initial)
      expect(yield* backend.journal.openIds).toEqual([])
      expect(yield* backend.journal.runs).toEqual([])
      // The staged set is kept for the caller to retry or discard.
      expect((yield* manager.changes).length).toBe(2)
    })
  )

  it.effect("when the backend refuses a path at apply time, writes nothing and closes the journal", () =>
    Effect.gen(function* () {
      const backend = yield* makeMemoryWorkspace(initial)
      const reverted: Array<number> = []
      // The path was a plain file when staged; by apply time it has become a symlink.
      const turning: MemoryBackend = {
        ...backend,
        applyAll: (changes) =>
          Effect.fail(new UnsafePathError({ path: changes[0]?.path ?? "", rule: "symlink", detail: "appeared" })),
        revertAll: (changes, options) => {
          reverted.push(changes.length)
          return backend.revertAll(changes, options)
        }
      }
      const manager = yield* FileManager.make(turning)
      yield* manager.write("src/a.ts", "after\n")
      const error = yield* Effect.flip(Effect.scoped(manager.applyRun({ runId: "run-4" })))
      expect(error).toMatchObject({ _tag: "UnsafePathError", path: "src/a.ts", rule: "symlink" })
      // Refused before the first write: there is nothing to put back.
      expect(reverted).toEqual([])
      expect(yield* backend.snapshot).toEqual(initial)
      expect(yield* backend.journal.openIds).toEqual([])
    })
  )

  it.effect("transaction: success applies, failure discards the staging and writes nothing", () =>
    Effect.gen(function* () {
      const { backend, manager } = yield* setup()
      const failed = yield* Effect.exit(
        manager.transaction(Effect.andThen(manager.write("src/a.ts", "x\n"), Effect.fail("no")))
      )
      expect(Exit.isFailure(failed)).toBe(true)
      expect(yield* manager.changes).toEqual([])
      expect(yield* backend.snapshot).toEqual(initial)
      const value = yield* manager.transaction(Effect.as(manager.write("src/a.ts", "y\n"), 42))
      expect(value).toBe(42)
      expect((yield* backend.snapshot)["src/a.ts"]).toBe("y\n")
    })
  )
})

describe("FileManager run notes", () => {
  it.effect("journals exactly the notes a run was given, and none for a run that has closed", () =>
    Effect.gen(function* () {
      const inner = withLinks(yield* makeMemoryWorkspace(initial))
      const noted: Array<string> = []
      const backend: MemoryBackend = {
        ...inner,
        journal: {
          ...inner.journal,
          note: (runId, notes) => {
            noted.push(runId)
            return inner.journal.note(runId, notes)
          }
        }
      }
      const manager = yield* FileManager.make(backend, config())
      yield* manager.write("src/a.ts", "after\n")
      const branch = new BranchNote({ branch: "tamma/x", previousBranch: "main", previousHead: "h0" })
      yield* Effect.scoped(
        Effect.gen(function* () {
          yield* manager.applyRun({ runId: "run-1", summary: "notes" })
          yield* manager.note("run-1", branch)
          const [open] = yield* backend.journal.pending
          expect(open?.notes).toEqual([branch])
        })
      )
      expect(noted).toEqual(["run-1"])
      // The run is closed: its notes can reach neither the journal nor the record.
      yield* manager.note("run-1", new CommitNote({ sha: "late" }))
      expect(noted).toEqual(["run-1"])
      const [record] = yield* backend.journal.runs
      expect(record?.commit).toBeUndefined()
    })
  )

  it.effect("runs each operation inside a span an embedding application's tracer sees by name", () =>
    Effect.gen(function* () {
      const { manager } = yield* setup()
      const { names } = yield* withSpanNames(
        Effect.gen(function* () {
          yield* manager.read("src/b.ts")
          yield* manager.write("src/a.ts", "after\n")
          yield* manager.remove("src/b.ts")
          yield* Effect.scoped(
            Effect.gen(function* () {
              yield* manager.applyRun({ runId: "run-span" })
              yield* manager.note("run-span", new CommitNote({ sha: "c1" }))
            })
          )
        })
      )
      for (const name of ["read", "write", "remove", "applyRun", "note"]) expect(names).toContain(`FileManager.${name}`)
    })
  )
})
