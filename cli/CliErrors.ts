/**
 * How the CLI ends: exit codes of DESIGN §8 from the typed errors.
 */
import * as Cause from "effect/Cause"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Schema from "effect/Schema"
import { badInputTags } from "../core/errors.ts"

/** The command ran and its work failed (generation, quality gate, validation): exit 1, already reported. */
export class CommandFailed extends Schema.TaggedError<CommandFailed>()("CommandFailed", {
  reason: Schema.String
}) {
  override get message() {
    return this.reason
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

const exitTwo: ReadonlySet<string> = new Set<string>([...badInputTags, "UsageError"])

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
    if (exitTwo.has(tag)) return 2
  }
  return 1
}

/** The one-line message (then details) printed for a failure, or nothing when already shown. */
export const messageOf = (exit: Exit.Exit<unknown, unknown>): string | undefined => {
  if (Exit.isSuccess(exit) || Cause.hasInterruptsOnly(exit.cause)) return undefined
  const error = Cause.squash(exit.cause)
  if (typeof error === "object" && error !== null && "_tag" in error) {
    const tag = String(error._tag)
    if (tag === "ShowHelp" || tag === "CommandFailed") return undefined
    const message = (error as { readonly message?: unknown }).message
    return `error: ${tag}: ${String(message)}`
  }
  return `error: ${String(error)}`
}
