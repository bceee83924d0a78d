/**
 * A task's scratch git repository and the snapshots that tell whether a run wrote to it, both in
 * process with isomorphic-git: under load, each git process the harness started cost 50 to
 * 150 ms, and creating the repository and two snapshots started eleven of them per task.
 */
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { Effect } from "effect"

const author = { name: "Tamma Eval", email: "eval@tamma.invalid" }

const isoGit = Effect.promise(() => import("isomorphic-git"))

/** Loads isomorphic-git, which takes 0.1 to 0.4 s under load: once before the first task. */
export const loadScratchGit = Effect.asVoid(isoGit)

/**
 * `workspace` copied into a new folder and committed on `main` as `message`, with the eval's
 * author as the repository's identity; removed with the scope.
 */
export const scratchRepository = (workspace: string, prefix: string, message: string) =>
  Effect.acquireRelease(
    Effect.flatMap(isoGit, (git) =>
      Effect.promise(async () => {
        const dir = await fs.promises.realpath(await fs.promises.mkdtemp(path.join(os.tmpdir(), prefix)))
        await fs.promises.cp(workspace, dir, { recursive: true })
        // npm leaves `.gitignore` out of a published package: a task ships it as `gitignore`.
        await fs.promises.rename(path.join(dir, "gitignore"), path.join(dir, ".gitignore")).catch(() => undefined)
        // In process, no user or system git config (hooks, signing) reaches the repository.
        await git.init({ fs, dir, defaultBranch: "main" })
        await git.setConfig({ fs, dir, path: "user.name", value: author.name })
        await git.setConfig({ fs, dir, path: "user.email", value: author.email })
        // `.gitignore` holds as with `git add -A`.
        await git.add({ fs, dir, filepath: "." })
        await git.commit({ fs, dir, message, author })
        return dir
      })
    ),
    (dir) => Effect.promise(() => fs.promises.rm(dir, { recursive: true, force: true }))
  )

/**
 * HEAD, every branch with its tip, and each path whose work tree or index differs from HEAD's
 * tree (untracked files included, ignored ones not, as `git status --untracked-files=all`):
 * equal before and after means nothing was written.
 */
export const snapshot = (dir: string) =>
  Effect.flatMap(isoGit, (git) =>
    Effect.promise(async () => {
      // A fresh cache: the run wrote through another isomorphic-git instance.
      const repo = { fs, dir, cache: {} }
      const head = await git.resolveRef({ ...repo, ref: "HEAD" }).catch(() => "no HEAD")
      const branches = await git.listBranches(repo)
      const tips = await Promise.all(
        branches.sort().map(async (branch) => `${branch} ${await git.resolveRef({ ...repo, ref: branch })}`)
      )
      const changed = (await git.statusMatrix(repo))
        .filter(([, headState, workdir, stage]) => !(headState === 1 && workdir === 1 && stage === 1))
        .map((row) => row.join(" "))
      return [head, ...tips, ...changed].join("\n")
    })
  )
