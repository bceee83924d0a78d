/**
 * Reading provider settings from the environment with the official SDK variable names.
 * A missing variable is `undefined`, never a failure: a provider without a key still builds
 * and fails its first request with `AuthenticationError(MissingKey)`, which names the variable.
 */
import { Config, Effect, Option, type Redacted } from "effect"

export const envSecret = (name: string): Effect.Effect<Redacted.Redacted<string> | undefined> =>
  Effect.gen(function* () {
    return Option.getOrUndefined(yield* Config.option(Config.Redacted(name)))
  }).pipe(Effect.orElseSucceed(() => undefined))

export const envString = (name: string): Effect.Effect<string | undefined> =>
  Effect.gen(function* () {
    const value = Option.getOrUndefined(yield* Config.option(Config.String(name)))
    return value === undefined || value.trim() === "" ? undefined : value.trim()
  }).pipe(Effect.orElseSucceed(() => undefined))
