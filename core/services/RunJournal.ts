/**
 * RunJournal: the contract of the place a workspace backend keeps its write-ahead journals and
 * run records. The FileManager drives it; the node backend keeps it under `.tamma/`, the
 * memory backend in memory.
 */
import type { Effect } from "effect"
import type { Journal, JournalNote, OpenJournal, RunRecord } from "../domain/RunRecord.ts"
import type { FileSystemError } from "../errors.ts"

export interface JournalStore {
  /** Makes `journal` durable. Nothing of the workspace may change before this succeeded. */
  readonly open: (journal: Journal) => Effect.Effect<void, FileSystemError>
  /** Durably records `notes` (all of them so far) with the open journal of `runId`. */
  readonly note: (runId: string, notes: ReadonlyArray<JournalNote>) => Effect.Effect<void, FileSystemError>
  /**
   * Ends the journal of `runId`. With a record, the run completed: the record is written first
   * (from then on the run counts as done), then the journal is removed. Without one, the run
   * was undone and only the journal is removed.
   */
  readonly close: (runId: string, record: RunRecord | undefined) => Effect.Effect<void, FileSystemError>
  /** Journals that were never closed: runs a crash interrupted, oldest first. */
  readonly pending: Effect.Effect<ReadonlyArray<OpenJournal>, FileSystemError>
  /** Every run record, oldest first. */
  readonly runs: Effect.Effect<ReadonlyArray<RunRecord>, FileSystemError>
  /** Replaces (or writes) a run record, e.g. to mark it rolled back. */
  readonly saveRun: (record: RunRecord) => Effect.Effect<void, FileSystemError>
}
