/**
 * A sandbox copy of a workspace with staged changes overlaid, for running tests before anything
 * is written to the workspace itself. Dependency folders are linked, not copied.
 */
import * as fs from "node:fs/promises"
import * as os from "node:os"
import * as path from "node:path"
import { fileURLToPath } from "node:url"
import { Effect } from "effect"
import type { StagedChange } from "../../core/services/FileManager.ts"

/** This package's dependencies: what a JavaScript workspace without installed ones tests with. */
const ownNodeModules = fileURLToPath(new URL("../../node_modules/", import.meta.url))

const exists = (target: string) =>
  fs.stat(target).then(
    () => true,
    () => false
  )

/** Never copied: version control, our own state, and folders that are big and rebuilt anyway. */
const skipped = new Set([".git", ".tamma", "target", "dist", "coverage", "__pycache__", ".pytest_cache"])
/** Linked into the sandbox: installed dependencies the tests need as they are. */
const linked = new Set(["node_modules", ".venv", "venv"])

const copyTree = async (from: string, to: string): Promise<void> => {
  await fs.mkdir(to, { recursive: true })
  for (const entry of await fs.readdir(from, { withFileTypes: true })) {
    if (skipped.has(entry.name)) continue
    const source = path.join(from, entry.name)
    const target = path.join(to, entry.name)
    if (linked.has(entry.name)) await fs.symlink(await fs.realpath(source), target)
    else if (entry.isDirectory()) await copyTree(source, target)
    else if (entry.isFile()) await fs.copyFile(source, target)
    else if (entry.isSymbolicLink()) await fs.symlink(await fs.readlink(source), target)
  }
}

/** A temp folder holding the workspace plus `changes`, removed when the scope closes. */
export const stagedSandbox = (workspace: string, changes: ReadonlyArray<StagedChange>) =>
  Effect.acquireRelease(
    Effect.promise(async () => {
      const dir = await fs.mkdtemp(path.join(os.tmpdir(), "tamma-sandbox-"))
      await copyTree(workspace, dir)
      if ((await exists(path.join(dir, "package.json"))) && !(await exists(path.join(dir, "node_modules")))) {
        await fs.symlink(ownNodeModules, path.join(dir, "node_modules"))
      }
      for (const change of changes) {
        const target = path.join(dir, change.path)
        if (change.after === undefined) await fs.rm(target, { force: true })
        else {
          await fs.mkdir(path.dirname(target), { recursive: true })
          await fs.writeFile(target, change.after)
        }
      }
      return dir
    }),
    (dir) => Effect.promise(() => fs.rm(dir, { recursive: true, force: true }))
  )
