/**
 * NodeFiles: the FileManager's backend over the real disk. Applies a staged set all or
 * nothing: every file is replaced atomically, and a failure midway puts back what was written.
 */
import * as fsSync from "node:fs"
import * as fs from "node:fs/promises"
import * as nodePath from "node:path"
import { Effect, type Layer, Predicate } from "effect"
import type { FilesConfig } from "../../../core/domain/Config.ts"
import { FileSystemError, type UnsafePathError } from "../../../core/errors.ts"
import {
  FileManager,
  type RealPath,
  type RevertOptions,
  type StagedChange,
  type WorkspaceBackend
} from "../../../core/services/FileManager.ts"
import { reservedRoots } from "../../../core/services/PathPolicy.ts"
import type { RunHistory } from "../../../core/services/RunHistory.ts"
import { putContent, removeEmptyFolders, removeTempLeftovers, syncFolders } from "./AtomicFile.ts"
import { makeDiskJournal } from "./DiskJournal.ts"
import { errorCode, fileSystemError, realTarget, resolveTarget } from "./RealLocation.ts"

// Enough to overlap the fsyncs of a large run without exhausting file descriptors.
const writeConcurrency = 16

// Fatal: a file that is not UTF-8 would be corrupted by a read-modify-write. ignoreBOM keeps the BOM in the text.
const utf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true })

/** The text of `file`, `undefined` when absent. Synchronous calls: see AtomicFile.writeAtomic. */
const readText = async (file: string): Promise<string | undefined> => {
  let stats: fsSync.Stats | undefined
  try {
    stats = fsSync.statSync(file)
  } catch (cause) {
    const code = errorCode(cause)
    if (code === "ENOENT" || code === "ENOTDIR") return undefined
    throw cause
  }
  // Reading a FIFO would block forever, and a folder is not content.
  if (!stats.isFile()) throw new Error("not a regular file")
  return utf8.decode(fsSync.readFileSync(file))
}

const asFileSystemError = (error: UnsafePathError | FileSystemError): FileSystemError =>
  error._tag === "FileSystemError"
    ? error
    : new FileSystemError({ path: error.path, operation: "check", cause: error.message })

interface Planned {
  readonly change: StagedChange
  readonly target: string
}

interface Applied extends Planned {
  readonly created: ReadonlyArray<string>
}

