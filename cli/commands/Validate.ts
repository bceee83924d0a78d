/**
 * `validate` and `format`. Only arguments live here; handlers and plugins load when a command runs.
 */
import * as Argument from "effect/cli/Argument"
import * as Command from "effect/cli/Command"
import * as Flag from "effect/cli/Flag"
import * as Effect from "effect/Effect"

const handlers = Effect.promise(() => import("../handlers/Validate.ts"))

export const validateCommand = Command.make(
  "validate",
  {
    paths: Argument.String("path").pipe(Argument.withDescription("Files or folders"), Argument.atLeast(1)),
    language: Flag.String("language").pipe(Flag.withDescription("Check every file as this language"), Flag.optional),
    json: Flag.Boolean("json").pipe(Flag.withDescription("Print the report as JSON"), Flag.withDefault(false)),
    eslint: Flag.Literals("eslint", ["always", "auto", "never"]).pipe(
      Flag.withDescription(
        "ESLint on JS/TS files: only where the workspace has an ESLint config (auto, the default), always or never"
      ),
      Flag.optional
    ),
    noCache: Flag.Boolean("no-cache").pipe(
      Flag.withDescription("Check every file again, without reading or writing .tamma/cache/"),
      Flag.withDefault(false)
    )
  },
  (input) => Effect.flatMap(handlers, (h) => h.validate(input))
).pipe(Command.withDescription("Check files with the language packs' formatters, linters and rules"))

export const formatCommand = Command.make(
  "format",
  {
    paths: Argument.String("path").pipe(Argument.withDescription("Files or folders"), Argument.atLeast(1)),
    check: Flag.Boolean("check").pipe(
      Flag.withDescription("Only report files that are not formatted"),
      Flag.withDefault(false)
    )
  },
  (input) => Effect.flatMap(handlers, (h) => h.format(input))
).pipe(Command.withDescription("Format files in place with their language's formatter"))
