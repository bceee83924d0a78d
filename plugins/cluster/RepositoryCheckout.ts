/**
 * RepositoryCheckout: a worker's own copy of a job's repository, and the way its change goes
 * back — over smart HTTP with isomorphic-git, or, for a repository on a disk every worker shares,
 * by copying the git folder in and the change's objects and branch back out.
 */
import * as fs from "node:fs"
import * as os from "node:os"
import * as nodePath from "node:path"
import { Effect } from "effect"
import type { ReadCommitResult } from "isomorphic-git"
import { GitError } from "../../core/errors.ts"
import { gitdirOf, writeObject, writeRef } from "../git/isomorphic-git/LooseObjects.ts"
import { isHttpUrl, type JobRepository } from "./Job.ts"

type IsoGit = typeof import("isomorphic-git")

const loadGit = Effect.promise((): Promise<IsoGit> => import("isomorphic-git"))
const loadHttp = Effect.promise(() => import("isomorphic-git/http/node"))

const attempt = <A>(operation: string, run: () => Promise<A>) =>
  Effect.tryPromise({
    try: run,
    catch: (cause) => new GitError({ operation, detail: cause instanceof Error ? cause.message : String(cause) })
  })

/** The trailer the pipeline writes into every commit it makes: it marks a branch tip as a run's work. */
const runTrailer = /^Tamma-Run: (\S+)$/m

/** The git folder of a repository on disk: `.git` of a work tree, or the folder itself when bare. */
const localGitdir = (url: string) =>
  attempt("open repository", () =>
    gitdirOf(url).catch(() => fs.promises.stat(nodePath.join(url, "HEAD")).then(() => url))
  )

/** A folder for a look at a branch, removed after. */
const probeFolder = Effect.acquireRelease(
  Effect.promise(() => fs.promises.mkdtemp(nodePath.join(os.tmpdir(), "tamma-probe-"))),
  (dir) => Effect.promise(() => fs.promises.rm(dir, { recursive: true, force: true }))
)

/** A commit the pipeline made for a run: the branch tip, and the run id of its `Tamma-Run` trailer. */
export interface RunCommit {
  readonly sha: string
  readonly runId: string
  readonly message: string
}

const asRunCommit = (entry: ReadCommitResult): RunCommit | undefined => {
  const match = runTrailer.exec(entry.commit.message)
  return match?.[1] === undefined ? undefined : { sha: entry.oid, runId: match[1], message: entry.commit.message }
}

/**
 * The run commit at the tip of `branch` in the repository, if a run already pushed it there —
 * what makes a re-run job (after a worker died) push nothing twice.
 */
export const findRunCommit = Effect.fn("RepositoryCheckout.findRunCommit")(function* (
  repository: JobRepository,
  branch: string
) {
  const git = yield* loadGit
  if (isHttpUrl(repository.url)) {
    const http = yield* loadHttp
    const refs = yield* attempt("list remote refs", () =>
      git.listServerRefs({ http, url: repository.url, prefix: `refs/heads/${branch}` })
    )
    const tip = refs.find((ref) => ref.ref === `refs/heads/${branch}`)
    if (tip === undefined) return undefined
    // The tip's message needs its objects: fetch just that branch into the scratch copy.
    return yield* Effect.scoped(
      Effect.gen(function* () {
        const dir = yield* probeFolder
        yield* attempt("fetch branch", () =>
          git.clone({ fs, http, dir, url: repository.url, ref: branch, singleBranch: true, depth: 1, noCheckout: true })
        )
        return asRunCommit(yield* attempt("read commit", () => git.readCommit({ fs, dir, oid: tip.oid })))
      })
    )
  }
  const gitdir = yield* localGitdir(repository.url)
  const tip = yield* Effect.promise(() =>
    git.resolveRef({ fs, gitdir, ref: `refs/heads/${branch}` }).catch(() => undefined)
  )
  if (tip === undefined) return undefined
  return asRunCommit(yield* attempt("read commit", () => git.readCommit({ fs, gitdir, oid: tip })))
})

