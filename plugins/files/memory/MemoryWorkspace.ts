/**
 * MemoryWorkspace: the FileManager's backend over an in-memory tree, for unit tests and dry
 * runs. It behaves like the disk where the FileManager can tell (folders are not files, a file
 * is not a folder, apply is all or nothing) and lets a test make the Nth write fail.
 */
import { Context, Effect, Layer } from "effect"
import type { FilesConfig } from "../../../core/domain/Config.ts"
import { FileSystemError, UnsafePathError } from "../../../core/errors.ts"
import {
  FileManager,
  type RealPath,
  type StagedChange,
  type WorkspaceBackend
} from "../../../core/services/FileManager.ts"
import { RunHistory } from "../../../core/services/RunHistory.ts"
import { type MemoryJournalStore, makeMemoryJournal } from "./MemoryJournal.ts"

/** The backend plus what a test needs to look inside and to provoke failures. */
export interface MemoryBackend extends WorkspaceBackend {
  readonly journal: MemoryJournalStore
  /** The whole tree, path → content, sorted by path. */
  readonly snapshot: Effect.Effect<Readonly<Record<string, string>>>
  /** Changes the tree behind the FileManager's back (another process editing a file); `undefined` deletes. */
  readonly set: (path: string, content: string | undefined) => Effect.Effect<void>
  /** Makes the `n`th write or delete from now (1-based) fail, once. */
  readonly failOnWrite: (n: number) => Effect.Effect<void>
}

const isFolder = (files: ReadonlyMap<string, string>, path: string) => {
  const prefix = `${path}/`
  for (const key of files.keys()) if (key.startsWith(prefix)) return true
  return false
}

const parentsOf = (path: string) => {
  const segments = path.split("/")
  return segments.slice(1).map((_, i) => segments.slice(0, i + 1).join("/"))
}

/** A memory backend seeded with `initial` (workspace-relative path → content). */
export const makeMemoryWorkspace = (initial: Readonly<Record<string, string>> = {}, root = "/memory") =>
  Effect.sync((): MemoryBackend => {
    const files = new Map(Object.entries(initial))
    // Writes left before the injected failure; undefined when none is armed.
    const armed: { remaining?: number } = {}

    const read = Effect.fn("MemoryWorkspace.read")(function* (path: string) {
      if (isFolder(files, path)) {
        return yield* new FileSystemError({ path, operation: "read", cause: "not a regular file" })
      }
      return files.get(path)
    })

    const checkReal = Effect.fn("MemoryWorkspace.checkReal")(function* (path: string) {
      const fileParent = parentsOf(path).find((parent) => files.has(parent))
      if (fileParent !== undefined) {
        return yield* new FileSystemError({ path, operation: "check", cause: `${fileParent} is not a folder` })
      }
      if (isFolder(files, path)) {
        return yield* new UnsafePathError({ path, rule: "special-file", detail: "not a regular file" })
      }
      // A memory tree has no symlinks: every path is where it says.
      const real: RealPath = { path, link: undefined }
      return real
    })

    const put = (path: string, content: string | undefined) => {
      if (content === undefined) files.delete(path)
      else files.set(path, content)
    }

    /** One mutation, counted against the injected failure. */
    const mutate = (change: StagedChange, content: string | undefined) =>
      Effect.suspend(() => {
        if (armed.remaining !== undefined) {
          armed.remaining -= 1
          if (armed.remaining <= 0) {
            armed.remaining = undefined
            return Effect.fail(
              new FileSystemError({
                path: change.path,
                operation: content === undefined ? "delete" : "write",
                cause: "injected failure"
              })
            )
          }
        }
        return Effect.sync(() => put(change.path, content))
      })

    const applyAll = Effect.fn("MemoryWorkspace.applyAll")(function* (changes: ReadonlyArray<StagedChange>) {
      for (const change of changes) yield* checkReal(change.path)
      const done: Array<StagedChange> = []
      for (const change of changes) {
        const failed = yield* mutate(change, change.after).pipe(
          Effect.as(undefined),
          Effect.catch((error) => Effect.succeed(error))
        )
        if (failed !== undefined) {
          // Restores are not counted: the injected failure is about the apply, not its undo.
          for (const undo of done.reverse()) put(undo.path, undo.before)
          return yield* failed
        }
        done.push(change)
      }
    })

    const revertAll = Effect.fn("MemoryWorkspace.revertAll")(function* (changes: ReadonlyArray<StagedChange>) {
      // Like the disk backend: every change is attempted, the first failure is reported.
      const failures = yield* Effect.forEach(changes, (change) =>
        mutate(change, change.before).pipe(
          Effect.flip,
          Effect.orElseSucceed(() => undefined)
        )
      )
      const first = failures.find((failure) => failure !== undefined)
      if (first !== undefined) return yield* first
    })

    const snapshot = Effect.sync(() =>
      Object.fromEntries([...files.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
    )
    const set = (path: string, content: string | undefined) => Effect.sync(() => put(path, content))
    const failOnWrite = (n: number) =>
      Effect.sync(() => {
        armed.remaining = n
      })

    // A memory tree has no folders of its own: nothing is left to remove after a restore.
    const missingFolders = () => Effect.succeed([])

    return {
      root,
      read,
      checkReal,
      missingFolders,
      applyAll,
      revertAll,
      journal: makeMemoryJournal(),
      snapshot,
      set,
      failOnWrite
    }
  })

/** The memory backend behind a `MemoryFiles.layer`, for tests to inspect and to inject failures. */
export class MemoryWorkspace extends Context.Service<MemoryWorkspace, MemoryBackend>()(
  "@tamma/codegen/plugins/files/memory/MemoryWorkspace"
) {}

/** FileManager (and RunHistory) layers over memory. */
export const MemoryFiles = {
  /** A FileManager over a memory tree seeded with `initial`, with the backend as `MemoryWorkspace`. */
  layer: (
    initial: Readonly<Record<string, string>> = {},
    files?: FilesConfig
  ): Layer.Layer<FileManager | RunHistory | MemoryWorkspace> =>
    Layer.effectContext(
      Effect.gen(function* () {
        const backend = yield* makeMemoryWorkspace(initial)
        const manager = yield* FileManager.make(backend, files)
        return Context.make(MemoryWorkspace, backend).pipe(
          Context.add(FileManager, manager),
          Context.add(RunHistory, RunHistory.make(backend))
        )
      })
    )
} as const
