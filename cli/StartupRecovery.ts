/**
 * StartupRecovery: before any command runs, a journal left by a crashed run is finished or
 * undone (DESIGN §5). Checking costs one `readdir`, so `--help` stays fast; the recovery code
 * loads only when there is a journal.
 */
import * as fs from "node:fs"
import * as nodePath from "node:path"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import type { RecoveredRun } from "../core/pipeline/Recovery.ts"
import { removeLeftoverSandboxes } from "../plugins/testing/LeftoverSandboxes.ts"
import { isInsidePackage } from "./Invocation.ts"
import { visible } from "./TerminalText.ts"

/** The workspace the command line names (`--workspace DIR` or `--workspace=DIR`), if it names one. */
export const explicitWorkspaceOf = (argv: ReadonlyArray<string>): string | undefined => {
  for (const [i, arg] of argv.entries()) {
    if (arg === "--") return undefined
    if (arg === "--workspace") return argv[i + 1] ?? "."
    if (arg.startsWith("--workspace=")) return arg.slice("--workspace=".length)
  }
  return undefined
}

/** The workspace the command line names, else the current folder. */
export const workspaceOf = (argv: ReadonlyArray<string>): string => explicitWorkspaceOf(argv) ?? "."

/**
 * What the start-up recovery of this invocation did, so that `recover` can report it: by the
 * time `recover` runs, the start-up has already done its work.
 */
export class RecoveredAtStartup extends Context.Service<
  RecoveredAtStartup,
  { readonly runs: ReadonlyArray<RecoveredRun> }
>()("@tamma/codegen/cli/RecoveredAtStartup") {
  /** The runs recovered at start-up; none when the entry point did not recover. */
  static readonly runs = Effect.map(Effect.serviceOption(RecoveredAtStartup), (recovered) =>
    recovered._tag === "Some" ? recovered.value.runs : []
  )
}

const hasJournal = (workspace: string): boolean => {
  try {
    return fs.readdirSync(nodePath.join(workspace, ".tamma", "journal")).length > 0
  } catch {
    return false
  }
}

/**
 * Recovers the workspace of `argv` when it has a journal, and returns what it recovered. A
 * workspace locked by a live run is left alone: its journal belongs to that run. This package's
 * own checkout is only a workspace when named. Failures are reported, never fatal: the command
 * itself recovers again under its lock. `recover` reports the runs itself; other commands say
 * on stderr what was done before they ran.
 */
export const recoverAtStartup = (argv: ReadonlyArray<string>): Effect.Effect<ReadonlyArray<RecoveredRun>> => {
  // Sandboxes of runs that were killed: their process is gone, nothing else removes them.
  removeLeftoverSandboxes()
  const named = explicitWorkspaceOf(argv)
  const workspace = nodePath.resolve(named ?? ".")
  if ((named === undefined && isInsidePackage(workspace)) || !hasJournal(workspace)) return Effect.succeed([])
  const reportsItself = argv[0] === "recover"
  return Effect.promise(() =>
    Promise.all([import("../presets/NodeWorkspace.ts"), import("./handlers/LockedWorkspace.ts")])
  ).pipe(
    Effect.flatMap(([NodeWorkspace, { describeRecovered }]) =>
      Effect.provide(
        NodeWorkspace.RecoveredRuns.useSync((runs) => runs),
        NodeWorkspace.layer(workspace, {
          onRecovered: (run) =>
            Effect.sync(() => {
              if (!reportsItself) process.stderr.write(`${describeRecovered(run)}\n`)
            })
        })
      )
    ),
    Effect.catch((error) =>
      error._tag === "WorkspaceLockedError"
        ? Effect.succeed([])
        : Effect.as(
            Effect.sync(() => process.stderr.write(`warning: recovery failed: ${visible(error.message)}\n`)),
            []
          )
    )
  )
}
