/**
 * WarmLayers: the long-lived part of the default pipeline — the language packs and the quality
 * checker over them, whose build (parsers, tool threads) costs far more than one run's own
 * services, and TypeScript's compile check kept loaded — built once, and each run's layer built
 * on top of it. A cluster worker keeps it
 * across its jobs, an evaluation across its tasks.
 */
import * as NodeServices from "@effect/platform-node/NodeServices"
import { Context, Effect, Layer, type Scope } from "effect"
import { QualityChecker } from "../core/services/QualityChecker.ts"
import { WarmTsc } from "../plugins/languages/typescript/WarmTsc.ts"
import { CompileServer } from "../plugins/testing/CompileServer.ts"
import { languagesLayer, qualityLayer } from "./NodeQuality.ts"

/** Builds a run's layer: the warm layers are found already built, everything else is built fresh. */
export type BuildOnWarm = <A, E, R>(
  layer: Layer.Layer<A, E, R>
) => Effect.Effect<Context.Context<A>, E, R | Scope.Scope>

/**
 * Builds `longLived` in the caller's scope (it lives as long as that scope) and returns how to
 * build a run's layer over it. A layer is shared when the run's layer holds that very layer value
 * (the memo map knows layers by identity), as the default wiring does with `qualityLayer` and
 * `languagesLayer`.
 */
export const warmOver = Effect.fn("WarmLayers.warmOver")(function* <A, E>(longLived: Layer.Layer<A, E>) {
  const memoMap = yield* Layer.makeMemoMap
  yield* Layer.buildWithMemoMap(longLived, memoMap, yield* Effect.scope)
  const build: BuildOnWarm = (layer) =>
    // A child map per run: it finds the warm layers, and builds the run's own (its workspace's
    // files and git, the generator over them) fresh, never shared with another run.
    Effect.flatMap(Effect.scope, (scope) => Layer.buildWithMemoMap(layer, Layer.forkMemoMapUnsafe(memoMap), scope))
  return build
})

/** TypeScript's compile check kept warm (see `WarmTsc`): its servers end with the scope that built it. */
export const compileServerLayer = WarmTsc.layer().pipe(Layer.provide(NodeServices.layer))

/**
 * The default pipeline's long-lived part: language packs, quality checks and a warm compile
 * check. Each run's layer is built with the warm `CompileServer` at hand, so its test runner uses
 * it; a run built any other way (a plain `generate`) starts no server.
 */
export const warmDefaults: Effect.Effect<BuildOnWarm, never, Scope.Scope> = Effect.gen(function* () {
  const build = yield* warmOver(Layer.mergeAll(qualityLayer, languagesLayer, compileServerLayer))
  const server = Context.get(yield* Effect.scoped(build(compileServerLayer)), CompileServer)
  const withServer: BuildOnWarm = (layer) => Effect.provideService(build(layer), CompileServer, server)
  return withServer
})

/**
 * Loads the formatters and linters of `languages` in the warm quality checker: what a run of
 * one of them would otherwise load while its first model call is in flight, competing for the CPU
 * with the run's own steps. An unknown language is passed over.
 */
export const warmLanguages = Effect.fn("WarmLayers.warmLanguages")(function* (
  build: BuildOnWarm,
  languages: Iterable<string>
) {
  const quality = Context.get(yield* Effect.scoped(build(qualityLayer)), QualityChecker)
  yield* Effect.forEach(new Set(languages), (language) => quality.warm(language), { discard: true })
})
