/**
 * The repository's own `pre-commit` and `commit-msg` hooks, run as the git CLI runs them: from
 * `core.hooksPath` (relative to the work tree) or `.git/hooks`, only when executable, in the work
 * tree, a non-zero exit refusing the commit. isomorphic-git runs none by itself.
 */
import { spawn } from "node:child_process"
import * as fs from "node:fs"
import * as nodePath from "node:path"
import { sandboxEnvironment } from "../../testing/Confinement.ts"

/** How long a hook may take before it is killed and the commit refused. */
export const hookTimeoutMs = 120_000

const outputCap = 16 * 1024

/** A hook that refused the commit: its name, exit (or the signal/timeout) and the end of its output. */
const hookFailed = (hook: string, outcome: string, output: string): Error =>
  new Error(`${hook} hook refused the commit (${outcome})${output === "" ? "" : `:\n${output}`}`)

/** The folder hooks are read from: `core.hooksPath` when set, else `<gitdir>/hooks`. */
export const hooksFolder = (dir: string, gitdir: string, hooksPath: string | undefined): string =>
  hooksPath === undefined || hooksPath === "" ? nodePath.join(gitdir, "hooks") : nodePath.resolve(dir, hooksPath)

const executable = (file: string): boolean => {
  try {
    const stats = fs.statSync(file)
    return stats.isFile() && (stats.mode & 0o111) !== 0
  } catch {
    return false
  }
}

/**
 * Runs hook `name` with `args` in `dir` when it exists and is executable (as git does, a hook
 * that is not executable is skipped). Rejects on a non-zero exit or a timeout.
 * The hook gets the environment without provider keys and tokens: it is the repository's code.
 */
export const runHook = (options: {
  readonly name: string
  readonly folder: string
  readonly dir: string
  readonly gitdir: string
  readonly args: ReadonlyArray<string>
}): Promise<void> => {
  const file = nodePath.join(options.folder, options.name)
  if (!executable(file)) return Promise.resolve()
  return new Promise((resolve, reject) => {
    // Its own process group, so that a timeout ends what the hook started too.
    const child = spawn(file, [...options.args], {
      cwd: options.dir,
      env: { ...sandboxEnvironment(), GIT_DIR: options.gitdir, GIT_INDEX_FILE: nodePath.join(options.gitdir, "index") },
      stdio: ["ignore", "pipe", "pipe"],
      detached: true
    })
    let output = ""
    const keep = (chunk: Buffer) => {
      output = (output + chunk.toString("utf8")).slice(-outputCap)
    }
    child.stdout.on("data", keep)
    child.stderr.on("data", keep)
    let timedOut = false
    const timer = setTimeout(() => {
      timedOut = true
      if (child.pid !== undefined) {
        try {
          process.kill(-child.pid, "SIGKILL")
        } catch {
          child.kill("SIGKILL")
        }
      }
    }, hookTimeoutMs)
    child.on("error", (error) => {
      clearTimeout(timer)
      reject(hookFailed(options.name, `could not start: ${error.message}`, ""))
    })
    child.on("close", (code, signal) => {
      clearTimeout(timer)
      if (code === 0 && !timedOut) return resolve()
      const outcome = timedOut
        ? `timed out after ${hookTimeoutMs / 1000} s`
        : code === null
          ? `killed by ${signal ?? "a signal"}`
          : `exit ${code}`
      reject(hookFailed(options.name, outcome, output.trimEnd()))
    })
  })
}
