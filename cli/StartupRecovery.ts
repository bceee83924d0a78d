/**
 * StartupRecovery: before any command runs, a journal left by a crashed run is finished or
 * undone (DESIGN §5). Checking costs one `readdir`, so `--help` stays fast; the recovery code
 * loads only when there is a journal.
 */
import * as fs from "node:fs"
import * as nodePath from "node:path"
import * as Effect from "effect/Effect"
import { removeLeftoverSandboxes } from "../plugins/testing/LeftoverSandboxes.ts"

/** The workspace the command line names (`--workspace DIR` or `--workspace=DIR`), else the current folder. */
export const workspaceOf = (argv: ReadonlyArray<string>): string => {
  for (const [i, arg] of argv.entries()) {
    if (arg === "--workspace") return argv[i + 1] ?? "."
    if (arg.startsWith("--workspace=")) return arg.slice("--workspace=".length)
  }
  return "."
}

const hasJournal = (workspace: string): boolean => {
  try {
    return fs.readdirSync(nodePath.join(workspace, ".tamma", "journal")).length > 0
  } catch {
    return false
  }
}

/**
 * Recovers the workspace of `argv` when it has a journal. A workspace locked by a live run is
 * left alone: its journal belongs to that run. Failures are reported, never fatal: the
 * command itself recovers again under its lock.
 */
export const recoverAtStartup = (argv: ReadonlyArray<string>): Effect.Effect<void> => {
  // Sandboxes of runs that were killed: their process is gone, nothing else removes them.
  removeLeftoverSandboxes()
  const workspace = nodePath.resolve(workspaceOf(argv))
  if (!hasJournal(workspace)) return Effect.void
  return Effect.promise(() => import("./handlers/Exclusive.ts")).pipe(
    Effect.flatMap((handler) =>
      handler.recoverLocked(workspace).pipe(
        Effect.flatMap((runs) =>
          Effect.sync(() => {
            for (const run of runs) process.stderr.write(`${handler.describeRecovered(run)}\n`)
          })
        ),
        handler.locked(workspace)
      )
    ),
    Effect.catch((error) =>
      error._tag === "WorkspaceLockedError"
        ? Effect.void
        : Effect.sync(() => process.stderr.write(`warning: recovery failed: ${error.message}\n`))
    )
  )
}
