/**
 * A worker keeps one clone per repository between jobs: the next job of the repository gets it
 * back clean at its own base — the last job's files, branch and run records gone, a base the
 * origin gained since fetched (from a path or over smart HTTP) — and a clone a job did not end
 * with in order is not reused. Real repositories, git's own fsck and `git http-backend`.
 */
import { execFileSync } from "node:child_process"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { Effect, type Scope } from "effect"
import { afterEach, beforeEach, describe, expect, it } from "vitest"
import { fsck, makeRepository } from "../../../examples/cluster/ClusterFixture.ts"
import { startGitHttpServer } from "../../../examples/cluster/GitHttpServer.ts"
import { JobRepository } from "../../../plugins/cluster/Job.ts"
import { type JobCheckout, WarmCheckouts } from "../../../plugins/cluster/WarmCheckouts.ts"

const git = (cwd: string, ...args: ReadonlyArray<string>) =>
  execFileSync("git", ["-c", "user.name=Test", "-c", "user.email=test@example.com", ...args], {
    cwd,
    encoding: "utf8"
  }).trim()

/** Commits `file` with `content` on the origin's main; returns the new commit. */
const commitOnOrigin = (dir: string, file: string, content: string) => {
  fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true })
  fs.writeFileSync(path.join(dir, file), content)
  git(dir, "add", file)
  git(dir, "commit", "-q", "-m", `add ${file}`)
  return git(dir, "rev-parse", "HEAD")
}

/** What a job leaves behind: a commit on its branch with a new file, an untracked file, run records. */
const leaveAJobsTraces = (dir: string, name: string) => {
  git(dir, "checkout", "-q", "-b", `tamma/${name}`)
  fs.writeFileSync(path.join(dir, "src", `${name}.ts`), "export const x = 1\n")
  git(dir, "add", ".")
  git(dir, "commit", "-q", "-m", name)
  fs.writeFileSync(path.join(dir, "stray.txt"), "left over\n")
  fs.mkdirSync(path.join(dir, ".tamma", "runs"), { recursive: true })
  fs.writeFileSync(path.join(dir, ".tamma", "runs", "r.json"), "{}")
}

const filesOf = (dir: string) =>
  fs
    .readdirSync(dir, { recursive: true, encoding: "utf8" })
    .filter((p) => !p.startsWith(".git") && fs.statSync(path.join(dir, p)).isFile())
    .sort()

let scratch = ""
let tmpdir: string | undefined
beforeEach(() => {
  scratch = fs.mkdtempSync(path.join(os.tmpdir(), "warm-checkouts-"))
  // The worker's clones go under the test's folder.
  tmpdir = process.env.TMPDIR
  process.env.TMPDIR = path.join(scratch, "worker")
  fs.mkdirSync(process.env.TMPDIR)
})
afterEach(() => {
  if (tmpdir === undefined) delete process.env.TMPDIR
  else process.env.TMPDIR = tmpdir
  fs.rmSync(scratch, { recursive: true, force: true })
})

const withCheckouts = <A, E>(use: (checkouts: WarmCheckouts["Service"]) => Effect.Effect<A, E, Scope.Scope>) =>
  Effect.runPromise(
    Effect.scoped(
      Effect.gen(function* () {
        return yield* use(yield* WarmCheckouts)
      })
    ).pipe(Effect.provide(WarmCheckouts.layer))
  )

/** One job's use of a checkout: `work` on its folder, then kept when `keep`. */
const job = (
  checkouts: WarmCheckouts["Service"],
  repository: JobRepository,
  base: string,
  work: (checkout: JobCheckout) => void,
  keep = true
) =>
  Effect.scoped(
    Effect.gen(function* () {
      const checkout = yield* checkouts.checkout(repository, base)
      work(checkout)
      if (keep) yield* checkout.keep
      return checkout.dir
    })
  )

