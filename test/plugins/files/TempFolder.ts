/**
 * TempFolder: a real folder under the OS temp dir for the length of a test's scope.
 */
import * as fs from "node:fs/promises"
import * as os from "node:os"
import * as nodePath from "node:path"
import { Effect } from "effect"

/** A fresh folder, removed with everything in it when the scope closes. */
export const tempFolder = (prefix = "tamma-test-") =>
  Effect.acquireRelease(
    Effect.promise(() => fs.mkdtemp(nodePath.join(os.tmpdir(), prefix))),
    (folder) => Effect.promise(() => fs.rm(folder, { recursive: true, force: true }))
  )

/** Writes `files` (relative path → content) under `root`, creating folders. */
export const writeTree = (root: string, files: Readonly<Record<string, string>>) =>
  Effect.promise(async () => {
    for (const [path, content] of Object.entries(files)) {
      const full = nodePath.join(root, path)
      await fs.mkdir(nodePath.dirname(full), { recursive: true })
      await fs.writeFile(full, content)
    }
  })

// Git's and Tamma's own folders: journals, run records and the lock are not workspace content.
const isInternal = (relative: string) =>
  relative === ".git" || relative.startsWith(".git/") || relative === ".tamma" || relative.startsWith(".tamma/")

/** Every file under `root` (relative path → content), skipping `.git` and `.tamma`. */
export const readTree = (root: string) =>
  Effect.promise(async () => {
    const entries = await fs.readdir(root, { recursive: true, withFileTypes: true })
    const files: Record<string, string> = {}
    for (const entry of entries) {
      const full = nodePath.join(entry.parentPath, entry.name)
      const relative = nodePath.relative(root, full).split(nodePath.sep).join("/")
      if (isInternal(relative) || !entry.isFile()) continue
      files[relative] = await fs.readFile(full, "utf8")
    }
    return Object.fromEntries(Object.entries(files).sort(([a], [b]) => a.localeCompare(b)))
  })

/** Every folder under `root` (relative paths), skipping `.git` and `.tamma`. */
export const readFolders = (root: string) =>
  Effect.promise(async () => {
    const entries = await fs.readdir(root, { recursive: true, withFileTypes: true })
    return entries
      .filter((entry) => entry.isDirectory())
      .map((entry) =>
        nodePath.relative(root, nodePath.join(entry.parentPath, entry.name)).split(nodePath.sep).join("/")
      )
      .filter((relative) => !isInternal(relative))
      .sort()
  })
