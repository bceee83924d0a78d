/**
 * DiskJournal: write-ahead journals and run records under the workspace's `.tamma/` folder.
 *
 *   .tamma/journal/<runId>/journal.json   the intent (every file's before and after), written
 *                                         atomically and fsynced before any workspace file changes
 *   .tamma/journal/<runId>/notes.json     the branch and commit notes, rewritten atomically
 *   .tamma/runs/<runId>.json              the record of a completed run
 *
 * A journal folder without `journal.json` was never opened (a crash while writing it): nothing of
 * the workspace had changed, so it is removed. Closing renames the folder out of the way first,
 * so a crash while removing it never leaves half a journal that looks open.
 */
import * as fs from "node:fs/promises"
import * as nodePath from "node:path"
import { Effect } from "effect"
import {
  decodeJournalJson,
  decodeNotesJson,
  decodeRunRecordJson,
  encodeJournalJson,
  encodeNotesJson,
  encodeRunRecordJson,
  type Journal,
  type JournalNote,
  type OpenJournal,
  type RunRecord
} from "../../../core/domain/RunRecord.ts"
import { FileSystemError } from "../../../core/errors.ts"
import type { JournalStore } from "../../../core/services/RunJournal.ts"
import { syncFolders, writeAtomic } from "./AtomicFile.ts"
import { errorCode, fileSystemError } from "./RealLocation.ts"

const closingPrefix = ".closing-"
const closeOperation = "close journal"

/** The `.tamma/` folder of a workspace. */
export const tammaFolder = (root: string): string => nodePath.join(root, ".tamma")

/** Whether the workspace at `root` has a journal folder with anything in it: a cheap test for `recover`. */
export const hasJournals = async (root: string): Promise<boolean> => {
  const entries = await fs.readdir(nodePath.join(tammaFolder(root), "journal")).catch(() => [])
  return entries.length > 0
}

const readOptional = (file: string) =>
  fs.readFile(file, "utf8").catch((cause: unknown) => {
    if (errorCode(cause) === "ENOENT") return undefined
    throw cause
  })

// A missing folder on the way (or a file where a folder should be) means nothing was written
// there; any other failure is not an answer and is reported.
const isAbsent = (cause: unknown) => {
  const code = errorCode(cause)
  return code === "ENOENT" || code === "ENOTDIR"
}

const exists = (file: string) =>
  fs.lstat(file).then(
    () => true,
    (cause: unknown) => {
      if (isAbsent(cause)) return false
      throw cause
    }
  )

/** The names in `folder`, none when it is not there. */
const listOrEmpty = (folder: string) =>
  fs.readdir(folder).catch((cause: unknown) => {
    if (isAbsent(cause)) return []
    throw cause
  })

/** Creates `folder` and its missing parents durably (their entries fsynced in their parents). */
const ensureFolder = async (folder: string): Promise<void> => {
  const first = await fs.mkdir(folder, { recursive: true })
  if (first === undefined) return
  const parents: Array<string> = []
  for (let current = folder; current.length >= first.length; current = nodePath.dirname(current)) {
    parents.push(nodePath.dirname(current))
  }
  await syncFolders(parents)
}