/** A backend over the folder `root`, which must exist. */
export const makeNodeBackend = Effect.fn("NodeFiles.makeBackend")(function* (root: string) {
  const absoluteRoot = nodePath.resolve(root)
  const realRoot = yield* Effect.tryPromise({
    try: async () => {
      const real = await fs.realpath(absoluteRoot)
      if (!(await fs.stat(real)).isDirectory()) throw new Error("not a folder")
      return real
    },
    catch: fileSystemError(absoluteRoot, "open workspace")
  })
  // The folders an apply created, per change, so that a later revert removes them too.
  const createdFolders = new WeakMap<StagedChange, ReadonlyArray<string>>()

  const target = (path: string) => realTarget(absoluteRoot, realRoot, path)

  /** Whether `absolute` exists, once every link on the way is followed, strictly inside the workspace. */
  const insideRoot = (absolute: string): boolean => {
    try {
      const relative = nodePath.relative(realRoot, fsSync.realpathSync(absolute))
      return relative !== "" && !relative.startsWith("..") && !nodePath.isAbsolute(relative)
    } catch {
      return false
    }
  }

  const read = Effect.fn("NodeFiles.read")(function* (path: string) {
    return yield* Effect.tryPromise({
      try: () => readText(nodePath.join(absoluteRoot, ...path.split("/"))),
      catch: fileSystemError(path, "read")
    })
  })

  const checkReal = Effect.fn("NodeFiles.checkReal")(function* (path: string) {
    const resolved = yield* resolveTarget(absoluteRoot, realRoot, path)
    const real: RealPath = { path: resolved.path, link: resolved.link }
    return real
  })

  const plan = Effect.fnUntraced(function* (changes: ReadonlyArray<StagedChange>) {
    const planned = yield* Effect.forEach(
      changes,
      (change) => target(change.path).pipe(Effect.map((real): Planned => ({ change, target: real }))),
      { concurrency: writeConcurrency }
    )
    // Two paths reaching one file through a symlink would race and defeat the conflict check.
    const seen = new Map<string, string>()
    for (const { change, target: real } of planned) {
      const other = seen.get(real)
      if (other !== undefined) {
        return yield* new FileSystemError({ path: change.path, operation: "check", cause: `same file as ${other}` })
      }
      seen.set(real, change.path)
    }
    return planned
  })

  /** Puts `before` back for each applied change; returns the errors instead of stopping at the first. */
  const restore = (applied: ReadonlyArray<Applied>, origin: RevertOptions["origin"]) =>
    Effect.forEach(
      applied,
      ({ change, target: real }) =>
        Effect.tryPromise({
          // A file that already holds its before-state (a crash came before it was written) is
          // left alone: a restore after a crash is mostly such files, and a write costs an fsync.
          try: async () => {
            const current = await readText(real).catch(() => null)
            if (current === change.before) return
            // Writes are atomic, so a file of the run holds one of its two states. Any other
            // content was not written by it: edited since, or a journal the workspace came with.
            // This process's own run is undone whole: a later step of it (a hook) may have changed it.
            if (origin === "found-journal" && current !== change.after) {
              throw new Error("holds neither its state before the run nor after it")
            }
            await putContent(real, change.before)
          },
          catch: fileSystemError(change.path, "restore")
        }).pipe(
          Effect.flip,
          Effect.orElseSucceed(() => undefined)
        ),
      { concurrency: writeConcurrency }
    ).pipe(
      Effect.map((errors) => errors.filter(Predicate.isNotUndefined)),
      // A crash inside writeAtomic leaves its temp file beside the target: part of the undo.
      Effect.tap(() =>
        Effect.promise(() => removeTempLeftovers(new Set(applied.map((entry) => nodePath.dirname(entry.target)))))
      ),
      // A refused file means the journal is not this run's as it claims: none of its folders go either.
      Effect.tap((errors) =>
        errors.length > 0
          ? Effect.void
          : Effect.promise(() => removeEmptyFolders(new Set(applied.flatMap((entry) => entry.created))))
      )
    )

  /** The folders above `paths`, outside git's and Tamma's own: the only ones a run can have created. */
  const parentFolders = (paths: ReadonlyArray<string>): ReadonlySet<string> => {
    const parents = new Set<string>()
    for (const path of paths) {
      const segments = path.split("/").slice(0, -1)
      if (reservedRoots.includes(segments[0] ?? "")) continue
      for (let depth = 1; depth <= segments.length; depth++) parents.add(segments.slice(0, depth).join("/"))
    }
    return parents
  }

  const withRestoreFailures = (error: FileSystemError, failures: ReadonlyArray<FileSystemError>) =>
    failures.length === 0
      ? error
      : new FileSystemError({
          path: error.path,
          operation: error.operation,
          cause: `${error.cause}; could not restore ${failures.map((f) => `${f.path} (${f.cause})`).join(", ")}`
        })

  const applyAll = Effect.fn("NodeFiles.applyAll")(
    function* (changes: ReadonlyArray<StagedChange>) {
      const planned = yield* plan(changes)
      const state: { failure?: FileSystemError } = {}
      const outcomes = yield* Effect.forEach(
        planned,
        ({ change, target: real }) =>
          Effect.suspend(() =>
            // Once one change failed, the others would only have to be undone.
            state.failure !== undefined
              ? Effect.succeed(undefined)
              : Effect.tryPromise({
                  try: () => putContent(real, change.after),
                  catch: fileSystemError(change.path, change.after === undefined ? "delete" : "write")
                }).pipe(
                  Effect.map((created): Applied => ({ change, target: real, created })),
                  Effect.catch((error) =>
                    Effect.sync(() => {
                      state.failure ??= error
                      return undefined
                    })
                  )
                )
          ),
        { concurrency: writeConcurrency }
      )
      const applied = outcomes.filter(Predicate.isNotUndefined)
      if (state.failure !== undefined) {
        const failures = yield* restore(applied, "own-run")
        return yield* withRestoreFailures(state.failure, failures)
      }
      for (const entry of applied) createdFolders.set(entry.change, entry.created)
      yield* Effect.promise(() => syncFolders(new Set(applied.map((entry) => nodePath.dirname(entry.target)))))
    },
    // Stopping halfway would leave the workspace neither before nor after.
    Effect.uninterruptible
  )

  const revertAll = Effect.fn("NodeFiles.revertAll")(function* (
    changes: ReadonlyArray<StagedChange>,
    options: RevertOptions
  ) {
    const folders = options.createdFolders
    const planned = yield* plan(changes).pipe(Effect.mapError(asFileSystemError))
    // The journal's folders (a crash lost what this process knew), else those its own apply created.
    // A journal is a file of the workspace, and may have been planted: only folders above its own
    // files, inside the workspace and outside .git and .tamma, as a run can only have created those.
    const allowed = parentFolders(changes.map((change) => change.path))
    const journaled = folders?.flatMap((folder) => {
      const absolute = nodePath.join(absoluteRoot, ...folder.split("/"))
      return allowed.has(folder) && insideRoot(absolute) ? [absolute] : []
    })
    const applied = planned.map(
      (entry, i): Applied => ({
        ...entry,
        created: journaled === undefined ? (createdFolders.get(entry.change) ?? []) : i === 0 ? journaled : []
      })
    )
    const failures = yield* restore(applied, options.origin)
    const first = failures[0]
    if (first !== undefined) {
      return yield* withRestoreFailures(
        new FileSystemError({ path: first.path, operation: "revert", cause: first.cause }),
        failures.slice(1)
      )
    }
    yield* Effect.promise(() => syncFolders(new Set(applied.map((entry) => nodePath.dirname(entry.target)))))
  }, Effect.uninterruptible)

  const missingFolders = Effect.fn("NodeFiles.missingFolders")(function* (paths: ReadonlyArray<string>) {
    const known = new Map<string, boolean>()
    const missing: Array<string> = []
    for (const path of paths) {
      const segments = path.split("/").slice(0, -1)
      for (let depth = 1; depth <= segments.length; depth++) {
        const folder = segments.slice(0, depth).join("/")
        let present = known.get(folder)
        if (present === undefined) {
          present = yield* Effect.tryPromise({
            try: () =>
              fs.lstat(nodePath.join(absoluteRoot, ...folder.split("/"))).then(
                () => true,
                (cause: unknown) => {
                  if (errorCode(cause) === "ENOENT") return false
                  throw cause
                }
              ),
            catch: fileSystemError(folder, "check")
          })
          known.set(folder, present)
          if (!present) missing.push(folder)
        }
      }
    }
    return missing
  })

  const backend: WorkspaceBackend = {
    root: absoluteRoot,
    read,
    checkReal,
    missingFolders,
    applyAll,
    revertAll,
    journal: makeDiskJournal(realRoot)
  }
  return backend
})

/** FileManager (and RunHistory) layers over the real disk. */
export const NodeFiles = {
  /** A FileManager and RunHistory over the workspace folder `root` (absolute), under the file rules of `files`. */
  layer: (root: string, files?: FilesConfig): Layer.Layer<FileManager | RunHistory, FileSystemError> =>
    FileManager.layerFrom(makeNodeBackend(root), files)
} as const
