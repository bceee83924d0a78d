/**
 * SpanNames: the names of the spans an effect opens, as a tracer an embedding application
 * installs would see them.
 */
import { Effect, Tracer } from "effect"

/** Runs `effect` under a tracer that records the name of every span it opens, in order. */
export const withSpanNames = <A, E, R>(
  effect: Effect.Effect<A, E, R>
): Effect.Effect<{ readonly result: A; readonly names: ReadonlyArray<string> }, E, R> =>
  Effect.suspend(() => {
    const names: Array<string> = []
    const recording = Tracer.make({
      span: (options) => {
        names.push(options.name)
        return Tracer.nativeTracer.span(options)
      }
    })
    return effect.pipe(
      Effect.withTracer(recording),
      Effect.map((result) => ({ result, names }))
    )
  })
