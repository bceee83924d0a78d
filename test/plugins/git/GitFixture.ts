/**
 * GitFixture: real repositories made and inspected with the real `git` CLI, so that what
 * isomorphic-git writes is judged by git itself.
 */
import { execFileSync } from "node:child_process"
import { Effect } from "effect"
import { tempFolder, writeTree } from "../files/TempFolder.ts"

// Hermetic: the machine's global and system config (signing, hooks, identity) must not leak in.
const env = { ...process.env, GIT_CONFIG_GLOBAL: "/dev/null", GIT_CONFIG_NOSYSTEM: "1" }

/** Runs `git args…` in `dir` and returns its stdout, trimmed at the end. */
export const git = (dir: string, ...args: ReadonlyArray<string>): string =>
  execFileSync("git", args, { cwd: dir, env, encoding: "utf8" }).trimEnd()

export const identity = { name: "Ada Lovelace", email: "ada@example.com" }

/**
 * A repository on `main` holding `files` in one commit; `identity: false` leaves the repo
 * without `user.name`/`user.email` (the first commit then passes them on the command line).
 */
export const makeRepository = Effect.fnUntraced(function* (
  files: Readonly<Record<string, string>>,
  options: { readonly identity?: boolean; readonly commit?: boolean } = {}
) {
  const dir = yield* tempFolder("tamma-git-")
  git(dir, "init", "--quiet", "--initial-branch=main")
  if (options.identity !== false) {
    git(dir, "config", "user.name", identity.name)
    git(dir, "config", "user.email", identity.email)
  }
  if (options.commit === false) return dir
  yield* writeTree(dir, files)
  git(dir, "add", "--all")
  git(dir, "-c", "user.name=Setup", "-c", "user.email=setup@example.com", "commit", "--quiet", "-m", "initial")
  return dir
})
