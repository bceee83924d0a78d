/**
 * A worker's gate: at most `concurrency` jobs at once; a job that had started on a worker that
 * died goes ahead of the jobs waiting that never started; a wait given up hands no slot away.
 */
import { Context, Deferred, Effect, Exit, Fiber, Layer, Logger, Option, Scope } from "effect"
import { describe, expect, it } from "vitest"
import { WorkerGate } from "../../../plugins/cluster/WorkerGate.ts"

const gateLayer = (concurrency: number) => WorkerGate.layer({ worker: "test", concurrency })

/** Runs `body` with a fresh gate of `concurrency` slots. */
const withGate = <A>(concurrency: number, body: (gate: WorkerGate["Service"]) => Effect.Effect<A, unknown>) =>
  Effect.runPromise(
    Effect.scoped(
      Effect.gen(function* () {
        return yield* body(yield* WorkerGate)
      }).pipe(Effect.provide(Layer.fresh(gateLayer(concurrency))))
    )
  )

describe("a worker's gate", () => {
  it("runs a resumed job before the jobs that waited longer but never started", async () => {
    const order = await withGate(1, (gate) =>
      Effect.gen(function* () {
        const order: Array<string> = []
        const hold = yield* Deferred.make<void>()
        const asked = { fresh: yield* Deferred.make<void>(), resumed: yield* Deferred.make<void>() }
        const running = yield* Effect.forkChild(gate.run(Deferred.await(hold)))
        const job = (name: "fresh" | "resumed", ahead: boolean) =>
          gate.run(
            Effect.sync(() => {
              order.push(name)
            }),
            { ahead: Effect.as(Deferred.succeed(asked[name], undefined), ahead) }
          )
        const fresh = yield* Effect.forkChild(job("fresh", false))
        yield* Deferred.await(asked.fresh)
        const resumed = yield* Effect.forkChild(job("resumed", true))
        yield* Deferred.await(asked.resumed)
        yield* Effect.yieldNow
        expect(order).toEqual([])
        yield* Deferred.succeed(hold, undefined)
        yield* Fiber.join(running)
        yield* Fiber.join(fresh)
        yield* Fiber.join(resumed)
        return order
      })
    )
    expect(order).toEqual(["resumed", "fresh"])
  })

  it("never runs more jobs at once than its slots", async () => {
    const most = await withGate(2, (gate) =>
      Effect.gen(function* () {
        let now = 0
        let most = 0
        const job = gate.run(
          Effect.gen(function* () {
            now++
            most = Math.max(most, now)
            yield* Effect.yieldNow
            yield* Effect.sleep("5 millis")
            now--
          })
        )
        yield* Effect.all(
          Array.from({ length: 8 }, () => job),
          { concurrency: "unbounded" }
        )
        return most
      })
    )
    expect(most).toBe(2)
  })

  it("gives a slot on to the next job when a waiting one is interrupted", async () => {
    const ran = await withGate(1, (gate) =>
      Effect.gen(function* () {
        const hold = yield* Deferred.make<void>()
        const asked = yield* Deferred.make<void>()
        const running = yield* Effect.forkChild(gate.run(Deferred.await(hold)))
        const given = yield* Effect.forkChild(
          gate.run(Effect.succeed("given up"), { ahead: Effect.as(Deferred.succeed(asked, undefined), true) })
        )
        yield* Deferred.await(asked)
        yield* Effect.yieldNow
        const next = yield* Effect.forkChild(gate.run(Effect.succeed("next")))
        yield* Fiber.interrupt(given)
        yield* Deferred.succeed(hold, undefined)
        yield* Fiber.join(running)
        return yield* Fiber.join(next).pipe(Effect.timeout("5 seconds"))
      })
    )
    expect(ran).toBe("next")
  })

  it("gives back what an interrupted drain held, so closing the gate still finishes", async () => {
    const closed = await Effect.runPromise(
      Effect.gen(function* () {
        const drainBegan = yield* Deferred.make<void>()
        // The drain logs as it begins, then takes the free slot at once and waits for the running job's.
        const signal = Logger.make((options) => {
          if (String(options.message).includes("draining")) Deferred.doneUnsafe(drainBegan, Exit.void)
        })
        const scope = yield* Scope.make()
        const gate = Context.get(yield* Layer.buildWithScope(Layer.fresh(gateLayer(2)), scope), WorkerGate)
        const hold = yield* Deferred.make<void>()
        const running = yield* Effect.forkChild(gate.run(Deferred.await(hold)))
        yield* Effect.yieldNow
        const draining = yield* Effect.forkChild(gate.drain.pipe(Effect.provide(Logger.layer([signal]))))
        yield* Deferred.await(drainBegan)
        yield* Effect.yieldNow
        yield* Fiber.interrupt(draining)
        yield* Deferred.succeed(hold, undefined)
        yield* Fiber.join(running)
        // The close's own drain must find every slot again; run apart so a hang cannot hold the test.
        const closing = yield* Effect.forkDetach(Scope.close(scope, Exit.void))
        return Option.isSome(yield* Fiber.await(closing).pipe(Effect.timeoutOption("5 seconds")))
      })
    )
    expect(closed).toBe(true)
  }, 15_000)
})
