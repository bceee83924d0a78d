/**
 * RunHistory over a real disk journal: what restoring a crashed run asks of the workspace, what
 * closing keeps, and the spans its operations open.
 */
import * as fs from "node:fs"
import * as os from "node:os"
import * as nodePath from "node:path"
import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { Journal, JournalFile, RunRecord } from "../../../core/domain/RunRecord.ts"
import type { StagedChange } from "../../../core/services/FileManager.ts"
import { RunHistory } from "../../../core/services/RunHistory.ts"
import { makeDiskJournal } from "../../../plugins/files/node/DiskJournal.ts"
import { withSpanNames } from "../support/SpanNames.ts"

const folder = Effect.acquireRelease(
  Effect.sync(() => fs.mkdtempSync(nodePath.join(os.tmpdir(), "tamma-run-history-"))),
  (dir) => Effect.sync(() => fs.rmSync(dir, { recursive: true, force: true }))
)

const journal = new Journal({
  runId: "run-1",
  startedAt: 1,
  summary: "two files",
  files: [
    new JournalFile({ path: "src/a.ts", before: "a\n", after: "b\n" }),
    new JournalFile({ path: "src/new/c.ts", before: undefined, after: "c\n" })
  ],
  createdFolders: ["src/new"]
})
const record = new RunRecord({ runId: "run-1", startedAt: 1, finishedAt: 2, summary: "two files", files: [] })

/** A history over the disk journal at `root`, recording what it asks the workspace to revert. */
const historyAt = (root: string) => {
  const reverted: Array<{ changes: ReadonlyArray<StagedChange>; folders: ReadonlyArray<string> | undefined }> = []
  const history = RunHistory.make({
    journal: makeDiskJournal(root),
    revertAll: (changes, options) =>
      Effect.sync(() => {
        // A journal read back from disk is never trusted like this process's own run.
        expect(options.origin).toBe("found-journal")
        reverted.push({ changes, folders: options.createdFolders })
      })
  })
  return { history, reverted }
}

describe("RunHistory", () => {
  it.effect("restores a crashed run by reverting each of its files and the folders it created", () =>
    Effect.gen(function* () {
      const { history, reverted } = historyAt(yield* folder)
      const { names } = yield* withSpanNames(history.restore(journal))
      expect(reverted).toEqual([
        {
          changes: [
            { path: "src/a.ts", before: "a\n", after: "b\n" },
            { path: "src/new/c.ts", before: undefined, after: "c\n" }
          ],
          folders: ["src/new"]
        }
      ])
      expect(names).toEqual(["RunHistory.restore"])
    })
  )

  it.effect("closes a journal keeping the run's record, or none when the run was undone", () =>
    Effect.gen(function* () {
      const root = yield* folder
      const { history } = historyAt(root)
      const store = makeDiskJournal(root)
      yield* store.open(journal)
      expect((yield* history.pending).map((open) => open.journal)).toEqual([journal])
      const { names } = yield* withSpanNames(history.close("run-1", record))
      expect(names[0]).toBe("RunHistory.close")
      expect(yield* history.pending).toEqual([])
      expect(yield* history.runs).toEqual([record])
      yield* store.open(new Journal({ ...journal, runId: "run-2" }))
      yield* history.close("run-2")
      expect(yield* history.pending).toEqual([])
      expect((yield* history.runs).map((run) => run.runId)).toEqual(["run-1"])
      const rolledBack = new RunRecord({ ...record, summary: "rolled back" })
      yield* history.save(rolledBack)
      expect(yield* history.runs).toEqual([rolledBack])
    })
  )
})
