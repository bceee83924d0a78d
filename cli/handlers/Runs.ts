/**
 * The handlers of `runs`, `rollback` and `recover`.
 */
import { Console, Effect, Option, Schema } from "effect"
import { RunRecord } from "../../core/domain/RunRecord.ts"
import { rollbackRun } from "../../core/pipeline/Rollback.ts"
import { RunHistory } from "../../core/services/RunHistory.ts"
import * as NodeWorkspace from "../../presets/NodeWorkspace.ts"
import { RecoveredRuns } from "../../presets/NodeWorkspace.ts"
import { UsageError } from "../CliErrors.ts"
import { chooseWorkspace, resolveWorkspace } from "../Input.ts"
import { documentText, printJson } from "../JsonOutput.ts"
import { RecoveredAtStartup } from "../StartupRecovery.ts"
import { visible } from "../TerminalText.ts"
import { describeRecovered, lockedWorkspace } from "./LockedWorkspace.ts"

const encodeRuns = Schema.encodeSync(Schema.Array(RunRecord))

const runIdPattern = /^[0-9A-Za-z][0-9A-Za-z_-]*$/

export const listRuns = Effect.fn("cli.runs")(function* (flags: {
  readonly workspace: Option.Option<string>
  readonly json: boolean
}) {
  // Listing writes nothing: any folder will do, the default one too.
  const workspace = yield* resolveWorkspace(Option.getOrElse(flags.workspace, () => "."))
  const runs = yield* Effect.gen(function* () {
    return yield* (yield* RunHistory).runs
  }).pipe(Effect.provide(NodeWorkspace.layerUnlocked(workspace)))
  if (flags.json) return yield* printJson(documentText(encodeRuns(runs)))
  if (runs.length === 0) return yield* Console.log("no runs")
  for (const run of runs) {
    const state = run.rolledBackBy === undefined ? "" : `  (rolled back by ${run.rolledBackBy})`
    const git = run.commit === undefined ? "no commit" : `${run.branch ?? "?"} ${run.commit.slice(0, 12)}`
    // A record is a file of the workspace: what it says is shown, never obeyed by the terminal.
    yield* Console.log(
      visible(
        `${run.runId}  ${new Date(run.finishedAt).toISOString()}  ${run.files.length} file(s)  ${git}  ${run.summary}${state}`
      )
    )
  }
})

export const rollback = Effect.fn("cli.rollback")(function* (flags: {
  readonly runId: string
  readonly workspace: Option.Option<string>
  readonly json: boolean
}) {
  if (!runIdPattern.test(flags.runId)) return yield* new UsageError({ detail: `not a run id: ${flags.runId}` })
  const workspace = yield* chooseWorkspace(flags.workspace)
  const done = yield* rollbackRun(flags.runId).pipe(Effect.provide(lockedWorkspace(workspace)))
  if (flags.json) return yield* printJson(documentText(done))
  if (done.git === "branch-only") {
    return yield* Console.log(
      `rolled back run ${done.runId}: deleted its branch ${visible(done.branch ?? "?")}, which was not checked out; the files of the current checkout were not touched`
    )
  }
  const git =
    done.git === "branch-deleted"
      ? "; deleted the run's branch and returned HEAD to the previous branch"
      : done.git === "revert-commit"
        ? `; committed the revert as ${done.commit?.slice(0, 12) ?? "?"}`
        : ""
  yield* Console.log(`rolled back run ${done.runId}: restored ${done.files} file(s)${git}`)
})

/**
 * Recovers the workspace and reports every run recovered in this invocation: those the start-up
 * recovery (which every command runs first) already handled, then any left.
 */
export const recover = Effect.fn("cli.recoverCommand")(function* (flags: {
  readonly workspace: Option.Option<string>
  readonly json: boolean
}) {
  const workspace = yield* chooseWorkspace(flags.workspace)
  const atStartup = yield* RecoveredAtStartup.runs
  // Reported below with those of the start-up, not as they happen.
  const now = yield* Effect.provide(
    RecoveredRuns.useSync((runs) => runs),
    NodeWorkspace.layer(workspace)
  )
  const recovered = [...atStartup, ...now]
  if (flags.json) return yield* printJson(documentText(recovered))
  yield* Console.log(recovered.length === 0 ? "nothing to recover" : recovered.map(describeRecovered).join("\n"))
})