/** The journal store of the workspace at `root` (absolute). */
export const makeDiskJournal = (root: string): JournalStore => {
  const journals = nodePath.join(tammaFolder(root), "journal")
  const runsFolder = nodePath.join(tammaFolder(root), "runs")
  const folderOf = (runId: string) => nodePath.join(journals, runId)

  // An interrupted fiber does not stop its promise: a journal written after the run's undo
  // would stay behind. Each operation finishes before an interruption takes effect.
  const attempt = <A>(path: string, operation: string, run: () => Promise<A>) =>
    Effect.tryPromise({ try: run, catch: fileSystemError(path, operation) }).pipe(Effect.uninterruptible)

  const open = Effect.fn("DiskJournal.open")(function* (journal: Journal) {
    const folder = folderOf(journal.runId)
    yield* attempt(folder, "open journal", async () => {
      await ensureFolder(folder)
      await writeAtomic(nodePath.join(folder, "journal.json"), encodeJournalJson(journal))
      await syncFolders([folder])
    })
  })

  const note = Effect.fn("DiskJournal.note")(function* (runId: string, notes: ReadonlyArray<JournalNote>) {
    const folder = folderOf(runId)
    yield* attempt(folder, "write journal note", async () => {
      await writeAtomic(nodePath.join(folder, "notes.json"), encodeNotesJson(notes))
      await syncFolders([folder])
    })
  })

  const removeFolder = (folder: string) =>
    attempt(folder, closeOperation, async () => {
      const closing = nodePath.join(journals, `${closingPrefix}${nodePath.basename(folder)}`)
      try {
        await fs.rename(folder, closing)
      } catch (cause) {
        if (errorCode(cause) === "ENOENT") return
        throw cause
      }
      await syncFolders([journals])
      await fs.rm(closing, {
        recursive: true,
        // Stryker disable next-line BooleanLiteral: the folder was just renamed here; force only matters if another process removes it first
        force: true
      })
    })

  const saveRun = Effect.fn("DiskJournal.saveRun")(function* (record: RunRecord) {
    yield* attempt(runsFolder, "write run record", async () => {
      await ensureFolder(runsFolder)
      await writeAtomic(nodePath.join(runsFolder, `${record.runId}.json`), encodeRunRecordJson(record))
      await syncFolders([runsFolder])
    })
  })

  const close = Effect.fn("DiskJournal.close")(function* (runId: string, record: RunRecord | undefined) {
    if (record !== undefined) yield* saveRun(record)
    yield* removeFolder(folderOf(runId))
  })

  const readJournal = Effect.fnUntraced(function* (name: string) {
    const folder = folderOf(name)
    const text = yield* attempt(folder, "read journal", () => readOptional(nodePath.join(folder, "journal.json")))
    if (text === undefined) {
      // Never opened: the crash came before the journal was durable, so no file had changed.
      yield* removeFolder(folder)
      return undefined
    }
    const journal = yield* decodeJournalJson(text).pipe(
      Effect.mapError(
        (error) => new FileSystemError({ path: folder, operation: "decode journal", cause: error.message })
      )
    )
    // The run id names the folders it is closed and recorded in: one that is not its own folder's
    // name (`../..` of a planted journal) would have them removed or written anywhere.
    if (journal.runId !== name) {
      return yield* new FileSystemError({
        path: folder,
        operation: "decode journal",
        cause: `it names run ${JSON.stringify(journal.runId)}, not ${name}, the folder it is in: left as it is`
      })
    }
    const notesText = yield* attempt(folder, "read journal notes", () =>
      readOptional(nodePath.join(folder, "notes.json"))
    )
    const notes =
      notesText === undefined
        ? []
        : yield* decodeNotesJson(notesText).pipe(
            Effect.mapError(
              (error) => new FileSystemError({ path: folder, operation: "decode journal notes", cause: error.message })
            )
          )
    const finished = yield* attempt(folder, "read run record", () =>
      exists(nodePath.join(runsFolder, `${journal.runId}.json`))
    )
    const found: OpenJournal = { journal, notes, finished }
    return found
  })

  const pending = Effect.gen(function* () {
    const names = yield* attempt(journals, "list journals", () => listOrEmpty(journals))
    const found: Array<OpenJournal> = []
    // Stryker disable next-line MethodExpression: libuv lists a folder sorted by name already (scandir with strcmp, the same order for ASCII run ids); sorting here keeps the order on any other platform
    for (const name of names.sort()) {
      if (name.startsWith(closingPrefix)) {
        // A close that a crash interrupted: finish removing it.
        const closing = nodePath.join(journals, name)
        yield* attempt(closing, closeOperation, () =>
          fs.rm(closing, {
            recursive: true,
            // Stryker disable next-line BooleanLiteral: the folder was just listed; force only matters if another process removes it first
            force: true
          })
        )
        continue
      }
      if (name.startsWith(".")) continue
      const journal = yield* readJournal(name)
      if (journal !== undefined) found.push(journal)
    }
    return found
  }).pipe(Effect.withSpan("DiskJournal.pending"))

  const runs = Effect.gen(function* () {
    const names = yield* attempt(runsFolder, "list runs", () => listOrEmpty(runsFolder))
    const records: Array<RunRecord> = []
    const recordNames = names.filter((n) => n.endsWith(".json") && !n.startsWith("."))
    // Stryker disable next-line MethodExpression: libuv lists a folder sorted by name already (see pending)
    for (const name of recordNames.sort()) {
      const file = nodePath.join(runsFolder, name)
      const text = yield* attempt(file, "read run record", () => fs.readFile(file, "utf8"))
      records.push(
        yield* decodeRunRecordJson(text).pipe(
          Effect.mapError(
            (error) => new FileSystemError({ path: file, operation: "decode run record", cause: error.message })
          )
        )
      )
    }
    return records
  }).pipe(Effect.withSpan("DiskJournal.runs"))

  return { open, note, close, pending, runs, saveRun }
}
