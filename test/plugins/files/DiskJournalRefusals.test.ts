/**
 * The disk journal when its files cannot be read as what they should be: it reports what it was
 * doing and where, and never takes an unreadable journal for one that was never opened (which it
 * would remove, and with it the only way to undo the run). Also the spans each operation
 * opens.
 */
import * as fs from "node:fs"
import * as os from "node:os"
import * as nodePath from "node:path"
import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { Journal, JournalFile, RunRecord } from "../../../core/domain/RunRecord.ts"
import { makeDiskJournal } from "../../../plugins/files/node/DiskJournal.ts"
import { withSpanNames } from "../../core/support/SpanNames.ts"

const folder = Effect.acquireRelease(
  Effect.sync(() => fs.mkdtempSync(nodePath.join(os.tmpdir(), "tamma-journal-refusals-"))),
  (dir) => Effect.sync(() => fs.rmSync(dir, { recursive: true, force: true }))
)

const journalOf = (runId: string) =>
  new Journal({
    runId,
    startedAt: 1,
    summary: runId,
    files: [new JournalFile({ path: "a.ts", before: "a\n", after: "b\n" })],
    createdFolders: []
  })
const recordOf = (runId: string) => new RunRecord({ runId, startedAt: 1, finishedAt: 2, summary: runId, files: [] })

const journalDir = (root: string) => nodePath.join(root, ".tamma", "journal")
const runsDir = (root: string) => nodePath.join(root, ".tamma", "runs")

/** Replaces `file` by a folder with something in it: reading it fails with EISDIR. */
const makeFolderOf = (file: string) => {
  fs.rmSync(file, { force: true })
  fs.mkdirSync(nodePath.join(file, "inside"), { recursive: true })
}

/** Makes `path` a symbolic link to itself: anything under it fails with ELOOP. */
const makeLoop = (path: string) => {
  fs.rmSync(path, { recursive: true, force: true })
  fs.symlinkSync(nodePath.basename(path), path)
}

describe("DiskJournal refusals", () => {
  it.effect("reports a journal it cannot read and keeps its folder, instead of taking it for never opened", () =>
    Effect.gen(function* () {
      const root = yield* folder
      const store = makeDiskJournal(root)
      yield* store.open(journalOf("run-1"))
      const run = nodePath.join(journalDir(root), "run-1")
      makeFolderOf(nodePath.join(run, "journal.json"))
      expect(yield* Effect.flip(store.pending)).toMatchObject({
        _tag: "FileSystemError",
        path: run,
        operation: "read journal"
      })
      expect(fs.existsSync(nodePath.join(run, "journal.json", "inside"))).toBe(true)
    })
  )

  it.effect("reports notes it cannot read instead of taking them for none", () =>
    Effect.gen(function* () {
      const root = yield* folder
      const store = makeDiskJournal(root)
      yield* store.open(journalOf("run-1"))
      const run = nodePath.join(journalDir(root), "run-1")
      makeFolderOf(nodePath.join(run, "notes.json"))
      expect(yield* Effect.flip(store.pending)).toMatchObject({ path: run, operation: "read journal notes" })
    })
  )

  it.effect("reports a run record it cannot read, naming the file", () =>
    Effect.gen(function* () {
      const root = yield* folder
      const store = makeDiskJournal(root)
      yield* store.saveRun(recordOf("run-1"))
      const file = nodePath.join(runsDir(root), "run-1.json")
      makeFolderOf(file)
      expect(yield* Effect.flip(store.runs)).toMatchObject({ path: file, operation: "read run record" })
    })
  )

  it.effect("reports journal and run folders it cannot list, rather than finding nothing to recover", () =>
    Effect.gen(function* () {
      const root = yield* folder
      const store = makeDiskJournal(root)
      yield* store.open(journalOf("run-1"))
      // Whether the run finished cannot be told when its record's folder cannot be read.
      makeLoop(runsDir(root))
      expect(yield* Effect.flip(store.pending)).toMatchObject({
        path: nodePath.join(journalDir(root), "run-1"),
        operation: "read run record"
      })
      expect(yield* Effect.flip(store.runs)).toMatchObject({ path: runsDir(root), operation: "list runs" })
      makeLoop(journalDir(root))
      expect(yield* Effect.flip(store.pending)).toMatchObject({ path: journalDir(root), operation: "list journals" })
    })
  )

  it.effect("takes a file where the runs folder should be for no record: the run did not finish", () =>
    Effect.gen(function* () {
      const root = yield* folder
      const store = makeDiskJournal(root)
      yield* store.open(journalOf("run-1"))
      fs.writeFileSync(runsDir(root), "")
      const [open] = yield* store.pending
      expect(open?.finished).toBe(false)
    })
  )

  it.effect("marks a journal unfinished when only other runs have records", () =>
    Effect.gen(function* () {
      const root = yield* folder
      const store = makeDiskJournal(root)
      yield* store.saveRun(recordOf("run-2"))
      yield* store.open(journalOf("run-1"))
      const pending = yield* store.pending
      expect(pending.map((open) => [open.journal.runId, open.finished])).toEqual([["run-1", false]])
    })
  )

  it.effect("fails to close a journal it cannot move aside, and leaves it open", () =>
    Effect.gen(function* () {
      const root = yield* folder
      const store = makeDiskJournal(root)
      yield* store.open(journalOf("run-1"))
      // A folder of that name with something in it: the rename that closes the journal fails.
      fs.mkdirSync(nodePath.join(journalDir(root), ".closing-run-1", "left"), { recursive: true })
      const run = nodePath.join(journalDir(root), "run-1")
      expect(yield* Effect.flip(store.close("run-1", undefined))).toMatchObject({
        _tag: "FileSystemError",
        path: run,
        operation: "close journal"
      })
      expect(fs.existsSync(nodePath.join(run, "journal.json"))).toBe(true)
      // The leftover is cleared, and the journal is still there to recover.
      expect((yield* store.pending).map((open) => open.journal.runId)).toEqual(["run-1"])
      expect(fs.readdirSync(journalDir(root))).toEqual(["run-1"])
    })
  )

  it.effect("opens a span named for each operation", () =>
    Effect.gen(function* () {
      const root = yield* folder
      const store = makeDiskJournal(root)
      const names = (effect: Effect.Effect<unknown, unknown>) =>
        withSpanNames(effect).pipe(Effect.map(({ names }) => names))
      expect(yield* names(store.open(journalOf("run-1")))).toEqual(["DiskJournal.open"])
      expect(yield* names(store.note("run-1", []))).toEqual(["DiskJournal.note"])
      expect(yield* names(store.pending)).toEqual(["DiskJournal.pending"])
      expect(yield* names(store.close("run-1", recordOf("run-1")))).toEqual([
        "DiskJournal.close",
        "DiskJournal.saveRun"
      ])
      expect(yield* names(store.saveRun(recordOf("run-2")))).toEqual(["DiskJournal.saveRun"])
      expect(yield* names(store.runs)).toEqual(["DiskJournal.runs"])
    })
  )
})
