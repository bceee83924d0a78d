/**
 * The files under the paths given to `validate` and `format`: dependency and build folders and
 * what `.gitignore` files ignore are left out, and symlinks are followed only inside the tree they
 * sit in. A folder is visited once however many links lead to it (a link to an ancestor is a
 * loop, not a deeper tree), and a file is listed once however many paths reach it.
 */
import * as fs from "node:fs/promises"
import * as path from "node:path"
import { Effect } from "effect"
import ignore, { type Ignore } from "ignore"
import { FileSystemError } from "../../core/errors.ts"
import { PathNotFoundError } from "../CliErrors.ts"

const skipped = new Set(["node_modules", ".git", ".tamma", "dist", "coverage", "target", "__pycache__", ".venv"])

interface IgnoreScope {
  readonly dir: string
  readonly rules: Ignore
}

const ignoredBy = (scopes: ReadonlyArray<IgnoreScope>, target: string, isDir: boolean): boolean =>
  scopes.some((scope) => {
    const relative = path.relative(scope.dir, target).split(path.sep).join("/")
    return relative !== "" && !relative.startsWith("..") && scope.rules.ignores(isDir ? `${relative}/` : relative)
  })

const isInside = (root: string, target: string): boolean => {
  const relative = path.relative(root, target)
  return relative === "" || (!relative.startsWith(`..${path.sep}`) && relative !== ".." && !path.isAbsolute(relative))
}

/** Where a link leads, or `undefined` when it leads nowhere (a dangling link, or one that loops on itself). */
const resolved = (target: string): Promise<string | undefined> => fs.realpath(target).catch(() => undefined)

/** Files under `paths`, in a stable order (each folder's entries by name). */
export const collectFiles = (paths: ReadonlyArray<string>) =>
  Effect.tryPromise({
    try: async (signal) => {
      const out: Array<string> = []
      const seenDirs = new Set<string>()
      const seenFiles = new Set<string>()
      const addFile = (shown: string, real: string) => {
        if (seenFiles.has(real)) return
        seenFiles.add(real)
        out.push(shown)
      }
      /** `shown` is the path as reached from the root, `real` the same with every link resolved. */
      const visitDir = async (root: string, shown: string, real: string, scopes: ReadonlyArray<IgnoreScope>) => {
        // Interrupted (Ctrl-C): stop walking instead of finishing a large tree for nobody.
        if (seenDirs.has(real) || signal.aborted) return
        seenDirs.add(real)
        const gitignore = await fs.readFile(path.join(real, ".gitignore"), "utf8").catch(() => undefined)
        const here = gitignore === undefined ? scopes : [...scopes, { dir: shown, rules: ignore().add(gitignore) }]
        const entries = (await fs.readdir(real, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name))
        for (const entry of entries) {
          const child = path.join(shown, entry.name)
          if (skipped.has(entry.name)) continue
          if (entry.isSymbolicLink()) {
            const target = await resolved(path.join(real, entry.name))
            // A link out of the tree (to `/`, to `..`) is not followed: the walk stays where it was asked to look.
            if (target === undefined || !isInside(root, target)) continue
            const stat = await fs.stat(target).catch(() => undefined)
            if (stat === undefined || ignoredBy(here, child, stat.isDirectory())) continue
            if (stat.isDirectory()) await visitDir(root, child, target, here)
            else if (stat.isFile()) addFile(child, target)
            continue
          }
          if (ignoredBy(here, child, entry.isDirectory())) continue
          if (entry.isDirectory()) await visitDir(root, child, path.join(real, entry.name), here)
          // Sockets, FIFOs and devices are not source files; reading a FIFO would block.
          else if (entry.isFile()) addFile(child, path.join(real, entry.name))
        }
      }
      for (const target of paths) {
        const real = await fs.realpath(target)
        const stat = await fs.stat(real)
        if (stat.isFile()) addFile(target, real)
        else if (stat.isDirectory()) await visitDir(real, target, real, [])
      }
      return out
    },
    catch: (error) =>
      new FileSystemError({
        path: paths.join(" "),
        operation: "read",
        cause: error instanceof Error ? error.message : String(error)
      })
  })

/** Fails with the first of `paths` that does not exist: a typo is bad input, not a failed check. */
export const requireExisting = Effect.fn("cli.requireExisting")(function* (paths: ReadonlyArray<string>) {
  for (const target of paths) {
    const exists = yield* Effect.promise(() =>
      fs.stat(target).then(
        () => true,
        () => false
      )
    )
    if (!exists) return yield* new PathNotFoundError({ path: target })
  }
})