describe("a worker's kept clones", () => {
  it("hands the next job of a repository the same clone, clean at its base, and fetches a base the origin gained since", async () => {
    const origin = path.join(scratch, "origin")
    const first = makeRepository(origin)
    const repository = new JobRepository({ url: origin, baseRef: "main" })
    const seen: Array<ReadonlyArray<string>> = []
    const dirs = await withCheckouts((checkouts) =>
      Effect.gen(function* () {
        const one = yield* job(checkouts, repository, first, (c) => {
          seen.push(filesOf(c.dir))
          leaveAJobsTraces(c.dir, "one")
        })
        const second = commitOnOrigin(origin, "src/added.ts", "export const added = true\n")
        const two = yield* job(checkouts, repository, second, (c) => {
          seen.push(filesOf(c.dir))
          expect(git(c.dir, "rev-parse", "HEAD")).toBe(second)
          expect(git(c.dir, "branch", "--format=%(refname:short)")).toBe("tamma-job-base")
          expect(git(c.dir, "status", "--porcelain", "--untracked-files=all")).toBe("")
          expect(fs.existsSync(path.join(c.dir, ".tamma"))).toBe(false)
          fsck(c.dir)
          leaveAJobsTraces(c.dir, "two")
        })
        // The same base again: the reset after job two is all it needs.
        const three = yield* job(checkouts, repository, second, (c) => {
          seen.push(filesOf(c.dir))
          expect(git(c.dir, "rev-parse", "HEAD")).toBe(second)
          expect(git(c.dir, "branch", "--format=%(refname:short)")).toBe("tamma-job-base")
          expect(git(c.dir, "status", "--porcelain", "--untracked-files=all")).toBe("")
        })
        return [one, two, three]
      })
    )
    expect(new Set(dirs).size).toBe(1)
    expect(seen).toEqual([
      ["package.json", "src/index.ts"],
      ["package.json", "src/added.ts", "src/index.ts"],
      ["package.json", "src/added.ts", "src/index.ts"]
    ])
    // The worker's folder goes with it.
    expect(fs.existsSync(dirs[0] ?? "")).toBe(false)
  })

  it("leaves no file of a job in the next one's clone, not even one the repository ignores", async () => {
    const origin = path.join(scratch, "origin")
    makeRepository(origin)
    const base = commitOnOrigin(origin, ".gitignore", "build/\n*.log\n")
    const repository = new JobRepository({ url: origin, baseRef: "main" })
    const seen: Array<ReadonlyArray<string>> = []
    await withCheckouts((checkouts) =>
      Effect.gen(function* () {
        yield* job(checkouts, repository, base, (c) => {
          fs.mkdirSync(path.join(c.dir, "build"), { recursive: true })
          fs.writeFileSync(path.join(c.dir, "build", "out.js"), "planted\n")
          fs.writeFileSync(path.join(c.dir, "debug.log"), "planted\n")
        })
        yield* job(checkouts, repository, base, (c) => seen.push(filesOf(c.dir)))
      })
    )
    expect(seen).toEqual([["package.json", "src/index.ts"]])
  })

  it("removes a clone its job did not end with, and copies the repository again for the next", async () => {
    const origin = path.join(scratch, "origin")
    const base = makeRepository(origin)
    const repository = new JobRepository({ url: origin, baseRef: "main" })
    await withCheckouts((checkouts) =>
      Effect.gen(function* () {
        const marker = (c: JobCheckout) => fs.writeFileSync(path.join(c.dir, ".git", "marker"), "x")
        const dir = yield* job(checkouts, repository, base, marker, false)
        expect(fs.existsSync(dir)).toBe(false)
        yield* job(checkouts, repository, base, (c) => {
          expect(fs.existsSync(path.join(c.dir, ".git", "marker"))).toBe(false)
          expect(filesOf(c.dir)).toEqual(["package.json", "src/index.ts"])
        })
      })
    )
  })

  it("gives a second job of a repository whose clone is in use a copy of its own", async () => {
    const origin = path.join(scratch, "origin")
    const base = makeRepository(origin)
    const repository = new JobRepository({ url: origin, baseRef: "main" })
    await withCheckouts((checkouts) =>
      Effect.scoped(
        Effect.gen(function* () {
          const [a, b] = yield* Effect.all(
            [checkouts.checkout(repository, base), checkouts.checkout(repository, base)],
            {
              concurrency: 2
            }
          )
          expect(a.dir).not.toBe(b.dir)
          fs.writeFileSync(path.join(a.dir, "src", "a.ts"), "a\n")
          expect(fs.existsSync(path.join(b.dir, "src", "a.ts"))).toBe(false)
        })
      )
    )
  })

  it("fetches over smart HTTP only when the clone lacks the base", async () => {
    const work = path.join(scratch, "work")
    makeRepository(work)
    const served = path.join(scratch, "served")
    fs.mkdirSync(served)
    git(scratch, "clone", "-q", "--bare", work, path.join(served, "app.git"))
    git(path.join(served, "app.git"), "config", "http.receivepack", "true")
    const server = await startGitHttpServer(served)
    try {
      const repository = new JobRepository({ url: `${server.url}/app.git`, baseRef: "main" })
      const first = git(work, "rev-parse", "HEAD")
      await withCheckouts((checkouts) =>
        Effect.gen(function* () {
          yield* job(checkouts, repository, first, (c) => leaveAJobsTraces(c.dir, "one"))
          const second = commitOnOrigin(work, "src/more.ts", "export const more = 2\n")
          git(work, "push", "-q", path.join(served, "app.git"), "main")
          yield* job(checkouts, repository, second, (c) => {
            expect(git(c.dir, "rev-parse", "HEAD")).toBe(second)
            expect(filesOf(c.dir)).toEqual(["package.json", "src/index.ts", "src/more.ts"])
            expect(git(c.dir, "status", "--porcelain", "--untracked-files=all")).toBe("")
          })
        })
      )
    } finally {
      await server.stop()
    }
  })
})
