/**
 * `git.runHooks`: the repository's `pre-commit` and `commit-msg` hooks around the run's commit,
 * through the real CLI; every git fact checked with the git CLI.
 */
import { spawnSync } from "node:child_process"
import * as fs from "node:fs"
import * as path from "node:path"
import { describe, expect, it } from "vitest"
import {
  cliSync,
  demoRequests,
  gitOutput as git,
  gitState as headAndStatus,
  scratchFolders,
  snapshot,
  writeTree
} from "./support/CliProcess.ts"

const request = path.join(demoRequests, "01-text-helpers.json")
const { demoRepository, tempDir } = scratchFolders()

/** A scratch repository with `config` as its tamma.config.json and `hooks` in .git/hooks. */
const repoWith = (config: object, hooks: Readonly<Record<string, string>>) => {
  const dir = demoRepository("tamma-hooks-", { config })
  for (const [name, script] of Object.entries(hooks)) {
    fs.writeFileSync(path.join(dir, ".git", "hooks", name), script, { mode: 0o755 })
  }
  return dir
}

/** The CLI, with a user config of its own that agrees with the workspace's; hooks may write `$HOOK_LOG`. */
const generate = (repo: string, config: object, home = tempDir("tamma-home-")) => {
  writeTree(home, { "tamma/config.json": JSON.stringify(config) })
  return cliSync(["generate", "--request", request, "--workspace", repo], {
    env: { XDG_CONFIG_HOME: home, HOOK_LOG: path.join(home, "hook.log") }
  })
}

const gitState = (repo: string) => ({
  ...headAndStatus(repo),
  index: git(repo, "ls-files", "--stage")
})

const failingPreCommit = '#!/bin/sh\necho "lint says no" >&2\nexit 1\n'

describe("git.runHooks", () => {
  it("a failing pre-commit hook fails the run: exit 1, the hook's words, nothing written or committed", () => {
    const config = { git: { runHooks: true } }
    const repo = repoWith(config, { "pre-commit": failingPreCommit })
    const before = snapshot(repo)
    const state = gitState(repo)
    const run = generate(repo, config)
    expect(run.status).toBe(1)
    // The result, with its errors, is on stdout.
    expect(run.stdout).toContain("pre-commit hook refused the commit (exit 1)")
    expect(run.stdout).toContain("lint says no")
    expect(run.stdout).toContain("nothing was written")
    expect(snapshot(repo)).toEqual(before)
    expect(gitState(repo)).toEqual(state)
  })

  it("hooks that pass see the change staged, and commit-msg may edit the message", () => {
    const config = { git: { runHooks: true } }
    const repo = repoWith(config, {
      "pre-commit": '#!/bin/sh\ngit diff --cached --name-only > "$HOOK_LOG"\n',
      "commit-msg": '#!/bin/sh\nprintf "\\nSigned-off-by: Hook <hook@example.com>\\n" >> "$1"\n'
    })
    const home = tempDir("tamma-home-")
    const run = generate(repo, config, home)
    expect(run.status, run.stderr).toBe(0)
    expect(git(repo, "log", "-1", "--format=%B")).toContain("Signed-off-by: Hook <hook@example.com>")
    const staged = fs.readFileSync(path.join(home, "hook.log"), "utf8")
    expect(staged.split("\n")).toContain("src/text.ts")
    expect(git(repo, "status", "--porcelain")).toBe("")
    expect(spawnSync("git", ["fsck", "--strict"], { cwd: repo }).status).toBe(0)
  })

  it("a pre-commit hook that rewrites a file of the change fails the run: the commit holds only what was checked", () => {
    const config = { git: { runHooks: true } }
    const repo = repoWith(config, { "pre-commit": '#!/bin/sh\necho "// hooked" >> src/text.ts\ngit add src/text.ts\n' })
    const before = snapshot(repo)
    const state = gitState(repo)
    const run = generate(repo, config)
    expect(run.status).toBe(1)
    expect(run.stdout).toContain("the pre-commit hook changed src/text.ts")
    expect(snapshot(repo)).toEqual(before)
    expect(gitState(repo)).toEqual(state)
  })

  it("a change that writes into the hooks folder fails the run and runs no hook", () => {
    const config = { git: { runHooks: true } }
    const repo = repoWith(config, {})
    const home = tempDir("tamma-home-")
    fs.writeFileSync(path.join(repo, "src", "pre-commit"), `#!/bin/sh\ntouch "${path.join(home, "ran")}"\n`, {
      mode: 0o755
    })
    git(repo, "add", "src/pre-commit")
    git(repo, "commit", "-q", "-m", "a hook")
    // core.hooksPath names the folder the change writes to: its files would be hooks.
    git(repo, "config", "core.hooksPath", "src")
    const before = snapshot(repo)
    const state = gitState(repo)
    const run = generate(repo, config, home)
    expect(run.status).toBe(1)
    expect(run.stdout).toContain("in the hooks folder: its hooks are not run")
    expect(fs.existsSync(path.join(home, "ran"))).toBe(false)
    expect(snapshot(repo)).toEqual(before)
    expect(gitState(repo)).toEqual(state)
  })

  it("off by default: the hooks are not run", () => {
    const repo = repoWith({}, { "pre-commit": failingPreCommit })
    const run = generate(repo, {})
    expect(run.status, run.stderr).toBe(0)
    expect(git(repo, "rev-parse", "--abbrev-ref", "HEAD")).not.toBe("main")
    expect(`${run.stdout}${run.stderr}`).not.toContain("lint says no")
  })
})
