/**
 * Workspace: real repositories for the safety tests, made, inspected and reset with the git CLI.
 */
import { execFileSync, spawnSync } from "node:child_process"
import * as fs from "node:fs"
import * as os from "node:os"
import * as nodePath from "node:path"
import { fileURLToPath } from "node:url"

export const project = nodePath.resolve(nodePath.dirname(fileURLToPath(import.meta.url)), "..", "..")
/** The project's pinned Node (24), which runs TypeScript directly. */
export const nodeBin = nodePath.join(project, "node_modules", ".bin", "node")

// Hermetic: the machine's global and system config must not leak in.
const env = { ...process.env, GIT_CONFIG_GLOBAL: "/dev/null", GIT_CONFIG_NOSYSTEM: "1" }

export const git = (dir: string, ...args: ReadonlyArray<string>): string =>
  execFileSync("git", args, { cwd: dir, env, encoding: "utf8" }).trimEnd()

/** `git args…` without throwing: status and both outputs. */
export const gitResult = (dir: string, ...args: ReadonlyArray<string>) => {
  const result = spawnSync("git", args, { cwd: dir, env, encoding: "utf8" })
  return { status: result.status, stdout: result.stdout, stderr: result.stderr }
}

export const writeFiles = (root: string, files: Readonly<Record<string, string>>) => {
  for (const [path, content] of Object.entries(files)) {
    const full = nodePath.join(root, path)
    fs.mkdirSync(nodePath.dirname(full), { recursive: true })
    fs.writeFileSync(full, content)
  }
}

/** A fresh repository on `main` with `files` in one commit; returns the folder and the commit. */
export const makeRepository = (files: Readonly<Record<string, string>>, prefix = "tamma-safety-") => {
  const dir = fs.realpathSync(fs.mkdtempSync(nodePath.join(os.tmpdir(), prefix)))
  git(dir, "init", "--quiet", "--initial-branch=main")
  git(dir, "config", "user.name", "Safety")
  git(dir, "config", "user.email", "safety@example.com")
  writeFiles(dir, files)
  git(dir, "add", "--all")
  git(dir, "commit", "--quiet", "-m", "initial")
  return { dir, initial: git(dir, "rev-parse", "HEAD") }
}

/** Every file outside `.git` and `.tamma` with its content, sorted by path. */
export const snapshot = (root: string): Record<string, string> => {
  const files: Record<string, string> = {}
  for (const entry of fs.readdirSync(root, { recursive: true, withFileTypes: true })) {
    const relative = nodePath.relative(root, nodePath.join(entry.parentPath, entry.name)).split(nodePath.sep).join("/")
    const top = relative.split("/")[0]
    if (top === ".git" || top === ".tamma" || !entry.isFile()) continue
    files[relative] = fs.readFileSync(nodePath.join(root, relative), "utf8")
  }
  return Object.fromEntries(Object.entries(files).sort(([a], [b]) => (a < b ? -1 : 1)))
}

/** Every folder outside `.git` and `.tamma`, sorted. */
export const folders = (root: string): ReadonlyArray<string> =>
  fs
    .readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => nodePath.relative(root, nodePath.join(entry.parentPath, entry.name)).split(nodePath.sep).join("/"))
    .filter((relative) => relative.split("/")[0] !== ".git" && relative.split("/")[0] !== ".tamma")
    .sort()

/** Back to `initial` on `main`, every other branch and everything untracked (`.tamma/` too) gone. */
export const resetRepository = (dir: string, initial: string) => {
  git(dir, "symbolic-ref", "HEAD", "refs/heads/main")
  git(dir, "reset", "--quiet", "--hard", initial)
  git(dir, "clean", "-fdxq")
  for (const branch of git(dir, "branch", "--format=%(refname:short)").split("\n")) {
    if (branch !== "main" && branch !== "") git(dir, "branch", "-D", "--quiet", branch)
  }
}

export const removeFolder = (dir: string) => fs.rmSync(dir, { recursive: true, force: true })
