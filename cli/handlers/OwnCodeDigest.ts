/**
 * A digest of tamma-codegen's own code, part of every `validate` cache key: in a source checkout
 * or a linked package the version stays the same while rules and tool wiring change, and a cache
 * hit must never hand back what older rules found. It hashes contents, not sizes and mtimes, since
 * a rule edit can keep the size and a copy can keep the mtime; the ~300 files cost ~30 ms, once
 * per process.
 */
import { createHash } from "node:crypto"
import * as fs from "node:fs/promises"
import * as path from "node:path"
import { codeRoot } from "../../core/PackageRoot.ts"

/** The folders whose modules decide what `validate` finds (the rules, the tools' wiring, the shapes). */
const codeFolders = ["cli", "core", "plugins"] as const

/** Source maps, type declarations and prose do not change a finding. */
const decidesNothing = (name: string) => name.endsWith(".map") || name.endsWith(".d.ts") || name.endsWith(".md")

const filesUnder = async (root: string, folder: string): Promise<ReadonlyArray<string>> => {
  const entries = await fs.readdir(path.join(root, folder), { recursive: true, withFileTypes: true }).catch(() => [])
  return entries
    .filter((entry) => entry.isFile() && !decidesNothing(entry.name))
    .map((entry) => path.relative(root, path.join(entry.parentPath, entry.name)))
}

/**
 * The digest of the code under `root` (the folder holding `cli/`, `core/` and `plugins/`): each
 * file's path relative to `root` and its bytes, in a fixed order.
 */
export const ownCodeDigest = async (root: string): Promise<string> => {
  const files = (await Promise.all(codeFolders.map((folder) => filesUnder(root, folder)))).flat().sort()
  const contents = await Promise.all(files.map((file) => fs.readFile(path.join(root, file))))
  const hash = createHash("sha256")
  for (const [index, file] of files.entries()) {
    const content = contents[index] ?? Buffer.alloc(0)
    hash.update(`${file}\0${content.length}\0`).update(content)
  }
  return hash.digest("hex")
}

/** The checkout, or `dist/` once built: in the bundled CLI, `cli/` holds the bundles themselves. */
export const ownCodeRoot = codeRoot

let memo: Promise<string> | undefined

/** The digest of this process's own code, computed once. */
export const thisCodeDigest = (): Promise<string> => {
  memo ??= ownCodeDigest(ownCodeRoot)
  return memo
}
