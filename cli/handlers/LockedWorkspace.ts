/**
 * LockedWorkspace: how the commands that write to a workspace hold it — the preset's locked,
 * recovered workspace, with what the user should see on stderr: whom a `--wait` waits for, and
 * every run a crash had interrupted that was finished or undone first.
 */
import { Console, type Effect } from "effect"
import type { RecoveredRun } from "../../core/pipeline/Recovery.ts"
import * as NodeWorkspace from "../../presets/NodeWorkspace.ts"
import { visible } from "../TerminalText.ts"

export const describeRecovered = (run: RecoveredRun): string =>
  run.outcome === "completed"
    ? `recovered run ${run.runId}: it had completed; removed its journal`
    : `recovered run ${run.runId}: restored ${run.files} file(s) to their state before it${
        run.branch === undefined ? "" : `, deleted branch ${visible(run.branch)} and returned HEAD`
      }`

/** Says on stderr whom a `--wait` waits for. */
const sayWaiting = (pid: number | undefined) =>
  Console.error(`waiting for the run ${pid === undefined ? "" : `of process ${pid} `}that holds the workspace lock…`)

/** The lock options of a command: wait when told to, and say so; report each recovered run on stderr. */
export const lockingOptions = (
  wait = false
): Pick<NodeWorkspace.NodeWorkspaceOptions, "wait" | "onWait" | "onRecovered"> => ({
  wait,
  onWait: sayWaiting,
  onRecovered: (run: RecoveredRun): Effect.Effect<void> => Console.error(describeRecovered(run))
})

/** The workspace under its lock, recovered first (reported on stderr). */
export const lockedWorkspace = (workspace: string, options: { readonly wait?: boolean } = {}) =>
  NodeWorkspace.layer(workspace, lockingOptions(options.wait))
