/**
 * How the CLI ends: exit codes of DESIGN §8 from the typed errors.
 */
import * as Cause from "effect/Cause"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Schema from "effect/Schema"
import { isBadInput } from "../core/errors.ts"
import { visible } from "./TerminalText.ts"

/** The command ran and its work failed (generation, quality gate, validation): exit 1, already reported. */
export class CommandFailed extends Schema.TaggedError<CommandFailed>()("CommandFailed", {
  reason: Schema.String
}) {
  override get message() {
    return this.reason
  }
}

/** The work was refused as bad input and its report is already shown (a failed result): exit 2. */
export class BadInputFailed extends Schema.TaggedError<BadInputFailed>()("BadInputFailed", {
  reason: Schema.String
}) {
  override get message() {
    return this.reason
  }
}

/** A path named on the command line that does not exist: bad input, exit 2. */
export class PathNotFoundError extends Schema.TaggedError<PathNotFoundError>()("PathNotFoundError", {
  path: Schema.String
}) {
  override get message() {
    return `No such file or folder: ${this.path}`
  }
}

/** `validate` found no file in a language it can check under the paths it was given: exit 2. */
export class NothingToValidateError extends Schema.TaggedError<NothingToValidateError>()("NothingToValidateError", {
  paths: Schema.Array(Schema.String),
  skipped: Schema.Int,
  /** Files the per-file screen kept from the tools (too large, binary), counted apart from `skipped`. */
  screened: Schema.optional(Schema.Int)
}) {
  override get message() {
    const found = [
      ...(this.skipped === 0
        ? []
        : [`${this.skipped} file(s), none in a language tamma-codegen can check (see --language)`]),
      ...(this.screened === undefined || this.screened === 0
        ? []
        : [`${this.screened} file(s) skipped as too large or binary`])
    ]
    return `Nothing to validate under ${this.paths.join(", ")}: ${found.length === 0 ? "no file" : found.join("; ")}`
  }
}

/** Bad usage found by the handler itself (e.g. a flag value that does not parse). */
export class UsageError extends Schema.TaggedError<UsageError>()("UsageError", { detail: Schema.String }) {
  override get message() {
    return this.detail
  }
}

/**
 * The exit code a command settled on once its work was done and reported. An interruption that
 * arrives after that (a signal during the command's last steps) does not change the code: the
 * work it reports stands. Provided by the process entry point; absent, nothing is settled.
 */
export class SettledExit extends Context.Service<SettledExit, { code: number | undefined }>()(
  "@tamma/codegen/cli/SettledExit"
) {
  /** Settles `code` when the entry point listens for it. */
  static readonly settle = (code: number) =>
    Effect.map(Effect.serviceOption(SettledExit), (settled) => {
      if (settled._tag === "Some") settled.value.code = code
    })
}

/** What the command was doing that an interruption cuts short, for the line that says so. */
export type WorkUnderWay =
  | { readonly _tag: "Nothing" }
  /** A pipeline run on the workspace: its transaction rolls back what it had written. */
  | { readonly _tag: "WorkspaceRun" }
  /** Waiting for a submitted job, which stays queued and still runs. */
  | { readonly _tag: "QueuedJob"; readonly requestId: string }

/**
 * What the command has under way, provided by the process entry point; absent, nothing is noted.
 * Not reset when the work ends: an interruption arriving as it unwinds still concerns it, and an
 * outcome settled after it (`SettledExit`) silences the line anyway.
 */
export class UnderWay extends Context.Service<UnderWay, { work: WorkUnderWay }>()("@tamma/codegen/cli/UnderWay") {
  /** Notes `work` as under way when the entry point listens for it. */
  static readonly note = (work: WorkUnderWay) =>
    Effect.map(Effect.serviceOption(UnderWay), (underWay) => {
      if (underWay._tag === "Some") underWay.value.work = work
    })
}

/** The CLI's own bad-input errors; the pipeline's are the `BadInput` union. */
const exitTwo: ReadonlySet<string> = new Set<string>([
  "UsageError",
  "BadInputFailed",
  "PathNotFoundError",
  "NothingToValidateError"
])

/**
 * 0 success, 1 work failed, 2 bad input or usage, 130 interrupted — unless the command had
 * settled its code (`settled`) before the interruption.
 */
export const exitCodeOf = (exit: Exit.Exit<unknown, unknown>, settled?: number): number => {
  if (Exit.isSuccess(exit)) return 0
  if (Cause.hasInterruptsOnly(exit.cause)) return settled ?? 130
  const error = Cause.squash(exit.cause)
  if (typeof error === "object" && error !== null && "_tag" in error) {
    const tag = String(error._tag)
    if (tag === "ShowHelp") {
      const errors = (error as { readonly errors?: ReadonlyArray<unknown> }).errors ?? []
      return errors.length === 0 ? 0 : 2
    }
    if (isBadInput(error) || exitTwo.has(tag)) return 2
  }
  return 1
}

/** What the terminal says of a workspace run interrupted (Ctrl-C, SIGTERM) before it settled its outcome. */
export const interruptedLine =
  "interrupted: the workspace was left as it was (what the run had written was rolled back)"

/** The line for an interruption of `work`. */
export const interruptedLineOf = (work: WorkUnderWay): string => {
  switch (work._tag) {
    case "WorkspaceRun":
      return interruptedLine
    case "QueuedJob":
      return `interrupted: stopped waiting; job ${work.requestId} stays queued and will still run (see \`tamma-codegen job ${work.requestId}\`)`
    case "Nothing":
      return "interrupted"
  }
}

/**
 * The one-line message (then details) printed for a failure, or nothing when already shown. An
 * interruption says what it cut short (`work`); one after the command settled its code
 * (`settled`) leaves that outcome to stand, unsaid.
 */
export const messageOf = (
  exit: Exit.Exit<unknown, unknown>,
  settled?: number,
  work: WorkUnderWay = { _tag: "Nothing" }
): string | undefined => {
  if (Exit.isSuccess(exit)) return undefined
  if (Cause.hasInterruptsOnly(exit.cause)) return settled === undefined ? visible(interruptedLineOf(work)) : undefined
  const error = Cause.squash(exit.cause)
  if (typeof error === "object" && error !== null && "_tag" in error) {
    const tag = String(error._tag)
    if (tag === "ShowHelp" || tag === "CommandFailed" || tag === "BadInputFailed") return undefined
    const message = (error as { readonly message?: unknown }).message
    // Messages carry paths and text from the model and the workspace.
    return visible(`error: ${tag}: ${String(message)}`)
  }
  return visible(`error: ${String(error)}`)
}
