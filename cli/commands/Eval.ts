/**
 * `eval`: runs a suite of tasks and reports success rate, quality, time and cost.
 * Only arguments live here; the handler and its plugins load when the command runs.
 */
import * as Argument from "effect/cli/Argument"
import * as Command from "effect/cli/Command"
import * as Flag from "effect/cli/Flag"
import * as Effect from "effect/Effect"
import { ProviderName } from "../../core/domain/ProviderName.ts"
import { baseUrlFlag, modelFlag } from "./RunFlags.ts"

export const evalFlags = {
  suites: Argument.String("suite").pipe(
    Argument.withDescription("Suite folders (each holds task folders), or task folders"),
    Argument.atLeast(1)
  ),
  task: Flag.String("task").pipe(Flag.withDescription("Only the tasks whose id matches this glob"), Flag.optional),
  provider: Flag.Literals("provider", ProviderName.literals).pipe(
    Flag.withDescription("AI provider for --record and --live (overrides your config)"),
    Flag.optional
  ),
  model: modelFlag,
  baseUrl: baseUrlFlag,
  record: Flag.Boolean("record").pipe(
    Flag.withDescription("Run against the provider and write each task's cassette.jsonl afresh"),
    Flag.withDefault(false)
  ),
  replay: Flag.Boolean("replay").pipe(
    Flag.withDescription("Answer from each task's cassette only (the default when it has one)"),
    Flag.withDefault(false)
  ),
  live: Flag.Boolean("live").pipe(
    Flag.withDescription("Run against the provider, ignoring cassettes"),
    Flag.withDefault(false)
  ),
  concurrency: Flag.Int("concurrency").pipe(Flag.withDescription("Tasks run at once (default 2)"), Flag.withDefault(2)),
  json: Flag.Boolean("json").pipe(Flag.withDescription("Print the whole report as JSON"), Flag.withDefault(false)),
  out: Flag.String("out").pipe(
    Flag.withDescription("Also write report.html and report.json into this folder"),
    Flag.optional
  ),
  baseline: Flag.String("baseline").pipe(
    Flag.withDescription("Fail (exit 1) when the run falls below this baseline.json"),
    Flag.optional
  )
}

export type EvalFlags = {
  readonly [K in keyof typeof evalFlags]: (typeof evalFlags)[K] extends Flag.Flag<infer A>
    ? A
    : (typeof evalFlags)[K] extends Argument.Argument<infer B>
      ? B
      : never
}

export const evalCommand = Command.make("eval", evalFlags, (flags) =>
  Effect.flatMap(
    Effect.promise(() => import("../handlers/Eval.ts")),
    (handler) => handler.runEval(flags)
  )
).pipe(Command.withDescription("Run a suite of tasks offline (cassettes) or live, and report how well they went"))
