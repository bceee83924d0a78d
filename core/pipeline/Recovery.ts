/**
 * Recovery: what the next start does with the journals a crash left (DESIGN §5). A run whose
 * record was written had completed: only its journal is removed. Any other run is undone
 * wholly: its files go back to their state before it, and its branch is abandoned (HEAD back,
 * the branch deleted, the index entries reset), so the workspace is never half a run.
 */
import { Effect, Option } from "effect"
import type { BranchNote, OpenJournal } from "../domain/RunRecord.ts"
import { Git } from "../services/Git.ts"
import { RunHistory } from "../services/RunHistory.ts"

/** What recovery did with one journal. */
export interface RecoveredRun {
  readonly runId: string
  /** `completed`: the run had finished, its journal was left over; `restored`: the run was undone. */
  readonly outcome: "completed" | "restored"
  readonly files: number
  /** The branch that was abandoned, when the run had created one. */
  readonly branch: string | undefined
}

const branchNoteOf = (open: OpenJournal) => open.notes.find((note): note is BranchNote => note._tag === "Branch")

/** Finishes or undoes every journal of the workspace, newest first; safe to run again after a crash. */
export const recoverWorkspace = Effect.fn("Recovery.recoverWorkspace")(function* () {
  const history = yield* RunHistory
  const git = yield* Git.inRepository
  const journals = yield* history.pending
  const recovered: Array<RecoveredRun> = []
  // Newest first: an older run's before-state is what a newer run found, so undo in reverse.
  for (const open of [...journals].reverse()) {
    const { journal } = open
    if (open.finished) {
      yield* history.close(journal.runId)
      recovered.push({ runId: journal.runId, outcome: "completed", files: journal.files.length, branch: undefined })
      continue
    }
    yield* history.restore(journal)
    const note = branchNoteOf(open)
    if (note !== undefined && Option.isSome(git)) {
      yield* git.value.abandonBranch({
        branch: note.branch,
        previousBranch: note.previousBranch,
        previousHead: note.previousHead,
        paths: journal.files.map((file) => file.path)
      })
    }
    // Last: until here, a crash of the recovery itself leaves the journal to start over from.
    yield* history.close(journal.runId)
    recovered.push({ runId: journal.runId, outcome: "restored", files: journal.files.length, branch: note?.branch })
  }
  return recovered
})
