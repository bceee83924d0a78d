/**
 * `runs`, `rollback` and `recover` through the real CLI, every git fact checked with the git CLI.
 */
import { spawnSync } from "node:child_process"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { describe, expect, it } from "vitest"
import {
  cliSync as cli,
  gitOutput as git,
  demoRequests as requests,
  scratchFolders,
  snapshot
} from "./support/CliProcess.ts"

const { demoRepository } = scratchFolders()

const scratchRepo = (): string => demoRepository("tamma-runs-")

const generate = (repo: string) => {
  const run = cli(["generate", "--request", path.join(requests, "02-pricing.json"), "--workspace", repo])
  expect(run.status, run.stderr).toBe(0)
}

const onlyRun = (repo: string) => {
  const listed = cli(["runs", "--workspace", repo, "--json"])
  expect(listed.status, listed.stderr).toBe(0)
  const runs = JSON.parse(listed.stdout)
  expect(runs).toHaveLength(1)
  return runs[0]
}

describe("run records and rollback", () => {
  it("records an applied run and rolls it back: files, branch and HEAD as before", () => {
    const repo = scratchRepo()
    const before = snapshot(repo)
    const head = git(repo, "rev-parse", "HEAD")
    generate(repo)
    const run = onlyRun(repo)
    expect(run.branch).toBe(git(repo, "rev-parse", "--abbrev-ref", "HEAD"))
    expect(run.commit).toBe(git(repo, "rev-parse", "HEAD"))
    expect(run.previousBranch).toBe("main")
    expect(run.files.map((file: { path: string }) => file.path).sort()).toEqual([
      "src/pricing.ts",
      "test/pricing.test.ts"
    ])
    expect(run.files.every((file: { beforeHash: string }) => file.beforeHash === "absent")).toBe(true)
    expect(cli(["runs", "--workspace", repo]).stdout).toContain(run.runId)

    const rolled = cli(["rollback", run.runId, "--workspace", repo])
    expect(rolled.status, rolled.stderr).toBe(0)
    expect(rolled.stdout).toContain("deleted the run's branch")
    expect(snapshot(repo)).toEqual(before)
    expect(git(repo, "symbolic-ref", "HEAD")).toBe("refs/heads/main")
    expect(git(repo, "rev-parse", "HEAD")).toBe(head)
    expect(git(repo, "branch", "--format=%(refname:short)")).toBe("main")
    expect(git(repo, "status", "--porcelain")).toBe("")
    expect(spawnSync("git", ["fsck", "--strict"], { cwd: repo }).status).toBe(0)
    // Once is enough: a second rollback is refused as bad input.
    const again = cli(["rollback", run.runId, "--workspace", repo])
    expect(again.status).toBe(2)
    expect(again.stderr).toContain("rolled back by")
  })

  it("refuses with FileConflictError (exit 1) when a file changed since the run, and writes nothing", () => {
    const repo = scratchRepo()
    generate(repo)
    const run = onlyRun(repo)
    fs.appendFileSync(path.join(repo, "src", "pricing.ts"), "// edited by hand\n")
    const before = snapshot(repo)
    const head = git(repo, "rev-parse", "HEAD")
    const refused = cli(["rollback", run.runId, "--workspace", repo])
    expect(refused.status).toBe(1)
    expect(refused.stderr).toContain("FileConflictError")
    expect(refused.stderr).toContain("src/pricing.ts")
    expect(snapshot(repo)).toEqual(before)
    expect(git(repo, "rev-parse", "HEAD")).toBe(head)
  })

  it("reverts with a new commit when the branch has moved on", () => {
    const repo = scratchRepo()
    generate(repo)
    const run = onlyRun(repo)
    fs.writeFileSync(path.join(repo, "NOTES.md"), "more work\n")
    git(repo, "add", "NOTES.md")
    git(repo, "commit", "-q", "-m", "more work")
    const rolled = cli(["rollback", run.runId, "--workspace", repo])
    expect(rolled.status, rolled.stderr).toBe(0)
    expect(rolled.stdout).toContain("committed the revert")
    expect(git(repo, "rev-parse", "--abbrev-ref", "HEAD")).toBe(run.branch)
    expect(git(repo, "log", "--format=%s", "-1")).toMatch(/^Revert "/)
    expect(git(repo, "show", "--name-status", "--format=", "HEAD").split("\n").sort()).toEqual([
      "D\tsrc/pricing.ts",
      "D\ttest/pricing.test.ts"
    ])
    expect(fs.existsSync(path.join(repo, "src", "pricing.ts"))).toBe(false)
    expect(fs.readFileSync(path.join(repo, "NOTES.md"), "utf8")).toBe("more work\n")
    expect(git(repo, "status", "--porcelain")).toBe("")
  })

  it("reports a run record whose time is not a date as a bad record, not an internal error", () => {
    const repo = scratchRepo()
    fs.mkdirSync(path.join(repo, ".tamma", "runs"), { recursive: true })
    const record = { runId: "20260101T000000-eeeeee", startedAt: 1, summary: "planted", files: [] }
    fs.writeFileSync(
      path.join(repo, ".tamma", "runs", "20260101T000000-eeeeee.json"),
      JSON.stringify({ ...record, finishedAt: 1e300 })
    )
    const run = cli(["runs", "--workspace", repo])
    expect(run.stderr).not.toContain("RangeError")
    expect(run.stderr).toContain("decode run record")
    expect(run.stderr).toContain("20260101T000000-eeeeee.json")
    // A real time still lists.
    fs.writeFileSync(
      path.join(repo, ".tamma", "runs", "20260101T000000-eeeeee.json"),
      JSON.stringify({ ...record, finishedAt: Date.UTC(2026, 0, 1) })
    )
    const listed = cli(["runs", "--workspace", repo])
    expect(listed.status, listed.stderr).toBe(0)
    expect(listed.stdout).toContain("20260101T000000-eeeeee  2026-01-01T00:00:00.000Z")
  })

  it("recover reports nothing to do on a clean workspace", () => {
    const repo = scratchRepo()
    const run = cli(["recover", "--workspace", repo])
    expect(run.status, run.stderr).toBe(0)
    expect(run.stdout).toContain("nothing to recover")
  })

  it("a second run on a locked workspace exits 2 with WorkspaceLockedError and writes nothing", () => {
    const repo = scratchRepo()
    const before = snapshot(repo)
    fs.mkdirSync(path.join(repo, ".tamma"))
    // This test process is alive on this host: its lock is not stale.
    const lock = { pid: process.pid, hostname: os.hostname(), startedAt: new Date().toISOString(), token: "t" }
    fs.writeFileSync(path.join(repo, ".tamma", "lock"), JSON.stringify(lock))
    const run = cli(["generate", "--request", path.join(requests, "02-pricing.json"), "--workspace", repo])
    expect(run.status).toBe(2)
    expect(run.stderr).toContain("WorkspaceLockedError")
    expect(snapshot(repo)).toEqual(before)
    expect(git(repo, "branch", "--format=%(refname:short)")).toBe("main")
  })
})
