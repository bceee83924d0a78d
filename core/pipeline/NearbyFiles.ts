/**
 * Files of a language near a path, to learn the project's habits from (`resolveFormatStyle`'s
 * `list`): the file's own folder and its subfolders first, then each folder above it, breadth
 * first, within a budget of folders so that a large repository costs no more than a small one.
 * Symbolic links are not followed and folders of other people's code are skipped; names are all
 * it returns, the files are read through the caller (the FileManager and its path rules).
 */
import { Effect, FileSystem, Path } from "effect"

/** What `nearbyFiles` looks for, and how far. */
export interface NearbyFilesOptions {
  /** The workspace folder, absolute. */
  readonly root: string
  /** The file whose neighbours are wanted, workspace-relative with `/`. */
  readonly path: string
  /** The language's extensions, with the dot. */
  readonly extensions: ReadonlyArray<string>
  /** How many files at most (24 by default). */
  readonly limit?: number
  /** How many folders are listed at most (64 by default). */
  readonly folders?: number
}

const skippedFolders = new Set(["node_modules", "vendor", "dist", "build", "target", "out", "__pycache__", "coverage"])

const extensionOf = (name: string): string => {
  const dot = name.lastIndexOf(".")
  return dot <= 0 ? "" : name.slice(dot).toLowerCase()
}

/** `src/app/a.ts` → `src/app`, `src`, `` (the workspace). */
const foldersAbove = (path: string): ReadonlyArray<string> => {
  const parts = path.split("/").slice(0, -1)
  return parts.map((_, index) => parts.slice(0, parts.length - index).join("/")).concat([""])
}

/** Workspace-relative paths of files of `extensions` near `path`, nearest first; never fails. */
export const nearbyFiles = Effect.fn("NearbyFiles.nearbyFiles")(function* (options: NearbyFilesOptions) {
  const fs = yield* FileSystem.FileSystem
  const paths = yield* Path.Path
  const wanted = new Set(options.extensions.map((extension) => extension.toLowerCase()))
  const limit = options.limit ?? 24
  let budget = options.folders ?? 64
  const listed = new Set<string>()
  const found: Array<string> = []
  for (const start of foldersAbove(options.path)) {
    const queue = [start]
    while (queue.length > 0 && found.length < limit && budget > 0) {
      const folder = queue.shift() ?? ""
      if (listed.has(folder)) continue
      listed.add(folder)
      budget--
      const entries = yield* fs
        .readDirectoryEntries(paths.join(options.root, folder))
        .pipe(Effect.orElseSucceed((): ReadonlyArray<FileSystem.DirectoryEntry> => []))
      for (const entry of [...entries].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
        const relative = folder === "" ? entry.name : `${folder}/${entry.name}`
        if (entry.type === "Directory" && !entry.name.startsWith(".") && !skippedFolders.has(entry.name)) {
          queue.push(relative)
        } else if (entry.type === "File" && wanted.has(extensionOf(entry.name)) && found.length < limit) {
          found.push(relative)
        }
      }
    }
  }
  return found
})
