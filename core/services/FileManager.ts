/**
 * FileManager: the staging area of a run. Writes are staged, reads see the staged state over the
 * workspace, and a transaction applies everything on success and nothing on failure. An apply
 * is journaled first (DESIGN §5), so that even a crash leaves a workspace `recover` can restore.
 * What the journals and records say afterwards is the `RunHistory`'s to read.
 */
import { Clock, Context, Effect, Exit, Layer, type Scope } from "effect"
import { defaultFilesConfig, type FilesConfig } from "../domain/Config.ts"
import {
  hashContent,
  Journal,
  JournalFile,
  type JournalNote,
  makeRunId,
  type RunRecord,
  recordOf
} from "../domain/RunRecord.ts"
import { FileConflictError, type FileSystemError, UnsafePathError } from "../errors.ts"
import { checkContent, checkPath } from "./PathPolicy.ts"
import { RunHistory } from "./RunHistory.ts"
import type { JournalStore } from "./RunJournal.ts"

export { hashContent } from "../domain/RunRecord.ts"

/** A staged change: what the file held when the run first saw it, and what it should hold. */
export interface StagedChange {
  readonly path: string
  /** `undefined`: the file did not exist. */
  readonly before: string | undefined
  /** `undefined`: the file is deleted. */
  readonly after: string | undefined
}

/** Where a checked workspace path really is once symlinks are followed. */
export interface RealPath {
  /** The workspace-relative path of the file itself: `path` unless a symlink is on the way. */
  readonly path: string
  /** The first symlink on the way (the file or a folder above it), workspace-relative. */
  readonly link: string | undefined
}

/** What a FileManager needs from the place it writes to. Paths are workspace-relative and checked. */
export interface WorkspaceBackend {
  readonly root: string
  readonly read: (path: string) => Effect.Effect<string | undefined, FileSystemError>
  /**
   * Where `path` really is; refuses a path that resolves outside the workspace through a symlink.
   * At apply time, the backend refuses any symlink on a staged path (see `applyAll`).
   */
  readonly checkReal: (path: string) => Effect.Effect<RealPath, UnsafePathError | FileSystemError>
  /** The folders above `paths` that do not exist yet (a restore removes them again). */
  readonly missingFolders: (paths: ReadonlyArray<string>) => Effect.Effect<ReadonlyArray<string>, FileSystemError>
  /**
   * Writes every change, all or nothing: on failure the backend restores what it had written.
   * It first checks every path's real location as `checkReal` does (a symlink may have appeared
   * since staging), and refuses the whole set, writing nothing, if any is unsafe.
   */
  readonly applyAll: (changes: ReadonlyArray<StagedChange>) => Effect.Effect<void, FileSystemError | UnsafePathError>
  /**
   * Puts back `before` for every change (the undo of `applyAll`, and of a crashed one: it must
   * work from any state in between), then removes `createdFolders` that are empty.
   */
  readonly revertAll: (
    changes: ReadonlyArray<StagedChange>,
    options: RevertOptions
  ) => Effect.Effect<void, FileSystemError>
  readonly journal: JournalStore
}

/**
 * Whose undo a revert is. This process's own run puts `before` back whatever a later step (a
 * commit hook) wrote over its files; a journal found on disk may have been planted, so its
 * revert refuses a file that holds neither of the states it names.
 */
export interface RevertOptions {
  readonly origin: "own-run" | "found-journal"
  readonly createdFolders?: ReadonlyArray<string> | undefined
}

export type ApplyError = FileConflictError | FileSystemError | UnsafePathError

/** What an apply is about, for its journal and its run record. */
export interface RunInfo {
  readonly runId?: string
  readonly summary?: string
}

/** The result of an apply: the run id its journal and record carry, and what changed. */
export interface AppliedRun {
  readonly runId: string
  readonly changes: ReadonlyArray<StagedChange>
}

