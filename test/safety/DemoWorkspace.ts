/**
 * DemoWorkspace: the demo project as a real repository, the CLI run on it as a user would, and
 * what git sees of it afterwards (the work tree's hash, modes, status).
 */
import { spawnSync } from "node:child_process"
import * as fs from "node:fs"
import * as os from "node:os"
import * as nodePath from "node:path"
import { git, nodeBin, project } from "./Workspace.ts"

export const demoRequests = nodePath.join(project, "examples", "demo", "requests")

/** The demo workspace committed on `main`; `prepare` runs before the commit (links, config). */
export const demoRepository = (prepare?: (dir: string) => void): string => {
  const dir = fs.realpathSync(fs.mkdtempSync(nodePath.join(os.tmpdir(), "tamma-demo-")))
  fs.cpSync(nodePath.join(project, "examples", "demo", "workspace"), dir, { recursive: true })
  git(dir, "init", "--quiet", "--initial-branch=main")
  git(dir, "config", "user.name", "Demo")
  git(dir, "config", "user.email", "demo@example.com")
  prepare?.(dir)
  git(dir, "add", "--all")
  git(dir, "commit", "--quiet", "-m", "initial")
  return dir
}

/** A demo request with `change` applied to its decoded JSON, written to a file of its own. */
export const demoRequest = (name: string, change: (request: Record<string, unknown>) => void = () => {}): string => {
  const request: Record<string, unknown> = JSON.parse(fs.readFileSync(nodePath.join(demoRequests, name), "utf8"))
  change(request)
  const file = nodePath.join(fs.mkdtempSync(nodePath.join(os.tmpdir(), "tamma-request-")), name)
  fs.writeFileSync(file, JSON.stringify(request))
  return file
}

/** Runs the CLI with the project's Node in `cwd`; colours off so that output is plain text. */
export const runCli = (args: ReadonlyArray<string>, cwd?: string) =>
  spawnSync(nodeBin, [nodePath.join(project, "cli", "bin.ts"), ...args], {
    cwd,
    encoding: "utf8",
    env: { ...process.env, NO_COLOR: "1" }
  })

/**
 * The hash git would give the whole work tree (tracked and untracked files, modes and links,
 * `.gitignore`d and `.tamma/` left out), through a throwaway index: equal hashes mean nothing
 * the repository would see has changed.
 */
export const workTreeHash = (dir: string): string => {
  const index = nodePath.join(fs.mkdtempSync(nodePath.join(os.tmpdir(), "tamma-index-")), "index")
  const env = { ...process.env, GIT_INDEX_FILE: index, GIT_CONFIG_GLOBAL: "/dev/null", GIT_CONFIG_NOSYSTEM: "1" }
  spawnSync("git", ["add", "--all"], { cwd: dir, env })
  const result = spawnSync("git", ["write-tree"], { cwd: dir, env, encoding: "utf8" })
  fs.rmSync(nodePath.dirname(index), { recursive: true, force: true })
  return result.stdout.trim()
}

/** `git ls-files -s` of one path as `mode`, and the text of its blob. */
export const indexEntry = (dir: string, path: string) => {
  const [mode, oid] = git(dir, "ls-files", "-s", "--", path).split(/\s+/)
  return { mode, blob: oid === undefined ? undefined : git(dir, "cat-file", "-p", oid) }
}
