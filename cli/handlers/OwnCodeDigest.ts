/**
 * A digest of tamma-codegen's own code, part of every `validate` cache key: in a source checkout
 * or a linked package the version stays the same while rules and tool wiring change, and a cache
 * hit must never hand back what older rules found. It hashes contents, not sizes and mtimes, since
 * a rule edit can keep the size and a copy can keep the mtime. Hashing costs ~30 ms a run (~870
 * built files), so `scripts/build.ts` writes the digest of what it built beside the bundles and
 * the bundled CLI reads that; from sources, or when that file is missing or unreadable, it hashes.
 */
import { createHash } from "node:crypto"
import * as fs from "node:fs/promises"
import * as path from "node:path"
import { Option, Schema } from "effect"
import { codeRoot } from "../../core/PackageRoot.ts"

/** The folders whose modules decide what `validate` finds (the rules, the tools' wiring, the shapes). */
const codeFolders = ["cli", "core", "plugins"] as const

/**
 * What the build digests: the code and the templates it ships with, since the build writes the
 * file once and a template edit must change the key too.
 */
export const builtFolders = [...codeFolders, "templates"] as const

/** The build's digest, in `cli/` beside the bundles: `{ "digest": "<sha-256 hex>" }`. */
export const digestFileName = "code-digest.json"

/**
 * In the code, source maps, type declarations and prose do not change a finding; nor does the
 * digest file, which holds the digest of everything else. Every template counts, prose too.
 */
const decidesNothing = (folder: string, name: string) =>
  name === digestFileName ||
  (folder !== "templates" && (name.endsWith(".map") || name.endsWith(".d.ts") || name.endsWith(".md")))

const filesUnder = async (root: string, folder: string): Promise<ReadonlyArray<string>> => {
  const entries = await fs.readdir(path.join(root, folder), { recursive: true, withFileTypes: true }).catch(() => [])
  return entries
    .filter((entry) => entry.isFile() && !decidesNothing(folder, entry.name))
    .map((entry) => path.relative(root, path.join(entry.parentPath, entry.name)))
}

/**
 * The digest of the code under `root` (the folder holding `cli/`, `core/` and `plugins/`): each
 * file's path relative to `root` and its bytes, in a fixed order.
 */
export const ownCodeDigest = async (root: string, folders: ReadonlyArray<string> = codeFolders): Promise<string> => {
  const files = (await Promise.all(folders.map((folder) => filesUnder(root, folder)))).flat().sort()
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

const BuiltDigest = Schema.Struct({ digest: Schema.String.check(Schema.isPattern(/^[0-9a-f]{64}$/)) })
const decodeBuiltDigest = Schema.decodeUnknownOption(Schema.fromJsonString(BuiltDigest))

/** The digest a build wrote to `file`, or undefined when it is missing or not one. */
export const readBuiltDigest = (file: string): Promise<string | undefined> =>
  fs.readFile(file, "utf8").then(
    (text) => Option.getOrUndefined(Option.map(decodeBuiltDigest(text), (read) => read.digest)),
    () => undefined
  )

/** Built (bundled, or as tsc emits it): only then did the build write a digest of this very code. */
const runsBuilt = import.meta.url.endsWith(".js")

let memo: Promise<string> | undefined

/** The digest of this process's own code, read from the build's file or computed, once. */
export const thisCodeDigest = (): Promise<string> => {
  memo ??= (
    runsBuilt ? readBuiltDigest(path.join(ownCodeRoot, "cli", digestFileName)) : Promise.resolve(undefined)
  ).then((built) => built ?? ownCodeDigest(ownCodeRoot))
  return memo
}
