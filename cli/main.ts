/**
 * The `tamma-codegen` command tree. Plugins load inside the handlers, so `--help` stays fast.
 */
import * as Command from "effect/cli/Command"
import { jobCommand, jobsCommand, submitCommand, workerCommand } from "./commands/Cluster.ts"
import { evalCommand } from "./commands/Eval.ts"
import { generateCommand, refactorCommand, testCommand } from "./commands/Generate.ts"
import { recoverCommand, rollbackCommand, runsCommand } from "./commands/Runs.ts"
import { templateCommand } from "./commands/Template.ts"
import { formatCommand, validateCommand } from "./commands/Validate.ts"

export const version = "0.1.0"

export const root = Command.make("tamma-codegen").pipe(
  Command.withDescription("Generate, check, write and commit code from a typed request"),
  Command.withSubcommands([
    generateCommand,
    testCommand,
    refactorCommand,
    validateCommand,
    formatCommand,
    templateCommand,
    runsCommand,
    rollbackCommand,
    recoverCommand,
    evalCommand,
    workerCommand,
    submitCommand,
    jobsCommand,
    jobCommand
  ])
)

/** Runs the CLI on `argv` (without the node and script entries). */
export const run = Command.runWith(root, { version })
