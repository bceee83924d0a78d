/**
 * MemoryJournal: the journal store of the memory backend. It keeps what the disk store keeps,
 * so that tests of the FileManager and of recovery run without a disk.
 */
import { Effect } from "effect"
import type { Journal, JournalNote, OpenJournal, RunRecord } from "../../../core/domain/RunRecord.ts"
import type { JournalStore } from "../../../core/services/RunJournal.ts"

export interface MemoryJournalStore extends JournalStore {
  /** The ids of the journals that are open (a test's view of a crash's leftovers). */
  readonly openIds: Effect.Effect<ReadonlyArray<string>>
}

export const makeMemoryJournal = (): MemoryJournalStore => {
  const journals = new Map<string, { journal: Journal; notes: ReadonlyArray<JournalNote> }>()
  const records = new Map<string, RunRecord>()

  const open = (journal: Journal) =>
    Effect.sync(() => {
      journals.set(journal.runId, { journal, notes: [] })
    })
  const note = (runId: string, notes: ReadonlyArray<JournalNote>) =>
    Effect.sync(() => {
      const entry = journals.get(runId)
      if (entry !== undefined) journals.set(runId, { ...entry, notes: [...notes] })
    })
  const saveRun = (record: RunRecord) =>
    Effect.sync(() => {
      records.set(record.runId, record)
    })
  const close = (runId: string, record: RunRecord | undefined) =>
    Effect.sync(() => {
      if (record !== undefined) records.set(runId, record)
      journals.delete(runId)
    })
  const pending = Effect.sync(() =>
    [...journals.values()]
      .sort((a, b) => (a.journal.runId < b.journal.runId ? -1 : 1))
      .map((entry): OpenJournal => ({ ...entry, finished: records.has(entry.journal.runId) }))
  )
  const runs = Effect.sync(() => [...records.values()].sort((a, b) => (a.runId < b.runId ? -1 : 1)))
  const openIds = Effect.sync(() => [...journals.keys()])
  return { open, note, close, pending, runs, saveRun, openIds }
}
