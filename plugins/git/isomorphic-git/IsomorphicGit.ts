/**
 * IsomorphicGit: the Git service over isomorphic-git and the node file system, for the
 * repository whose work tree is the workspace root.
 */
import * as fs from "node:fs"
import * as nodePath from "node:path"
import { Effect, Layer, Predicate } from "effect"
import type { StatusRow } from "isomorphic-git"
import { invalidBranchName } from "../../../core/domain/BranchName.ts"
import { GitError, WorkspaceError } from "../../../core/errors.ts"
import { type BranchUndo, type CommitOptions, Git, type GitStatusEntry } from "../../../core/services/Git.ts"
import { blobAt, differences, type PathChange, type Repository, treeWith } from "./CommitTree.ts"
import { type GitIndexFile, readIndex, setEntry, statData, unknownStat, writeIndex } from "./GitIndex.ts"
import { hooksFolder, runHook } from "./Hooks.ts"
import { makeIgnoreRules } from "./IgnoreRules.ts"
import { ensureExcluded } from "./InfoExclude.ts"
import { commitBody, gitdirOf, objectId, writeObject, writeRef } from "./LooseObjects.ts"

type IsoGit = typeof import("isomorphic-git")

const defaultAuthor = { name: "Tamma", email: "tamma@localhost" }

// Run records and journals live there; they are never part of the project's history.
const isInternal = (path: string) => path === ".tamma" || path.startsWith(".tamma/")

const describeCause = (cause: unknown) => (cause instanceof Error ? cause.message : String(cause))

const isNotFound = (cause: unknown) => Predicate.hasProperty(cause, "code") && cause.code === "NotFoundError"

/** A statusMatrix row as a status entry; `undefined` when the file is unchanged. */
const entryOf = ([path, head, workdir, stage]: StatusRow): GitStatusEntry | undefined => {
  if (head === 0) {
    if (stage !== 0) return { path, status: "added" }
    return workdir === 0 ? undefined : { path, status: "untracked" }
  }
  if (workdir === 0 || stage === 0) return { path, status: "deleted" }
  return workdir === 1 && stage === 1 ? undefined : { path, status: "modified" }
}

