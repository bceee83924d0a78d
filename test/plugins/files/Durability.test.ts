/**
 * The order in which atomic writes and the disk journal make their changes durable, seen as the
 * files on disk at each fsync: a file's content is synced while it is still beside its target,
 * the folder it is renamed into is synced after the rename, and the folders a journal creates
 * are synced in their parents. The fsync calls are recorded by wrapping node's own, which still
 * run; everything else is the real file system.
 */
import * as fs from "node:fs"
import * as os from "node:os"
import * as nodePath from "node:path"
import { Effect } from "effect"
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest"
import { Journal, JournalFile, RunRecord } from "../../../core/domain/RunRecord.ts"
import { syncFolders, writeAtomic } from "../../../plugins/files/node/AtomicFile.ts"
import { makeDiskJournal } from "../../../plugins/files/node/DiskJournal.ts"

/** One fsync, with what the test wanted to see on disk at that moment. */
interface Synced {
  readonly kind: "file" | "folder" | "folder not opened"
  readonly path: string
  readonly seen: unknown
}

const recorded = vi.hoisted(() => ({
  syncs: [] as Array<Synced>,
  /** What to note of the disk at each sync (set by a test). */
  look: (_path: string): unknown => undefined
}))

vi.mock("node:fs", async (importOriginal) => {
  const actual = await importOriginal<typeof import("node:fs")>()
  const fsync = (fd: number, callback: (error: NodeJS.ErrnoException | null) => void) => {
    const path = actual.readlinkSync(`/proc/self/fd/${fd}`)
    recorded.syncs.push({ kind: "file", path, seen: recorded.look(path) })
    actual.fsync(fd, callback)
  }
  return { ...actual, fsync }
})

vi.mock("node:fs/promises", async (importOriginal) => {
  const actual = await importOriginal<typeof import("node:fs/promises")>()
  const open = async (...args: Parameters<typeof actual.open>) => {
    const path = String(args[0])
    const handle = await actual.open(...args).catch((cause: unknown) => {
      recorded.syncs.push({ kind: "folder not opened", path, seen: undefined })
      throw cause
    })
    const sync = handle.sync.bind(handle)
    handle.sync = async () => {
      recorded.syncs.push({ kind: "folder", path, seen: recorded.look(path) })
      return sync()
    }
    return handle
  }
  return { ...actual, open, default: { ...actual, open } }
})

let root = ""
beforeEach(() => {
  root = fs.realpathSync(fs.mkdtempSync(nodePath.join(os.tmpdir(), "tamma-durability-")))
  recorded.syncs.length = 0
  recorded.look = () => undefined
})
afterEach(() => {
  fs.rmSync(root, { recursive: true, force: true })
})

// Paths relative to the test's folder, with the random part of a temp name left out.
const relative = (path: string) =>
  (nodePath.relative(root, path) || ".").replace(/\.tamma-[0-9a-f]{12}\.tmp$/, ".tamma-*.tmp")
const syncs = () => recorded.syncs.map((sync) => ({ ...sync, path: relative(sync.path) }))
const openFds = () => fs.readdirSync("/proc/self/fd").length
const listing = (folder: string) =>
  fs.existsSync(folder) ? fs.readdirSync(folder).map((name) => relative(nodePath.join(folder, name))) : []

describe("atomic writes", () => {
  it("syncs the content in the temp file while the target still holds the old, then renames it over", async () => {
    fs.writeFileSync(nodePath.join(root, "a.ts"), "old")
    recorded.look = () => ({
      target: fs.readFileSync(nodePath.join(root, "a.ts"), "utf8"),
      folder: listing(root)
    })
    const before = openFds()
    await writeAtomic(nodePath.join(root, "a.ts"), "new")
    expect(syncs()).toEqual([
      { kind: "file", path: ".a.ts.tamma-*.tmp", seen: { target: "old", folder: [".a.ts.tamma-*.tmp", "a.ts"] } }
    ])
    expect(fs.readFileSync(nodePath.join(root, "a.ts"), "utf8")).toBe("new")
    expect(fs.readdirSync(root)).toEqual(["a.ts"])
    // The temp file's descriptor is closed.
    expect(openFds()).toBe(before)
  })

  it("closes the temp file's descriptor when the write fails too", async () => {
    fs.mkdirSync(nodePath.join(root, "target", "inside"), { recursive: true })
    const before = openFds()
    await expect(writeAtomic(nodePath.join(root, "target"), "x")).rejects.toThrow()
    expect(openFds()).toBe(before)
    expect(fs.readdirSync(root)).toEqual(["target"])
  })

  it("sets a replaced file's mode even where the umask would take bits from it", async () => {
    const file = nodePath.join(root, "shared.sh")
    fs.writeFileSync(file, "old")
    fs.chmodSync(file, 0o775)
    const umask = process.umask(0o027)
    try {
      await writeAtomic(file, "new")
    } finally {
      process.umask(umask)
    }
    expect(fs.statSync(file).mode & 0o7777).toBe(0o775)
  })

  it("syncs every folder it is given, passes over one it cannot open, and closes each", async () => {
    fs.mkdirSync(nodePath.join(root, "a"))
    const before = openFds()
    await syncFolders([root, nodePath.join(root, "missing"), nodePath.join(root, "a")])
    expect(syncs().map(({ kind, path }) => `${kind} ${path}`)).toEqual([
      "folder .",
      "folder not opened missing",
      "folder a"
    ])
    expect(openFds()).toBe(before)
  })
})

