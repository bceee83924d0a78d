import { execFileSync, spawnSync } from "node:child_process"
import * as fs from "node:fs"
import * as path from "node:path"
import { describe, expect, it } from "vitest"
import { cliSync, scratchFolders } from "../cli/support/CliProcess.ts"

const { tempDir, userHome, demoRepository } = scratchFolders()

/**
 * A journal a repository ships in `.tamma/journal/` (or anyone plants there) is read at the start
 * of every command, as if a run of this machine had crashed: it must not reach outside the
 * workspace, nor overwrite a file that holds neither of the states it names.
 */
describe("a planted run journal", () => {
  it("removes no folder outside the workspace and rewrites no file it does not describe", () => {
    const outside = tempDir("tamma-outside-")
    fs.mkdirSync(path.join(outside, "empty"))
    const repo = demoRepository("tamma-planted-")
    const index = fs.readFileSync(path.join(repo, "src", "index.ts"), "utf8")
    const journal = path.join(repo, ".tamma", "journal", "20260101T000000-aaaaaa")
    fs.mkdirSync(journal, { recursive: true })
    fs.writeFileSync(
      path.join(journal, "journal.json"),
      JSON.stringify({
        runId: "20260101T000000-aaaaaa",
        startedAt: 1,
        summary: "planted",
        files: [{ path: "src/index.ts", before: "export const pwned = 1\n", after: "export const other = 2\n" }],
        createdFolders: [`${path.relative(repo, outside)}/empty`]
      })
    )
    const run = cliSync(["template", "list", "--workspace", repo], { env: { XDG_CONFIG_HOME: userHome() } })
    expect(run.status).toBe(0)
    expect(fs.readFileSync(path.join(repo, "src", "index.ts"), "utf8")).toBe(index)
    expect(fs.existsSync(path.join(outside, "empty"))).toBe(true)
    expect(run.stderr).toContain("src/index.ts")
    expect(run.stderr).toContain("neither")
  })

  it("removes no folder of git's, Tamma's or the user's, and none once a restore of it was refused", () => {
    const repo = demoRepository("tamma-planted-")
    // Packed refs leave .git/refs/heads and .git/refs/tags empty: removing them and .git/refs unmakes the repository.
    execFileSync("git", ["pack-refs", "--all"], { cwd: repo })
    fs.mkdirSync(path.join(repo, "docs", "empty"), { recursive: true })
    fs.mkdirSync(path.join(repo, ".tamma", "empty"), { recursive: true })
    fs.mkdirSync(path.join(repo, "gen", "x"), { recursive: true })
    fs.mkdirSync(path.join(repo, "out", "y"), { recursive: true })
    const plant = (runId: string, files: ReadonlyArray<object>, createdFolders: ReadonlyArray<string>) => {
      const journal = path.join(repo, ".tamma", "journal", runId)
      fs.mkdirSync(journal, { recursive: true })
      fs.writeFileSync(
        path.join(journal, "journal.json"),
        JSON.stringify({ runId, startedAt: 1, summary: "planted", files, createdFolders })
      )
    }
    // Its file is absent, as before the run: restored, so only the folders above that file may go.
    // The newer of the two: recovery undoes newest first and stops at the first refusal.
    plant(
      "20260102T000000-cccccc",
      [{ path: "gen/x/out.ts", before: undefined, after: "export const out = 1\n" }],
      ["gen/x", "gen", ".git/refs/tags", ".git/refs/heads", ".git/refs", ".tamma/empty", "docs/empty"]
    )
    // One of its files holds neither state: refused, so not even the folders above its files go.
    plant(
      "20260101T000000-dddddd",
      [
        { path: "out/y/made.ts", before: undefined, after: "made\n" },
        { path: "src/index.ts", before: "export const pwned = 1\n", after: "export const other = 2\n" }
      ],
      ["out/y", "out"]
    )
    const run = cliSync(["template", "list", "--workspace", repo], { env: { XDG_CONFIG_HOME: userHome() } })
    expect(run.status).toBe(0)
    expect(spawnSync("git", ["rev-parse", "--git-dir"], { cwd: repo }).status).toBe(0)
    expect(spawnSync("git", ["status", "--porcelain"], { cwd: repo }).status).toBe(0)
    for (const kept of [".git/refs/tags", ".git/refs/heads", ".tamma/empty", "docs/empty", "out/y"]) {
      expect(fs.existsSync(path.join(repo, kept)), kept).toBe(true)
    }
    expect(fs.existsSync(path.join(repo, "gen"))).toBe(false)
  })

  it("whose run id leads out of its folder deletes and writes nothing outside it", () => {
    const outside = tempDir("tamma-outside-")
    fs.writeFileSync(path.join(outside, "keep.txt"), "mine\n")
    const repo = demoRepository("tamma-planted-")
    const journals = path.join(repo, ".tamma", "journal")
    const runId = path.relative(journals, outside)
    const journal = path.join(journals, "20260101T000000-bbbbbb")
    fs.mkdirSync(journal, { recursive: true })
    fs.writeFileSync(
      path.join(journal, "journal.json"),
      JSON.stringify({ runId, startedAt: 1, summary: "planted", files: [], createdFolders: [] })
    )
    const run = cliSync(["template", "list", "--workspace", repo], { env: { XDG_CONFIG_HOME: userHome() } })
    expect(run.status).toBe(0)
    expect(fs.readdirSync(outside)).toEqual(["keep.txt"])
    expect(fs.readFileSync(path.join(outside, "keep.txt"), "utf8")).toBe("mine\n")
    expect(
      fs.readdirSync(path.dirname(outside)).filter((name) => name.startsWith(`${path.basename(outside)}.`))
    ).toEqual([])
    expect(run.stderr).toContain("20260101T000000-bbbbbb")
  })
})
