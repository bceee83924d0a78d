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
  /** The descriptor synced, to tell afterwards whether it was closed. */
  readonly fd?: number
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
    recorded.syncs.push({ kind: "file", path, seen: recorded.look(path), fd })
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
      recorded.syncs.push({ kind: "folder", path, seen: recorded.look(path), fd: handle.fd })
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
const syncs = () => recorded.syncs.map(({ kind, path, seen }) => ({ kind, path: relative(path), seen }))
/**
 * The synced descriptors still open on what they were opened for. (Counting this process's
 * descriptors would count those of tests running beside this one in other threads.)
 */
const leftOpen = () =>
  recorded.syncs.filter(({ fd }) => {
    if (fd === undefined) return false
    try {
      // Each test's folder is new: a descriptor on anything in it is one of this test's.
      const target = fs.readlinkSync(`/proc/self/fd/${fd}`)
      return target === root || target.startsWith(`${root}${nodePath.sep}`)
    } catch {
      return false
    }
  })
const listing = (folder: string) =>
  fs.existsSync(folder) ? fs.readdirSync(folder).map((name) => relative(nodePath.join(folder, name))) : []

describe("atomic writes", () => {
  it("syncs the content in the temp file while the target still holds the old, then renames it over", async () => {
    fs.writeFileSync(nodePath.join(root, "a.ts"), "old")
    recorded.look = () => ({
      target: fs.readFileSync(nodePath.join(root, "a.ts"), "utf8"),
      folder: listing(root)
    })
    await writeAtomic(nodePath.join(root, "a.ts"), "new")
    expect(syncs()).toEqual([
      { kind: "file", path: ".a.ts.tamma-*.tmp", seen: { target: "old", folder: [".a.ts.tamma-*.tmp", "a.ts"] } }
    ])
    expect(fs.readFileSync(nodePath.join(root, "a.ts"), "utf8")).toBe("new")
    expect(fs.readdirSync(root)).toEqual(["a.ts"])
    // The temp file's descriptor is closed.
    expect(leftOpen()).toEqual([])
  })

  it("closes the temp file's descriptor when the write fails too", async () => {
    fs.mkdirSync(nodePath.join(root, "target", "inside"), { recursive: true })
    await expect(writeAtomic(nodePath.join(root, "target"), "x")).rejects.toThrow()
    expect(leftOpen()).toEqual([])
    expect(fs.readdirSync(root)).toEqual(["target"])
  })

  it("sets a replaced file's mode even where the umask would take bits from it", async () => {
    // 0o777 loses bits to any umask but 0 (022 here), applied when the temp file is created.
    const file = nodePath.join(root, "shared.sh")
    fs.writeFileSync(file, "old")
    fs.chmodSync(file, 0o777)
    await writeAtomic(file, "new")
    expect(fs.statSync(file).mode & 0o7777).toBe(0o777)
  })

  it("syncs every folder it is given, passes over one it cannot open, and closes each", async () => {
    fs.mkdirSync(nodePath.join(root, "a"))
    await syncFolders([root, nodePath.join(root, "missing"), nodePath.join(root, "a")])
    expect(syncs().map(({ kind, path }) => `${kind} ${path}`)).toEqual([
      "folder .",
      "folder not opened missing",
      "folder a"
    ])
    expect(leftOpen()).toEqual([])
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
