/**
 * The CLI as a user runs it, for tests: a child process of `cli/bin.ts` that does not block this
 * one (so a server of the test can answer it), and git through its own CLI.
 */
import { execFileSync, spawn } from "node:child_process"
import * as path from "node:path"
import { fileURLToPath } from "node:url"

/** The package's own folder. */
export const project = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..", "..")

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
    const child = spawn(process.execPath, [path.join(project, "cli", "bin.ts"), ...args], {
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

/** `git ARGS` in `cwd`, its output trimmed. */
export const git = (cwd: string, ...args: ReadonlyArray<string>) =>
  execFileSync("git", args, { cwd, encoding: "utf8" }).trim()
