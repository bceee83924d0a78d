/**
 * `runs`, `rollback` and `recover`: the records of applied runs and undoing them.
 * Only flags live here; the handler loads when the command runs.
 */
import * as Argument from "effect/cli/Argument"
import * as Command from "effect/cli/Command"
import * as Flag from "effect/cli/Flag"
import * as Effect from "effect/Effect"

// Optional rather than defaulted: this package's own checkout is a workspace only when named.
const workspace = Flag.String("workspace").pipe(
  Flag.withDescription("Workspace folder (default: the folder the command was run from)"),
  Flag.optional
)
const json = Flag.Boolean("json").pipe(Flag.withDescription("Print one JSON document"), Flag.withDefault(false))

const handlers = () => import("../handlers/Runs.ts")

export const runsCommand = Command.make("runs", { workspace, json }, (flags) =>
  Effect.flatMap(Effect.promise(handlers), (handler) => handler.listRuns(flags))
).pipe(Command.withDescription("List the applied runs of the workspace (.tamma/runs)"))

export const rollbackCommand = Command.make(
  "rollback",
  { runId: Argument.String("RUN_ID").pipe(Argument.withDescription("The run to undo (see runs)")), workspace, json },
  (flags) => Effect.flatMap(Effect.promise(handlers), (handler) => handler.rollback(flags))
).pipe(
  Command.withDescription("Undo an applied run: restore its files and git (refused if a file changed since the run)")
)

export const recoverCommand = Command.make("recover", { workspace, json }, (flags) =>
  Effect.flatMap(Effect.promise(handlers), (handler) => handler.recover(flags))
).pipe(Command.withDescription("Finish or undo the runs a crash interrupted, and say what was done"))