/** The Git service for the work tree at `root`; also keeps `.tamma/` out of git when `root` is a repository. */
export const makeIsomorphicGit = Effect.fn("IsomorphicGit.make")(function* (root: string) {
  const dir = nodePath.resolve(root)
  const dotGit = nodePath.join(dir, ".git")
  // Loaded when the layer is built, so that commands that never touch git do not pay for it.
  const git: IsoGit = yield* Effect.promise(() => import("isomorphic-git"))
  const gitdir = yield* Effect.promise(() => gitdirOf(dir).catch(() => dotGit))
  // A fresh cache per operation: a shared one would go stale when the user runs git in between.
  const repository = (): Repository => ({ fs, dir, gitdir, cache: {} })

  // Uninterruptible: an interrupted fiber does not stop its promise, which would go on writing
  // refs and the index after the interruption's undo had run. The operation finishes first.
  const attempt = <A>(operation: string, run: () => Promise<A>) =>
    Effect.uninterruptible(
      Effect.tryPromise({ try: run, catch: (cause) => new GitError({ operation, detail: describeCause(cause) }) })
    )

  // `.git` is a folder in a plain repository and a file in a linked worktree or a submodule.
  const dotGitKind = Effect.promise(() =>
    fs.promises.stat(dotGit).then(
      (stats) => (stats.isDirectory() ? "folder" : "file"),
      () => undefined
    )
  )
  const isRepository = Effect.map(dotGitKind, (kind) => kind !== undefined)

  const requireRepository = (operation: string) =>
    Effect.flatMap(isRepository, (yes) =>
      yes ? Effect.void : Effect.fail(new GitError({ operation, detail: `${dir} is not a git repository` }))
    )

  /** The oid `ref` points to, or `undefined` when it does not exist (the HEAD of an empty repository). */
  const resolve = (operation: string, ref: string) =>
    attempt(operation, () =>
      git.resolveRef({ fs, dir, ref }).then(
        (oid): string | undefined => oid,
        (cause: unknown) => {
          if (isNotFound(cause)) return undefined
          throw cause
        }
      )
    )

  const pointHeadAt = (operation: string, branch: string) =>
    attempt(operation, () =>
      git.writeRef({ fs, dir, ref: "HEAD", value: `refs/heads/${branch}`, symbolic: true, force: true })
    )

  if ((yield* dotGitKind) === "folder") yield* attempt("exclude .tamma/", () => ensureExcluded(dotGit))

  const status = Effect.gen(function* () {
    yield* requireRepository("status")
    const rows = yield* attempt("status", () =>
      git.statusMatrix({ ...repository(), filter: (path) => !isInternal(path) })
    )
    return rows.map(entryOf).filter(Predicate.isNotUndefined)
  }).pipe(Effect.withSpan("IsomorphicGit.status"))

  const ensureClean = Effect.gen(function* () {
    const dirty = yield* status
    if (dirty.length === 0) return
    const shown = dirty.slice(0, 20).map((entry) => `${entry.status} ${entry.path}`)
    const more = dirty.length > shown.length ? `, and ${dirty.length - shown.length} more` : ""
    return yield* new WorkspaceError({ path: dir, detail: `uncommitted changes: ${shown.join(", ")}${more}` })
  }).pipe(Effect.withSpan("IsomorphicGit.ensureClean"))

  const currentBranch = Effect.gen(function* () {
    yield* requireRepository("currentBranch")
    const branch = yield* attempt("currentBranch", () => git.currentBranch({ fs, dir }))
    return Predicate.isString(branch) ? branch : undefined
  }).pipe(Effect.withSpan("IsomorphicGit.currentBranch"))

  const availableBranch = Effect.fn("IsomorphicGit.availableBranch")(function* (name: string) {
    yield* requireRepository("createBranch")
    const invalid = invalidBranchName(name)
    if (invalid !== undefined) return yield* new GitError({ operation: "createBranch", detail: `${name}: ${invalid}` })
    const taken = new Set(yield* attempt("createBranch", () => git.listBranches({ fs, dir })))
    let chosen = name
    for (let suffix = 2; taken.has(chosen); suffix++) chosen = `${name}-${suffix}`
    return chosen
  })

  const createBranch = Effect.fn("IsomorphicGit.createBranch")(function* (name: string) {
    const chosen = yield* availableBranch(name)
    const head = yield* resolve("createBranch", "HEAD")
    // Refs through temp file and rename: a kill leaves the old ref or the new one, never an empty file.
    yield* attempt("createBranch", async () => {
      // An empty repository has no commit to branch from: HEAD names the branch its first commit creates.
      if (head !== undefined) await writeRef(gitdir, `refs/heads/${chosen}`, head)
      // Same commit as HEAD, so the work tree is already right: moving HEAD is the whole checkout.
      await writeRef(gitdir, "HEAD", `refs/heads/${chosen}`, true)
    })
    return chosen
  })

  const checkout = Effect.fn("IsomorphicGit.checkout")(function* (name: string) {
    yield* requireRepository("checkout")
    const target = yield* resolve("checkout", `refs/heads/${name}`)
    const head = yield* resolve("checkout", "HEAD")
    if (target === undefined) {
      if (head !== undefined) return yield* new GitError({ operation: "checkout", detail: `no branch named ${name}` })
      // Back to an empty repository's unborn branch: only HEAD has to change.
      return yield* pointHeadAt("checkout", name)
    }
    if (target === head) return yield* pointHeadAt("checkout", name)
    yield* attempt("checkout", () => git.checkout({ ...repository(), ref: name }))
  })

  const configuredAuthor = Effect.gen(function* () {
    const read = (path: string) =>
      attempt("commit", () => git.getConfig({ fs, dir, path })).pipe(
        Effect.map((value: unknown) => (Predicate.isString(value) && value.length > 0 ? value : undefined))
      )
    return {
      name: (yield* read("user.name")) ?? defaultAuthor.name,
      email: (yield* read("user.email")) ?? defaultAuthor.email
    }
  })

  /** What a path holds for the commit: the staged content, else the work tree's. */
  const contentOf = async (path: string, contents: ReadonlyMap<string, string | undefined> | undefined) => {
    if (contents?.has(path) === true) return contents.get(path)
    const data = await fs.promises.readFile(nodePath.join(dir, path)).catch((cause: unknown) => {
      if (Predicate.hasProperty(cause, "code") && cause.code === "ENOENT") return undefined
      throw cause
    })
    return data
  }

  const lstatOrUndefined = (file: string) => {
    try {
      return fs.lstatSync(file, { bigint: true })
    } catch {
      return undefined
    }
  }

  /**
   * The git mode of a file as the work tree has it: a symlink is 120000 (a link's permission bits
   * are all set, which must not read as executable); a regular file is 100755 only when it is
   * executable; a file not on disk keeps the regular mode it had in git.
   */
  const modeOf = (stats: fs.BigIntStats | undefined, tracked: string | undefined) => {
    if (stats?.isSymbolicLink() === true) return 0o120000
    if (stats !== undefined) return (stats.mode & 0o111n) !== 0n ? 0o100755 : 0o100644
    return tracked === "100755" ? 0o100755 : 0o100644
  }

  // The bytes of the link's target, as git stores them.
  const readLink = (path: string) => fs.readlinkSync(nodePath.join(dir, path), { encoding: "buffer" })

  /** The first folder above `path` that is a symlink: git keeps nothing beyond one. */
  const linkedFolderOf = (path: string) => {
    const segments = path.split("/").slice(0, -1)
    for (let depth = 1; depth <= segments.length; depth++) {
      const folder = segments.slice(0, depth).join("/")
      if (lstatOrUndefined(nodePath.join(dir, folder))?.isSymbolicLink() === true) return folder
    }
    return undefined
  }

  const hooksPath = attempt("commit", () => git.getConfig({ fs, dir, path: "core.hooksPath" })).pipe(
    Effect.map((value: unknown) => (Predicate.isString(value) ? value : undefined))
  )

  /**
   * `pre-commit` with the change staged, then `commit-msg` on the message (which it may edit), as
   * `git commit` runs them; the message to commit is returned. A hook that the change itself
   * writes is refused: a run must not get its own code run. A hook that alters the change's
   * files is refused too: the commit holds what the run checked, nothing else.
   */
  const runCommitHooks = async (
    index: GitIndexFile,
    options: CommitOptions,
    staged: ReadonlyMap<string, string | undefined>,
    folder: string
  ): Promise<string> => {
    const own = options.files.find((path) => {
      const relative = nodePath.relative(folder, nodePath.join(dir, path))
      return relative !== "" && !relative.startsWith("..") && !nodePath.isAbsolute(relative)
    })
    if (own !== undefined) throw new Error(`the change writes ${own}, in the hooks folder: its hooks are not run`)
    // The hooks read the index: it holds the change, as `git commit` shows it to them.
    await writeIndex(gitdir, index)
    await runHook({ name: "pre-commit", folder, dir, gitdir, args: [] })
    const after = await readIndex(gitdir)
    for (const [path, oid] of staged) {
      const content = await contentOf(path, undefined)
      const onDisk = content === undefined ? undefined : objectId("blob", Buffer.from(content))
      if (after.entries.get(path)?.oid !== oid || onDisk !== oid) {
        throw new Error(`the pre-commit hook changed ${path}: the commit would not hold what the run checked`)
      }
    }
    const messageFile = nodePath.join(gitdir, "COMMIT_EDITMSG")
    await fs.promises.writeFile(messageFile, options.message)
    await runHook({ name: "commit-msg", folder, dir, gitdir, args: [messageFile] })
    return fs.promises.readFile(messageFile, "utf8")
  }

  const commit = Effect.fn("IsomorphicGit.commit")(function* (options: CommitOptions) {
    yield* requireRepository("commit")
    const branch = yield* currentBranch
    if (branch === undefined) return yield* new GitError({ operation: "commit", detail: "HEAD is detached" })
    const author = options.author ?? (yield* configuredAuthor)
    const head = yield* resolve("commit", "HEAD")
    const repo = repository()
    const hooks = options.runHooks === true ? hooksFolder(dir, gitdir, yield* hooksPath) : undefined
    return yield* attempt("commit", async () => {
      const index = await readIndex(gitdir)
      const base = head === undefined ? undefined : (await git.readCommit({ ...repo, oid: head })).commit.tree
      const trees = new Map()
      const changes: Array<PathChange> = []
      // What each path holds in the commit (`undefined`: deleted), for the hooks' check.
      const staged = new Map<string, string | undefined>()
      const ignored = makeIgnoreRules(dir, gitdir)
      for (const path of new Set(options.files)) {
        const linkedFolder = linkedFolderOf(path)
        if (linkedFolder !== undefined) throw new Error(`${path} is beyond the symlink ${linkedFolder}`)
        const stats = lstatOrUndefined(nodePath.join(dir, path))
        // A link is committed as a link (its target path as the blob), whatever was written through it.
        const content = stats?.isSymbolicLink() === true ? readLink(path) : await contentOf(path, options.contents)
        if (content === undefined) {
          changes.push({ path, blob: undefined })
          staged.set(path, undefined)
          setEntry(index, path, undefined)
          continue
        }
        const indexed = index.entries.get(path)
        const tracked =
          indexed === undefined
            ? await blobAt(git, repo, base, path, trees)
            : { oid: indexed.oid, mode: indexed.stat.readUInt32BE(24).toString(8) }
        // An untracked file that .gitignore keeps out stays out, as `git add` would.
        if (tracked === undefined && ignored(path)) continue
        const oid = writeObject(gitdir, "blob", Buffer.from(content))
        const mode = modeOf(stats, tracked?.mode)
        changes.push({ path, blob: { oid, mode: mode.toString(8) } })
        staged.set(path, oid)
        // The work tree holds the same content when it was applied first; otherwise git re-hashes.
        const fresh = stats !== undefined && stats.size === BigInt(Buffer.byteLength(content))
        setEntry(index, path, { oid, stat: fresh ? statData(stats, mode) : unknownStat(mode), extended: 0 })
      }
      const message = hooks === undefined ? options.message : await runCommitHooks(index, options, staged, hooks)
      const tree = await treeWith(git, repo, base, changes)
      const parents = head === undefined ? [] : [head]
      const sha = writeObject(gitdir, "commit", commitBody({ tree, parents, author, message, date: new Date() }))
      // The branch first, then the index: either order leaves a state abandonBranch repairs.
      await writeRef(gitdir, `refs/heads/${branch}`, sha)
      await writeIndex(gitdir, index)
      return sha
    })
  })

  const log = Effect.fn("IsomorphicGit.log")(function* (limit?: number) {
    yield* requireRepository("log")
    if ((yield* resolve("log", "HEAD")) === undefined) return []
    const commits = yield* attempt("log", () => git.log({ ...repository(), ref: "HEAD", depth: limit }))
    return commits.map((entry) => ({
      sha: entry.oid,
      message: entry.commit.message.trimEnd(),
      author: `${entry.commit.author.name} <${entry.commit.author.email}>`
    }))
  })

  /** The commit `ref` names: a branch, a tag, HEAD, or a full or abbreviated sha. */
  const commitOf = Effect.fn("IsomorphicGit.commitOf")(function* (ref: string) {
    const resolved = yield* resolve("resetTo", ref)
    const oid =
      resolved ??
      (/^[0-9a-f]{4,40}$/.test(ref) ? yield* attempt("resetTo", () => git.expandOid({ fs, dir, oid: ref })) : undefined)
    if (oid === undefined) return yield* new GitError({ operation: "resetTo", detail: `unknown ref ${ref}` })
    yield* attempt("resetTo", () => git.readCommit({ fs, dir, oid }))
    return oid
  })

  const resetTo = Effect.fn("IsomorphicGit.resetTo")(function* (ref: string) {
    yield* requireRepository("resetTo")
    const target = yield* commitOf(ref)
    const previous = yield* resolve("resetTo", "HEAD")
    const branch = yield* attempt("resetTo", () => git.currentBranch({ fs, dir, fullname: true }))
    const repo = repository()
    yield* attempt("resetTo", async () => {
      await git.writeRef({ ...repo, ref: Predicate.isString(branch) ? branch : "HEAD", value: target, force: true })
      // Like `git reset` (mixed): the index follows the branch, so the work tree shows as unstaged changes.
      const changed = await differences(git, repo, previous, target)
      const gone = changed.filter((difference) => difference.target === undefined).map((difference) => difference.path)
      if (gone.length > 0) await git.remove({ ...repo, filepath: gone })
      for (const { path, target: blob } of changed) {
        // One index write per file: isomorphic-git has no batch form for an entry given by oid.
        if (blob !== undefined) await git.updateIndex({ ...repo, filepath: path, add: true, ...blob })
      }
    })
  })

  const deleteBranch = Effect.fn("IsomorphicGit.deleteBranch")(function* (name: string) {
    yield* requireRepository("deleteBranch")
    if ((yield* currentBranch) === name) {
      return yield* new GitError({ operation: "deleteBranch", detail: `${name} is checked out` })
    }
    yield* attempt("deleteBranch", () => git.deleteBranch({ fs, dir, ref: name }))
    // isomorphic-git deletes loose refs only; a packed one would silently survive.
    if ((yield* resolve("deleteBranch", `refs/heads/${name}`)) !== undefined) {
      return yield* new GitError({ operation: "deleteBranch", detail: `${name} is a packed ref and was not deleted` })
    }
  })

  const head = Effect.gen(function* () {
    yield* requireRepository("head")
    return yield* resolve("head", "HEAD")
  }).pipe(Effect.withSpan("IsomorphicGit.head"))

  const branchTip = Effect.fn("IsomorphicGit.branchTip")(function* (name: string) {
    yield* requireRepository("branchTip")
    return yield* resolve("branchTip", `refs/heads/${name}`)
  })

  const abandonBranch = Effect.fn("IsomorphicGit.abandonBranch")(function* (undo: BranchUndo) {
    yield* requireRepository("abandonBranch")
    const repo = repository()
    yield* attempt("abandonBranch", async () => {
      const index = await readIndex(gitdir)
      const base =
        undo.previousHead === undefined
          ? undefined
          : (await git.readCommit({ ...repo, oid: undo.previousHead })).commit.tree
      const trees = new Map()
      for (const path of undo.paths) {
        const blob = await blobAt(git, repo, base, path, trees)
        const mode = blob === undefined ? 0 : Number.parseInt(blob.mode, 8)
        setEntry(index, path, blob === undefined ? undefined : { oid: blob.oid, stat: unknownStat(mode), extended: 0 })
      }
      await writeIndex(gitdir, index)
      if (undo.previousBranch !== undefined) await writeRef(gitdir, "HEAD", `refs/heads/${undo.previousBranch}`, true)
      else if (undo.previousHead !== undefined) await writeRef(gitdir, "HEAD", undo.previousHead)
      if (undo.branch !== undo.previousBranch) {
        await fs.promises.rm(nodePath.join(gitdir, "refs", "heads", ...undo.branch.split("/")), { force: true })
      } else if (undo.previousHead !== undefined) {
        await writeRef(gitdir, `refs/heads/${undo.branch}`, undo.previousHead)
      }
    })
  })

  return Git.of({
    head,
    branchTip,
    availableBranch,
    abandonBranch,
    isRepository,
    status,
    ensureClean,
    currentBranch,
    createBranch,
    checkout,
    commit,
    log,
    resetTo,
    deleteBranch
  })
})

/** Git over isomorphic-git. */
export const IsomorphicGit = {
  /** The Git service for the work tree at `root` (the repository's top folder). */
  layer: (root: string): Layer.Layer<Git, GitError> => Layer.effect(Git, makeIsomorphicGit(root))
} as const
