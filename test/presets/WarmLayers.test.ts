/**
 * The long-lived part is built once for every run built on it, and each run's own services are
 * built fresh for that run and released with it, while the long-lived part lives on.
 */
import { Context, Effect, Layer } from "effect"
import { describe, expect, it } from "vitest"
import { warmOver } from "../../presets/WarmLayers.ts"

class Tools extends Context.Service<Tools, { readonly id: number }>()("test/Tools") {}
class RunState extends Context.Service<RunState, { readonly id: number; readonly tools: number }>()("test/RunState") {}

describe("warmOver", () => {
  it("builds the warm layer once and each run's layer fresh, releasing a run's with its scope", async () => {
    const built = { tools: 0, runs: 0 }
    const released = { tools: 0, runs: 0 }
    const tools = Layer.effect(
      Tools,
      Effect.acquireRelease(
        Effect.sync(() => ({ id: ++built.tools })),
        () => Effect.sync(() => void released.tools++)
      )
    )
    const run = Layer.effect(
      RunState,
      Effect.gen(function* () {
        const shared = yield* Tools
        return yield* Effect.acquireRelease(
          Effect.sync(() => ({ id: ++built.runs, tools: shared.id })),
          () => Effect.sync(() => void released.runs++)
        )
      })
    ).pipe(Layer.provideMerge(tools))

    const seen = await Effect.runPromise(
      Effect.scoped(
        Effect.gen(function* () {
          const build = yield* warmOver(tools)
          const runOnce = Effect.scoped(Effect.map(build(run), (context) => Context.get(context, RunState)))
          const first = yield* runOnce
          const second = yield* runOnce
          // Both runs are over; the warm layer is still up until the outer scope closes.
          expect(released).toEqual({ tools: 0, runs: 2 })
          return [first, second]
        })
      )
    )
    expect(seen).toEqual([
      { id: 1, tools: 1 },
      { id: 2, tools: 1 }
    ])
    expect(built).toEqual({ tools: 1, runs: 2 })
    expect(released).toEqual({ tools: 1, runs: 2 })
  })

  it("without it, each build builds the shared layer again", async () => {
    let built = 0
    const tools = Layer.effect(
      Tools,
      Effect.sync(() => ({ id: ++built }))
    )
    const once = Effect.scoped(Layer.build(tools))
    await Effect.runPromise(Effect.andThen(once, once))
    expect(built).toBe(2)
  })
})