/** The commit `baseRef` names in the repository now: resolved once, so a resumed job starts where it first did. */
export const resolveBase = Effect.fn("RepositoryCheckout.resolveBase")(function* (repository: JobRepository) {
  const git = yield* loadGit
  if (isHttpUrl(repository.url)) {
    const http = yield* loadHttp
    const refs = yield* attempt("list remote refs", () =>
      git.listServerRefs({ http, url: repository.url, symrefs: true })
    )
    const wanted = [repository.baseRef, `refs/heads/${repository.baseRef}`, `refs/tags/${repository.baseRef}`]
    const found = refs.find((ref) => wanted.includes(ref.ref))
    if (found !== undefined) return found.oid
    if (/^[0-9a-f]{40}$/.test(repository.baseRef)) return repository.baseRef
    return yield* new GitError({
      operation: "resolve base",
      detail: `${repository.baseRef} is not a ref of the repository`
    })
  }
  const gitdir = yield* localGitdir(repository.url)
  return yield* attempt("resolve base", () => git.resolveRef({ fs, gitdir, ref: repository.baseRef }))
})

/**
 * Checks the repository out at `base` into `dir` (which must not exist), on a local branch of
 * its own, with a clean work tree: what the pipeline runs on.
 */
export const checkout = Effect.fn("RepositoryCheckout.checkout")(function* (
  repository: JobRepository,
  base: string,
  dir: string
) {
  const git = yield* loadGit
  if (isHttpUrl(repository.url)) {
    const http = yield* loadHttp
    yield* attempt("clone", () =>
      git.clone({ fs, http, dir, url: repository.url, ref: repository.baseRef, singleBranch: true, noCheckout: true })
    )
  } else {
    const gitdir = yield* localGitdir(repository.url)
    yield* attempt("copy repository", () => fs.promises.cp(gitdir, nodePath.join(dir, ".git"), { recursive: true }))
    // A bare origin's copy would say so; the scratch copy has a work tree.
    yield* attempt("configure copy", () => git.setConfig({ fs, dir, path: "core.bare", value: false }))
  }
  yield* attempt("create base branch", () => git.branch({ fs, dir, ref: "tamma-job-base", object: base, force: true }))
  yield* attempt("checkout base", () => git.checkout({ fs, dir, ref: "tamma-job-base", force: true }))
})

/** Whether the repository at `gitdir` holds the object `oid` (loose or packed). */
const holds = (git: IsoGit, gitdir: string, oid: string): Promise<boolean> =>
  git.readObject({ fs, gitdir, oid, format: "deflated" }).then(
    () => true,
    () => false
  )

/**
 * The objects reachable from `sha` that `has` says the destination lacks, each AFTER every object
 * it points to: written in this order, an object the destination holds always comes with all it
 * reaches, even when the writer is killed midway, so a later walk may stop at any object it finds
 * there. `parents` follows commits' parents too (a fetch); without it only `sha`'s tree (a push of
 * one commit onto a base the destination has).
 */
const objectsToCopy = async (
  git: IsoGit,
  source: string,
  sha: string,
  has: (oid: string) => Promise<boolean>,
  parents: boolean
): Promise<ReadonlyArray<string>> => {
  const order: Array<string> = []
  const seen = new Set<string>()
  // Depth first, each object listed once its children are: the object graph has no cycles.
  const visit = async (oid: string): Promise<void> => {
    if (seen.has(oid)) return
    seen.add(oid)
    if (await has(oid)) return
    const { type } = await git.readObject({ fs, gitdir: source, oid, format: "content" })
    if (type === "commit") {
      const { commit } = await git.readCommit({ fs, gitdir: source, oid })
      await visit(commit.tree)
      if (parents) for (const parent of commit.parent) await visit(parent)
    } else if (type === "tree") {
      const { tree } = await git.readTree({ fs, gitdir: source, oid })
      for (const entry of tree) if (entry.type !== "commit") await visit(entry.oid)
    }
    order.push(oid)
  }
  await visit(sha)
  return order
}

/** Writes `oids` from `source` into `to` as loose objects, in the order given. */
const copyObjects = async (git: IsoGit, source: string, to: string, oids: ReadonlyArray<string>): Promise<void> => {
  for (const oid of oids) {
    const { type, object } = await git.readObject({ fs, gitdir: source, oid, format: "content" })
    if (!(object instanceof Uint8Array) || (type !== "blob" && type !== "tree" && type !== "commit")) {
      throw new Error(`object ${oid} is a ${type}, not a blob, tree or commit`)
    }
    // Written as git writes objects (temp file and rename): a writer killed here leaves no torn object.
    writeObject(to, type, Buffer.from(object))
  }
}

/**
 * Copies into `to` the objects of `sha` (a commit) and of its history that `to` lacks, read from
 * `from`: a local fetch that stops wherever `to` already has an object, so a clone that has the
 * base already copies nothing.
 */
