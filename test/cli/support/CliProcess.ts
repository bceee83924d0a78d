/**
 * The CLI as a user runs it, for tests: a child process of `cli/bin.ts` (blocking, or not so that
 * a server of the test can answer it), scratch folders removed after each test, the demo
 * workspace as a git repository, and what git and the disk say afterwards.
 */
import { execFileSync, spawn, spawnSync } from "node:child_process"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { fileURLToPath } from "node:url"
import { afterEach } from "vitest"

/** The package's own folder. */
export const project = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..", "..")

/** The CLI's entry point. */
export const bin = path.join(project, "cli", "bin.ts")

/** The demo workspace and its requests, which most CLI tests run against. */
export const demoWorkspace = path.join(project, "examples", "demo", "workspace")
export const demoRequests = path.join(project, "examples", "demo", "requests")

export interface CliRun {
  readonly status: number | null
  readonly stdout: string
  readonly stderr: string
}

/** Runs `tamma-codegen ARGS` with `env` over `baseEnv` (this process's, by default), without colour. */
export const runCli = (
  args: ReadonlyArray<string>,
  options: { readonly env?: Readonly<Record<string, string>>; readonly baseEnv?: NodeJS.ProcessEnv } = {}
) =>
  new Promise<CliRun>((resolve) => {
    const child = spawn(process.execPath, [bin, ...args], {
      env: { ...(options.baseEnv ?? process.env), NO_COLOR: "1", ...options.env }
    })
    let stdout = ""
    let stderr = ""
    child.stdout.on("data", (chunk) => {
      stdout += chunk
    })
    child.stderr.on("data", (chunk) => {
      stderr += chunk
    })
    child.on("close", (status) => resolve({ status, stdout, stderr }))
  })

export interface CliSyncOptions {
  /** Given on stdin. */
  readonly input?: string
  readonly cwd?: string
  /** Over this process's environment; `undefined` removes a variable. */
  readonly env?: Readonly<Record<string, string | undefined>>
  /** Another entry point (an installed copy, a link to this one). */
  readonly bin?: string
  readonly timeout?: number
}

/** Runs `tamma-codegen ARGS` to its end, without colour. */
export const cliSync = (args: ReadonlyArray<string>, options: CliSyncOptions = {}) => {
  const env: Record<string, string | undefined> = { ...process.env, NO_COLOR: "1", ...options.env }
  return spawnSync(process.execPath, [options.bin ?? bin, ...args], {
    encoding: "utf8",
    ...(options.input === undefined ? {} : { input: options.input }),
    ...(options.cwd === undefined ? {} : { cwd: options.cwd }),
    ...(options.timeout === undefined ? {} : { timeout: options.timeout }),
    env: Object.fromEntries(Object.entries(env).filter((entry): entry is [string, string] => entry[1] !== undefined))
  })
}

/** `git ARGS` in `cwd`, its output trimmed; throws when git fails. */
export const git = (cwd: string, ...args: ReadonlyArray<string>) =>
  execFileSync("git", args, { cwd, encoding: "utf8" }).trim()

/** `git ARGS` in `cwd`, its stdout trimmed, empty when git fails (a branch that is gone). */
export const gitOutput = (cwd: string, ...args: ReadonlyArray<string>) =>
  spawnSync("git", args, { cwd, encoding: "utf8" }).stdout.trim()

/** Makes `dir` a repository on `main` whose one commit holds everything in it. */
export const commitAll = (dir: string) => {
  git(dir, "init", "-q", "-b", "main")
  git(dir, "config", "user.name", "Test User")
  git(dir, "config", "user.email", "test@example.com")
  git(dir, "add", ".")
  git(dir, "commit", "-q", "-m", "initial")
}

/** Writes `files` (path → content) under `dir`, creating their folders. */
export const writeTree = (dir: string, files: Readonly<Record<string, string | Uint8Array>>) => {
  for (const [file, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true })
    fs.writeFileSync(path.join(dir, file), content)
  }
  return dir
}

/**
 * Scratch folders and other things to undo after each test of the calling file: call once at
 * the top of a test file (it registers the `afterEach`).
 */
export const scratchFolders = () => {
  // What a cleanup returns is awaited when it is a promise (a server's close) and otherwise ignored.
  const cleanups: Array<() => unknown> = []
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0)) await cleanup()
  })
  const onCleanup = (cleanup: () => unknown) => {
    cleanups.push(cleanup)
  }
  /** A new empty folder under the system's temp folder, by its real path, removed after the test. */
  const tempDir = (prefix: string) => {
    const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), prefix)))
    onCleanup(() => fs.rmSync(dir, { recursive: true, force: true }))
    return dir
  }
  /**
   * A copy of the demo workspace, with `config` as its tamma.config.json when given, committed
   * on main unless `commit` is false.
   */
  const demoRepository = (
    prefix: string,
    options: { readonly config?: unknown; readonly commit?: boolean; readonly gitignore?: boolean } = {}
  ) => {
    const dir = tempDir(prefix)
    fs.cpSync(demoWorkspace, dir, { recursive: true })
    // The demo ships its ignore file under another name so that this repository does not apply it.
    if (options.gitignore === true) fs.renameSync(path.join(dir, "gitignore"), path.join(dir, ".gitignore"))
    if (options.config !== undefined)
      fs.writeFileSync(path.join(dir, "tamma.config.json"), JSON.stringify(options.config))
    if (options.commit !== false) commitAll(dir)
    return dir
  }
  /** A user config folder (`XDG_CONFIG_HOME`) holding `tamma/config.json` when `config` is given. */
  const userHome = (config?: unknown) => {
    const dir = tempDir("tamma-home-")
    if (config !== undefined) writeTree(dir, { "tamma/config.json": JSON.stringify(config) })
    return dir
  }
  return { onCleanup, tempDir, demoRepository, userHome }
}

/** Every file of `dir` with its content, outside the top-level folders in `exclude`. */
export const snapshot = (dir: string, exclude: ReadonlyArray<string> = [".git", ".tamma"]): Record<string, string> => {
  const out: Record<string, string> = {}
  for (const entry of fs.readdirSync(dir, { recursive: true, withFileTypes: true })) {
    const relative = path.relative(dir, path.join(entry.parentPath, entry.name))
    if (!entry.isFile() || exclude.includes(relative.split(path.sep)[0] ?? "")) continue
    out[relative] = fs.readFileSync(path.join(dir, relative), "utf8")
  }
  return out
}

/** What git says about a repository: HEAD, its branch, every branch, and the work tree's status. */
export const gitState = (repo: string) => ({
  head: gitOutput(repo, "rev-parse", "HEAD"),
  branch: gitOutput(repo, "symbolic-ref", "HEAD"),
  branches: gitOutput(repo, "branch", "--format=%(refname:short)"),
  status: gitOutput(repo, "status", "--porcelain")
})
