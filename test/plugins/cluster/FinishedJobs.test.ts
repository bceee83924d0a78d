/**
 * A waiting submitter hears of a job's result through Postgres's LISTEN/NOTIFY: the store
 * notifies in the statement that records the result, and only that job's waiters wake. Real
 * Postgres, no workers: the store is driven directly.
 */
import { Clock, Deferred, Duration, Effect, Fiber, Layer, ManagedRuntime, Option } from "effect"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { type LocalPostgres, postgresBinaries, startPostgres } from "../../../examples/cluster/LocalPostgres.ts"
import * as ClusterJobs from "../../../plugins/cluster/ClusterJobs.ts"
import { databaseLayer } from "../../../plugins/cluster/ClusterLayers.ts"
import { FinishedJobs, fallbackLook } from "../../../plugins/cluster/FinishedJobs.ts"
import { JobResult } from "../../../plugins/cluster/Job.ts"
import { JobStore } from "../../../plugins/cluster/JobStore.ts"

const installed = postgresBinaries() !== undefined

const resultOf = (requestId: string) =>
  new JobResult({
    requestId,
    repository: "file:///repo",
    status: "success",
    files: ["src/a.ts"],
    errors: [],
    pipelineMs: 5
  })

describe.skipIf(!installed)("finished jobs' notifications", () => {
  let postgres: LocalPostgres
  let runtime: ManagedRuntime.ManagedRuntime<JobStore | FinishedJobs, unknown>
  beforeAll(async () => {
    postgres = await startPostgres()
    runtime = ManagedRuntime.make(
      Layer.mergeAll(JobStore.layer, FinishedJobs.layer).pipe(Layer.provide(databaseLayer(postgres.url)))
    )
    await runtime.runPromise(Effect.void)
  }, 60_000)
  afterAll(async () => {
    await runtime?.dispose()
    await postgres?.stop()
  })

  const queue = (requestId: string) =>
    Effect.gen(function* () {
      const store = yield* JobStore
      yield* store.submitted({
        requestId,
        repository: "file:///repo",
        baseRef: "main",
        executionId: `exec-${requestId}`
      })
      return store
    })

  it("wakes the waiter of the job whose result was recorded, and not another job's", async () => {
    const heard = await runtime.runPromise(
      Effect.scoped(
        Effect.gen(function* () {
          const store = yield* queue("a")
          yield* queue("b")
          const finished = yield* FinishedJobs
          const forA = yield* Effect.forkChild(yield* finished.subscribe("a"))
          const forB = yield* Effect.forkChild(yield* finished.subscribe("b"))
          yield* store.finishedWith(resultOf("b"))
          // The notification alone wakes it: nothing else completes the subscription.
          const b = yield* Fiber.join(forB).pipe(Effect.timeoutOption("30 seconds"))
          // A's subscription got b's notification in the same publish, and is still waiting.
          const a = yield* Fiber.join(forA).pipe(Effect.timeoutOption("200 millis"))
          return { a: Option.isSome(a), b: Option.isSome(b) }
        })
      )
    )
    expect(heard).toEqual({ a: false, b: true })
  })

  it("awaitResult returns the recorded result as soon as its notification arrives", async () => {
    const { result, heardMs } = await runtime.runPromise(
      Effect.gen(function* () {
        const store = yield* queue("c")
        // Tells when the waiter has looked and found nothing: from then on it waits for a notification.
        const lookedInVain = yield* Deferred.make<void>()
        const watched = JobStore.of({
          ...store,
          result: (requestId) =>
            Effect.tap(store.result(requestId), (found) =>
              Option.isNone(found) ? Deferred.succeed(lookedInVain, undefined) : Effect.void
            )
        })
        const waiting = yield* Effect.forkChild(
          ClusterJobs.awaitResult("c").pipe(Effect.provideService(JobStore, watched))
        )
        yield* Deferred.await(lookedInVain)
        const recorded = yield* Clock.currentTimeMillis
        yield* store.finishedWith(resultOf("c"))
        const result = yield* Fiber.join(waiting).pipe(Effect.timeout("30 seconds"))
        return { result, heardMs: (yield* Clock.currentTimeMillis) - recorded }
      })
    )
    expect(result).toEqual(resultOf("c"))
    // Without the notification the waiter would read it only on its next look, a whole fallback later.
    expect(heardMs).toBeLessThan(Duration.toMillis(fallbackLook) / 2)
  })
})
