/**
 * Progress: a PubSub of progress events that the CLI renders and embedders subscribe to.
 */
import { Context, Effect, Layer, PubSub, type Scope, Stream } from "effect"
import type { ProgressEvent } from "../domain/Progress.ts"

export class Progress extends Context.Service<
  Progress,
  {
    readonly publish: (event: ProgressEvent) => Effect.Effect<void>
    /** Every event published after the stream starts. */
    readonly events: Stream.Stream<ProgressEvent>
    /** Subscribes now, so that no event published after this effect returns is missed. */
    readonly subscribe: Effect.Effect<Stream.Stream<ProgressEvent>, never, Scope.Scope>
  }
>()("@tamma/codegen/services/Progress") {
  /** The PubSub layer, plus `listener` called in order for every event before it is published. */
  static readonly layerWith = (listener: (event: ProgressEvent) => Effect.Effect<void>) =>
    Layer.effect(
      Progress,
      Effect.gen(function* () {
        const pubsub = yield* Effect.acquireRelease(PubSub.unbounded<ProgressEvent>(), PubSub.shutdown)
        return Progress.of({
          publish: (event) => Effect.andThen(listener(event), PubSub.publish(pubsub, event)).pipe(Effect.asVoid),
          events: Stream.fromPubSub(pubsub),
          subscribe: Effect.map(PubSub.subscribe(pubsub), Stream.fromSubscription)
        })
      })
    )

  /** An unbounded PubSub, shut down when the layer's scope closes. */
  static readonly layer = Progress.layerWith(() => Effect.void)

  /** Drops every event; for embedders that do not watch progress. */
  static readonly layerSilent = Layer.succeed(
    Progress,
    Progress.of({ publish: () => Effect.void, events: Stream.empty, subscribe: Effect.succeed(Stream.empty) })
  )
}
