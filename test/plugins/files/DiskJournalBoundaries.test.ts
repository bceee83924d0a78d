/**
 * The disk journal's files as a crash can leave them: a journal never opened, a close cut short,
 * a run record without its journal, unreadable JSON, and the order runs and journals come back in.
 */
import * as fs from "node:fs"
import * as os from "node:os"
import * as nodePath from "node:path"
import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { BranchNote, CommitNote, Journal, JournalFile, RunRecord } from "../../../core/domain/RunRecord.ts"
import { hasJournals, makeDiskJournal, tammaFolder } from "../../../plugins/files/node/DiskJournal.ts"

const folder = Effect.acquireRelease(
  Effect.sync(() => fs.mkdtempSync(nodePath.join(os.tmpdir(), "tamma-journal-"))),
  (dir) => Effect.sync(() => fs.rmSync(dir, { recursive: true, force: true }))
)

const journalOf = (runId: string) =>
  new Journal({
    runId,
    startedAt: 1,
    summary: `summary of ${runId}`,
    files: [new JournalFile({ path: "src/a.ts", before: "a\n", after: "b\n" })],
    createdFolders: ["src/new"]
  })
const recordOf = (runId: string) => new RunRecord({ runId, startedAt: 1, finishedAt: 2, summary: runId, files: [] })

const journalDir = (root: string) => nodePath.join(root, ".tamma", "journal")

describe("DiskJournal", () => {
  it("keeps everything under .tamma", () => {
    expect(tammaFolder("/w")).toBe(nodePath.join("/w", ".tamma"))
  })

  it.effect("opens a journal with its notes, finds it pending, and closes it with a record", () =>
    Effect.gen(function* () {
      const root = yield* folder
      const store = makeDiskJournal(root)
      expect(yield* Effect.promise(() => hasJournals(root))).toBe(false)
      yield* store.open(journalOf("run-1"))
      expect(yield* Effect.promise(() => hasJournals(root))).toBe(true)
      const notes = [
        new BranchNote({ branch: "tamma/x", previousBranch: "main", previousHead: "h" }),
        new CommitNote({ sha: "c1" })
      ]
      yield* store.note("run-1", notes)
      const [open] = yield* store.pending
      expect(open?.journal).toEqual(journalOf("run-1"))
      expect(open?.notes).toEqual(notes)
      expect(open?.finished).toBe(false)
      yield* store.close("run-1", recordOf("run-1"))
      expect(yield* store.pending).toEqual([])
      expect(yield* store.runs).toEqual([recordOf("run-1")])
      expect(fs.readdirSync(journalDir(root))).toEqual([])
      expect(yield* Effect.promise(() => hasJournals(root))).toBe(false)
    })
  )

  it.effect("closes without a record when the run was undone, and a second close is nothing", () =>
    Effect.gen(function* () {
      const root = yield* folder
      const store = makeDiskJournal(root)
      yield* store.open(journalOf("run-1"))
      yield* store.close("run-1", undefined)
      yield* store.close("run-1", undefined)
      expect(yield* store.runs).toEqual([])
      expect(yield* store.pending).toEqual([])
    })
  )

  it.effect("marks a journal whose record exists as finished", () =>
    Effect.gen(function* () {
      const root = yield* folder
      const store = makeDiskJournal(root)
      yield* store.open(journalOf("run-1"))
      yield* store.saveRun(recordOf("run-1"))
      const [open] = yield* store.pending
      expect(open?.finished).toBe(true)
      expect(open?.notes).toEqual([])
    })
  )

  it.effect("removes a journal folder that was never opened, and finishes a close a crash cut short", () =>
    Effect.gen(function* () {
      const root = yield* folder
      const store = makeDiskJournal(root)
      fs.mkdirSync(nodePath.join(journalDir(root), "run-0"), { recursive: true })
      fs.mkdirSync(nodePath.join(journalDir(root), ".closing-run-9"), { recursive: true })
      fs.writeFileSync(nodePath.join(journalDir(root), ".closing-run-9", "journal.json"), "{}")
      fs.mkdirSync(nodePath.join(journalDir(root), ".other"), { recursive: true })
      yield* store.open(journalOf("run-2"))
      const pending = yield* store.pending
      expect(pending.map((open) => open.journal.runId)).toEqual(["run-2"])
      // Hidden entries that are not ours are left alone.
      expect(fs.readdirSync(journalDir(root)).sort()).toEqual([".other", "run-2"])
    })
  )

  it.effect("returns journals and records oldest first, ignoring what is not a record", () =>
    Effect.gen(function* () {
      const root = yield* folder
      const store = makeDiskJournal(root)
      for (const id of ["run-3", "run-1", "run-2"]) {
        yield* store.open(journalOf(id))
        yield* store.saveRun(recordOf(id))
      }
      const runsDir = nodePath.join(root, ".tamma", "runs")
      fs.writeFileSync(nodePath.join(runsDir, "notes.txt"), "x")
      fs.writeFileSync(nodePath.join(runsDir, ".hidden.json"), "{")
      expect((yield* store.pending).map((open) => open.journal.runId)).toEqual(["run-1", "run-2", "run-3"])
      expect((yield* store.runs).map((record) => record.runId)).toEqual(["run-1", "run-2", "run-3"])
    })
  )

  it.effect("fails with the file and what it was doing when a journal, its notes or a record is unreadable", () =>
    Effect.gen(function* () {
      const root = yield* folder
      const store = makeDiskJournal(root)
      yield* store.open(journalOf("run-1"))
      fs.writeFileSync(nodePath.join(journalDir(root), "run-1", "notes.json"), "not json")
      const notes = yield* Effect.flip(store.pending)
      expect(notes).toMatchObject({
        _tag: "FileSystemError",
        path: nodePath.join(journalDir(root), "run-1"),
        operation: "decode journal notes"
      })
      fs.writeFileSync(nodePath.join(journalDir(root), "run-1", "journal.json"), "{")
      expect(yield* Effect.flip(store.pending)).toMatchObject({ operation: "decode journal" })
      const runsDir = nodePath.join(root, ".tamma", "runs")
      fs.mkdirSync(runsDir, { recursive: true })
      fs.writeFileSync(nodePath.join(runsDir, "run-5.json"), "[]")
      expect(yield* Effect.flip(store.runs)).toMatchObject({
        path: nodePath.join(runsDir, "run-5.json"),
        operation: "decode run record"
      })
    })
  )

  it.effect("reports a journal it cannot write, naming the operation", () =>
    Effect.gen(function* () {
      const root = yield* folder
      // `.tamma` is a file: no folder can be made under it.
      fs.writeFileSync(nodePath.join(root, ".tamma"), "")
      const store = makeDiskJournal(root)
      expect(yield* Effect.flip(store.open(journalOf("run-1")))).toMatchObject({ operation: "open journal" })
      expect(yield* Effect.flip(store.note("run-1", []))).toMatchObject({ operation: "write journal note" })
      expect(yield* Effect.flip(store.saveRun(recordOf("run-1")))).toMatchObject({ operation: "write run record" })
      expect(yield* store.pending).toEqual([])
      expect(yield* store.runs).toEqual([])
    })
  )
})
