/**
 * Packs read once per process: each run of a long-lived process (an evaluation's tasks, a
 * cluster worker's jobs) builds its own template store, which read and decoded the same built-in
 * packs again, 0.1 to 2 s under load. The copy is keyed by every file and folder under the
 * folder with its size, times and inode, so a template edited, added or removed is read again.
 */
import * as fs from "node:fs"
import * as path from "node:path"
import { Effect } from "effect"
import type { Template } from "../../../core/domain/Template.ts"
import type { FileSystemError } from "../../../core/errors.ts"
import { fsError } from "./PackFolder.ts"

interface Entry {
  /** The folder's files and folders, the folder itself first, as they were read. */
  readonly paths: ReadonlyArray<string>
  readonly key: string
  readonly templates: ReadonlyMap<string, Template>
}

const loaded = new Map<string, Entry>()

/**
 * The metadata of `paths`: equal keys mean no file was edited (its times, size or inode) and no
 * folder had an entry added, removed or renamed (its times); a path gone gives another key.
 */
const keyOf = (paths: ReadonlyArray<string>) =>
  // One synchronous stat after the other: a few milliseconds for the built-in packs' ~600 paths,
  // where the same stats through the thread pool took 25 to 40 ms under load.
  Effect.sync(() =>
    paths
      .map((file) => {
        const stat = fs.statSync(file, { bigint: true, throwIfNoEntry: false })
        return stat === undefined
          ? `${file}\0gone`
          : `${file}\0${stat.size}\0${stat.mtimeNs}\0${stat.ctimeNs}\0${stat.ino}`
      })
      .join("\n")
  )

/** `dir` and every file and folder under it. */
const pathsUnder = (dir: string): Effect.Effect<ReadonlyArray<string>, FileSystemError> =>
  Effect.tryPromise({
    try: async () => {
      const entries = await fs.promises.readdir(dir, { recursive: true, withFileTypes: true })
      const under = entries
        .filter((entry) => entry.isFile() || entry.isDirectory())
        .map((entry) => path.join(entry.parentPath, entry.name))
      return [dir, ...under.sort()]
    },
    catch: fsError(dir, "list")
  })

/**
 * The templates `read` finds in `dir`, read again only when a file or folder of `dir` changed
 * since the last read in this process. Checking the paths of the last read costs one `stat`
 * each; listing the folder again would cost a `readdir` per folder, one after the other, which
 * under load took longer than the read it saves. The key is taken before reading,
 * so a file edited during the read leaves a key that no longer matches, and the next call reads
 * again.
 */
export const cachedPacks = <E, R>(
  dir: string,
  read: Effect.Effect<ReadonlyMap<string, Template>, E, R>
): Effect.Effect<ReadonlyMap<string, Template>, E | FileSystemError, R> =>
  Effect.gen(function* () {
    const folder = path.resolve(dir)
    const hit = loaded.get(folder)
    if (hit !== undefined && (yield* keyOf(hit.paths)) === hit.key) return hit.templates
    const paths = yield* pathsUnder(folder)
    const key = yield* keyOf(paths)
    const templates = yield* read
    loaded.set(folder, { paths, key, templates })
    return templates
  })
