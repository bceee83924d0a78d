/**
 * The scratch repository is a real git repository (the git CLI agrees on its commit, its branch,
 * its identity and a clean tree), and a snapshot changes with anything a run could write.
 */
import { execFileSync } from "node:child_process"
import * as fs from "node:fs/promises"
import * as os from "node:os"
import * as nodePath from "node:path"
import { Effect, Exit, Scope } from "effect"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { scratchRepository, snapshot } from "../../../plugins/eval/ScratchRepository.ts"

const env = { ...process.env, GIT_CONFIG_GLOBAL: "/dev/null", GIT_CONFIG_NOSYSTEM: "1" }
const git = (cwd: string, ...args: ReadonlyArray<string>) =>
  execFileSync("git", args, { cwd, env, encoding: "utf8" }).trim()

let workspace = ""
beforeAll(async () => {
  workspace = await fs.mkdtemp(nodePath.join(os.tmpdir(), "tamma-scratch-source-"))
  await fs.mkdir(nodePath.join(workspace, "src", "deep"), { recursive: true })
  await fs.writeFile(nodePath.join(workspace, "src", "a.ts"), "export const a = 1\n")
  await fs.writeFile(nodePath.join(workspace, "src", "deep", "b.ts"), "export const b = 2\n")
  await fs.writeFile(nodePath.join(workspace, "run.sh"), "#!/bin/sh\necho hi\n", { mode: 0o755 })
  await fs.writeFile(nodePath.join(workspace, "gitignore"), "build/\n")
  await fs.mkdir(nodePath.join(workspace, "build"))
  await fs.writeFile(nodePath.join(workspace, "build", "out.js"), "ignored\n")
})
afterAll(() => fs.rm(workspace, { recursive: true, force: true }))

/** Runs `use` with a fresh scratch repository of `workspace`, then checks that it is gone. */
const withScratch = async (use: (dir: string) => Promise<void>) => {
  const scope = Effect.runSync(Scope.make())
  const dir = await Effect.runPromise(
    Scope.provide(scratchRepository(workspace, "tamma-scratch-test-", "task: the workspace"), scope)
  )
  try {
    await use(dir)
  } finally {
    await Effect.runPromise(Scope.close(scope, Exit.void))
  }
  await expect(fs.stat(dir)).rejects.toThrow()
}

describe("the scratch repository", () => {
  it("commits the whole workspace on main, as the git CLI reads it, and leaves ignored files out", async () => {
    await withScratch(async (dir) => {
      expect(git(dir, "branch", "--show-current")).toBe("main")
      expect(git(dir, "log", "--format=%s|%an|%ae")).toBe("task: the workspace|Tamma Eval|eval@tamma.invalid")
      expect(git(dir, "ls-tree", "-r", "--name-only", "HEAD").split("\n")).toEqual([
        ".gitignore",
        "run.sh",
        "src/a.ts",
        "src/deep/b.ts"
      ])
      expect(git(dir, "ls-tree", "HEAD", "run.sh")).toMatch(/^100755 /)
      expect(git(dir, "status", "--porcelain", "--untracked-files=all")).toBe("")
      // Later commits (the pipeline's) take the repository's identity.
      expect(git(dir, "config", "user.email")).toBe("eval@tamma.invalid")
    })
  })

  it("snapshots change with a written, a new, a deleted or a staged file, a new branch, or a commit", async () => {
    const changes: ReadonlyArray<(dir: string) => Promise<unknown>> = [
      (dir) => fs.writeFile(nodePath.join(dir, "src", "a.ts"), "export const a = 2\n"),
      (dir) => fs.writeFile(nodePath.join(dir, "src", "deep", "c.ts"), "export const c = 3\n"),
      (dir) => fs.rm(nodePath.join(dir, "src", "deep", "b.ts")),
      async (dir) => {
        await fs.writeFile(nodePath.join(dir, "src", "a.ts"), "export const a = 3\n")
        git(dir, "add", "src/a.ts")
        await fs.writeFile(nodePath.join(dir, "src", "a.ts"), "export const a = 1\n")
      },
      async (dir) => git(dir, "branch", "tamma/change"),
      async (dir) => git(dir, "commit", "-q", "--allow-empty", "-m", "more")
    ]
    for (const change of changes) {
      await withScratch(async (dir) => {
        const before = await Effect.runPromise(snapshot(dir))
        expect(await Effect.runPromise(snapshot(dir))).toBe(before)
        await change(dir)
        expect(await Effect.runPromise(snapshot(dir))).not.toBe(before)
      })
    }
  })

  it("snapshots ignore what .gitignore and .git/info/exclude leave out", async () => {
    await withScratch(async (dir) => {
      const before = await Effect.runPromise(snapshot(dir))
      await fs.writeFile(nodePath.join(dir, "build", "more.js"), "ignored too\n")
      // As the pipeline's git keeps its run records out of the repository.
      await fs.mkdir(nodePath.join(dir, ".git", "info"), { recursive: true })
      await fs.appendFile(nodePath.join(dir, ".git", "info", "exclude"), ".tamma\n")
      await fs.mkdir(nodePath.join(dir, ".tamma", "runs"), { recursive: true })
      await fs.writeFile(nodePath.join(dir, ".tamma", "runs", "r.json"), "{}\n")
      expect(await Effect.runPromise(snapshot(dir))).toBe(before)
    })
  })
})