const copyMissingObjects = async (git: IsoGit, from: string, to: string, sha: string): Promise<void> =>
  copyObjects(git, from, to, await objectsToCopy(git, from, sha, (oid) => holds(git, to, oid), true))

/**
 * Brings a clone made by `checkout` (and used by a job since) to `base` with a clean work tree,
 * as if freshly checked out: fetches what it lacks (nothing when it has `base`), moves the base
 * branch, removes the other branches, the run records and every untracked file. Fails when the
 * clone cannot be made clean; the caller then starts from a fresh copy.
 */
export const refresh = Effect.fn("RepositoryCheckout.refresh")(function* (
  repository: JobRepository,
  base: string,
  dir: string
) {
  const git = yield* loadGit
  const gitdir = nodePath.join(dir, ".git")
  if (!(yield* Effect.promise(() => holds(git, gitdir, base)))) {
    if (isHttpUrl(repository.url)) {
      const http = yield* loadHttp
      yield* attempt("fetch", () =>
        git.fetch({ fs, http, dir, url: repository.url, ref: repository.baseRef, singleBranch: true, tags: false })
      )
    } else {
      const from = yield* localGitdir(repository.url)
      yield* attempt("fetch", () => copyMissingObjects(git, from, gitdir, base))
    }
  }
  yield* attempt("create base branch", () => git.branch({ fs, dir, ref: "tamma-job-base", object: base, force: true }))
  yield* attempt("checkout base", () => git.checkout({ fs, dir, ref: "tamma-job-base", force: true }))
  yield* attempt("clean", async () => {
    for (const branch of await git.listBranches({ fs, dir })) {
      if (branch !== "tamma-job-base") await git.deleteBranch({ fs, dir, ref: branch })
    }
    await fs.promises.rm(nodePath.join(dir, ".tamma"), { recursive: true, force: true })
    // Files the last job left that the base does not have go, ignored ones too (the next job must
    // see a fresh checkout); the checkout restored tracked ones. Listing ignored files also lists
    // the git folder's own, which stay.
    const dirty: Array<string> = []
    for (const [path, head, workdir, stage] of await git.statusMatrix({ fs, dir, ignored: true })) {
      if (path === ".git" || path.startsWith(".git/")) continue
      if (head === 0) {
        await git.remove({ fs, dir, filepath: path })
        await fs.promises.rm(nodePath.join(dir, path), { force: true })
      } else if (workdir !== 1 || stage !== 1) dirty.push(path)
    }
    if (dirty.length > 0) throw new Error(`the clone is not clean: ${dirty.join(", ")}`)
  })
})

/**
 * Puts `sha` on `branch` in the repository. Idempotent: a branch that already holds `sha` is left
 * as it is; a branch holding anything else is never overwritten (a push that is not a fast-forward
 * of nothing fails).
 */
export const pushBranch = Effect.fn("RepositoryCheckout.pushBranch")(function* (
  repository: JobRepository,
  dir: string,
  branch: string,
  sha: string
) {
  const git = yield* loadGit
  if (isHttpUrl(repository.url)) {
    const http = yield* loadHttp
    const result = yield* attempt("push", () =>
      git.push({ fs, http, dir, url: repository.url, ref: branch, remoteRef: `refs/heads/${branch}` })
    )
    if (!result.ok) return yield* new GitError({ operation: "push", detail: result.error ?? "refused" })
    return
  }
  const gitdir = yield* localGitdir(repository.url)
  const current = yield* Effect.promise(() =>
    git.resolveRef({ fs, gitdir, ref: `refs/heads/${branch}` }).catch(() => undefined)
  )
  if (current === sha) return
  if (current !== undefined) {
    return yield* new GitError({
      operation: "push",
      detail: `branch ${branch} exists in the repository at another commit`
    })
  }
  // Objects first, each after what it points to; the branch last: a branch is never seen before
  // what it points to, and a push killed midway leaves nothing the next push would skip.
  const source = nodePath.join(dir, ".git")
  const missing = yield* attempt("walk commit", () =>
    objectsToCopy(git, source, sha, (oid) => holds(git, gitdir, oid), false)
  )
  yield* attempt("write objects", () => copyObjects(git, source, gitdir, missing))
  yield* attempt("write branch", () => writeRef(gitdir, `refs/heads/${branch}`, sha))
})
