/**
 * `generate`, `test` and `refactor`: one pipeline run from a request file. `generate` runs the
 * request's own task type; `test` and `refactor` set it. Only flags live here; the handler and
 * its plugins load when the command runs.
 */

import * as Command from "effect/cli/Command"
import * as Effect from "effect/Effect"
import type { TaskType } from "../../core/domain/Request.ts"
import { runFlags } from "./RunFlags.ts"

/** A pipeline command: its name, what it says it does, and the task type it sets (if any). */
const pipelineCommand = (name: string, description: string, taskType: TaskType | undefined) =>
  Command.make(name, runFlags, (flags) =>
    Effect.flatMap(
      Effect.promise(() => import("../handlers/RunPipeline.ts")),
      (handler) => handler.runPipeline(flags, taskType)
    )
  ).pipe(Command.withDescription(description))

export const generateCommand = pipelineCommand(
  "generate",
  "Generate code for a request, check it, write it and commit it",
  undefined
)
export const testCommand = pipelineCommand("test", "Generate tests for a request (task type test)", "test")
export const refactorCommand = pipelineCommand(
  "refactor",
  "Refactor code for a request (task type refactoring)",
  "refactoring"
)
