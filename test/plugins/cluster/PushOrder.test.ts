/**
 * A push to a local repository writes each object after every object it points to, so a worker
 * killed midway never leaves a commit or tree without its contents — which the next push, stopping
 * at any object the repository has, would then point a branch at. Real repositories, git's fsck.
 */
import { execFileSync } from "node:child_process"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { Effect } from "effect"
import { afterEach, beforeEach, expect, it, vi } from "vitest"
import { fsck, makeRepository } from "../../../examples/cluster/ClusterFixture.ts"
import { JobRepository } from "../../../plugins/cluster/Job.ts"
import { checkout, pushBranch } from "../../../plugins/cluster/RepositoryCheckout.ts"

const written: Array<string> = []
vi.mock("../../../plugins/git/isomorphic-git/LooseObjects.ts", async (importOriginal) => {
  const original = await importOriginal<typeof import("../../../plugins/git/isomorphic-git/LooseObjects.ts")>()
  return {
    ...original,
    writeObject: (...args: Parameters<typeof original.writeObject>) => {
      const oid = original.writeObject(...args)
      written.push(oid)
      return oid
    }
  }
})

const git = (cwd: string, ...args: ReadonlyArray<string>) =>
  execFileSync("git", ["-c", "user.name=Test", "-c", "user.email=test@example.com", ...args], {
    cwd,
    encoding: "utf8"
  }).trim()

/** The objects `oid` points to: a commit's tree, a tree's entries (submodules aside). */
const pointsTo = (repo: string, oid: string): ReadonlyArray<string> => {
  const type = git(repo, "cat-file", "-t", oid)
  if (type === "commit") return [git(repo, "rev-parse", `${oid}^{tree}`)]
  if (type !== "tree") return []
  return git(repo, "ls-tree", oid)
    .split("\n")
    .filter((line) => line !== "" && !line.includes(" commit "))
    .map((line) => line.split(/\s+/)[2] ?? "")
}

let scratch = ""
beforeEach(() => {
  scratch = fs.mkdtempSync(path.join(os.tmpdir(), "push-order-"))
  written.length = 0
})
afterEach(() => fs.rmSync(scratch, { recursive: true, force: true }))

it("writes every object after the objects it points to, and the branch last", async () => {
  const origin = path.join(scratch, "origin")
  const base = makeRepository(origin)
  const repository = new JobRepository({ url: origin, baseRef: "main" })
  const work = path.join(scratch, "work")
  await Effect.runPromise(checkout(repository, base, work))

  // Nested folders sharing one blob: a walk that lists an object when first met writes a tree
  // before a blob it holds.
  for (const file of ["src/a/b/shared.ts", "src/a/shared.ts", "src/c/d/e/deep.ts", "docs/notes.md"]) {
    fs.mkdirSync(path.dirname(path.join(work, file)), { recursive: true })
    fs.writeFileSync(path.join(work, file), file.endsWith("shared.ts") ? "export const shared = 1\n" : `${file}\n`)
  }
  git(work, "add", ".")
  git(work, "commit", "-q", "-m", "a change")
  const sha = git(work, "rev-parse", "HEAD")

  await Effect.runPromise(pushBranch(repository, work, "tamma/ordered", sha))

  expect(written.length).toBeGreaterThan(5)
  expect(written.at(-1)).toBe(sha)
  for (const [index, oid] of written.entries()) {
    for (const child of pointsTo(work, oid)) {
      const before = written.indexOf(child)
      // Either the repository had it already (the base's objects) or it was written earlier.
      if (before === -1) expect(git(origin, "cat-file", "-t", child)).not.toBe("")
      else expect(before).toBeLessThan(index)
    }
  }
  expect(git(origin, "rev-parse", "refs/heads/tamma/ordered")).toBe(sha)
  expect(() => fsck(origin)).not.toThrow()
})
