import * as fs from "node:fs/promises"
import * as nodePath from "node:path"
import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { Git } from "../../../core/services/Git.ts"
import { IsomorphicGit } from "../../../plugins/git/isomorphic-git/IsomorphicGit.ts"
import { tempFolder, writeTree } from "../files/TempFolder.ts"
import { git, identity, makeRepository } from "./GitFixture.ts"

const initial = {
  "README.md": "# project\n",
  "src/a.ts": "export const a = 1\n",
  "src/lib/b.ts": "export const b = 1\n",
  "other.ts": "other\n"
}

const serviceFor = (dir: string) =>
  Effect.gen(function* () {
    return yield* Git
  }).pipe(Effect.provide(IsomorphicGit.layer(dir)))

const remove = (dir: string, path: string) => Effect.promise(() => fs.rm(nodePath.join(dir, path)))

/** The paths of the last commit with their git status letter, e.g. `M src/a.ts`. */
const lastCommitFiles = (dir: string) =>
  git(dir, "show", "--name-status", "--format=", "HEAD")
    .split("\n")
    .map((line) => line.replace("\t", " "))
    .sort()

describe("IsomorphicGit", () => {
  it.effect("tells a repository from a plain folder", () =>
    Effect.gen(function* () {
      const repo = yield* makeRepository(initial)
      const plain = yield* tempFolder()
      expect(yield* (yield* serviceFor(repo)).isRepository).toBe(true)
      const service = yield* serviceFor(plain)
      expect(yield* service.isRepository).toBe(false)
      expect((yield* service.status.pipe(Effect.flip))._tag).toBe("GitError")
    })
  )

  it.effect("keeps .tamma/ out of git through info/exclude, once", () =>
    Effect.gen(function* () {
      const dir = yield* makeRepository(initial)
      yield* serviceFor(dir)
      yield* serviceFor(dir)
      const exclude = yield* Effect.promise(() => fs.readFile(nodePath.join(dir, ".git/info/exclude"), "utf8"))
      expect(exclude.split("\n").filter((line) => line === ".tamma/")).toHaveLength(1)
      yield* writeTree(dir, { ".tamma/runs/r1.json": "{}" })
      expect(git(dir, "status", "--porcelain", "--untracked-files=all")).toBe("")
    })
  )

  it.effect("reports added, modified, deleted and untracked files, and ensureClean lists them", () =>
    Effect.gen(function* () {
      const dir = yield* makeRepository(initial)
      const service = yield* serviceFor(dir)
      yield* service.ensureClean
      yield* writeTree(dir, { "src/a.ts": "changed\n", "staged.ts": "new\n", "notes.txt": "mine\n" })
      yield* writeTree(dir, { ".tamma/runs/r1.json": "{}" })
      git(dir, "add", "staged.ts")
      yield* remove(dir, "other.ts")
      const status = [...(yield* service.status)].sort((a, b) => a.path.localeCompare(b.path))
      expect(status).toEqual([
        { path: "notes.txt", status: "untracked" },
        { path: "other.ts", status: "deleted" },
        { path: "src/a.ts", status: "modified" },
        { path: "staged.ts", status: "added" }
      ])
      const error = yield* service.ensureClean.pipe(Effect.flip)
      expect(error._tag).toBe("WorkspaceError")
      for (const path of ["notes.txt", "other.ts", "src/a.ts", "staged.ts"]) expect(error.message).toContain(path)
      expect(error.message).not.toContain(".tamma")
    })
  )

  it.effect("creates a branch from HEAD, with a suffix when the name is taken, and checks it out", () =>
    Effect.gen(function* () {
      const dir = yield* makeRepository(initial)
      git(dir, "branch", "tamma/feature")
      git(dir, "branch", "tamma/feature-2")
      const service = yield* serviceFor(dir)
      expect(yield* service.currentBranch).toBe("main")
      expect(yield* service.createBranch("tamma/feature")).toBe("tamma/feature-3")
      expect(git(dir, "rev-parse", "--abbrev-ref", "HEAD")).toBe("tamma/feature-3")
      expect(git(dir, "rev-parse", "tamma/feature-3")).toBe(git(dir, "rev-parse", "main"))
      expect(git(dir, "status", "--porcelain")).toBe("")
      expect(yield* service.currentBranch).toBe("tamma/feature-3")
      expect((yield* service.createBranch("bad..name").pipe(Effect.flip))._tag).toBe("GitError")
    })
  )

  it.effect("commits exactly the given files, deletions included, and nothing else", () =>
    Effect.gen(function* () {
      const dir = yield* makeRepository(initial)
      const service = yield* serviceFor(dir)
      yield* service.createBranch("tamma/run")
      yield* writeTree(dir, { "src/a.ts": "export const a = 2\n", "src/new/c.ts": "new\n", "notes.txt": "untracked\n" })
      yield* writeTree(dir, { "other.ts": "staged by the user\n" })
      git(dir, "add", "other.ts")
      yield* remove(dir, "src/lib/b.ts")
      const sha = yield* service.commit({
        files: ["src/a.ts", "src/new/c.ts", "src/lib/b.ts"],
        message: "feat: generated code\n\nBody."
      })
      expect(git(dir, "rev-parse", "HEAD")).toBe(sha)
      expect(lastCommitFiles(dir)).toEqual(["A src/new/c.ts", "D src/lib/b.ts", "M src/a.ts"])
      expect(git(dir, "log", "-1", "--format=%s%n%b")).toBe("feat: generated code\nBody.")
      // The folder of the last deleted file is gone from the tree, and the user's own work is untouched.
      expect(git(dir, "ls-tree", "-r", "--name-only", "HEAD").split("\n")).toEqual([
        "README.md",
        "other.ts",
        "src/a.ts",
        "src/new/c.ts"
      ])
      expect(git(dir, "status", "--porcelain").split("\n").sort()).toEqual(["?? notes.txt", "M  other.ts"])
      git(dir, "fsck", "--strict", "--no-progress")
    })
  )

  it.effect("leaves out a listed file that .gitignore ignores, as git add would", () =>
    Effect.gen(function* () {
      const dir = yield* makeRepository({ ...initial, ".gitignore": "*.log\n" })
      const service = yield* serviceFor(dir)
      yield* writeTree(dir, { "src/a.ts": "2\n", "debug.log": "noise\n" })
      yield* service.commit({ files: ["src/a.ts", "debug.log"], message: "without the log" })
      expect(lastCommitFiles(dir)).toEqual(["M src/a.ts"])
      expect(git(dir, "status", "--porcelain", "--ignored")).toBe("!! debug.log")
    })
  )

  it.effect("takes the author from the argument, else the repo config, else Tamma", () =>
    Effect.gen(function* () {
      const configured = yield* makeRepository(initial)
      const service = yield* serviceFor(configured)
      yield* writeTree(configured, { "src/a.ts": "2\n" })
      yield* service.commit({ files: ["src/a.ts"], message: "from config" })
      expect(git(configured, "log", "-1", "--format=%an <%ae>|%cn <%ce>")).toBe(
        `${identity.name} <${identity.email}>|${identity.name} <${identity.email}>`
      )
      yield* writeTree(configured, { "src/a.ts": "3\n" })
      yield* service.commit({ files: ["src/a.ts"], message: "explicit", author: { name: "Bot", email: "bot@x.dev" } })
      expect(git(configured, "log", "-1", "--format=%an <%ae>")).toBe("Bot <bot@x.dev>")

      const anonymous = yield* makeRepository(initial, { identity: false })
      const other = yield* serviceFor(anonymous)
      yield* writeTree(anonymous, { "src/a.ts": "2\n" })
      yield* other.commit({ files: ["src/a.ts"], message: "default" })
      expect(git(anonymous, "log", "-1", "--format=%an <%ae>")).toBe("Tamma <tamma@localhost>")
      git(anonymous, "fsck", "--strict", "--no-progress")
    })
  )

  it.effect("keeps the executable bit of a committed file", () =>
    Effect.gen(function* () {
      const dir = yield* makeRepository(initial)
      const service = yield* serviceFor(dir)
      yield* writeTree(dir, { "bin/run.sh": "#!/bin/sh\n" })
      yield* Effect.promise(() => fs.chmod(nodePath.join(dir, "bin/run.sh"), 0o755))
      yield* service.commit({ files: ["bin/run.sh"], message: "add script" })
      expect(git(dir, "ls-tree", "HEAD", "bin/run.sh")).toMatch(/^100755 blob /)
      expect(git(dir, "status", "--porcelain")).toBe("")
    })
  )

  it.effect("logs the latest commits first", () =>
    Effect.gen(function* () {
      const dir = yield* makeRepository(initial)
      const service = yield* serviceFor(dir)
      yield* writeTree(dir, { "src/a.ts": "2\n" })
      const sha = yield* service.commit({ files: ["src/a.ts"], message: "second" })
      const log = yield* service.log(1)
      expect(log).toEqual([{ sha, message: "second", author: `${identity.name} <${identity.email}>` }])
      expect((yield* service.log()).map((entry) => entry.message)).toEqual(["second", "initial"])
    })
  )

  it.effect("resets the branch to a ref without touching the work tree", () =>
    Effect.gen(function* () {
      const dir = yield* makeRepository(initial)
      const service = yield* serviceFor(dir)
      const before = git(dir, "rev-parse", "HEAD")
      yield* writeTree(dir, { "src/a.ts": "export const a = 2\n", "src/new/c.ts": "new\n" })
      yield* remove(dir, "other.ts")
      yield* service.commit({ files: ["src/a.ts", "src/new/c.ts", "other.ts"], message: "to undo" })
      yield* service.resetTo(before.slice(0, 10))
      expect(git(dir, "rev-parse", "HEAD")).toBe(before)
      expect(git(dir, "rev-parse", "--abbrev-ref", "HEAD")).toBe("main")
      expect(yield* Effect.promise(() => fs.readFile(nodePath.join(dir, "src/a.ts"), "utf8"))).toBe(
        "export const a = 2\n"
      )
      // Like `git reset`: the index follows HEAD, the work tree's changes show as unstaged.
      expect(git(dir, "status", "--porcelain", "--untracked-files=all").split("\n").sort()).toEqual([
        " D other.ts",
        " M src/a.ts",
        "?? src/new/c.ts"
      ])
      expect((yield* service.resetTo("no-such-ref").pipe(Effect.flip))._tag).toBe("GitError")
      git(dir, "fsck", "--strict", "--no-progress")
    })
  )

  it.effect("checks out another branch and deletes a branch", () =>
    Effect.gen(function* () {
      const dir = yield* makeRepository(initial)
      const service = yield* serviceFor(dir)
      const branch = yield* service.createBranch("tamma/run")
      yield* writeTree(dir, { "src/a.ts": "on the branch\n" })
      yield* service.commit({ files: ["src/a.ts"], message: "on branch" })
      expect((yield* service.deleteBranch(branch).pipe(Effect.flip))._tag).toBe("GitError")
      yield* service.checkout("main")
      expect(git(dir, "rev-parse", "--abbrev-ref", "HEAD")).toBe("main")
      expect(yield* Effect.promise(() => fs.readFile(nodePath.join(dir, "src/a.ts"), "utf8"))).toBe(initial["src/a.ts"])
      expect(git(dir, "status", "--porcelain")).toBe("")
      yield* service.deleteBranch(branch)
      expect(git(dir, "branch", "--list", branch)).toBe("")
      expect((yield* service.checkout(branch).pipe(Effect.flip))._tag).toBe("GitError")
    })
  )

  it.effect("branches and commits in an empty repository", () =>
    Effect.gen(function* () {
      const dir = yield* makeRepository({}, { commit: false })
      const service = yield* serviceFor(dir)
      expect(yield* service.log()).toEqual([])
      expect(yield* service.createBranch("tamma/first")).toBe("tamma/first")
      yield* writeTree(dir, { "src/a.ts": "first\n", "untracked.txt": "x\n" })
      yield* service.commit({ files: ["src/a.ts"], message: "first commit" })
      expect(git(dir, "rev-parse", "--abbrev-ref", "HEAD")).toBe("tamma/first")
      expect(git(dir, "log", "--format=%s")).toBe("first commit")
      expect(git(dir, "ls-tree", "-r", "--name-only", "HEAD")).toBe("src/a.ts")
      expect(git(dir, "status", "--porcelain")).toBe("?? untracked.txt")
      git(dir, "fsck", "--strict", "--no-progress")
    })
  )
})
