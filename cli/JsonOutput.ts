/**
 * `--json`: stdout carries exactly one JSON document on every exit path. A command prints its
 * own document with `printJson`; when it ends without one (bad usage, bad input, a failure
 * before its report, an interruption), the entry point prints `failureDocument` instead, and
 * help and usage text go to stderr.
 */
import * as Cause from "effect/Cause"
import * as Console from "effect/Console"
import * as Context from "effect/Context"
import * as CliOutput from "effect/cli/CliOutput"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import type * as Layer from "effect/Layer"
import { jsonText } from "./TerminalText.ts"

/** Whether the command line asks for JSON (`--json`, before any `--`). */
export const wantsJson = (argv: ReadonlyArray<string>): boolean => {
  for (const arg of argv) {
    if (arg === "--") return false
    if (arg === "--json" || arg === "--json=true") return true
  }
  return false
}

/** Whether the command printed its JSON document. Provided by the entry point. */
export class JsonDocument extends Context.Service<JsonDocument, { printed: boolean }>()(
  "@tamma/codegen/cli/JsonDocument"
) {}

/** `value` as indented JSON that a terminal prints as it is (the same document, control characters escaped). */
export const documentText = jsonText

/** Prints `text`, a JSON document, as the command's one document on stdout. */
export const printJson = (text: string) =>
  Effect.andThen(
    Console.log(text),
    Effect.map(Effect.serviceOption(JsonDocument), (document) => {
      if (document._tag === "Some") document.value.printed = true
    })
  )

/** One error of a failure document. */
export interface JsonError {
  readonly tag: string
  readonly message: string
}

/** The document printed when a `--json` command ended without its own. */
export interface FailureDocument {
  readonly status: "success" | "failed"
  readonly errors: ReadonlyArray<JsonError>
}

const isTagged = (value: unknown): value is { readonly _tag: unknown } =>
  typeof value === "object" && value !== null && "_tag" in value

const messageText = (value: unknown): string =>
  typeof value === "object" && value !== null && "message" in value ? String(value.message) : String(value)

/** The errors of an exit: a usage error per problem the parser found, else the typed error. */
export const errorsOf = (
  exit: Exit.Exit<unknown, unknown>,
  interrupted = "interrupted: what the run had written was rolled back"
): ReadonlyArray<JsonError> => {
  if (Exit.isSuccess(exit)) return []
  if (Cause.hasInterruptsOnly(exit.cause)) return [{ tag: "Interrupted", message: interrupted }]
  const error = Cause.squash(exit.cause)
  if (!isTagged(error)) return [{ tag: "UnknownError", message: messageText(error) }]
  const tag = String(error._tag)
  if (tag === "ShowHelp" && "errors" in error && Array.isArray(error.errors)) {
    return error.errors.map((problem: unknown) => ({ tag: "UsageError", message: messageText(problem) }))
  }
  return [{ tag, message: messageText(error) }]
}

/**
 * The document for an exit with no document of its own: `failed` with its errors, or, for an
 * exit code of 0 (`--help`, `--version`), `success` with none.
 */
export const failureDocument = (
  exit: Exit.Exit<unknown, unknown>,
  code: number,
  /** What an interruption cut short, in words (the terminal's line). */
  interrupted?: string
): FailureDocument =>
  code === 0 ? { status: "success", errors: [] } : { status: "failed", errors: errorsOf(exit, interrupted) }

/** Help, version and usage errors on stderr: stdout is the JSON document's. */
export const helpOnStderr: Layer.Layer<never> = CliOutput.layerPresenter({
  present: (event) =>
    Effect.gen(function* () {
      const formatter = yield* CliOutput.Formatter
      switch (event._tag) {
        case "Help":
          return yield* Console.error(formatter.formatHelpDoc(event.helpDoc))
        case "InvalidInvocation":
          yield* Console.error(formatter.formatHelpDoc(event.helpDoc))
          return yield* Console.error(formatter.formatErrors(event.errors))
        case "Version":
          return yield* Console.error(formatter.formatVersion(event.name, event.version))
      }
    })
})