const journalOf = (runId: string) =>
  new Journal({
    runId,
    startedAt: 1,
    summary: runId,
    files: [new JournalFile({ path: "a.ts", before: "a\n", after: "b\n" })],
    createdFolders: []
  })
const recordOf = (runId: string) => new RunRecord({ runId, startedAt: 1, finishedAt: 2, summary: runId, files: [] })

describe("the disk journal", () => {
  const run = Effect.runPromise
  const steps = () => syncs().map(({ kind, path, seen }) => ({ [kind]: path, seen }))

  it("syncs the folders it creates in their parents before the journal, and the journal's folder after it", async () => {
    recorded.look = (path) => (fs.statSync(path).isDirectory() ? listing(path) : undefined)
    const store = makeDiskJournal(root)
    await run(store.open(journalOf("run-1")))
    expect(steps()).toEqual([
      // .tamma, .tamma/journal and .tamma/journal/run-1 were created: each is synced in its parent.
      { folder: ".tamma/journal", seen: [".tamma/journal/run-1"] },
      { folder: ".tamma", seen: [".tamma/journal"] },
      { folder: ".", seen: [".tamma"] },
      { file: ".tamma/journal/run-1/.journal.json.tamma-*.tmp", seen: undefined },
      { folder: ".tamma/journal/run-1", seen: [".tamma/journal/run-1/journal.json"] }
    ])
    recorded.syncs.length = 0
    // Only run-2's folder is new: only its parent is synced for it.
    await run(store.open(journalOf("run-2")))
    expect(steps().map((step) => `${Object.keys(step)[0]} ${Object.values(step)[0]}`)).toEqual([
      "folder .tamma/journal",
      "file .tamma/journal/run-2/.journal.json.tamma-*.tmp",
      "folder .tamma/journal/run-2"
    ])
  })

  it("syncs the journal's folder after each note, and the runs folder after each record", async () => {
    const store = makeDiskJournal(root)
    await run(store.open(journalOf("run-1")))
    recorded.look = (path) => (fs.statSync(path).isDirectory() ? listing(path) : undefined)
    recorded.syncs.length = 0
    await run(store.note("run-1", []))
    await run(store.saveRun(recordOf("run-1")))
    expect(steps()).toEqual([
      { file: ".tamma/journal/run-1/.notes.json.tamma-*.tmp", seen: undefined },
      {
        folder: ".tamma/journal/run-1",
        seen: [".tamma/journal/run-1/journal.json", ".tamma/journal/run-1/notes.json"]
      },
      // .tamma/runs was created: synced in .tamma.
      { folder: ".tamma", seen: [".tamma/journal", ".tamma/runs"] },
      { file: ".tamma/runs/.run-1.json.tamma-*.tmp", seen: undefined },
      { folder: ".tamma/runs", seen: [".tamma/runs/run-1.json"] }
    ])
  })

  it("on close, makes the record durable, then the journal's move out of the way, then removes it", async () => {
    const store = makeDiskJournal(root)
    await run(store.open(journalOf("run-1")))
    await run(store.saveRun(recordOf("run-0")))
    recorded.look = (path) => (fs.statSync(path).isDirectory() ? listing(path) : undefined)
    recorded.syncs.length = 0
    await run(store.close("run-1", recordOf("run-1")))
    expect(steps()).toEqual([
      { file: ".tamma/runs/.run-1.json.tamma-*.tmp", seen: undefined },
      { folder: ".tamma/runs", seen: [".tamma/runs/run-0.json", ".tamma/runs/run-1.json"] },
      { folder: ".tamma/journal", seen: [".tamma/journal/.closing-run-1"] }
    ])
    expect(fs.readdirSync(nodePath.join(root, ".tamma", "journal"))).toEqual([])
  })
})
