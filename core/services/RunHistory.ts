/**
 * RunHistory: what a workspace remembers of its runs — the journals a crash left open and the
 * records of the runs that completed. Recovery, rollback and `runs` read and settle it; the
 * `FileManager` writes to the same journal store while it applies a run.
 */
import { Context, Effect } from "effect"
import type { Journal, OpenJournal, RunRecord } from "../domain/RunRecord.ts"
import type { FileSystemError } from "../errors.ts"
import type { WorkspaceBackend } from "./FileManager.ts"

export class RunHistory extends Context.Service<
  RunHistory,
  {
    /** Journals of runs that were interrupted by a crash (see `Recovery`), oldest first. */
    readonly pending: Effect.Effect<ReadonlyArray<OpenJournal>, FileSystemError>
    /** Puts the files of a crashed run back to their state before it (idempotent). */
    readonly restore: (journal: Journal) => Effect.Effect<void, FileSystemError>
    /** Removes a journal once its run is wholly restored or known complete. */
    readonly close: (runId: string, record?: RunRecord) => Effect.Effect<void, FileSystemError>
    /** Every run record of the workspace, oldest first. */
    readonly runs: Effect.Effect<ReadonlyArray<RunRecord>, FileSystemError>
    /** Replaces a run record (to mark it rolled back). */
    readonly save: (record: RunRecord) => Effect.Effect<void, FileSystemError>
  }
>()(
  // Stryker disable next-line StringLiteral: the key only has to differ from the other services' keys, and no other is empty
  "@tamma/codegen/services/RunHistory"
) {
  /** The run history kept by `backend`'s journal store. */
  static readonly make = (backend: Pick<WorkspaceBackend, "journal" | "revertAll">): RunHistory["Service"] =>
    RunHistory.of({
      pending: backend.journal.pending,
      restore: Effect.fn("RunHistory.restore")(function* (journal: Journal) {
        yield* backend.revertAll(
          journal.files.map((file) => ({ path: file.path, before: file.before, after: file.after })),
          { origin: "found-journal", createdFolders: journal.createdFolders }
        )
      }),
      close: Effect.fn("RunHistory.close")(function* (runId: string, record?: RunRecord) {
        yield* backend.journal.close(runId, record)
      }),
      runs: backend.journal.runs,
      save: backend.journal.saveRun
    })
}