export class FileManager extends Context.Service<
  FileManager,
  {
    readonly root: string
    readonly read: (path: string) => Effect.Effect<string | undefined, FileSystemError | UnsafePathError>
    /**
     * The workspace path a write to `path` would stage, checked by every rule a write passes (a
     * symlink out of the workspace is refused); nothing is read or staged.
     */
    readonly locate: (path: string) => Effect.Effect<string, FileSystemError | UnsafePathError>
    readonly write: (path: string, content: string) => Effect.Effect<string, FileSystemError | UnsafePathError>
    readonly remove: (path: string) => Effect.Effect<void, FileSystemError | UnsafePathError>
    readonly changes: Effect.Effect<ReadonlyArray<StagedChange>>
    readonly discard: Effect.Effect<void>
    /**
     * Applies the staged changes to the workspace. If the enclosing scope closes with a failure
     * (a later commit fails, the run is interrupted), the applied changes are reverted; if it
     * closes with a success, the run's record is written and its journal removed.
     */
    readonly apply: Effect.Effect<ReadonlyArray<StagedChange>, ApplyError, Scope.Scope>
    /** `apply`, naming the run for its journal and record. */
    readonly applyRun: (info: RunInfo) => Effect.Effect<AppliedRun, ApplyError, Scope.Scope>
    /**
     * Durably adds `note` to the journal of the applied run `runId` (before the branch is
     * created, once the commit exists), so that recovery and the run record know of it.
     */
    readonly note: (runId: string, note: JournalNote) => Effect.Effect<void, FileSystemError>
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
      // Notes of the runs applied and not yet closed, by run id.
      const open = new Map<string, Array<JournalNote>>()

      /**
       * The path a change is staged under: the file itself. Through a symlink only when the config
       * allows it, and then the link's target must pass every rule the path did: a link is no way
       * around the deny list. The link itself is never replaced, so it stays a link in git.
       */
      const locate = Effect.fnUntraced(function* (path: string) {
        const checked = checkPath(path, files)
        if (checked instanceof UnsafePathError) return yield* checked
        const real = yield* backend.checkReal(checked)
        if (real.link === undefined) return { path: checked, lexical: checked, link: undefined }
        if (!files.followSymlinks) {
          return yield* new UnsafePathError({
            path,
            rule: "symlink",
            detail: `${real.link} is a symlink; files.followSymlinks allows writing through links inside the workspace`
          })
        }
        const target = checkPath(real.path, files)
        if (target instanceof UnsafePathError) {
          return yield* new UnsafePathError({
            path,
            rule: target.rule,
            detail: `through symlink ${real.link} to ${real.path}${target.detail === undefined ? "" : `: ${target.detail}`}`
          })
        }
        return { path: target, lexical: checked, link: real.link }
      })
      const normalize = (path: string) => Effect.map(locate(path), (located) => located.path)

      // The path each staged file was first written under: two names of one file (a link and its
      // target) written in one run would silently overwrite each other.
      const writtenAs = new Map<string, string>()

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
        const located = yield* locate(path)
        const normalized = located.path
        const refused = checkContent(normalized, content, files)
        if (refused !== undefined) return yield* refused
        const first = writtenAs.get(normalized)
        if (first !== undefined && first !== located.lexical) {
          return yield* new UnsafePathError({ path, rule: "symlink", detail: `the same file as ${first}` })
        }
        writtenAs.set(normalized, located.lexical)
        yield* stage(normalized, content)
        return normalized
      })

      const remove = Effect.fn("FileManager.remove")(function* (path: string) {
        const located = yield* locate(path)
        // Deleting a link's target would leave the link dangling; deleting the link is not asked.
        if (located.link !== undefined) {
          return yield* new UnsafePathError({ path, rule: "symlink", detail: `${located.link} is a symlink` })
        }
        yield* stage(located.path, undefined)
      })

      const changes = Effect.sync(() => [...staged.values()].sort((a, b) => (a.path < b.path ? -1 : 1)))
      const discard = Effect.sync(() => {
        staged.clear()
        writtenAs.clear()
      })

      /** Every rule again at apply time: a symlink may have appeared, or a file changed, since staging. */
      const recheckOne = Effect.fnUntraced(function* (change: StagedChange) {
        const path = checkPath(change.path, files)
        if (path instanceof UnsafePathError) return yield* path
        if (change.after !== undefined) {
          const refused = checkContent(change.path, change.after, files)
          if (refused !== undefined) return yield* refused
        }
        // The real location (symlinks) is checked again by applyAll, in the same pass as the writes.
        const current = yield* backend.read(change.path)
        if (hashContent(current) !== hashContent(change.before)) {
          return yield* new FileConflictError({
            path: change.path,
            detail: `expected ${hashContent(change.before).slice(0, 12)}, found ${hashContent(current).slice(0, 12)}`
          })
        }
      })
      // Concurrent: each check is a few small reads, and a large run has hundreds of them.
      const recheck = (pending: ReadonlyArray<StagedChange>) =>
        Effect.forEach(pending, recheckOne, { concurrency: 16, discard: true })

      /** Journal, then files: a crash at any instant after `open` leaves a journal to restore from. */
      const journalAndApply = Effect.fnUntraced(function* (journal: Journal, pending: ReadonlyArray<StagedChange>) {
        yield* backend.journal.open(journal)
        open.set(journal.runId, [])
        yield* backend.applyAll(pending).pipe(
          Effect.tapError((error) =>
            error._tag === "UnsafePathError"
              ? // Refused before the first write: nothing to undo.
                forget(journal.runId, undefined)
              : // applyAll restored what it wrote; once more, to be sure, before the journal goes.
                backend.revertAll(pending, { origin: "own-run", createdFolders: journal.createdFolders }).pipe(
                  Effect.andThen(forget(journal.runId, undefined)),
                  Effect.catch((revert) => Effect.logError("journal kept for recover", revert.message))
                )
          )
        )
      }, Effect.uninterruptible)

      const forget = (runId: string, record: RunRecord | undefined) =>
        Effect.suspend(() => {
          open.delete(runId)
          return backend.journal.close(runId, record)
        })

      const release = (journal: Journal, pending: ReadonlyArray<StagedChange>) => (exit: Exit.Exit<unknown, unknown>) =>
        Effect.gen(function* () {
          if (Exit.isSuccess(exit)) {
            const notes = open.get(journal.runId) ?? []
            return yield* forget(journal.runId, recordOf(journal, notes, yield* Clock.currentTimeMillis))
          }
          yield* backend.revertAll(pending, { origin: "own-run", createdFolders: journal.createdFolders })
          // Only once the files are back: a failed revert keeps the journal for `recover`.
          yield* forget(journal.runId, undefined)
        }).pipe(Effect.catch((error) => Effect.logError("could not close the run's journal", error.message)))

      const applyRun = Effect.fn("FileManager.applyRun")(function* (info: RunInfo) {
        const pending = yield* changes
        const runId = info.runId ?? makeRunId(yield* Clock.currentTimeMillis)
        if (pending.length === 0) return { runId, changes: pending }
        yield* recheck(pending)
        const journal = new Journal({
          runId,
          startedAt: yield* Clock.currentTimeMillis,
          summary: info.summary ?? "",
          files: pending.map((change) => new JournalFile(change)),
          createdFolders: yield* backend.missingFolders(
            pending.filter((change) => change.after !== undefined).map((change) => change.path)
          )
        })
        yield* Effect.acquireRelease(journalAndApply(journal, pending), (_, exit) => release(journal, pending)(exit))
        staged.clear()
        writtenAs.clear()
        return { runId, changes: pending }
      })

      const apply = Effect.map(applyRun({}), (run) => run.changes)

      const note = Effect.fn("FileManager.note")(function* (runId: string, added: JournalNote) {
        const notes = open.get(runId)
        if (notes === undefined) return
        notes.push(added)
        yield* backend.journal.note(runId, notes)
      })

      const transaction = <A, E, R>(effect: Effect.Effect<A, E, R>) =>
        Effect.scoped(
          Effect.gen(function* () {
            yield* Effect.acquireRelease(discard, (_, exit) => (Exit.isFailure(exit) ? discard : Effect.void))
            const result = yield* effect
            yield* apply
            return result
          })
        )

      return FileManager.of({
        root: backend.root,
        read,
        locate: normalize,
        write,
        remove,
        changes,
        discard,
        apply,
        applyRun,
        note,
        transaction
      })
    })

  /** A FileManager and the RunHistory of the same workspace, over the backend `backend` builds. */
  static readonly layerFrom = <E, R>(
    backend: Effect.Effect<WorkspaceBackend, E, R>,
    files?: FilesConfig
  ): Layer.Layer<FileManager | RunHistory, E, R> =>
    Layer.effectContext(
      Effect.gen(function* () {
        const built = yield* backend
        const manager = yield* FileManager.make(built, files)
        return Context.make(FileManager, manager).pipe(Context.add(RunHistory, RunHistory.make(built)))
      })
    )
}
