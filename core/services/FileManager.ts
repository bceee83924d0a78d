/**
 * FileManager: the staging area of a run. Writes are staged, reads see the staged state over the
 * workspace, and a transaction applies everything on success and nothing on failure.
 */
import { createHash } from "node:crypto"
import { Context, Effect, Exit, Layer, type Scope } from "effect"
import { defaultFilesConfig, type FilesConfig } from "../domain/Config.ts"
import { FileConflictError, type FileSystemError, UnsafePathError } from "../errors.ts"
import { checkContent, checkPath } from "./PathPolicy.ts"

/** A staged change: what the file held when the run first saw it, and what it should hold. */
export interface StagedChange {
  readonly path: string
  /** `undefined`: the file did not exist. */
  readonly before: string | undefined
  /** `undefined`: the file is deleted. */
  readonly after: string | undefined
}

export const hashContent = (content: string | undefined): string =>
  content === undefined ? "absent" : createHash("sha256").update(content).digest("hex")

/** What a FileManager needs from the place it writes to. Paths are workspace-relative and checked. */
export interface WorkspaceBackend {
  readonly root: string
  readonly read: (path: string) => Effect.Effect<string | undefined, FileSystemError>
  /** Refuses a path that resolves outside the workspace through a symlink. */
  readonly checkReal: (path: string) => Effect.Effect<void, UnsafePathError | FileSystemError>
  /** Writes every change, all or nothing: on failure the backend restores what it had written. */
  readonly applyAll: (changes: ReadonlyArray<StagedChange>) => Effect.Effect<void, FileSystemError>
  /** Puts back `before` for every change (the undo of `applyAll`). */
  readonly revertAll: (changes: ReadonlyArray<StagedChange>) => Effect.Effect<void, FileSystemError>
}

export type ApplyError = FileConflictError | FileSystemError | UnsafePathError

export class FileManager extends Context.Service<
  FileManager,
  {
    readonly root: string
    readonly read: (path: string) => Effect.Effect<string | undefined, FileSystemError | UnsafePathError>
    readonly write: (path: string, content: string) => Effect.Effect<string, FileSystemError | UnsafePathError>
    readonly remove: (path: string) => Effect.Effect<void, FileSystemError | UnsafePathError>
    readonly changes: Effect.Effect<ReadonlyArray<StagedChange>>
    readonly discard: Effect.Effect<void>
    /**
     * Applies the staged changes to the workspace. If the enclosing scope closes with a failure
     * (a later commit fails, the run is interrupted), the applied changes are reverted.
     */
    readonly apply: Effect.Effect<ReadonlyArray<StagedChange>, ApplyError, Scope.Scope>
    /** Runs `effect` with a fresh staging area: success applies what is staged, failure discards it. */
    readonly transaction: <A, E, R>(
      effect: Effect.Effect<A, E, R>
    ) => Effect.Effect<A, E | ApplyError, Exclude<R, Scope.Scope>>
  }
>()("@tamma/codegen/services/FileManager") {
  /** A FileManager over `backend` under the file rules of `files`. */
  static readonly make = (backend: WorkspaceBackend, files: FilesConfig = defaultFilesConfig) =>
    Effect.sync(() => {
      const staged = new Map<string, StagedChange>()

      const normalize = (path: string) =>
        Effect.suspend(() => {
          const checked = checkPath(path, files)
          return checked instanceof UnsafePathError
            ? Effect.fail(checked)
            : Effect.as(backend.checkReal(checked), checked)
        })

      const read = Effect.fn("FileManager.read")(function* (path: string) {
        const normalized = yield* normalize(path)
        const change = staged.get(normalized)
        return change === undefined ? yield* backend.read(normalized) : change.after
      })

      const stage = Effect.fnUntraced(function* (normalized: string, after: string | undefined) {
        const existing = staged.get(normalized)
        const before = existing === undefined ? yield* backend.read(normalized) : existing.before
        if (before === after) staged.delete(normalized)
        else staged.set(normalized, { path: normalized, before, after })
      })

      const write = Effect.fn("FileManager.write")(function* (path: string, content: string) {
        const normalized = yield* normalize(path)
        const refused = checkContent(normalized, content, files)
        if (refused !== undefined) return yield* refused
        yield* stage(normalized, content)
        return normalized
      })

      const remove = Effect.fn("FileManager.remove")(function* (path: string) {
        yield* stage(yield* normalize(path), undefined)
      })

      const changes = Effect.sync(() => [...staged.values()].sort((a, b) => a.path.localeCompare(b.path)))
      const discard = Effect.sync(() => staged.clear())

      const apply = Effect.gen(function* () {
        const pending = yield* changes
        if (pending.length === 0) return pending
        // Checked again at apply time: a symlink may have appeared since the path was staged.
        for (const change of pending) {
          yield* backend.checkReal(change.path)
          const current = yield* backend.read(change.path)
          if (hashContent(current) !== hashContent(change.before)) {
            return yield* new FileConflictError({
              path: change.path,
              detail: `expected ${hashContent(change.before).slice(0, 12)}, found ${hashContent(current).slice(0, 12)}`
            })
          }
        }
        yield* backend.applyAll(pending)
        staged.clear()
        yield* Effect.addFinalizer((exit) =>
          Exit.isFailure(exit)
            ? backend
                .revertAll(pending)
                .pipe(Effect.catch((error) => Effect.logError("could not revert applied changes", error.message)))
            : Effect.void
        )
        return pending
      }).pipe(Effect.withSpan("FileManager.apply"))

      const transaction = <A, E, R>(effect: Effect.Effect<A, E, R>) =>
        Effect.scoped(
          Effect.gen(function* () {
            yield* Effect.acquireRelease(discard, (_, exit) => (Exit.isFailure(exit) ? discard : Effect.void))
            const result = yield* effect
            yield* apply
            return result
          })
        )

      return FileManager.of({ root: backend.root, read, write, remove, changes, discard, apply, transaction })
    })

  static readonly layerFrom = <E, R>(backend: Effect.Effect<WorkspaceBackend, E, R>, files?: FilesConfig) =>
    Layer.effect(
      FileManager,
      Effect.flatMap(backend, (b) => FileManager.make(b, files))
    )
}
