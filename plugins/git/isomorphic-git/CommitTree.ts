/**
 * CommitTree: the git trees behind `commit` and `resetTo`. A commit's tree is HEAD's tree with
 * only the given paths replaced, so that nothing else staged in the index slips into it (the
 * `git commit --only <paths>` behaviour), and only the folders on those paths are rewritten.
 */
import type { TreeEntry, WalkerEntry } from "isomorphic-git"
import { treeBody, writeObject } from "./LooseObjects.ts"

type IsoGit = typeof import("isomorphic-git")

/** What isomorphic-git needs to find the repository. */
export interface Repository {
  readonly fs: Parameters<IsoGit["readTree"]>[0]["fs"]
  readonly dir: string
  readonly gitdir: string
  readonly cache: object
}

/** The blob (oid and mode) at `path` in the tree `tree`, or `undefined`; `trees` caches folders read. */
export const blobAt = async (
  git: IsoGit,
  repo: Repository,
  tree: string | undefined,
  path: string,
  trees: Map<string, ReadonlyArray<TreeEntry>> = new Map()
): Promise<{ readonly oid: string; readonly mode: string } | undefined> => {
  let current = tree
  const segments = path.split("/")
  for (const [i, segment] of segments.entries()) {
    if (current === undefined) return undefined
    let entries = trees.get(current)
    if (entries === undefined) {
      entries = (await git.readTree({ ...repo, oid: current })).tree
      trees.set(current, entries)
    }
    const entry = entries.find((candidate) => candidate.path === segment)
    if (entry === undefined) return undefined
    if (i === segments.length - 1) return entry.type === "blob" ? { oid: entry.oid, mode: entry.mode } : undefined
    current = entry.type === "tree" ? entry.oid : undefined
  }
  return undefined
}

/** A path's new state in the tree: a blob with its mode, or `undefined` when it is deleted. */
export interface PathChange {
  readonly path: string
  readonly blob: { readonly oid: string; readonly mode: string } | undefined
}

const folderMode = "040000"

/** Writes the tree `base` with `changes` applied; `undefined` when the result is empty (git drops empty folders). */
const writeSubtree = async (
  git: IsoGit,
  repo: Repository,
  base: string | undefined,
  changes: ReadonlyArray<PathChange>
): Promise<string | undefined> => {
  const entries = new Map<string, TreeEntry>()
  if (base !== undefined) {
    for (const entry of (await git.readTree({ ...repo, oid: base })).tree) entries.set(entry.path, entry)
  }
  const nested = new Map<string, Array<PathChange>>()
  for (const change of changes) {
    const slash = change.path.indexOf("/")
    if (slash === -1) {
      if (change.blob === undefined) entries.delete(change.path)
      else entries.set(change.path, { path: change.path, type: "blob", ...change.blob })
      continue
    }
    const name = change.path.slice(0, slash)
    const inner = nested.get(name) ?? []
    inner.push({ path: change.path.slice(slash + 1), blob: change.blob })
    nested.set(name, inner)
  }
  for (const [name, inner] of nested) {
    const existing = entries.get(name)
    // A file (or submodule) where a folder is now wanted is replaced by the folder.
    const subtree = await writeSubtree(git, repo, existing?.type === "tree" ? existing.oid : undefined, inner)
    if (subtree === undefined) entries.delete(name)
    else entries.set(name, { path: name, type: "tree", mode: folderMode, oid: subtree })
  }
  if (entries.size === 0) return undefined
  // Written atomically, not through isomorphic-git's in-place writeTree (see LooseObjects).
  return writeObject(repo.gitdir, "tree", treeBody([...entries.values()]))
}

/** The oid of the tree `base` (a tree oid, or none for an empty repository) with `changes` applied. */
export const treeWith = async (
  git: IsoGit,
  repo: Repository,
  base: string | undefined,
  changes: ReadonlyArray<PathChange>
): Promise<string> => (await writeSubtree(git, repo, base, changes)) ?? writeObject(repo.gitdir, "tree", treeBody([]))

/** A file whose entry differs between two commits: its state in the second (`undefined`: absent there). */
export interface TreeDifference {
  readonly path: string
  readonly target: { readonly oid: string; readonly mode: number } | undefined
}

const fileState = async (entry: WalkerEntry | null | undefined) => {
  if (entry === null || entry === undefined) return undefined
  const type = await entry.type()
  return type === "tree" ? undefined : { type, oid: await entry.oid(), mode: await entry.mode() }
}

/** The files that differ between commit `from` (none: an empty tree) and commit `to`. */
export const differences = async (
  git: IsoGit,
  repo: Repository,
  from: string | undefined,
  to: string
): Promise<ReadonlyArray<TreeDifference>> => {
  const found: Array<TreeDifference> = []
  const trees = from === undefined ? [git.TREE({ ref: to })] : [git.TREE({ ref: from }), git.TREE({ ref: to })]
  await git.walk({
    ...repo,
    trees,
    map: async (path, entries) => {
      const [before, after] = from === undefined ? [undefined, entries[0]] : entries
      // Identical folders hold identical files: skip walking into them.
      if ((await before?.type()) === "tree" && (await after?.type()) === "tree") {
        if ((await before?.oid()) === (await after?.oid())) return null
      }
      const [a, b] = [await fileState(before), await fileState(after)]
      if (a?.oid !== b?.oid || a?.mode !== b?.mode) {
        found.push({ path, target: b === undefined ? undefined : { oid: b.oid, mode: b.mode } })
      }
      return undefined
    }
  })
  return found
}

/** The index entries (blob and mode) of `paths`; a path the index does not hold is left out. */
export const indexEntries = async (
  git: IsoGit,
  repo: Repository,
  paths: ReadonlyArray<string>
): Promise<ReadonlyMap<string, { readonly oid: string; readonly mode: string }>> => {
  const wanted = new Set(paths)
  const folders = new Set(
    paths.flatMap((path) =>
      path
        .split("/")
        .slice(0, -1)
        .map((_, i, parts) => parts.slice(0, i + 1).join("/"))
    )
  )
  const found = new Map<string, { readonly oid: string; readonly mode: string }>()
  await git.walk({
    ...repo,
    trees: [git.STAGE()],
    map: async (path, [entry]) => {
      if (path === "." || entry === null || entry === undefined) return undefined
      // Only the folders on the wanted paths are worth walking into.
      if ((await entry.type()) === "tree") return folders.has(path) ? undefined : null
      if (wanted.has(path)) found.set(path, { oid: await entry.oid(), mode: (await entry.mode()).toString(8) })
      return undefined
    }
  })
  return found
}
